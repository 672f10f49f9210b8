"""The error codes of co-governance (governance): every code it raises is declared here, once."""

from core.api.errors import ErrorCode


class GovernanceError(ErrorCode):
    ALREADY_ANSWERED = "already_answered"
    ALREADY_VOTED = "already_voted"
    BUDGET_EXCEEDED = "budget_exceeded"
    CANDIDATE_CONDITION = "candidate_condition"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    COUNTS_DIFFER = "counts_differ"
    NOT_ASSIGNED = "not_assigned"
    NOT_IN_AUDIENCE = "not_in_audience"
    NOT_IN_ELECTORATE = "not_in_electorate"
    NOT_NEAR_RELATIVE = "not_near_relative"
    NOT_ON_ROLL = "not_on_roll"
    ON_ANOTHER_ROLL = "on_another_roll"
    OUT_OF_WINDOW = "out_of_window"
    PROXY_OVER_CAP = "proxy_over_cap"
    TALLY_SEALED = "tally_sealed"
    UNKNOWN_SOURCE = "unknown_source"
    VOTE_CLOSED = "vote_closed"
    WRONG_STAGE = "wrong_stage"
