from core.api.errors import ErrorCode


class ElderlyAloneError(ErrorCode):
    CASE_CLOSED = "elderly_alone_case_closed"
