from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import EventType, NoticeKind

HOTLINE_TICKET = EventType(
    key="hotline.ticket",
    name=_("12345 hotline ticket"),
    domain="affairs",
    description=_("A ticket the 12345 hotline centre dispatched to the community."),
    handler_role=Role.GRID_WORKER,
    # Only a fallback: a ticket brings its own deadline, which acceptance keeps.
    sla_working_days=5,
    duplicate_window_hours=None,
    direct_reports=False,
    # Reply, close (return visit), reopen (重办) and bounce (退单) are the adapter's own steps.
    # No wait/resume: the centre's deadline does not pause here (an extension is the centre's
    # to grant, and comes back as a new deadline).
    generic_actions=frozenset({"accept", "assign", "take_over", "start"}),
)

DELIVERY_FAILED = NoticeKind(
    key="hotline.delivery_failed",
    name=_("Hotline reply or bounce not delivered"),
    default_channels=("in_app", "sms"),
)

CONTRIBUTIONS = [
    HOTLINE_TICKET,
    NoticeKind(
        key="hotline.rehandle", name=_("Hotline ticket to handle again"), default_channels=("in_app", "sms")
    ),
    NoticeKind(key="hotline.bounce", name=_("Hotline ticket bounce")),
    DELIVERY_FAILED,
]
