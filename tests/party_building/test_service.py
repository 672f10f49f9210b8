"""Service: in-service members reporting where they live (双报到), service records whose hours
are offered to the services domain's ledger through the service-hours hand-off (no import by the
app; this test reads the ledger to show they arrive), and a resident asking a pioneer
post for help, which is an event."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from core.extensions import HandoffConsumer, handoffs
from core.extensions.models import Handoff
from core.workflow.models import Event
from party_building.models import ServiceRecord
from services.models import HoursEntry
from tests.helpers import assert_error, client_for, without_contribution
from tests.party_building import factories as f
from tests.world import make_resident_record

REPORTS = "/api/v1/party-building/reports/"
RECORDS = "/api/v1/party-building/service-records/"
HELP = "/api/v1/party-building/help-requests/"
POSTS = "/api/v1/party-building/posts/"


def test_an_in_service_member_reports_once_a_year_to_the_community_they_live_in(world):
    client = client_for(world.community_worker)
    payload = {
        "resident": world.applicant.pk,
        "employer_organization": "市税务局机关党支部",
        "reported_on": "2026-03-01",
        "duties": "楼栋长",
    }
    made = client.post(REPORTS, payload, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["region"], made.json()["year"]) == (world.community_a.pk, 2026)
    assert_error(
        client.post(REPORTS, {**payload, "reported_on": "2026-09-01"}, format="json"),
        409,
        "reported_this_year",
    )
    elsewhere = make_resident_record(world.grid_b1)
    assert_error(
        client.post(REPORTS, {**payload, "resident": elsewhere.pk}, format="json"),
        400,
        "invalid",
        ["resident"],
    )


@pytest.mark.usefixtures("in_process_tasks")
def test_pioneer_service_hours_reach_the_services_ledger_through_the_hand_off(
    world, django_capture_on_commit_callbacks
):
    """Party building never imports services: the hours go out as a hand-off and the services
    domain's one ledger takes them, once, however often the hand-off is delivered."""
    post = f.post(world.grid_a1)
    client = client_for(world.community_worker)
    payload = {
        "resident": world.applicant.pk,
        "post": post.pk,
        "served_on": "2026-05-04",
        "hours": "2.5",
        "activity": "为独居老人代购",
    }
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(RECORDS, payload, format="json")
    assert made.status_code == 201, made.content
    record = ServiceRecord.objects.get()
    handoff = Handoff.objects.get()
    assert (handoff.kind, handoff.idempotency_key) == (
        "service_hours",
        f"service_hours:party_building.service_record:{record.pk}",
    )
    assert handoff.status == Handoff.Status.DELIVERED
    line = HoursEntry.objects.get()
    assert (line.volunteer.resident_id, line.hours, line.served_on.isoformat()) == (
        world.applicant.pk,
        Decimal("2.50"),
        "2026-05-04",
    )
    assert (line.source, line.source_domain) == (
        f"party_building.service_record:{record.pk}",
        "party_building",
    )
    assert handoffs.deliver(handoff.pk) == "done before"
    assert HoursEntry.objects.count() == 1


def test_service_hours_wait_for_the_ledger_when_none_is_installed(world):
    post = f.post(world.grid_a1)
    payload = {
        "resident": world.applicant.pk,
        "post": post.pk,
        "served_on": "2026-05-04",
        "hours": "1.0",
        "activity": "清理楼道",
    }
    with without_contribution(HandoffConsumer.kind, "services.hours_ledger"):
        made = client_for(world.community_worker).post(RECORDS, payload, format="json")
        assert made.status_code == 201
        assert Handoff.objects.get().status == Handoff.Status.PENDING
        bad = client_for(world.community_worker).post(RECORDS, {**payload, "hours": "30"}, format="json")
        assert_error(bad, 400, "invalid", ["hours"])
    assert ServiceRecord.objects.count() == 1 and Handoff.objects.count() == 1


def test_a_resident_asks_a_post_of_their_community_for_help_and_an_event_is_opened(world):
    post = f.post(world.grid_a1)
    response = client_for(world.resident_user).post(
        HELP, {"post": post.pk, "description": "家里水管漏水"}, format="json"
    )
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["event"])
    assert (event.type, event.region_id, event.reporter_id) == (
        "party_building.help_request",
        world.grid_a1.pk,
        world.resident_user.pk,
    )
    elsewhere = f.post(world.grid_b1)
    refused = client_for(world.resident_user).post(
        HELP, {"post": elsewhere.pk, "description": "x"}, format="json"
    )
    assert_error(refused, 400, "invalid", ["post"])
    # Residents ask; they do not list the posts' members.
    assert client_for(world.resident_user).get(POSTS).status_code == 403


def test_members_take_on_a_post(world):
    post = f.post(world.grid_a1)
    member = f.member(f.organization(world.grid_a1))
    client = client_for(world.community_worker)
    assigned = client.post(
        f"{POSTS}{post.pk}/assign/",
        {"member": member.pk, "starts_on": str(timezone.localdate())},
        format="json",
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["members"] == [member.pk]
