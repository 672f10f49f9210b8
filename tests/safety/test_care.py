"""The two lists: care recipients with a contact schedule (a missed contact is a care signal) and
key persons followed for another office (a missed visit is an event for the assigned worker and a
notice to the liaison; other roles are refused; every read of a detail is audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.audit.models import AuditEvent
from core.extensions.models import Handoff
from core.notices.models import Notice
from core.workflow.models import Event
from safety.care import missed_contacts_check
from safety.contributions import KEY_PERSON_LIAISON, KEY_PERSON_WORKER
from safety.models import CareRecipient, KeyPerson
from tests.helpers import client_for
from tests.world import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_staff(world):
    worker = make_staff(KEY_PERSON_WORKER, world.community_a, username="kp_worker")
    liaison = make_staff(KEY_PERSON_LIAISON, world.street, username="sfs_liaison")
    return worker, liaison


def _key_person(world, worker, liaison, **overrides):
    payload = {
        "resident": world.elder.pk,
        "category": "community_correction",
        "office": "滨江司法所",
        "assigned_worker": worker.pk,
        "liaison": liaison.pk,
        "visit_every_days": 7,
        "period_ends_on": str(timezone.localdate() + timedelta(days=180)),
        "note": "每周走访",
        **overrides,
    }
    response = client_for(worker).post("/api/v1/safety/key-persons/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_missed_care_contact_is_a_care_signal_that_opens_safety_s_event(
    world, django_capture_on_commit_callbacks
):
    api = client_for(world.grid_worker)
    response = api.post(
        "/api/v1/safety/care-recipients/",
        {"resident": world.elder.pk, "category": "living_alone", "contact_every_days": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "赵奶奶" not in response.json()["resident_name"]
    recipient = CareRecipient.objects.get()
    # A contact on time moves the schedule on: nothing is missed.
    assert (
        api.post(
            f"/api/v1/safety/care-recipients/{recipient.pk}/contacts/", {"way": "visit"}, format="json"
        ).status_code
        == 201
    )
    assert missed_contacts_check(today=timezone.localdate() + timedelta(days=3))["care"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert missed_contacts_check(today=timezone.localdate() + timedelta(days=4))["care"] == 1
        assert missed_contacts_check(today=timezone.localdate() + timedelta(days=5))["care"] == 0  # once
    handoff = Handoff.objects.get(kind="care_signal")
    assert handoff.payload["signal"] == "missed_contact" and handoff.status == "delivered"
    event = Event.objects.get(type="safety.care_signal")
    assert event.house_id == world.house_a.pk
    assert Notice.objects.filter(kind="safety.alarm", link_id=str(event.pk)).exists()


def test_key_persons_are_refused_to_every_other_role(world, key_staff):
    worker, liaison = key_staff
    body = _key_person(world, worker, liaison)
    for other in (
        world.grid_worker,
        world.community_worker,
        world.secretary,
        world.street_staff,
        world.district_staff,
    ):
        api = client_for(other)
        assert api.get("/api/v1/safety/key-persons/").status_code == 403, other
        assert api.get(f"/api/v1/safety/key-persons/{body['id']}/").status_code == 403, other
    # And the care list is not theirs.
    assert client_for(worker).get("/api/v1/safety/care-recipients/").status_code == 403


def test_every_read_of_a_key_person_s_detail_is_audited_and_masked(world, key_staff):
    worker, liaison = key_staff
    body = _key_person(world, worker, liaison)
    assert "赵奶奶" not in body["resident_name"]
    for reader in (worker, liaison):
        response = client_for(reader).get(f"/api/v1/safety/key-persons/{body['id']}/")
        assert response.status_code == 200
    reads = AuditEvent.objects.filter(action="safety.keyperson.read", object_id=str(body["id"]))
    assert set(reads.values_list("actor_id", flat=True)) == {worker.pk, liaison.pk}
    # A list read is not a detail read.
    client_for(worker).get("/api/v1/safety/key-persons/")
    assert reads.count() == 2


def test_a_missed_visit_is_an_event_for_the_assigned_worker_and_a_notice_to_the_liaison(world, key_staff):
    from core.notices.selectors import visibility_filter

    worker, liaison = key_staff
    body = _key_person(world, worker, liaison)
    assert missed_contacts_check(today=timezone.localdate() + timedelta(days=8))["key_persons"] == 1
    assert missed_contacts_check(today=timezone.localdate() + timedelta(days=9))["key_persons"] == 0
    event = Event.objects.get(type="safety.missed_visit")
    assert event.external_ref == f"safety.key_person:{body['id']}"
    assert Notice.objects.filter(visibility_filter(worker), link_id=str(event.pk)).exists()
    assert Notice.objects.filter(kind="safety.missed_visit", recipient=liaison).exists()
    assert not Notice.objects.filter(
        visibility_filter(world.community_worker), link_id=str(event.pk)
    ).exists()


def test_a_key_person_s_record_ends_with_the_period(world, key_staff):
    worker, liaison = key_staff
    body = _key_person(world, worker, liaison, period_ends_on=str(timezone.localdate() + timedelta(days=3)))
    outcome = missed_contacts_check(today=timezone.localdate() + timedelta(days=4))
    assert outcome["ended"] == 1 and outcome["key_persons"] == 0
    assert KeyPerson.objects.get(pk=body["id"]).ended_on is not None
    refused = client_for(worker).post(f"/api/v1/safety/key-persons/{body['id']}/visits/", {}, format="json")
    assert refused.status_code == 409
