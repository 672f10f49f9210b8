from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import AuditAction, EventType, NoticeKind, Permission, PublicRoute

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

# A ticket's own steps, audited under its event type (core.workflow.services.event_step) or, for
# a ticket without an event, by the adapter; rows written before keys carried their app's label
# have the older codes in `formerly`.
TICKET_STEPS = {
    "reply": (_("Hotline ticket answered"), ("workflow.event.reply",)),
    "reopen": (_("Hotline ticket to handle again"), ()),
    "close": (_("Hotline ticket closed after the return visit"), ()),
    "bounce_request": (_("Bounce of a hotline ticket requested"), ("workflow.event.bounce_request",)),
    "bounce": (_("Hotline ticket bounced"), ("workflow.event.bounce",)),
    "bounce_refused": (
        _("Bounce of a hotline ticket refused"),
        ("workflow.event.bounce_refused", "hotline.bounce.refused"),
    ),
    "superseded": (_("Hotline ticket superseded by a new import"), ("workflow.event.superseded",)),
}
AUDIT_ACTIONS = [
    *(
        AuditAction(key=f"{HOTLINE_TICKET.key}.{step}", name=name, formerly=formerly)
        for step, (name, formerly) in TICKET_STEPS.items()
    ),
    AuditAction(key="hotline.ticket.receive", name=_("Hotline ticket received")),
    AuditAction(key="hotline.ticket.route", name=_("Hotline ticket routed to a community")),
    AuditAction(key="hotline.ticket.import", name=_("Hotline tickets imported")),
    AuditAction(key="hotline.ticket.replace_import", name=_("Imported hotline ticket replaced")),
    AuditAction(key="hotline.bounce.request", name=_("Bounce requested from the hotline centre")),
    AuditAction(key="hotline.bounce.approve", name=_("Bounce approved")),
]

CONTRIBUTIONS = [
    *AUDIT_ACTIONS,
    HOTLINE_TICKET,
    NoticeKind(
        key="hotline.rehandle", name=_("Hotline ticket to handle again"), default_channels=("in_app", "sms")
    ),
    NoticeKind(key="hotline.bounce", name=_("Hotline ticket bounce")),
    DELIVERY_FAILED,
]

# The 12345 adapter: routing tickets whose address did not resolve, importing a batch, approving
# a 退单 (bounce back to the hotline centre).
_OFFICES = (Role.STREET_STAFF, Role.DISTRICT_STAFF)
CONTRIBUTIONS += [
    Permission(
        key="hotline.view",
        label=_("View hotline tickets"),
        roles=(Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY, *_OFFICES),
    ),
    Permission(key="hotline.route", label=_("Route hotline tickets"), roles=_OFFICES),
    Permission(key="hotline.import", label=_("Import hotline tickets"), roles=_OFFICES),
    Permission(
        key="hotline.approve_bounce",
        label=_("Approve a hotline ticket's bounce"),
        roles=(Role.COMMUNITY_SECRETARY, *_OFFICES),
    ),
    # The hotline centre: no account, each request carries an HMAC signature over its body and a
    # timestamp (HOTLINE_SECRET), checked before anything is read.
    PublicRoute(key="hotline.push", url_name="hotline-push", methods=frozenset({"POST"})),
    PublicRoute(key="hotline.return_visits", url_name="hotline-return-visits", methods=frozenset({"POST"})),
]
