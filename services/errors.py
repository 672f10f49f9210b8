"""The error codes of community services (services): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class ServicesError(ErrorCode):
    ALREADY_AT_STATION = "already_at_station"
    ACTIVITY_FULL = "activity_full"
    ALREADY_CHECKED_IN = "already_checked_in"
    ALREADY_CHECKED_OUT = "already_checked_out"
    ALREADY_SIGNED_UP = "already_signed_up"
    BALANCE_TOO_LOW = "balance_too_low"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_OVER = "booking_over"
    BOOKING_OVERLAP = "booking_overlap"
    MEAL_ALREADY_RECORDED = "meal_already_recorded"
    MINORS_HIDDEN = "minors_hidden"
    MONTH_STILL_OPEN = "month_still_open"
    NO_TIME_BANK = "no_time_bank"
    NOT_CHECKED_IN = "not_checked_in"
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    PLAN_OPEN = "plan_open"
    PROJECT_FULL = "project_full"
    RESUBSIDY_TOO_SOON = "resubsidy_too_soon"
    RULE_ENDED = "rule_ended"
    SETTLEMENT_CLOSED = "settlement_closed"
    STAGE_NOT_ALLOWED = "stage_not_allowed"
    VISIT_RATED = "visit_rated"
    VOLUNTEER_EXISTS = "volunteer_exists"
