"""The error codes of the register (core.registry): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class RegistryError(ErrorCode):
    ALREADY_MEMBER = "already_member"
    CONTACT_EXISTS = "contact_exists"
    DOCUMENT_NUMBER_TAKEN = "document_number_taken"
    HOUSEHOLD_NUMBER_TAKEN = "household_number_taken"
    IDENTITY_IN_QUERY = "identity_in_query"
    NATIONAL_CODE_INVALID = "national_code_invalid"
    NATIONAL_CODE_TAKEN = "national_code_taken"
    OTHER_HOUSEHOLD = "other_household"
    PLACE_NAME_NO_PROPOSAL = "place_name_no_proposal"
    PLACE_NAME_OWN_PROPOSAL = "place_name_own_proposal"
    PLACE_NAME_PROPOSAL_OPEN = "place_name_proposal_open"
    PLACE_NAME_TAKEN = "place_name_taken"
    PURPOSE_REQUIRED = "purpose_required"
    RESIDENT_DECEASED = "resident_deceased"
    RESIDENT_NOT_ACTIVE = "resident_not_active"
    STANDARD_NAME_REQUIRED = "standard_name_required"
    TAG_ENDED = "tag_ended"
    TAG_EXISTS = "tag_exists"
    TENANCY_CURRENT = "tenancy_current"
    TENANCY_ENDED = "tenancy_ended"
    TRANSFER_DECIDED = "transfer_decided"
    TRANSFER_OPEN = "transfer_open"
    UNIT_NAME_TAKEN = "unit_name_taken"
