from core.api.errors import ErrorCode


class LowIncomeError(ErrorCode):
    BAD_RECORD = "low_income_bad_record"
    FLAG_CLOSED = "low_income_flag_closed"
