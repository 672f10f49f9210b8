"""Community safety's dashboard metrics are kept in the summary tables (per_node, rolled up): at
a community, its street and its district they hold what each metric's old compute answered; a
save of each source model marks its community, and so do the writes that send no signal (a
device flagged offline or back online, an incident's receipts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.accounts.roles import Role
from safety import inspections
from safety.alarms import device_seen
from safety.emergency import incident_broadcast
from safety.models import CareRecipient, Device, Finding, IncidentReceipt
from safety.offline import devices_mark_offline
from tests.core.dashboards.per_node import assert_rolls_up_like_compute, marked_by
from tests.safety.factories import device
from tests.world import make_resident_record

pytestmark = pytest.mark.django_db

# Each metric's headline (part "") among compute's figures (None: compute answers a number).
METRICS = {
    "safety.open_hazards": "total",
    "safety.rectified_on_time": "on_time",
    "safety.devices_offline": None,
    "safety.incidents_acknowledged": "acknowledged",
    "safety.care_contacts_missed": None,
}


def hazard(world, house):
    actor = world.grid_worker if house == world.house_a else world.worker_b
    made = inspections.round_open(actor=actor, kind="fire", place_kind="house", house=house.pk)
    return inspections.finding_record(actor=actor, round=made, item="fire_passage", severity="medium")


def care_recipient(grid, *, due_in_days: int, ended: bool = False):
    today = timezone.localdate()
    return CareRecipient.objects.create(
        resident=make_resident_record(grid), category="living_alone", contact_every_days=3,
        next_contact_due=today + timedelta(days=due_in_days), ended_on=today if ended else None,
        region=grid, region_path=grid.path,
    )  # fmt: skip


@pytest.fixture
def safety_data(world):
    now = timezone.now()
    for house in (world.house_a, world.house_a, world.house_a, world.house_b, world.house_b):
        hazard(world, house)
    a_findings = list(Finding.objects.filter(region_path__startswith=world.community_a.path))
    Finding.objects.filter(pk=a_findings[0].pk).update(deadline=now - timedelta(days=1))  # overdue
    for finding, late in ((a_findings[1], False), (a_findings[2], True)):
        Finding.objects.filter(pk=finding.pk).update(
            status=Finding.Status.RECTIFIED, rectified_at=finding.deadline + timedelta(days=1 if late else -1)
        )
    b_finding = Finding.objects.filter(region_path__startswith=world.community_b.path).first()
    Finding.objects.filter(pk=b_finding.pk).update(status=Finding.Status.RECTIFIED, rectified_at=now)
    for house, offline, retired in (
        (world.house_a, True, False), (world.house_a, False, False), (world.house_b, True, False),
        (world.house_b, True, True),
    ):  # fmt: skip
        made = device(house)
        Device.objects.filter(pk=made.pk).update(
            offline_since=now if offline else None, retired_at=now if retired else None
        )
    for region in (world.community_a, world.street):
        incident_broadcast(
            actor=world.secretary if region == world.community_a else world.street_staff,
            region=region.pk, roles=[Role.GRID_WORKER, Role.COMMUNITY_WORKER], title="防汛", body="",
            reminder_minutes=15,
        )  # fmt: skip
    first = IncidentReceipt.objects.filter(region_path=world.community_a.path).first()
    IncidentReceipt.objects.filter(pk=first.pk).update(acknowledged_at=now)
    care_recipient(world.grid_a1, due_in_days=-2)
    care_recipient(world.grid_a2, due_in_days=-1)
    care_recipient(world.grid_a1, due_in_days=-5, ended=True)
    care_recipient(world.grid_b1, due_in_days=0)
    care_recipient(world.grid_b1, due_in_days=-3)
    return [world.community_a, world.community_b, world.street, world.district]


def test_each_metric_rolls_up_to_what_compute_answers(safety_data):
    for key, headline in METRICS.items():
        assert_rolls_up_like_compute(key, safety_data, headline=headline)


def test_a_save_of_each_source_marks_its_community(world):
    a, b = world.community_a.pk, world.community_b.pk
    assert marked_by(lambda: hazard(world, world.house_b)) == [b]
    made = device(world.house_a)
    assert marked_by(lambda: Device.objects.filter(pk=made.pk).update(offline_after=timezone.now())) == []
    assert marked_by(devices_mark_offline) == [a]
    made.refresh_from_db()
    assert marked_by(lambda: device_seen(device=made, at=timezone.now())) == [a]
    made.refresh_from_db()
    assert marked_by(lambda: device_seen(device=made, at=timezone.now())) == []  # online: nothing moved
    assert marked_by(
        lambda: incident_broadcast(
            actor=world.secretary,
            region=a,
            roles=[Role.GRID_WORKER],
            title="防汛",
            body="",
            reminder_minutes=15,
        )
    ) == [a]
    assert marked_by(lambda: care_recipient(world.grid_b1, due_in_days=-1)) == [b]


def test_alarms_of_the_last_30_days_and_their_first_response_roll_up(world):
    from django.db.models import F

    from core.dashboards import summaries
    from core.dashboards.models import Indicator
    from core.workflow.models import Event
    from safety.alarms import alarms_raise
    from tests.core.dashboards.per_node import metric

    now = timezone.now()
    smoke_a = alarms_raise(device=device(world.house_a), kinds=["smoke"], at=now)
    alarms_raise(device=device(world.house_a, kind="gas"), kinds=["gas"], at=now)  # not answered yet
    smoke_b = alarms_raise(device=device(world.house_b), kinds=["smoke"], at=now)
    alarms_raise(device=device(world.house_b), kinds=["smoke"], at=now - timedelta(days=40))  # too old
    Event.objects.filter(pk=smoke_a.event_id).update(accepted_at=F("created_at") + timedelta(minutes=8))
    Event.objects.filter(pk=smoke_b.event_id).update(accepted_at=F("created_at") + timedelta(minutes=90))
    summaries.rebuild([metric("safety.alarms"), metric("safety.alarm_first_response")])

    def cells(key, region):
        rows = Indicator.objects.filter(metric=key, region=region)
        return {row.part: (int(row.value), [int(n) for n in row.histogram]) for row in rows}

    a, b = world.community_a, world.community_b
    assert {p: v for p, (v, _h) in cells("safety.alarms", a).items()} == {"": 2, "smoke": 1, "gas": 1}
    assert {p: v for p, (v, _h) in cells("safety.alarms", b).items()} == {"": 1, "smoke": 1}
    assert {p: v for p, (v, _h) in cells("safety.alarms", world.street).items()} == {
        "": 3,
        "smoke": 2,
        "gas": 1,
    }
    # Buckets (5, 10, 15, 30, 60, 120, …] minutes: 8 falls in the second, 90 in the sixth.
    assert cells("safety.alarm_first_response", a)[""][1] == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert cells("safety.alarm_first_response", b)[""][1] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert cells("safety.alarm_first_response", world.street)[""][1] == [0, 1, 0, 0, 0, 1, 0, 0, 0, 0]


def test_an_alarm_and_its_first_response_mark_their_community(world):
    from core.workflow.models import Event
    from safety.alarms import alarms_raise

    made = device(world.house_b)
    assert marked_by(lambda: alarms_raise(device=made, kinds=["smoke"], at=timezone.now())) == [
        world.community_b.pk
    ]
    event = Event.objects.get(pk=made.alarms.get().event_id)
    event.accepted_at = timezone.now()
    assert marked_by(lambda: event.save(update_fields=["accepted_at"])) == [world.community_b.pk]
