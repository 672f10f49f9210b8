"""Generic notice kinds; domains and scenarios declare their own the same way."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.extensions import NoticeKind, PeriodicTask

CONTRIBUTIONS = [
    NoticeKind(key="event.assigned", name=_("Event assigned"), default_channels=("in_app", "sms")),
    NoticeKind(key="event.escalated", name=_("Event escalated"), default_channels=("in_app", "sms")),
    NoticeKind(key="event.state_changed", name=_("Event state changed")),
    NoticeKind(key="import.finished", name=_("Import finished")),
    NoticeKind(key="system", name=_("System notice")),
    # Cursors are given right after commit; this catches notices whose process died first.
    PeriodicTask(
        key="notices.assign_cursors",
        task="notices.assign_cursors",
        schedule=float(settings.OUTBOX_RELAY_INTERVAL_SECONDS),
        queue="notices",
        expires_seconds=float(settings.OUTBOX_RELAY_INTERVAL_SECONDS),
    ),
]
