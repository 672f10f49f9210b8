"""寒冬送温暖、夏季送清凉: a warning for a region creates care visits for its vulnerable residents
(by tags) and a patrol for rough sleepers, tracked until it ends; the report names who was missed."""

from __future__ import annotations

import json
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from core.extensions.models import Handoff
from core.extensions.signing import signed_headers
from core.registry.models import ResidentTag
from core.workflow.models import Event
from scenarios.extreme_weather.models import CareVisit, WeatherWarning
from scenarios.extreme_weather.services import end_expired, warning_issue
from tests.helpers import client_for
from tests.scenarios.helpers import enable
from tests.scenarios.scope_cases import resident_in


def tagged(world, community, tag):
    person = resident_in(world, community)
    ResidentTag.objects.create(resident=person, tag=tag, source="worker")
    return person


def test_a_warning_opens_care_visits_for_tagged_residents_and_a_patrol(world):
    enable("extreme_weather", world.community_a)
    alone = tagged(world, world.community_a, "registry.living_alone")
    tekun = tagged(world, world.community_a, "registry.tekun")
    tagged(world, world.community_a, "registry.party_member")  # not a care tag
    response = client_for(world.community_worker).post(
        "/api/v1/scenarios/extreme_weather/warnings/",
        {
            "region": world.community_a.pk,
            "kind": "cold",
            "level": "orange",
            "valid_until": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    visits = CareVisit.objects.filter(kind="visit")
    assert {v.resident for v in visits} == {alone, tekun}
    assert Event.objects.filter(type="extreme_weather.care_visit").count() == 2
    # The patrol for people sleeping rough is asked of the safety domain's patrols (a hand-off,
    # no import): a winter-warmth patrol in the community for the visits' period.
    patrol = CareVisit.objects.get(kind="patrol")
    assert patrol.region == world.community_a and patrol.event is None
    handoff = Handoff.objects.get(kind="patrol_request")
    assert (handoff.payload["region_path"], handoff.payload["kind"]) == (
        world.community_a.path,
        "winter_warmth",
    )
    assert not Event.objects.filter(type="extreme_weather.patrol").exists()


def test_a_rainstorms_patrol_stays_the_scenarios_own_task(world):
    enable("extreme_weather", world.community_a)
    warning_issue(
        actor=None,
        region=world.community_a,
        kind="storm",
        level="red",
        valid_until=timezone.now() + timedelta(hours=8),
        source="feed",
        reference="W-storm",
    )
    patrol = CareVisit.objects.get(kind="patrol")
    assert patrol.event.type == "extreme_weather.patrol"
    assert not Handoff.objects.filter(kind="patrol_request").exists()


def test_a_disabled_community_gets_nothing(world):
    enable("extreme_weather", world.community_a)
    tagged(world, world.community_a, "registry.living_alone")
    tagged(world, world.community_b, "registry.living_alone")
    warning_issue(
        actor=None,
        region=world.street,
        kind="heat",
        level="red",
        valid_until=timezone.now() + timedelta(hours=8),
        source="feed",
        reference="W1",
    )
    assert {v.region_path.startswith(world.community_a.path) for v in CareVisit.objects.all()} == {True}
    assert CareVisit.objects.filter(kind="patrol").count() == 1


def test_a_warning_below_the_lowest_level_opens_nothing(world):
    enable("extreme_weather", world.community_a)
    tagged(world, world.community_a, "registry.living_alone")
    warning_issue(
        actor=None,
        region=world.community_a,
        kind="cold",
        level="blue",
        valid_until=timezone.now() + timedelta(hours=8),
        source="feed",
        reference="W2",
    )
    assert not CareVisit.objects.exists()


def test_completion_is_tracked_and_the_report_names_who_was_not_reached(world):
    enable("extreme_weather", world.community_a)
    reached = tagged(world, world.community_a, "registry.living_alone")
    missed = tagged(world, world.community_a, "registry.disability")
    warning = warning_issue(
        actor=None,
        region=world.community_a,
        kind="cold",
        level="red",
        valid_until=timezone.now() + timedelta(hours=8),
        source="feed",
        reference="W3",
    )
    visit = CareVisit.objects.get(resident=reached)
    api = client_for(world.grid_worker)
    assert (
        api.post(
            f"/api/v1/scenarios/extreme_weather/visits/{visit.pk}/reach/", {"note": "已送棉被"}, format="json"
        ).status_code
        == 200
    )
    # The warning is the community's: its workers read the report.
    report = (
        client_for(world.community_worker)
        .get(f"/api/v1/scenarios/extreme_weather/warnings/{warning.pk}/report/")
        .json()
    )
    assert (report["visits"], report["reached"]) == (2, 1)
    assert [row["resident"] for row in report["not_reached"]] == [missed.pk]
    assert end_expired(timezone.now() + timedelta(hours=9)) == 1
    warning.refresh_from_db()
    assert warning.state == "ended"


@override_settings(SCENARIO_FEED_SECRET="s3cret")
def test_a_signed_feed_pushes_a_warning_once(world, api_client):
    enable("extreme_weather", world.district)
    tagged(world, world.community_a, "registry.living_alone")
    path = "/api/v1/scenarios/extreme_weather/push/"
    body = json.dumps(
        {
            "region_code": "340202",
            "reference": "QX-2026-001",
            "kind": "heat",
            "level": "orange",
            "valid_until": "2099-08-01T20:00:00+08:00",
        }
    ).encode()
    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers("POST", path, body).items()
    }
    first = api_client.post(path, body, content_type="application/json", **headers)
    again = api_client.post(path, body, content_type="application/json", **headers)
    assert first.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert WeatherWarning.objects.count() == 1 and CareVisit.objects.filter(kind="visit").count() == 1
    assert api_client.post(path, body, content_type="application/json").status_code == 401
