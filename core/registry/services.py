"""The register's writes (HackSoft services: keyword-only, validate then write atomically, audited).

Split by subject; import from here.
"""

from core.registry.services_contacts import contact_add, contact_remove, contact_update
from core.registry.services_households import (
    household_add_member,
    household_create,
    household_remove_member,
    household_set_householder,
    household_update,
    transfer_complete,
    transfer_reject,
    transfer_request,
)
from core.registry.services_housing import (
    building_create,
    building_update,
    compound_create,
    compound_update,
    house_create,
    house_update,
    unit_create,
)
from core.registry.services_place_names import (
    place_name_add_alias,
    place_name_approve,
    place_name_check,
    place_name_create,
    place_name_reject,
    place_name_update,
)
from core.registry.services_residents import (
    resident_check,
    resident_create,
    resident_move_in,
    resident_move_out,
    resident_record_death,
    resident_update,
)
from core.registry.services_reveal import contact_reveal, resident_reveal
from core.registry.services_tags import tag_assign, tag_end
from core.registry.services_tenancies import tenancy_end, tenancy_start

__all__ = [
    "building_create",
    "building_update",
    "compound_create",
    "compound_update",
    "contact_add",
    "contact_remove",
    "contact_reveal",
    "contact_update",
    "house_create",
    "house_update",
    "household_add_member",
    "household_create",
    "household_remove_member",
    "household_set_householder",
    "household_update",
    "place_name_add_alias",
    "place_name_approve",
    "place_name_check",
    "place_name_create",
    "place_name_reject",
    "place_name_update",
    "resident_check",
    "resident_create",
    "resident_move_in",
    "resident_move_out",
    "resident_record_death",
    "resident_reveal",
    "resident_update",
    "tag_assign",
    "tag_end",
    "tenancy_end",
    "tenancy_start",
    "transfer_complete",
    "transfer_reject",
    "transfer_request",
    "unit_create",
]
