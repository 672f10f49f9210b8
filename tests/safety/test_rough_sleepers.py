"""Extreme-weather patrols (寒冬送温暖、夏季送清凉): people found sleeping rough are recorded with
the help given; a name and an identity number, when known, are kept encrypted and shown masked;
a person who cannot be identified is referred for a family search (寻亲) as an event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.workflow.geo import wgs84_to_gcj02
from core.workflow.models import Event
from safety.models import RoughSleeper
from tests.helpers import client_for
from tests.world import id_number

pytestmark = pytest.mark.django_db

UNDER_THE_BRIDGE = (118.3760, 31.3260)


def _shift(world, kind="winter_warmth"):
    secretary = client_for(world.secretary)
    route = secretary.post(
        "/api/v1/safety/patrol-routes/",
        {
            "grid": world.grid_a1.pk,
            "name": "桥洞巡查线",
            "points": [
                {"name": "滨江桥洞", "longitude": UNDER_THE_BRIDGE[0], "latitude": UNDER_THE_BRIDGE[1]}
            ],
        },
        format="json",
    ).json()
    start = timezone.now()
    response = secretary.post(
        "/api/v1/safety/patrol-shifts/",
        {
            "route": route["id"],
            "kind": kind,
            "patroller": world.grid_worker.pk,
            "planned_start": start.isoformat(),
            "planned_end": (start + timedelta(hours=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _record(world, shift, **fields):
    gcj = wgs84_to_gcj02(*UNDER_THE_BRIDGE)
    payload = {
        "shift": shift["id"],
        "position": {"longitude": gcj[0], "latitude": gcj[1], "system": "gcj02"},
        "place": "滨江桥洞下",
        **fields,
    }
    return client_for(world.grid_worker).post("/api/v1/safety/rough-sleepers/", payload, format="json")


def test_a_rough_sleeper_found_in_the_cold_is_recorded_with_the_help_given_and_masked(world):
    shift = _shift(world)
    number = id_number()
    response = _record(
        world,
        shift,
        identified=True,
        name="李建国",
        document_number=number,
        sex="M",
        approximate_age=60,
        condition="衣着单薄，手脚冰凉",
        help_given=["supplies", "shelter_referral"],
        help_note="送棉被一床，联系救助站接走",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["help_given"] == ["shelter_referral", "supplies"]
    assert body["identified"] is True and body["family_search"] is None
    # Masked in output: never the name or the number in full.
    assert body["name"] != "李建国" and body["name"].startswith("李")
    assert body["document_number"] != number and "*" in body["document_number"]
    assert "李建国" not in response.content.decode() and number not in response.content.decode()
    # Stored as WGS-84, whatever datum the phone gave.
    assert abs(float(body["longitude"]) - UNDER_THE_BRIDGE[0]) < 2e-6
    assert body["input_system"] == "gcj02"
    # Encrypted at rest: the table holds neither.
    found = RoughSleeper.objects.get(pk=body["id"])
    assert (found.name_encrypted, found.document_number_encrypted) == ("李建国", number)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_encrypted, document_number_encrypted FROM safety_roughsleeper WHERE id = %s",
            [found.pk],
        )
        stored = cursor.fetchone()
    assert "李建国" not in stored[0] and number not in stored[1]
    assert not Event.objects.filter(type="safety.family_search").exists()


def test_a_person_who_cannot_be_identified_opens_a_family_search_event(world):
    shift = _shift(world, kind="summer_cooling")
    response = _record(
        world,
        shift,
        identified=False,
        sex="F",
        approximate_age=75,
        condition="中暑，意识不清，无法说出姓名住址",
        help_given=["hospital"],
    )
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["family_search"])
    assert (event.type, event.source, event.region_id) == ("safety.family_search", "patrol", world.grid_a1.pk)
    assert abs(float(event.longitude) - UNDER_THE_BRIDGE[0]) < 2e-6
    assert RoughSleeper.objects.get(pk=response.json()["id"]).family_search_id == event.pk


def test_rough_sleepers_are_recorded_on_extreme_weather_patrols_only(world):
    shift = _shift(world, kind="regular")
    response = _record(world, shift, identified=False, help_given=["supplies"])
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_extreme_weather"
    assert (
        not RoughSleeper.objects.exists() and not Event.objects.filter(type="safety.family_search").exists()
    )


def test_a_person_identified_needs_a_name_or_a_valid_number_and_help_is_said(world):
    shift = _shift(world)
    nameless = _record(world, shift, identified=True, help_given=["supplies"])
    assert nameless.status_code == 400 and "name" in nameless.json()["error"]["fields"]
    bad = _record(world, shift, identified=True, name="张三", document_number="123", help_given=["supplies"])
    assert bad.status_code == 400 and "document_number" in bad.json()["error"]["fields"]
    no_help = _record(world, shift, identified=True, name="张三", help_given=[])
    assert no_help.status_code == 400 and "help_given" in no_help.json()["error"]["fields"]
    assert not RoughSleeper.objects.exists()
