"""A community worker's "today" list (GET /api/v1/accounts/me/today/): what is due for the
caller from every app's provider, only within their places, overdue first, bounded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.accounts.roles import Role
from core.accounts.today import TodayItem, today_for
from core.extensions import EventType, TodayProvider
from core.extensions.registry import registry
from core.workflow.models import Event
from tests.affairs.scope_cases import _application
from tests.helpers import assert_error, client_for
from tests.world import build_world, make_resident_user, make_staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/me/today/"
HOME_VISIT = EventType(
    key="tests.home_visit",
    name="Home visit",
    domain="tests",
    sla_working_days=2,
    handler_role=Role.COMMUNITY_WORKER,
)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def home_visits():
    with registry.temporarily("tests", HOME_VISIT):
        yield


def event_in(grid, *, type_key="workflow.general_request", **fields) -> Event:
    from core.workflow.services import event_report

    event, _merged = event_report(
        reporter=None, type_key=type_key, source="patrol", title="楼道堆物", grid=grid
    )
    if fields:
        Event.objects.filter(pk=event.pk).update(**fields)
        event.refresh_from_db()
    return event


def listed(user) -> list[tuple[str, str]]:
    response = client_for(user).get(URL)
    assert response.status_code == 200, response.content
    return [(row["kind"], row["object_id"]) for row in response.json()["results"]]


def test_events_assigned_to_me_that_fall_due_today_or_are_overdue_are_listed_overdue_first(world):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    now = timezone.now()
    overdue = event_in(world.grid_a1, assignee=worker, state="assigned", deadline=now - timedelta(days=1))
    due_today = event_in(
        world.grid_a1, assignee=worker, state="in_progress", deadline=now + timedelta(minutes=1)
    )
    event_in(world.grid_a1, assignee=worker, state="assigned", deadline=now + timedelta(days=3))  # not yet
    event_in(world.grid_a1, assignee=worker, state="closed", deadline=now - timedelta(days=1))  # done
    response = client_for(worker).get(URL)
    body = response.json()
    assert [(row["object_id"], row["overdue"]) for row in body["results"]] == [
        (str(overdue.pk), True),
        (str(due_today.pk), False),
    ]
    assert body["truncated"] is False and body["limit"] == 100
    assert body["results"][0]["url"] == f"/api/v1/events/{overdue.pk}/"


def test_events_waiting_for_my_role_at_my_community_are_listed_and_the_sibling_communitys_are_not(
    world, home_visits
):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    mine = event_in(world.grid_a1, type_key="tests.home_visit")
    event_in(world.grid_b1, type_key="tests.home_visit")  # the sibling community's
    event_in(world.grid_a1)  # a grid worker's type: waiting for the grid, not for me
    escalated_here = event_in(world.grid_a1, state="escalated", escalated_to=world.community_a)
    event_in(world.grid_b1, state="escalated", escalated_to=world.community_b)
    assert sorted(listed(worker)) == sorted(
        [("workflow.event", str(mine.pk)), ("workflow.event", str(escalated_here.pk))]
    )
    sibling_worker = make_staff(Role.COMMUNITY_WORKER, world.community_b)
    assert ("workflow.event", str(mine.pk)) not in listed(sibling_worker)


def test_applications_waiting_for_my_step_at_my_level_are_listed_once_as_applications(world):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    street = make_staff(Role.STREET_STAFF, world.street)
    submitted = _application(world, world.community_a)  # intake: the community's step (dibao)
    in_review = _application(world, world.community_a, stage="review")  # the street's step
    _application(world, world.community_b)  # the sibling community's
    awaiting = _application(world, world.community_a, stage="investigation")
    awaiting.missing = ["hukou"]
    awaiting.save(update_fields=["missing"])
    _application(world, world.community_a, stage="publicity")  # publicity still runs: nobody's step
    assert listed(worker) == [("affairs.application", str(submitted.pk))]
    assert listed(street) == [("affairs.application", str(in_review.pk))]


def test_open_rechecks_of_my_community_are_listed_as_rechecks(world):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    recheck = event_in(world.grid_a1, type_key="affairs.benefit_recheck")
    event_in(world.grid_b1, type_key="affairs.benefit_recheck")
    assert listed(worker) == [("affairs.benefit_recheck", str(recheck.pk))]


def test_a_resident_has_an_empty_list_and_a_stranger_the_one_error_shape(world):
    resident = make_resident_user(world.grid_a1)
    event_in(world.grid_a1)
    assert listed(resident) == []
    from rest_framework.test import APIClient

    assert_error(APIClient().get(URL), 401, "not_authenticated")


LATER = timezone.now() + timedelta(days=1)


def three_visits(user, *, limit):
    return [
        TodayItem("tests.visit", str(n), "/1/", f"入户走访 {n}", LATER - timedelta(hours=n), "/x/")
        for n in range(3)
    ][:limit]


def test_the_list_is_bounded_most_urgent_first_and_says_when_there_was_more(world):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    overdue = event_in(
        world.grid_a1, assignee=worker, state="assigned", deadline=timezone.now() - timedelta(1)
    )
    with registry.temporarily(
        "tests", TodayProvider(key="tests.visits", provider=f"{__name__}.three_visits")
    ):
        items, truncated = today_for(worker, limit=3)
        assert truncated is True
        assert [(i.kind, i.object_id) for i in items] == [
            ("workflow.event", str(overdue.pk)),
            ("tests.visit", "2"),
            ("tests.visit", "1"),
        ]
        assert listed(worker)[1:] == [("tests.visit", "2"), ("tests.visit", "1"), ("tests.visit", "0")]


def test_the_route_is_in_the_openapi_schema(world):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    schema = client_for(worker).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/accounts/me/today/"]["get"]
    assert operation["tags"] == ["accounts"]
    assert "200" in operation["responses"]
