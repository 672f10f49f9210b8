"""The register every domain reads: places, housing, households and residents (社区管理).

Everything that belongs to a place carries `region_path`, the path of its node in the region tree
(a grid for houses and residents, a community for compounds and buildings), so that scope and
"everything under this street" are one indexed prefix filter. Writes go through services.py.
"""

from core.registry.models.housing import Building, Compound, House, PlaceName, PlaceNameAlias, Unit
from core.registry.models.people import Household, HouseholdQuerySet, Resident, ResidentQuerySet
from core.registry.models.relations import (
    Contact,
    ContactQuerySet,
    MembershipChange,
    ResidentTag,
    TagQuerySet,
    Tenancy,
    TenancyQuerySet,
    Transfer,
    TransferQuerySet,
)

__all__ = [
    "Building",
    "Compound",
    "Contact",
    "ContactQuerySet",
    "House",
    "Household",
    "HouseholdQuerySet",
    "MembershipChange",
    "PlaceName",
    "PlaceNameAlias",
    "Resident",
    "ResidentQuerySet",
    "ResidentTag",
    "TagQuerySet",
    "Tenancy",
    "TenancyQuerySet",
    "Transfer",
    "TransferQuerySet",
    "Unit",
]
