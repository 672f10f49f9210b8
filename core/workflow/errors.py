"""The error codes of the event engine (core.workflow): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class WorkflowError(ErrorCode):
    ALREADY_RATED = "already_rated"
    EVENT_CLOSED = "event_closed"
    INVALID_ATTACHMENT = "invalid_attachment"
    LOCATION_REQUIRED = "location_required"
    NOT_CLOSED = "not_closed"
    NOT_REPORTABLE = "not_reportable"
    OWN_PROCESS = "own_process"
    SHIFT_OVER = "shift_over"
    SHIFT_OVERLAPS = "shift_overlaps"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    UNKNOWN_ACTION = "unknown_action"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
