"""What the register contributes through the extension contract: the built-in resident tag kinds.

Assigned tags are stored (ResidentTag) with source, dates and who assigned them; derived tags
(60+, 80+, minor) are computed from the birth date when filtering and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import Permission, TagKind


@dataclass(frozen=True)
class AgeTagKind(TagKind):
    """A tag derived from the birth date: age in [min_age, max_age) on the day asked."""

    derived: bool = True
    min_age: int | None = None
    max_age: int | None = None


DISABILITY_CATEGORIES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")
DISABILITY_GRADES = (1, 2, 3, 4)
# Below this age a resident is a minor: the derived tag, the masked name, the contact rule.
ADULT_AGE = 18
# From this age a resident living alone should have an emergency contact (and is tagged 60+).
ELDERLY_AGE = 60

CONTRIBUTIONS = [
    TagKind(key="living_alone", name=_("Living alone"), category="care"),
    # attributes: {"category": one of DISABILITY_CATEGORIES, "grade": 1-4}
    TagKind(key="disability", name=_("Disability"), category="care"),
    TagKind(key="dibao", name=_("Minimum living allowance (低保)"), category="assistance"),
    TagKind(key="tekun", name=_("Extreme poverty support (特困)"), category="assistance"),
    TagKind(key="low_income", name=_("Low income"), category="assistance"),
    TagKind(key="party_member", name=_("Party member"), category="political"),
    TagKind(key="veteran", name=_("Veteran"), category="political"),
    TagKind(key="minor_in_difficulty", name=_("Minor in difficulty"), category="minors"),
    TagKind(key="orphan", name=_("Orphan"), category="minors"),
    TagKind(key="unattended_child", name=_("De-facto unattended child"), category="minors"),
    TagKind(key="key_care", name=_("Key care"), category="care"),
    AgeTagKind(key="age_60_plus", name=_("Aged 60 or over"), category="age", min_age=ELDERLY_AGE),
    AgeTagKind(key="age_80_plus", name=_("Aged 80 or over"), category="age", min_age=80),
    AgeTagKind(key="minor", name=_("Minor"), category="age", max_age=ADULT_AGE),
]

# What roles may do with the register, within their subtree (core.accounts declares the roles).
_R, _G, _CW, _CS, _ST, _DI = (
    Role.RESIDENT,
    Role.GRID_WORKER,
    Role.COMMUNITY_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_STAFF,
    Role.DISTRICT_STAFF,
)
CONTRIBUTIONS += [
    Permission(key="registry.view", label=_("View the register"), roles=(_G, _CW, _CS, _ST, _DI)),
    Permission(key="registry.view_own", label=_("View one's own record"), roles=(_R,)),
    Permission(key="registry.change", label=_("Change the register"), roles=(_G, _CW, _CS)),
    Permission(key="registry.import", label=_("Import into the register"), roles=(_G, _CW, _CS)),
    Permission(key="registry.export", label=_("Export the register"), roles=(_G, _CW, _CS, _ST, _DI)),
    Permission(
        key="registry.reveal", label=_("Reveal full ID and phone numbers, with a purpose"), roles=(_CW, _CS)
    ),
    Permission(
        key="registry.transfer", label=_("Move households between communities"), roles=(_CW, _CS, _ST)
    ),
]
