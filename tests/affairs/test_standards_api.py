"""Assistance standards over the API: seen by everyone handling affairs (the defaults and their
districts' rows), added and ended by the district; a new amount is a new row."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.translation import override

from affairs.eligibility.standards import standard_for
from affairs.models import AssistanceStandard
from core.audit.models import AuditEvent
from core.regions.models import Region
from tests.affairs.factories import standard
from tests.helpers import client_for

URL = "/api/v1/affairs/standards/"


def payload(world, **fields) -> dict:
    return {
        "region": world.district.pk,
        "kind": "dibao",
        "area": "urban",
        "amount": "800.00",
        "parameters": {"asset_months": 24, "low_income_factor": "1.5"},
        "effective_from": "2024-01-01",
        "source": "镜民〔2023〕12号",
        **fields,
    }


@pytest.fixture
def other_district(world):
    return Region.objects.create(name="弋江区", level=Region.Level.DISTRICT, parent=world.city)


def ids(user) -> set[int]:
    body = client_for(user).get(URL, {"page_size": 200}).json()
    return {row["id"] for row in body["results"]}


def test_staff_see_the_defaults_and_their_districts_standards(world, other_district):
    own = standard("dibao", 800, since=date(2024, 1, 1), region=world.district)
    foreign = standard("dibao", 900, since=date(2024, 1, 1), region=other_district)
    defaults = set(AssistanceStandard.objects.filter(region=None).values_list("pk", flat=True))
    assert len(defaults) == 8
    for user in (world.grid_worker, world.community_worker, world.street_staff, world.district_staff):
        assert ids(user) == defaults | {own.pk}
    assert client_for(world.grid_worker).get(f"{URL}{foreign.pk}/").status_code == 404
    row = client_for(world.grid_worker).get(f"{URL}{own.pk}/").json()
    assert row["amount"] == "800.00" and row["region_name"] == "镜湖区" and row["in_force"] is True
    assert client_for(world.resident_user).get(URL).status_code == 403


def test_the_district_adds_a_standard_and_the_newest_takes_precedence(world):
    response = client_for(world.district_staff).post(URL, payload(world), format="json")
    assert response.status_code == 201, response.json()
    created = AssistanceStandard.objects.get(pk=response.json()["id"])
    assert created.region_path == world.district.path
    assert AuditEvent.objects.filter(action="affairs.standard.create", object_id=str(created.pk)).exists()
    path = world.grid_a1.path
    assert standard_for("dibao", region_path=path, area="urban", on=date(2024, 6, 1)) == created
    assert standard_for("dibao", region_path=path, area="urban", on=date(2023, 6, 1)).region is None

    again = client_for(world.district_staff).post(URL, payload(world), format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "standard_exists"
    raised = client_for(world.district_staff).post(
        URL, payload(world, amount="850", effective_from="2025-01-01"), format="json"
    )
    assert raised.status_code == 201
    assert standard_for("dibao", region_path=path, area="urban", on=date(2025, 2, 1)).amount == 850


def test_only_the_district_configures_and_only_its_own_districts(world, other_district):
    assert client_for(world.street_staff).post(URL, payload(world), format="json").status_code == 403
    with override("en"):
        for region in (other_district.pk, world.street.pk, 999999):
            response = client_for(world.district_staff).post(
                URL, payload(world, region=region), format="json"
            )
            assert response.status_code == 400
            assert response.json()["error"]["fields"] == {"region": ["未找到该编号对应的记录。"]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "100000.01"}, "amount"),
        ({"effective_to": "2023-12-31"}, "effective_to"),
        ({"parameters": {"asset_months": 24, "colour": "red"}}, "parameters.colour"),
        ({"parameters": {"asset_months": "many"}}, "parameters.asset_months"),
        ({"parameters": {"low_income_factor": "9"}}, "parameters.low_income_factor"),
        ({"kind": "longevity", "parameters": {"bands": {"30": "50"}}}, "parameters.bands"),
        ({"kind": "disability_care", "parameters": {"grades": [5]}}, "parameters.grades"),
        ({"kind": "disability_living", "parameters": {"grades": [1]}}, "parameters.grades"),
        ({"region_path": "/1/"}, "region_path"),
    ],
)
def test_a_standard_is_checked_before_it_is_written(world, fields, field):
    response = client_for(world.district_staff).post(URL, payload(world, **fields), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not AssistanceStandard.objects.exclude(region=None).exists()


def test_parameters_are_kept_in_their_checked_form(world):
    body = payload(world, kind="longevity", amount="0", parameters={"bands": {"80": 50, "90": "100.5"}})
    response = client_for(world.district_staff).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["parameters"] == {"bands": {"80": "50", "90": "100.5"}}


def test_a_standard_is_ended_never_edited(world, other_district):
    own = standard("dibao", 800, since=date(2024, 1, 1), region=world.district)
    url = f"{URL}{own.pk}/"
    refused = client_for(world.district_staff).patch(url, {"amount": "900"}, format="json")
    assert refused.status_code == 400 and "amount" in refused.json()["error"]["fields"]
    early = client_for(world.district_staff).patch(url, {"effective_to": "2023-01-01"}, format="json")
    assert early.status_code == 400 and "effective_to" in early.json()["error"]["fields"]
    response = client_for(world.district_staff).patch(url, {"effective_to": "2024-12-31"}, format="json")
    assert response.status_code == 200 and response.json()["effective_to"] == "2024-12-31"
    own.refresh_from_db()
    assert own.amount == 800 and own.effective_to == date(2024, 12, 31)
    assert AuditEvent.objects.filter(action="affairs.standard.end", object_id=str(own.pk)).exists()
    again = client_for(world.district_staff).patch(url, {"effective_to": "2025-01-31"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "standard_ended"

    default = AssistanceStandard.objects.filter(region=None, kind="dibao").first()
    ending_default = client_for(world.district_staff).patch(
        f"{URL}{default.pk}/", {"effective_to": "2030-01-01"}, format="json"
    )
    assert ending_default.status_code == 403
    foreign = standard("dibao", 900, since=date(2024, 1, 1), region=other_district)
    foreign_url = f"{URL}{foreign.pk}/"
    assert (
        client_for(world.district_staff)
        .patch(foreign_url, {"effective_to": "2030-01-01"}, format="json")
        .status_code
        == 404
    )
    assert client_for(world.district_staff).put(url, payload(world), format="json").status_code == 405
    assert client_for(world.district_staff).delete(url).status_code == 405


def test_standards_are_filtered_by_kind_area_and_district_or_default(world, other_district):
    own = standard("dibao", 800, since=date(2024, 1, 1), region=world.district)
    client = client_for(world.street_staff)

    def listed(**params) -> set[int]:
        body = client.get(URL, {"page_size": 200, **params}).json()
        return {row["id"] for row in body["results"]}

    defaults = set(AssistanceStandard.objects.filter(region=None).values_list("pk", flat=True))
    assert listed(region=world.district.pk) == {own.pk}
    assert listed(region="default") == defaults
    assert listed(region="x") == set()
    dibao_defaults = set(
        AssistanceStandard.objects.filter(region=None, kind="dibao").values_list("pk", flat=True)
    )
    assert listed(kind="dibao") == dibao_defaults | {own.pk}
    assert own.pk not in listed(kind="dibao", area="rural")


def test_a_superseded_standard_says_it_is_no_longer_in_force_and_the_day_it_ended(
    world, django_assert_max_num_queries
):
    older = standard("dibao", 742, since=date(2024, 1, 1), region=world.district, area="urban")
    newer = standard("dibao", 780, since=date(2025, 7, 1), region=world.district, area="urban")
    ended = standard("tekun", 900, since=date(2024, 1, 1), region=world.district, until=date(2024, 12, 31))
    later = standard("tekun", 950, since=date(2025, 1, 1), region=world.district, until=date(2099, 1, 1))
    # Another area is not a successor.
    rural = standard("dibao", 700, since=date(2024, 1, 1), region=world.district, area="rural")
    client = client_for(world.district_staff)
    client.get(URL)  # the caller's scope, once
    with django_assert_max_num_queries(6):
        body = client.get(URL, {"page_size": 200}).json()
    rows = {row["id"]: row for row in body["results"]}
    assert len(rows) > 8  # the defaults are listed in the same queries
    assert rows[older.pk]["in_force"] is False and rows[older.pk]["ends_on"] == "2025-06-30"
    assert rows[older.pk]["effective_to"] is None
    assert rows[newer.pk]["in_force"] is True and rows[newer.pk]["ends_on"] is None
    assert rows[ended.pk]["in_force"] is False and rows[ended.pk]["ends_on"] == "2024-12-31"
    assert rows[later.pk]["ends_on"] == "2099-01-01" and rows[later.pk]["in_force"] is True
    assert rows[rural.pk]["in_force"] is True and rows[rural.pk]["ends_on"] is None
    # The platform's defaults: each superseded one by the next of its kind and area.
    defaults = AssistanceStandard.objects.filter(region=None)
    for row in defaults:
        later_default = defaults.filter(kind=row.kind, area=row.area, effective_from__gt=row.effective_from)
        assert rows[row.pk]["in_force"] is (not later_default.exists() and row.effective_to is None)

    # A standard added after an older one is shown with its own end; the older one now ends the
    # day before it starts.
    response = client.post(URL, payload(world, effective_from="2026-01-01", amount="800.00"), format="json")
    assert response.status_code == 201 and response.json()["ends_on"] is None
    assert client.get(f"{URL}{newer.pk}/").json()["ends_on"] == "2025-12-31"
