"""Who sees a notice: the recipient; or everyone holding the role at the region or below it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from core.notices.models import Notice
from core.notices.selectors import notice_list, unread_count
from core.notices.services import assign_cursors, notify
from tests.world import grant, make_user

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return set(Notice.objects.visible_to(user).values_list("title", flat=True))


def send(**kwargs) -> Notice:
    notice = notify(kind="notices.system", **kwargs)
    assign_cursors()  # what the commit would do
    return notice


def test_a_notice_to_a_community_never_reaches_the_sibling_community(world):
    send(title="for A", region=world.community_a, role=Role.COMMUNITY_WORKER)
    send(title="for B", region=world.community_b, role=Role.COMMUNITY_WORKER)
    assert visible(world.community_worker) == {"for A"}
    assert visible(world.worker_b) == {"for B"}


def test_a_notice_to_the_street_reaches_the_role_in_every_community_below(world):
    send(title="all community workers under the street", region=world.street, role=Role.COMMUNITY_WORKER)
    assert (
        visible(world.community_worker)
        == visible(world.worker_b)
        == {"all community workers under the street"}
    )
    # Other roles under the street, and the street's own staff, are not addressed.
    assert visible(world.grid_worker) == set()
    assert visible(world.street_staff) == set()
    assert visible(world.no_role_user) == set()


def test_a_notice_below_the_holders_region_does_not_reach_them(world):
    send(title="grid workers of grid A1", region=world.grid_a1, role=Role.GRID_WORKER)
    send(title="community workers of grid A1", region=world.grid_a1, role=Role.COMMUNITY_WORKER)
    assert visible(world.grid_worker) == {"grid workers of grid A1"}
    # worker_a holds the role at community A, above the grid: "at the region or below" excludes them.
    assert visible(world.community_worker) == set()


def test_a_notice_to_a_user_is_theirs_alone(world):
    send(title="personal", user=world.community_worker)
    assert visible(world.community_worker) == {"personal"}
    assert visible(world.worker_b) == visible(world.street_staff) == set()


def test_an_ended_assignment_stops_region_notices_and_a_new_one_does_not_inherit_the_backlog(world):
    send(title="before", region=world.community_a, role=Role.COMMUNITY_WORKER)
    today = timezone.localdate()
    RoleAssignment.objects.filter(user=world.community_worker).update(
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1)
    )
    world.community_worker = type(world.community_worker).objects.get(pk=world.community_worker.pk)
    assert visible(world.community_worker) == set()

    newcomer = make_user(username="newcomer")
    grant(
        newcomer, Role.COMMUNITY_WORKER, world.community_a, starts_on=timezone.localdate() + timedelta(days=1)
    )
    assert visible(newcomer) == set()  # not in force yet
    Notice.objects.update(created_at=timezone.now() - timedelta(days=3))
    RoleAssignment.objects.filter(user=newcomer).update(starts_on=timezone.localdate())
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert visible(newcomer) == set()  # sent before the assignment started
    send(title="after", region=world.community_a, role=Role.COMMUNITY_WORKER)
    assert visible(newcomer) == {"after"}


def test_a_notice_without_a_cursor_is_not_listed_yet(world):
    notify(kind="notices.system", title="in an open transaction elsewhere", user=world.community_worker)
    assert visible(world.community_worker) == set()
    assert unread_count(user=world.community_worker) == 0
    assign_cursors()
    assert visible(world.community_worker) == {"in an open transaction elsewhere"}


def test_read_state_is_per_user_for_a_region_notice(world):
    from core.notices.services import notice_mark_read

    notice = send(title="shared", region=world.street, role=Role.COMMUNITY_WORKER)
    notice_mark_read(user=world.community_worker, notice_id=notice.pk)
    assert unread_count(user=world.community_worker) == 0
    assert unread_count(user=world.worker_b) == 1
    rows_a, _ = notice_list(user=world.community_worker, limit=10)
    rows_b, _ = notice_list(user=world.worker_b, limit=10)
    assert [n.is_read for n in rows_a] == [True]
    assert [n.is_read for n in rows_b] == [False]
