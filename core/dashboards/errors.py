"""The error codes of the dashboards: every code they raise is declared here, once."""

from core.api.errors import ErrorCode


class DashboardsError(ErrorCode):
    UNKNOWN_METRIC = "unknown_metric"
