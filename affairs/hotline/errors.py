"""The error codes of the 12345 hotline (affairs.hotline): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class HotlineError(ErrorCode):
    ALREADY_ROUTED = "already_routed"
    BAD_SIGNATURE = "bad_signature"
    BOUNCE_PENDING = "bounce_pending"
    HOTLINE_NOT_CONFIGURED = "hotline_not_configured"
    NO_PENDING_BOUNCE = "no_pending_bounce"
    NOT_BOUNCEABLE = "not_bounceable"
    NOT_IN_PROGRESS = "not_in_progress"
    NOT_REPLIED = "not_replied"
    TICKET_CONFLICT = "ticket_conflict"
    VISIT_CONFLICT = "visit_conflict"
