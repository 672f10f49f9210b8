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
from tests.core.notices.factories import make_user

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return set(Notice.objects.visible_to(user).values_list("title", flat=True))


def send(**kwargs) -> Notice:
    notice = notify(kind="notices.system", **kwargs)
    assign_cursors()  # what the commit would do
    return notice


def test_a_notice_to_a_community_never_reaches_the_sibling_community(tree, people):
    send(title="for A", region=tree.community_a, role=Role.COMMUNITY_WORKER)
    send(title="for B", region=tree.community_b, role=Role.COMMUNITY_WORKER)
    assert visible(people.worker_a) == {"for A"}
    assert visible(people.worker_b) == {"for B"}


def test_a_notice_to_the_street_reaches_the_role_in_every_community_below(tree, people):
    send(title="all community workers under the street", region=tree.street, role=Role.COMMUNITY_WORKER)
    assert visible(people.worker_a) == visible(people.worker_b) == {"all community workers under the street"}
    # Other roles under the street, and the street's own staff, are not addressed.
    assert visible(people.grid_worker_a) == set()
    assert visible(people.street_staff) == set()
    assert visible(people.resident) == set()


def test_a_notice_below_the_holders_region_does_not_reach_them(tree, people):
    send(title="grid workers of grid A1", region=tree.grid_a, role=Role.GRID_WORKER)
    send(title="community workers of grid A1", region=tree.grid_a, role=Role.COMMUNITY_WORKER)
    assert visible(people.grid_worker_a) == {"grid workers of grid A1"}
    # worker_a holds the role at community A, above the grid: "at the region or below" excludes them.
    assert visible(people.worker_a) == set()


def test_a_notice_to_a_user_is_theirs_alone(people):
    send(title="personal", user=people.worker_a)
    assert visible(people.worker_a) == {"personal"}
    assert visible(people.worker_b) == visible(people.street_staff) == set()


def test_an_ended_assignment_stops_region_notices_and_a_new_one_does_not_inherit_the_backlog(tree, people):
    send(title="before", region=tree.community_a, role=Role.COMMUNITY_WORKER)
    today = timezone.localdate()
    RoleAssignment.objects.filter(user=people.worker_a).update(
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1)
    )
    people.worker_a = type(people.worker_a).objects.get(pk=people.worker_a.pk)
    assert visible(people.worker_a) == set()

    newcomer = make_user(
        "newcomer",
        Role.COMMUNITY_WORKER,
        tree.community_a,
        starts_on=timezone.localdate() + timedelta(days=1),
    )
    assert visible(newcomer) == set()  # not in force yet
    Notice.objects.update(created_at=timezone.now() - timedelta(days=3))
    RoleAssignment.objects.filter(user=newcomer).update(starts_on=timezone.localdate())
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert visible(newcomer) == set()  # sent before the assignment started
    send(title="after", region=tree.community_a, role=Role.COMMUNITY_WORKER)
    assert visible(newcomer) == {"after"}


def test_a_notice_without_a_cursor_is_not_listed_yet(people):
    notify(kind="notices.system", title="in an open transaction elsewhere", user=people.worker_a)
    assert visible(people.worker_a) == set()
    assert unread_count(user=people.worker_a) == 0
    assign_cursors()
    assert visible(people.worker_a) == {"in an open transaction elsewhere"}


def test_read_state_is_per_user_for_a_region_notice(tree, people):
    from core.notices.services import notice_mark_read

    notice = send(title="shared", region=tree.street, role=Role.COMMUNITY_WORKER)
    notice_mark_read(user=people.worker_a, notice_id=notice.pk)
    assert unread_count(user=people.worker_a) == 0
    assert unread_count(user=people.worker_b) == 1
    rows_a, _ = notice_list(user=people.worker_a, limit=10)
    rows_b, _ = notice_list(user=people.worker_b, limit=10)
    assert [n.is_read for n in rows_a] == [True]
    assert [n.is_read for n in rows_b] == [False]
