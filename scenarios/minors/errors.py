from core.api.errors import ErrorCode


class MinorsError(ErrorCode):
    NOT_A_MINOR = "minors_not_a_minor"
    TAKEN = "minors_report_taken"
