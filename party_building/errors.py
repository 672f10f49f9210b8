"""The error codes of party building (party_building): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class PartyBuildingError(ErrorCode):
    ALREADY_IN_ORGANIZATION = "already_in_organization"
    ALREADY_MEMBER = "already_member"
    ALREADY_VOTED = "already_voted"
    BEFORE_FOUNDED = "before_founded"
    DUES_AMOUNT_EXISTS = "dues_amount_exists"
    DUES_BEFORE_JOINING = "dues_before_joining"
    DUES_MONTH_PAID = "dues_month_paid"
    DUES_NOT_ASSESSED = "dues_not_assessed"
    DUES_TOO_FAR_AHEAD = "dues_too_far_ahead"
    ELECTION_CLOSED = "election_closed"
    FREQUENCY_EXISTS = "frequency_exists"
    FREQUENCY_ENDED = "frequency_ended"
    LETTER_NUMBER_REQUIRED = "letter_number_required"
    LETTER_NUMBER_USED = "letter_number_used"
    MEETING_HELD = "meeting_held"
    NOT_A_CANDIDATE = "not_a_candidate"
    NOT_A_MEMBER = "not_a_member"
    NOT_FULL_MEMBER = "not_full_member"
    NOT_PROBATIONARY = "not_probationary"
    PERSON_REQUIRED = "person_required"
    POST_ENDED = "post_ended"
    PROBATION_NOT_OVER = "probation_not_over"
    REPORTED_THIS_YEAR = "reported_this_year"
    TOO_MANY_CHOSEN = "too_many_chosen"
    TRANSFERRED_OUT = "transferred_out"
    WRONG_LEVEL = "wrong_level"
