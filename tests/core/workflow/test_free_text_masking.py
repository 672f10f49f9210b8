"""An event's title typed with an ID number or a phone spreads into notices, pushes, the today
list, open-work lists and admin pages: everywhere it is masked (issue 13)."""

from __future__ import annotations

from datetime import date

import pytest

from core.accounts.models import RoleAssignment
from core.accounts.open_work import open_work_for
from core.notices.models import Notice
from core.workflow.models import Event
from tests.helpers import client_for
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"


@pytest.fixture
def typed():
    return id_number(date(1975, 3, 9)), mobile()


def _leaks(text: str, number: str, phone: str) -> list[str]:
    return [s for s in (number, number[6:14], phone) if s in text]


@pytest.fixture
def event(world, typed, django_capture_on_commit_callbacks):
    number, phone = typed
    body = {
        "type": "tests.hazard",
        "title": f"{phone}楼道堆物",
        "description": f"报告人身份证{number}，电话 {phone}",
        "house": world.house_a.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.resident_user).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert _leaks(response.content.decode(), number, phone) == []
    created = Event.objects.get(pk=response.json()["id"])
    assert created.title == f"{phone[:3]}****{phone[-4:]}楼道堆物"  # stored masked
    return created


def test_the_event_api_masks_title_and_description(world, event, typed):
    client = client_for(world.lead)
    for url in (f"{URL}{event.pk}/", URL):
        response = client.get(url)
        assert response.status_code == 200
        assert _leaks(response.content.decode(), *typed) == [], url
    assert client.get(f"{URL}{event.pk}/").json()["title"].startswith(typed[1][:3] + "****")


def test_notices_pushes_and_the_today_list_are_masked(world, event, typed):
    notices = list(Notice.objects.all())
    assert notices, "reporting an event tells someone"
    for notice in notices:  # what the inbox, the websocket push and SMS read
        assert _leaks(notice.title + notice.body, *typed) == []
    recipient = notices[0].recipient or world.lead
    assert _leaks(client_for(recipient).get("/api/v1/notices/").content.decode(), *typed) == []
    assert _leaks(client_for(world.lead).get("/api/v1/accounts/me/today/").content.decode(), *typed) == []


def test_open_work_lists_are_masked(world, event, typed):
    assignment = RoleAssignment.objects.filter(user=event.assignee or world.lead).first()
    described = [item.as_dict()["description"] for item in open_work_for(assignment)]
    assert any(str(event.pk) in text for text in described)
    assert _leaks(" ".join(described), *typed) == []


def test_admin_pages_show_the_title_masked(client, event, typed):
    from tests.affairs.test_admin import superuser

    superuser(client)
    pages = ("/admin/workflow/event/", f"/admin/workflow/event/{event.pk}/change/", "/admin/notices/notice/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.content.decode(), *typed) == [], url
