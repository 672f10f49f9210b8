"""What the register contributes through the extension contract: the built-in resident tag kinds.

Assigned tags are stored (ResidentTag) with source, dates and who assigned them; derived tags
(60+, 80+, minor) are computed from the birth date when filtering and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.extensions import RetentionRule, TagKind


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


# Retention (PIPL art. 19: kept no longer than the purpose needs; art. 47: deleted or anonymized
# when the period ends). A resident who moved out of the platform's area or died is kept for
# RESIDENT_KEEP_YEARS, the "定期10年" archive period of 《机关文件材料归档范围和文书档案保管期限规定》
# (国家档案局令第8号), so that the domains' archived decisions naming the person stay readable for
# theirs; then the record is anonymized (it is never deleted: households, applications and
# history point at it), and the person's contacts and tags are deleted.
RESIDENT_KEEP_YEARS = 10
ANONYMIZED_NAME = "（已匿名）"
RESIDENT_ANONYMIZED = {
    "name": ANONYMIZED_NAME,
    "name_initials": "",
    "name_pinyin": "",
    "document_type": "none",
    "document_number_encrypted": "",
    "document_number_index": "",
    "document_number_masked": "",
    "birth_date": None,
    "mobile_encrypted": "",
    "mobile_index": "",
    "mobile_masked": "",
    "landline_encrypted": "",
    "landline_masked": "",
    "registered_address": "",
    "note": "",
}
_RETENTION_BASIS = (
    "PIPL art. 19, 47; 10 years after leaving (定期10年, 国家档案局令第8号) so that archived "
    "decisions naming the person stay readable"
)


def _resident_rules(status: str, left_on: str) -> list[RetentionRule]:
    common = {"keep_years": RESIDENT_KEEP_YEARS, "rule": _RETENTION_BASIS}
    return [
        RetentionRule(
            key=f"registry.{status}_residents",
            model="registry.Resident",
            starts=left_on,
            where={"status": status},
            action="anonymize",
            anonymize=RESIDENT_ANONYMIZED,
            **common,
        ),
        RetentionRule(
            key=f"registry.{status}_residents_contacts",
            model="registry.Contact",
            starts=f"resident__{left_on}",
            where={"resident__status": status},
            **common,
        ),
        RetentionRule(
            key=f"registry.{status}_residents_tags",
            model="registry.ResidentTag",
            starts=f"resident__{left_on}",
            where={"resident__status": status},
            **common,
        ),
    ]


CONTRIBUTIONS += [*_resident_rules("moved_out", "moved_out_on"), *_resident_rules("deceased", "deceased_on")]
