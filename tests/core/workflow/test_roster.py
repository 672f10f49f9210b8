"""The on-duty roster (值班表): kept by the community and the street, validated, scoped, audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.accounts.roles import Role
from core.api.errors import NOT_FOUND_IN_PAYLOAD, ApplicationError, Conflict
from core.audit.models import AuditEvent
from core.workflow import roster
from core.workflow.models import DutyShift
from tests.helpers import assert_error, client_for
from tests.world import make_staff as staff

URL = "/api/v1/events/duty-shifts/"


def tonight(hours_from_now: float = 1, length: float = 12) -> tuple[datetime, datetime]:
    start = timezone.now() + timedelta(hours=hours_from_now)
    return start, start + timedelta(hours=length)


def add(world, actor=None, region=None, user=None, times=None, **kwargs):
    starts_at, ends_at = times or tonight()
    return roster.duty_shift_add(
        actor=actor or world.secretary,
        region=region or world.community_a,
        user_id=(user or world.community_worker).pk,
        starts_at=starts_at,
        ends_at=ends_at,
        **kwargs,
    )


def fields_of(error) -> set[str]:
    return set(error.value.fields)


# services --------------------------------------------------------------------------------------


def test_the_secretary_puts_a_community_worker_on_duty_and_it_is_audited(world):
    shift = add(world, note="夜间值班")
    assert shift.region_path == world.community_a.path and shift.created_by == world.secretary
    audit = AuditEvent.objects.get(action="workflow.duty_shift.add")
    assert audit.object_id == str(shift.pk) and audit.region_path == shift.region_path


def test_a_grid_worker_under_the_community_may_be_on_duty_there_but_not_at_the_sibling(world):
    add(world, user=world.grid_worker)
    with pytest.raises(ApplicationError) as error:
        add(world, actor=world.street_staff, region=world.community_b, user=world.grid_worker)
    assert fields_of(error) == {"user"}  # a person the street sees, but without a role there


def test_a_person_outside_the_keepers_scope_is_not_found(world):
    with pytest.raises(ApplicationError) as error:
        add(world, user=world.worker_b)
    # The same answer as for an id that does not exist: whether the person exists does not leak.
    assert error.value.fields == {"user": [NOT_FOUND_IN_PAYLOAD]}


def test_a_roster_belongs_to_a_community_or_a_street(world):
    with pytest.raises(ApplicationError) as error:
        add(world, region=world.grid_a1, user=world.grid_worker)
    assert fields_of(error) == {"region"}


def test_the_community_does_not_keep_the_streets_roster(world):
    with pytest.raises(ApplicationError) as error:
        add(world, actor=world.community_worker, region=world.street, user=world.street_staff)
    assert fields_of(error) == {"region"}


def test_a_street_keeps_its_own_roster(world):
    shift = add(world, actor=world.street_staff, region=world.street, user=world.street_staff)
    assert roster.on_duty_now(world.street, shift.starts_at) == [world.street_staff]


@pytest.mark.parametrize(
    "times, field",
    [
        ((2, -1), "ends_at"),  # ends before it starts
        ((-5, 2), "ends_at"),  # over already
        ((1, 24 * 8), "ends_at"),  # longer than seven days
    ],
)
def test_the_times_of_a_shift_are_checked(world, times, field):
    start = timezone.now() + timedelta(hours=times[0])
    with pytest.raises(ApplicationError) as error:
        add(world, times=(start, start + timedelta(hours=times[1])))
    assert fields_of(error) == {field}


def test_a_person_whose_role_ends_before_the_shift_cannot_take_it(world):
    from core.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=world.community_worker).update(ends_on=timezone.localdate())
    with pytest.raises(ApplicationError) as error:
        add(world, times=tonight(hours_from_now=48))
    assert fields_of(error) == {"user"}


def test_one_persons_shifts_at_one_node_do_not_overlap_but_two_people_may_share_one(world):
    first = add(world)
    with pytest.raises(Conflict):
        add(world, times=(first.starts_at + timedelta(hours=2), first.ends_at + timedelta(hours=2)))
    add(world, user=world.secretary, times=(first.starts_at, first.ends_at))
    assert roster.on_duty_now(world.community_a, first.starts_at) == [
        world.community_worker,
        world.secretary,
    ]
    # Back to back is not an overlap.
    add(world, times=(first.ends_at, first.ends_at + timedelta(hours=8)))


def test_ending_a_shift_takes_the_person_off_duty_and_twice_is_a_conflict(world):
    shift = add(world, times=(timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=5)))
    assert roster.on_duty_now(world.community_a) == [world.community_worker]
    roster.duty_shift_end(actor=world.secretary, shift=shift)
    assert roster.on_duty_now(world.community_a) == []
    with pytest.raises(Conflict):
        roster.duty_shift_end(actor=world.secretary, shift=shift)
    # An ended shift no longer blocks a new one for the same person.
    add(world, times=tonight())


# API -------------------------------------------------------------------------------------------


def body(world, region=None, user=None, times=None) -> dict:
    starts_at, ends_at = times or tonight()
    return {
        "region": (region or world.community_a).pk,
        "user": (user or world.community_worker).pk,
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
    }


def test_create_list_and_end_through_the_api(world):
    client = client_for(world.community_worker)
    created = client.post(URL, body(world), format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["user"] == world.community_worker.pk and row["on_duty_now"] is False
    listed = client.get(URL).json()
    assert {"results", "next"} <= set(listed) and [r["id"] for r in listed["results"]] == [row["id"]]
    ended = client.post(f"{URL}{row['id']}/end/")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert_error(client.post(f"{URL}{row['id']}/end/"), 409, "shift_over")


def test_the_list_filters_who_is_on_duty_at_a_time(world):
    night = add(world, times=tonight(hours_from_now=1))
    add(world, user=world.secretary, times=tonight(hours_from_now=20))
    at = (night.starts_at + timedelta(minutes=30)).isoformat()
    rows = client_for(world.secretary).get(URL, {"on_duty_at": at}).json()["results"]
    assert [r["id"] for r in rows] == [night.pk]
    rows = client_for(world.secretary).get(URL, {"user": world.secretary.pk}).json()["results"]
    assert [r["user"] for r in rows] == [world.secretary.pk]


def test_a_shift_of_the_sibling_community_is_404_and_placing_one_there_is_400(world):
    other = add(world, actor=world.worker_b, region=world.community_b, user=world.worker_b)
    client = client_for(world.community_worker)
    assert_error(client.get(f"{URL}{other.pk}/"), 404, "not_found")
    assert_error(client.post(f"{URL}{other.pk}/end/"), 404, "not_found")
    assert other.pk not in [r["id"] for r in client.get(URL).json()["results"]]
    refused = client.post(URL, body(world, region=world.community_b, user=world.worker_b), format="json")
    missing = client.post(URL, body(world, region=world.community_b), format="json")
    nowhere = client.post(URL, {**body(world), "region": 999999}, format="json")
    assert_error(refused, 400, "invalid", ["region"])
    assert refused.json()["error"]["message"] == missing.json()["error"]["message"]
    assert refused.json()["error"] == nowhere.json()["error"]
    assert not DutyShift.objects.filter(region=world.community_b).exclude(pk=other.pk).exists()


def test_a_resident_and_a_grid_worker_cannot_keep_the_roster(world):
    assert_error(client_for(world.resident_user).get(URL), 403, "permission_denied")
    refused = client_for(world.grid_worker).post(URL, body(world, user=world.grid_worker), format="json")
    assert_error(refused, 400, "invalid", ["region"])


def test_a_district_keeper_may_put_street_staff_on_the_streets_roster(world):
    district = staff(Role.DISTRICT_STAFF, world.district, username="district")
    response = client_for(district).post(
        URL, body(world, region=world.street, user=world.street_staff), format="json"
    )
    assert response.status_code == 201, response.content


def test_shifts_not_over_follow_their_community_when_communities_merge_and_past_ones_stay(world):
    """DutyShift declares FollowsRegion(current="not_over"): the re-path of a merge moves the
    shifts still to come and leaves the ones over where they happened."""
    from core.regions.services import community_merge

    coming = add(world)
    past = add(world, user=world.secretary, times=tonight())
    DutyShift.objects.filter(pk=past.pk).update(ended_at=timezone.now())
    old = world.community_a.path
    community_merge(actor=None, source=world.community_a, target=world.community_b)
    coming.refresh_from_db()
    past.refresh_from_db()
    assert (coming.region_id, coming.region_path) == (world.community_b.pk, world.community_b.path)
    assert (past.region_id, past.region_path) == (world.community_a.pk, old)
