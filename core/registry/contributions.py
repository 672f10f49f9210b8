"""What the register contributes through the extension contract: the built-in resident tag kinds.

Assigned tags are stored (ResidentTag) with source, dates and who assigned them; derived tags
(60+, 80+, minor) are computed from the birth date when filtering and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.extensions import TagKind


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
    TagKind(key="registry.living_alone", name=_("Living alone"), category="care"),
    # attributes: {"category": one of DISABILITY_CATEGORIES, "grade": 1-4}
    TagKind(key="registry.disability", name=_("Disability"), category="care"),
    TagKind(key="registry.dibao", name=_("Minimum living allowance (低保)"), category="assistance"),
    TagKind(key="registry.tekun", name=_("Extreme poverty support (特困)"), category="assistance"),
    TagKind(key="registry.low_income", name=_("Low income"), category="assistance"),
    TagKind(key="registry.party_member", name=_("Party member"), category="political"),
    TagKind(key="registry.veteran", name=_("Veteran"), category="political"),
    TagKind(key="registry.minor_in_difficulty", name=_("Minor in difficulty"), category="minors"),
    TagKind(key="registry.orphan", name=_("Orphan"), category="minors"),
    TagKind(key="registry.unattended_child", name=_("De-facto unattended child"), category="minors"),
    TagKind(key="registry.key_care", name=_("Key care"), category="care"),
    AgeTagKind(key="registry.age_60_plus", name=_("Aged 60 or over"), category="age", min_age=ELDERLY_AGE),
    AgeTagKind(key="registry.age_80_plus", name=_("Aged 80 or over"), category="age", min_age=80),
    AgeTagKind(key="registry.minor", name=_("Minor"), category="age", max_age=ADULT_AGE),
]
