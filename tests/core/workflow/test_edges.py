"""Edge cases found in review: followers, escalation take-back, local dates, reopen, scope of a
point, attachments on closed events, impossible Open311 dates."""

from __future__ import annotations

import datetime as dt
import io
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core.accounts.roles import Role
from core.api.errors import ApplicationError
from core.workflow import services
from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event
from tests.world import make_staff


def report(world, reporter=None, **fields):
    values = {"type_key": "tests.hazard", "source": "patrol", "title": "楼道堆物", "house": world.house_a}
    values.update(fields)
    return services.event_report(reporter=reporter or world.grid_worker, **values)


def move(event, action, actor, **kwargs):
    return services.event_transition(event=event, action=action, actor=actor, **kwargs)


def resolved_event(world, reporter):
    event, _ = report(world, reporter=reporter)
    for action in ("accept", "assign", "start"):
        move(event, action, world.lead)
    move(event, "resolve", world.lead, note="已处理")
    return event


def overdue_now(event):
    Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))


def test_a_follower_of_a_merged_duplicate_cannot_close_it(world):
    event = resolved_event(world, world.grid_worker)
    duplicate, merged = report(world, reporter=world.resident_user, source="resident")
    assert merged and duplicate.pk == event.pk
    with pytest.raises(ApplicationError) as error:
        move(event, "close", world.resident_user)
    assert error.value.status_code == 403


def test_the_grid_cannot_pull_back_an_escalated_event(world):
    event, _ = report(world)
    move(event, "accept", world.lead)
    overdue_now(event)
    escalate_overdue()
    with pytest.raises(ApplicationError):
        move(event, "assign", world.lead)
    move(event, "take_over", world.secretary)


def test_waiting_is_counted_in_local_dates(world, monkeypatch):
    utc = dt.UTC
    clock = {"now": timezone.make_aware(datetime(2026, 3, 2, 10, 0)).astimezone(utc)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    event, _ = report(world)
    for action in ("accept", "assign", "start"):
        move(event, action, world.lead)
    event.refresh_from_db()
    before = event.deadline
    # 07:30 to 08:10 on Monday 9 March in Shanghai spans two UTC dates but no working day.
    clock["now"] = timezone.make_aware(datetime(2026, 3, 9, 7, 30)).astimezone(utc)
    move(event, "wait", world.lead, note="等材料")
    clock["now"] = timezone.make_aware(datetime(2026, 3, 9, 8, 10)).astimezone(utc)
    move(event, "resume", world.lead)
    event.refresh_from_db()
    assert event.deadline == before


def test_a_reopened_event_starts_the_ladder_again(world):
    event, _ = report(world)
    move(event, "accept", world.lead)
    for _level in range(3):
        overdue_now(event)
        escalate_overdue()
    district = make_staff(Role.DISTRICT_STAFF, world.district, username="district")
    move(event, "take_over", district)
    move(event, "start", district)
    move(event, "resolve", district, note="已处理")
    move(event, "reopen", district, note="没修好")
    event.refresh_from_db()
    assert (event.escalation_level, event.escalated_to) == (0, None)
    overdue_now(event)
    assert escalate_overdue() == [event.pk]


def test_a_point_in_another_community_is_not_found(world):
    grid = world.grid_a1
    grid.boundary = {
        "type": "Polygon",
        "coordinates": [[[118.0, 31.0], [119.0, 31.0], [119.0, 32.0], [118.0, 32.0], [118.0, 31.0]]],
    }
    grid.save()
    client = APIClient()
    client.force_authenticate(world.worker_b)
    response = client.post(
        "/api/v1/events/",
        {"type": "tests.hazard", "title": "x", "point": {"longitude": 118.5, "latitude": 31.5}},
        format="json",
    )
    assert response.status_code == 400 and "point" in response.json()["error"]["fields"]
    client.force_authenticate(world.community_worker)
    assert (
        client.post(
            "/api/v1/events/",
            {"type": "tests.hazard", "title": "x", "point": {"longitude": 118.5, "latitude": 31.5}},
            format="json",
        ).status_code
        == 201
    )


def test_nothing_can_be_attached_to_a_closed_event(world):
    event = resolved_event(world, world.resident_user)
    move(event, "close", world.resident_user)
    client = APIClient()
    client.force_authenticate(world.resident_user)
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    upload.name = "a.png"
    response = client.post(f"/api/v1/events/{event.pk}/attachments/", {"file": upload}, format="multipart")
    assert response.status_code == 409


def test_an_impossible_open311_date_is_400(world):
    response = Client().get("/open311/v2/requests.json", {"start_date": "2024-02-30T00:00:00"})
    assert response.status_code == 400


def test_a_merged_reporter_learns_the_state_but_not_the_first_reporters_words(world):
    resident_client = APIClient()
    resident_client.force_authenticate(world.resident_user)
    first, _ = report(world, reporter=world.grid_worker, title="张家漏水", description="张先生家卫生间漏水")
    response = resident_client.post(
        "/api/v1/events/", {"type": "tests.hazard", "title": "楼上漏水"}, format="json"
    )
    assert response.status_code == 200 and response.json()["merged"] is True
    shown = response.json()["event"]
    assert (shown["id"], shown["title"], shown["description"], shown["house"]) == (first.pk, "", "", None)
    detail = resident_client.get(f"/api/v1/events/{first.pk}/").json()
    assert detail["state"] == "reported" and detail["description"] == "" and detail["transitions"] == []
    # The reporter and the staff at the place see everything.
    lead = APIClient()
    lead.force_authenticate(world.lead)
    assert lead.get(f"/api/v1/events/{first.pk}/").json()["description"] == "张先生家卫生间漏水"
    assert lead.get("/api/v1/events/")["Cache-Control"].startswith("no-store")


@pytest.mark.parametrize(
    "page", ["/admin/notices/notice/", "/admin/outbox/outboxmessage/", "/admin/workflow/open311client/"]
)
def test_unscoped_admin_pages_are_closed_to_staff_who_are_not_superusers(world, client, page):
    from django.contrib.auth.models import Permission

    # Even someone handed Django's model permissions by mistake cannot open rows without a region.
    worker = world.community_worker
    worker.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(worker)
    assert client.get(page).status_code == 403
