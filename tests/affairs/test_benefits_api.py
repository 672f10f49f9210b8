"""Benefits over the API: amounts shown and names masked; staff in scope and the household itself
see them; staff handling affairs end one that lapsed or is revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from affairs.models import Benefit
from core.audit.models import AuditEvent
from tests.affairs.dibao_applications import approved
from tests.helpers import client_for

URL = "/api/v1/affairs/benefits/"


@pytest.fixture
def granted(world):
    application = approved(world)
    benefits = list(Benefit.objects.filter(application=application).order_by("id"))
    assert len(benefits) == 3
    return benefits


def listed(user, **params):
    response = client_for(user).get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_staff_and_the_household_see_amounts_with_names_masked(world, granted):
    rows = listed(world.community_worker)
    assert {row["id"] for row in rows} == {b.pk for b in granted}
    row = next(r for r in rows if r["resident"] == world.applicant.pk)
    benefit = next(b for b in granted if b.resident_id == world.applicant.pk)
    assert row["resident_name"] == "王**" and row["monthly_amount"] == str(benefit.monthly_amount)
    assert (
        row["item"]["code"] == "dibao" and row["in_force"] is True and row["household"] == world.household.pk
    )
    assert {r["id"] for r in listed(world.resident_user)} == {b.pk for b in granted}
    assert listed(world.worker_b) == []
    assert client_for(world.worker_b).get(f"{URL}{granted[0].pk}/").status_code == 404
    response = client_for(world.resident_user).get(f"{URL}{granted[0].pk}/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "王大明" not in response.content.decode()


def test_filters_by_item_state_household_and_resident(world, granted):
    assert len(listed(world.street_staff, item="dibao")) == 3
    assert listed(world.street_staff, item="longevity") == []
    assert [r["id"] for r in listed(world.street_staff, resident=world.spouse.pk)] == [
        b.pk for b in granted if b.resident_id == world.spouse.pk
    ]
    assert len(listed(world.street_staff, household=world.household.pk)) == 3
    Benefit.objects.filter(pk=granted[0].pk).update(ended_on=timezone.localdate() - timedelta(days=1))
    assert {r["id"] for r in listed(world.street_staff, in_force="true")} == {granted[1].pk, granted[2].pk}
    assert [r["id"] for r in listed(world.street_staff, in_force="false")] == [granted[0].pk]
    assert client_for(world.street_staff).get(URL, {"resident": "abc"}).status_code == 400


def test_the_confirming_level_ends_a_benefit_that_lapsed(world, granted):
    benefit = granted[1]
    url = f"{URL}{benefit.pk}/end/"
    today = timezone.localdate()
    # 低保 is confirmed at the street: the community does not end it, and a reason is required.
    body = {"reason": "lapsed", "note": "年审未通过"}
    assert client_for(world.community_worker).post(url, body, format="json").status_code == 403
    no_note = client_for(world.street_staff).post(url, {"reason": "lapsed"}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()["error"]["fields"]
    response = client_for(world.street_staff).post(
        url, {"reason": "lapsed", "note": "年审未通过", "ended_on": today.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ended_on"] == today.isoformat() and response.json()["in_force"] is False
    benefit.refresh_from_db()
    assert benefit.end_reason == "lapsed" and benefit.end_note == "年审未通过"
    assert AuditEvent.objects.filter(action="affairs.benefit.end", object_id=str(benefit.pk)).exists()

    again = client_for(world.street_staff).post(url, {"reason": "revoked", "note": "x"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "benefit_ended"


def test_ending_is_for_staff_handling_affairs_with_a_listed_reason(world, granted):
    url = f"{URL}{granted[0].pk}/end/"
    assert client_for(world.grid_worker).post(url, {"reason": "lapsed"}, format="json").status_code == 403
    assert client_for(world.resident_user).post(url, {"reason": "lapsed"}, format="json").status_code == 403
    assert client_for(world.worker_b).post(url, {"reason": "lapsed"}, format="json").status_code == 404
    died = client_for(world.street_staff).post(url, {"reason": "died"}, format="json")
    assert died.status_code == 400 and "reason" in died.json()["error"]["fields"]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    later = client_for(world.street_staff).post(
        url, {"reason": "revoked", "note": "x", "ended_on": future}, format="json"
    )
    assert later.status_code == 400 and "ended_on" in later.json()["error"]["fields"]
    extra = client_for(world.street_staff).post(
        url, {"reason": "revoked", "monthly_amount": "1"}, format="json"
    )
    assert extra.status_code == 400 and "monthly_amount" in extra.json()["error"]["fields"]
