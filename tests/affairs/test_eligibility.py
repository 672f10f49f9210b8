"""Eligibility of the built-in items, each against the standard in force on the application date."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from affairs.eligibility import clean_details, evaluate, standard_for
from affairs.models import ServiceItem
from affairs.selectors import standards_in_force
from core.api.errors import ApplicationError, Conflict
from core.registry.services_tags import tag_assign
from tests.affairs.factories import application, person, standard

D2021, D2024 = date(2021, 6, 1), date(2024, 6, 1)


def household_app(world, code="dibao", *, incomes=(0, 0, 0), flags=None, on=D2021, **fields):
    flags = flags or {}
    people = [world.applicant, world.spouse, world.child]
    members = [
        (p, income, flags.get(i, {})) for i, (p, income) in enumerate(zip(people, incomes, strict=False))
    ]
    return application(world.household, code, applied_on=on, members=members, **fields)


def reasons(found) -> str:
    return " | ".join(found["reasons"])


# --- the standard in force on the application date ---------------------------------------------


def test_a_2021_application_uses_742_and_a_2024_one_the_districts_new_standard(world):
    standard("dibao", 900, since=date(2024, 1, 1), region=world.district)
    old = evaluate(household_app(world, incomes=(300, 0, 0), on=D2021))
    new = evaluate(household_app(world, incomes=(300, 0, 0), on=D2024, vehicles=0))
    assert old["standard"]["amount"] == "742.00" and old["standard"]["region"] is None
    assert old["monthly_amount"] == "1926.00"  # (742 − 100) × 3
    assert new["standard"]["amount"] == "900.00" and new["standard"]["region"] == world.district.pk
    assert new["standard"]["effective_from"] == "2024-01-01"
    assert new["monthly_amount"] == "2400.00"  # (900 − 100) × 3


def test_a_districts_standard_beats_a_newer_default_and_urban_beats_any(world):
    district = world.district
    standard("dibao", 1000, since=date(2024, 1, 1))  # a newer platform default
    standard("dibao", 800, since=date(2023, 1, 1), region=district)
    standard("dibao", 850, since=date(2023, 1, 1), region=district, area="urban")
    path = world.household.region_path
    assert standard_for("dibao", region_path=path, area="urban", on=D2024).amount == Decimal("850")
    assert standard_for("dibao", region_path=path, area="rural", on=D2024).amount == Decimal("800")
    # Elsewhere (another district) the newest default applies.
    assert standard_for("dibao", region_path="/999/998/", area="urban", on=D2024).amount == Decimal("1000")
    listed = {(s.kind, s.area): s.amount for s in standards_in_force(world.grid_a1, D2024)}
    assert listed[("dibao", "urban")] == Decimal("850") and listed[("dibao", "any")] == Decimal("800")


def test_a_newer_standard_for_both_areas_replaces_an_older_urban_one(world):
    # A district unifies its urban and rural standards in 2024: the unified one applies.
    district = world.district
    standard("dibao", 800, since=date(2021, 1, 1), region=district, area="urban")
    standard("dibao", 900, since=date(2024, 1, 1), region=district)
    path = world.household.region_path
    assert standard_for("dibao", region_path=path, area="urban", on=D2024).amount == Decimal("900")
    assert standard_for("dibao", region_path=path, area="urban", on=D2021).amount == Decimal("800")


def test_per_capita_income_is_compared_unrounded_and_the_amount_rounded_once(world):
    # 2225.99 / 3 = 741.9967, below 742: eligible for (742 − 741.9967) × 3 = 0.01.
    found = evaluate(household_app(world, incomes=(Decimal("1000"), Decimal("1225.99"), 0)))
    assert found["eligible"] is True and found["monthly_amount"] == "0.01"
    # 1000 / 3 = 333.33…: (742 − 333.33…) × 3 = 1226.00, not 3 × 408.67.
    found = evaluate(household_app(world, incomes=(1000, 0, 0)))
    assert found["monthly_amount"] == "1226.00"
    assert sum(Decimal(v) for v in found["shares"].values()) == Decimal("1226.00")


def test_a_standard_that_ended_gives_way_and_none_before_2021_is_a_conflict(world):
    standard("dibao", 800, since=date(2022, 1, 1), until=date(2022, 12, 31), region=world.district)
    path = world.household.region_path
    assert standard_for("dibao", region_path=path, area="urban", on=date(2022, 12, 31)).amount == 800
    assert standard_for("dibao", region_path=path, area="urban", on=date(2023, 1, 1)).amount == 742
    with pytest.raises(Conflict) as error:
        evaluate(household_app(world, on=date(2020, 12, 31)))
    assert error.value.code == "no_standard"


# --- 低保 --------------------------------------------------------------------------------------------


def test_dibao_income_exactly_at_the_standard_is_not_below_it(world):
    with translation.override("en"):
        found = evaluate(household_app(world, incomes=(1000, 1226, 0)))  # 2226 / 3 = 742.00
    assert found["per_capita_income"] == "742.00"
    assert found["eligible"] is False and found["monthly_amount"] is None
    assert "is not below the standard 742.00" in reasons(found)


def test_dibao_one_cent_below_the_standard_is_eligible_for_the_difference(world):
    found = evaluate(household_app(world, incomes=(1000, "1225.97", 0)))
    assert found["per_capita_income"] == "741.99"
    assert found["eligible"] is True and found["monthly_amount"] == "0.03"


def test_dibao_amount_counts_covered_members_only(world):
    app = household_app(world, incomes=(600, 300, 0), flags={2: {"covered": False}})
    found = evaluate(app)
    assert found["per_capita_income"] == "300.00"
    assert found["monthly_amount"] == "884.00"  # (742 − 300) × 2 covered
    assert found["covered"] == [world.applicant.pk, world.spouse.pk]
    assert found["shares"] == {str(world.applicant.pk): "442.00", str(world.spouse.pk): "442.00"}


def test_dibao_assets_exactly_at_the_limit_pass_one_cent_more_fails(world):
    limit = Decimal(24 * 742 * 3)  # 24 months of the standard per member
    assert evaluate(household_app(world, financial_assets=limit))["eligible"] is True
    with translation.override("en"):
        found = evaluate(household_app(world, financial_assets=limit + Decimal("0.01"), on=date(2021, 7, 1)))
    assert found["eligible"] is False
    assert "Financial assets per member exceed 17808.00 yuan" in reasons(found)


@pytest.mark.parametrize("field", ["vehicles", "extra_houses"])
def test_dibao_refuses_a_vehicle_or_a_second_house(world, field):
    assert evaluate(household_app(world, **{field: 1}))["eligible"] is False


def test_seriously_ill_members_of_a_low_income_family_count_as_single_person_households(world):
    # 2700 / 3 = 900: above 742, below the low-income line 1.5 × 742 = 1113.
    app = household_app(
        world,
        incomes=(2400, 0, 300),
        flags={1: {"seriously_ill": True}, 2: {"severely_disabled": True}},
    )
    with translation.override("en"):
        found = evaluate(app)
    assert found["eligible"] is True
    assert found["singles"] == found["covered"] == [world.spouse.pk, world.child.pk]
    assert found["shares"] == {str(world.spouse.pk): "742.00", str(world.child.pk): "442.00"}
    assert found["monthly_amount"] == "1184.00"
    assert "single-person households" in reasons(found)


def test_no_single_person_households_at_or_above_the_low_income_line(world):
    app = household_app(world, incomes=(3339, 0, 0), flags={1: {"seriously_ill": True}})  # 1113.00
    found = evaluate(app)
    assert found["eligible"] is False and found["singles"] == []


def test_a_single_whose_own_income_reaches_the_standard_is_not_counted(world):
    app = household_app(world, incomes=(1958, 742, 0), flags={1: {"seriously_ill": True}})
    assert evaluate(app)["eligible"] is False


# --- 特困 -----------------------------------------------------------------------------------------


def tekun_app(world, birth: date, *, able: bool, income=0, details=None):
    someone = person(world.household, "赵一", birth)
    return application(
        world.household,
        "tekun",
        applied_on=D2024,
        members=[(someone, income, {"able_to_work": able})],
        details={"has_supporter": False} if details is None else details,
    )


def test_tekun_supports_minors_up_to_18(world):
    seventeen = evaluate(tekun_app(world, date(2006, 6, 2), able=True))  # 18 only tomorrow
    assert seventeen["eligible"] is True and seventeen["monthly_amount"] == "965.00"
    assert evaluate(tekun_app(world, date(2006, 6, 1), able=True))["eligible"] is False  # 18 today
    assert evaluate(tekun_app(world, date(2006, 6, 1), able=False))["eligible"] is True


def test_tekun_at_60_or_over_even_if_able_but_never_with_an_income(world):
    assert evaluate(tekun_app(world, date(1964, 6, 1), able=True))["eligible"] is True
    assert evaluate(tekun_app(world, date(1990, 1, 1), able=True))["eligible"] is False
    with translation.override("en"):
        found = evaluate(tekun_app(world, date(1990, 1, 1), able=False, income=1))
    assert found["eligible"] is False and "has an income" in reasons(found)


def test_tekun_refuses_an_able_supporter(world):
    able = {"has_supporter": True, "supporter_able": True}
    unable = {"has_supporter": True, "supporter_able": False}
    assert evaluate(tekun_app(world, date(1950, 1, 1), able=False, details=able))["eligible"] is False
    assert evaluate(tekun_app(world, date(1950, 1, 1), able=False, details=unable))["eligible"] is True


# --- 临时救助 ------------------------------------------------------------------------------------


def test_temporary_pays_what_was_asked_at_most_six_months_of_the_dibao_standard(world):
    asked = {"requested_amount": "5000.00", "hardship": "illness"}
    found = evaluate(household_app(world, "temporary", incomes=(1000, 1000, 0), details=asked))
    assert found["eligible"] is True and found["monthly_amount"] is None
    assert found["one_off_amount"] == "4452.00"  # 6 × 742
    small = {"requested_amount": "3000.00", "hardship": "accident"}
    found = evaluate(household_app(world, "temporary", incomes=(1000, 1000, 0), details=small, on=D2024))
    assert found["one_off_amount"] == "3000.00"


def test_temporary_needs_a_per_capita_income_below_the_low_income_line(world):
    asked = {"requested_amount": "100", "hardship": "other"}
    found = evaluate(household_app(world, "temporary", incomes=(3339, 0, 0), details=asked))  # 1113.00
    assert found["eligible"] is False and found["one_off_amount"] is None


# --- disability subsidies ---------------------------------------------------------------------------


def disability_tag(world, resident, grade: int):
    tag_assign(
        actor=None,
        resident=resident,
        tag="registry.disability",
        attributes={"category": "physical", "grade": grade},
        started_on=date(2020, 1, 1),
    )


def test_disability_living_for_a_disabled_person_of_a_dibao_household(world):
    disability_tag(world, world.spouse, 3)
    tag_assign(actor=None, resident=world.applicant, tag="registry.dibao", started_on=date(2020, 1, 1))
    app = household_app(
        world, "disability_living", incomes=(5000, 0, 0), details={"resident": world.spouse.pk}
    )
    found = evaluate(app)
    assert found["eligible"] is True and found["monthly_amount"] == "80.00"
    assert found["covered"] == [world.spouse.pk]


def test_disability_living_by_declared_grade_and_low_income_or_not_at_all(world):
    details = {"resident": world.spouse.pk, "disability_grade": 4}
    assert evaluate(household_app(world, "disability_living", incomes=(3338, 0, 0), details=details))[
        "eligible"
    ]
    assert not evaluate(household_app(world, "disability_living", incomes=(3339, 0, 0), details=details))[
        "eligible"
    ]
    no_disability = {"resident": world.spouse.pk}
    assert not evaluate(household_app(world, "disability_living", details=no_disability))["eligible"]


def test_disability_care_for_grades_1_and_2(world):
    assert evaluate(household_app(world, "disability_care", details={"disability_grade": 2}))["eligible"]
    assert not evaluate(household_app(world, "disability_care", details={"disability_grade": 3}))["eligible"]
    disability_tag(world, world.spouse, 1)
    found = evaluate(household_app(world, "disability_care", details={"resident": world.spouse.pk}))
    assert found["eligible"] and found["covered"] == [world.spouse.pk]


# --- 高龄津贴 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "amount"),
    [
        (date(1944, 6, 2), None),  # 79, 80 tomorrow
        (date(1944, 6, 1), "50.00"),  # 80 today
        (date(1934, 6, 1), "100.00"),
        (date(1924, 6, 1), "300.00"),
    ],
)
def test_longevity_allowance_from_the_highest_band_reached(world, birth, amount):
    elder = person(world.household, "钱老", birth)
    app = application(
        world.household, "longevity", applied_on=D2024, members=[(elder, 0)], details={"resident": elder.pk}
    )
    found = evaluate(app)
    assert found["eligible"] is (amount is not None)
    assert found["monthly_amount"] == amount


def test_longevity_without_a_birth_date_is_not_eligible(world):
    elder = person(world.household, "孙老", None)
    found = evaluate(
        application(world.household, "longevity", applied_on=D2024, members=[(elder, 0)], applicant=elder)
    )
    assert found["eligible"] is False


# --- 孤儿 and 事实无人抚养儿童 ---------------------------------------------------------------------------


def child_app(world, code, birth, father, mother):
    child = person(world.household, "周小", birth)
    details = {"child": child.pk, "father_status": father, "mother_status": mother}
    return application(world.household, code, applied_on=D2024, members=[(child, 0)], details=details)


def test_orphan_needs_both_parents_deceased_or_missing_and_a_child_under_18(world):
    assert (
        evaluate(child_app(world, "orphan", date(2006, 6, 2), "deceased", "missing"))["monthly_amount"]
        == "1100.00"
    )
    assert not evaluate(child_app(world, "orphan", date(2006, 6, 1), "deceased", "deceased"))["eligible"]
    assert not evaluate(child_app(world, "orphan", date(2015, 1, 1), "deceased", "able"))["eligible"]


def test_unattended_child_when_neither_parent_can_raise_them_but_not_an_orphan(world):
    assert evaluate(child_app(world, "unattended_child", date(2015, 1, 1), "imprisoned", "missing"))[
        "eligible"
    ]
    assert not evaluate(child_app(world, "unattended_child", date(2015, 1, 1), "deceased", "missing"))[
        "eligible"
    ]
    assert not evaluate(child_app(world, "unattended_child", date(2015, 1, 1), "seriously_ill", "able"))[
        "eligible"
    ]


def test_an_item_without_a_check_is_eligible_without_a_standard(world):
    ServiceItem.objects.create(code="certificate", name="证明", category="certificate")
    found = evaluate(household_app(world, "certificate"))
    assert found["eligible"] is True and found["standard"] is None
    assert found == json.loads(json.dumps(found))


# --- declared details -------------------------------------------------------------------------------


def item(code):
    return ServiceItem.objects.get(code=code)


def fields_of(error) -> set[str]:
    return set(error.value.fields)


def test_details_are_cleaned_per_item(db):
    assert clean_details(item("temporary"), {"requested_amount": 1000000, "hardship": "disaster"}) == {
        "requested_amount": "1000000.00",
        "hardship": "disaster",
    }
    assert clean_details(item("tekun"), {"has_supporter": False}) == {"has_supporter": False}
    assert clean_details(item("longevity"), {}) == {}
    assert clean_details(item("disability_care"), {"disability_grade": 1, "disability_category": "visual"})


@pytest.mark.parametrize(
    ("code", "details", "field"),
    [
        ("temporary", {"requested_amount": "0", "hardship": "illness"}, "details.requested_amount"),
        ("temporary", {"requested_amount": "1000000.01", "hardship": "illness"}, "details.requested_amount"),
        ("temporary", {"requested_amount": "12.345", "hardship": "illness"}, "details.requested_amount"),
        ("temporary", {"requested_amount": "100", "hardship": "gambling"}, "details.hardship"),
        ("temporary", {"requested_amount": "100"}, "details.hardship"),
        ("tekun", {}, "details.has_supporter"),
        ("tekun", {"has_supporter": "no"}, "details.has_supporter"),
        ("tekun", {"has_supporter": True}, "details.supporter_able"),
        ("disability_living", {"disability_grade": 5}, "details.disability_grade"),
        ("disability_living", {"disability_grade": True}, "details.disability_grade"),
        ("disability_care", {"disability_category": "unknown"}, "details.disability_category"),
        ("disability_care", {"resident": "12"}, "details.resident"),
        (
            "orphan",
            {"child": 3, "father_status": "deceased", "mother_status": "gone"},
            "details.mother_status",
        ),
        ("unattended_child", {"father_status": "able", "mother_status": "able"}, "details.child"),
        ("dibao", {"requested_amount": "1"}, "details.requested_amount"),
        ("longevity", {"age": 80}, "details.age"),
    ],
)
def test_details_are_refused_naming_the_field(db, code, details, field):
    with pytest.raises(ApplicationError) as error:
        clean_details(item(code), details)
    assert field in fields_of(error) and error.value.status_code == 400


def test_every_problem_is_named_at_once_and_items_without_a_check_take_nothing(db):
    with pytest.raises(ApplicationError) as error:
        clean_details(item("orphan"), {"extra": 1})
    assert fields_of(error) == {
        "details.extra",
        "details.child",
        "details.father_status",
        "details.mother_status",
    }
    plain = ServiceItem.objects.create(code="certificate", name="证明", category="certificate")
    assert clean_details(plain, {}) == {}
    with pytest.raises(ApplicationError):
        clean_details(plain, {"anything": 1})
    with pytest.raises(ApplicationError):
        clean_details(plain, ["not", "an", "object"])
