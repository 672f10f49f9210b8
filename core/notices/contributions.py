"""The generic notice kind; the parts that send notices declare their own kinds the same way
(core.workflow the event notices, core.imports the import notice, each domain its own)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.extensions import NoticeKind, PeriodicTask

CONTRIBUTIONS = [
    NoticeKind(key="notices.system", name=_("System notice")),
    # Cursors are given right after commit; this catches notices whose process died first.
    PeriodicTask(
        key="notices.assign_cursors",
        task="notices.assign_cursors",
        schedule=float(settings.OUTBOX_RELAY_INTERVAL_SECONDS),
        queue="notices",
        expires_seconds=float(settings.OUTBOX_RELAY_INTERVAL_SECONDS),
    ),
]
