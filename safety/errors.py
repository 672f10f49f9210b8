"""The error codes of community safety (safety): every code it raises is declared here, once."""

from core.api.errors import ErrorCode


class SafetyError(ErrorCode):
    BAD_SIGNATURE = "bad_signature"
    MALFORMED_READINGS = "malformed_readings"
    DEVICE_RETIRED = "device_retired"
    SAME_HOUSE = "same_house"
    SERIAL_TAKEN = "serial_taken"
    ITEM_EXISTS = "item_exists"
    ITEM_ENDED = "item_ended"
    UNKNOWN_ITEM = "unknown_item"
    FINDING_CLOSED = "finding_closed"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    ALREADY_LISTED = "already_listed"
    RECORD_ENDED = "record_ended"
    ROUTE_ENDED = "route_ended"
    SHIFT_COMPLETED = "shift_completed"
    NOT_EXTREME_WEATHER = "not_extreme_weather"
