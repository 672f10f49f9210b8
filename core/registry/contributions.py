"""What the register contributes through the extension contract: the built-in resident tag kinds.

Assigned tags are stored (ResidentTag) with source, dates and who assigned them; derived tags
(60+, 80+, minor) are computed from the birth date when filtering and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import AuditAction, DashboardMetric, Permission, RetentionRule, TagKind


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
    # Approving a place name as standard is a second person's act (services_place_names).
    Permission(
        key="registry.approve_place_names",
        label=_("Approve standard place names proposed by another worker"),
        roles=(_CS, _ST, _DI),
    ),
    Permission(
        key="registry.transfer", label=_("Move households between communities"), roles=(_CW, _CS, _ST)
    ),
]
AUDIT_ACTIONS = {
    "place_name.create": _("Place name created"),
    "place_name.update": _("Place name changed"),
    "place_name.propose": _("Standard place name proposed"),
    "place_name.approve": _("Standard place name approved"),
    "place_name.reject": _("Standard place name proposal rejected"),
    "place_name.add_alias": _("Former name or alias of a place recorded"),
    "compound.create": _("Compound created"),
    "compound.update": _("Compound changed"),
    "building.create": _("Building created"),
    "building.update": _("Building changed"),
    "unit.create": _("Unit created"),
    "house.create": _("House created"),
    "house.update": _("House changed"),
    "household.create": _("Household created"),
    "household.update": _("Household changed"),
    "household.add_member": _("Member added to a household"),
    "household.remove_member": _("Member removed from a household"),
    "household.set_householder": _("Householder changed"),
    "transfer.request": _("Household transfer requested"),
    "transfer.complete": _("Household transfer completed"),
    "transfer.reject": _("Household transfer refused"),
    "resident.create": _("Resident registered"),
    "resident.update": _("Resident record changed"),
    "resident.move_in": _("Resident moved in"),
    "resident.move_out": _("Resident moved out"),
    "resident.death": _("Resident's death recorded"),
    "resident.reveal": _("Resident's personal data revealed"),
    "resident.export_unmasked": _("Residents exported unmasked"),
    "contact.add": _("Emergency contact added"),
    "contact.update": _("Emergency contact changed"),
    "contact.remove": _("Emergency contact removed"),
    "contact.reveal": _("Emergency contact's phone revealed"),
    "tag.assign": _("Tag assigned"),
    "tag.end": _("Tag ended"),
    "tenancy.start": _("Tenancy started"),
    "tenancy.end": _("Tenancy ended"),
    # Imports into the register (core.imports does the work; the register owns the data).
    "import": _("Import into the register"),
    "import.report": _("Import report downloaded"),
}
CONTRIBUTIONS += [AuditAction(key=f"registry.{code}", name=name) for code, name in AUDIT_ACTIONS.items()]

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

# What the dashboards show of the register (core/dashboards; values from core.registry.metrics).
# Age bands of the population: (key, label, from age, below age); the 60+, 80+ and minor tags
# are their borders.
AGE_BANDS = (
    ("0_17", _("Aged 0–17"), 0, ADULT_AGE),
    ("18_59", _("Aged 18–59"), ADULT_AGE, ELDERLY_AGE),
    ("60_79", _("Aged 60–79"), ELDERLY_AGE, 80),
    ("80_plus", _("Aged 80 or over"), 80, None),
)
UNKNOWN_AGE = "unknown"
AGE_PARTS = (*((key, label) for key, label, _low, _high in AGE_BANDS), (UNKNOWN_AGE, _("Age unknown")))
_PEOPLE = _("people")
CONTRIBUTIONS += [
    DashboardMetric(
        key="registry.population",
        name=_("Population"),
        name_en="Population",
        unit=_PEOPLE,
        counts_people=True,
        per_node="core.registry.metrics.population",
        sources=("registry.Resident",),
        parts=AGE_PARTS,
        changes_with_time=True,
    ),
    DashboardMetric(
        key="registry.population_by_tag",
        name=_("Residents with a tag"),
        name_en="Residents with a tag",
        unit=_PEOPLE,
        counts_people=True,
        per_node="core.registry.metrics.population_by_tag",
        sources=("registry.Resident", "registry.ResidentTag:resident.region_path"),
        changes_with_time=True,
    ),
    DashboardMetric(
        key="registry.households",
        name=_("Households"),
        name_en="Households",
        unit=_("households"),
        per_node="core.registry.metrics.households",
        sources=("registry.Household",),
    ),
    DashboardMetric(
        key="registry.houses",
        name=_("Houses"),
        name_en="Houses",
        unit=_("houses (unit)"),
        per_node="core.registry.metrics.houses",
        sources=("registry.House",),
        parts=(
            ("residential", _("Residential")),
            ("commercial", _("Commercial")),
            ("mixed", _("Mixed")),
            ("other", _("Other")),
        ),
    ),
    DashboardMetric(
        key="registry.separated",
        name=_("Living here, registered elsewhere (人户分离)"),
        name_en="Living apart from their household registration",
        unit=_PEOPLE,
        counts_people=True,
        per_node="core.registry.metrics.separated",
        sources=("registry.Resident",),
        parts=(("permanent", _("Permanent (常住)")), ("floating", _("Floating (流动)"))),
    ),
]
