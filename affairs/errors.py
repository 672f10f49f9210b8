"""The error codes of government affairs (affairs): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class AffairsError(ErrorCode):
    ALREADY_OPEN = "already_open"
    ALREADY_RETURNED = "already_returned"
    APPLICATION_CLOSED = "application_closed"
    BENEFIT_ENDED = "benefit_ended"
    BENEFIT_IN_FORCE = "benefit_in_force"
    ITEM_INACTIVE = "item_inactive"
    ITEMS_UNCONFIRMED = "items_unconfirmed"
    MATERIALS_MISSING = "materials_missing"
    NO_PROXY = "no_proxy"
    NO_STANDARD = "no_standard"
    NOT_ELIGIBLE = "not_eligible"
    NOT_IN_PUBLICITY = "not_in_publicity"
    NOT_ONLINE = "not_online"
    OBJECTION_OPEN = "objection_open"
    OBJECTION_PENDING = "objection_pending"
    OBJECTION_SETTLED = "objection_settled"
    OBJECTION_UPHELD = "objection_upheld"
    ONLINE_ONLY = "online_only"
    PUBLICITY_RUNNING = "publicity_running"
    SAME_PERSON = "same_person"
    STANDARD_ENDED = "standard_ended"
    STANDARD_EXISTS = "standard_exists"
    STEP_NOT_ALLOWED = "step_not_allowed"
    UNKNOWN_ACTION = "unknown_action"
