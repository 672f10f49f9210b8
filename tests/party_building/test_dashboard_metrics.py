"""Party building's dashboard metrics are kept in the summary tables (per_node, rolled up): at a
community, its street and its district they hold what each metric's old compute answered (this
year's meetings by quarter, summed); and a save of each source model marks its community."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from party_building import statistics
from tests.core.dashboards.per_node import assert_rolls_up_like_compute, marked_by
from tests.party_building import factories as f
from tests.world import make_resident_record


@pytest.fixture
def party_data(world):
    """Rows across the world's grids, with the traps: transferred-out members, dissolved
    organizations, last year's meetings, reports and hours."""
    year = timezone.localdate().year
    b1, b2, sibling = (f.organization(g) for g in (world.grid_a1, world.grid_a2, world.grid_b1))
    f.organization(world.community_a, kind="committee")
    f.organization(world.grid_a1, dissolved_on=date(year - 1, 1, 1))
    for org, count in ((b1, 3), (b2, 2), (sibling, 1)):
        for _ in range(count):
            f.member(org)
    f.member(b2, status="transferred_out")
    q1 = {"period_start": date(year, 1, 1), "due_on": date(year, 3, 31)}
    f.meeting(b1, kind="party_lesson", status="held", held_on=date(year, 3, 20), **q1)
    f.meeting(b1, kind="general_meeting", status="held", held_on=date(year, 4, 2), **q1)
    f.meeting(b2, kind="party_lesson", status="missed", **q1)
    f.meeting(sibling, kind="party_lesson", status="missed", **q1)
    f.meeting(sibling, kind="general_meeting", status="held", held_on=date(year, 3, 1), **q1)
    f.meeting(
        b1,
        kind="party_lesson",
        period_start=date(year - 1, 10, 1),
        due_on=date(year - 1, 12, 31),
        status="missed",
    )
    a, b, c = (make_resident_record(world.grid_a1) for _ in range(3))
    served = f.report(world.community_a, a, year=year)
    f.service(served, a, hours="2.0", served_on=date(year, 1, 5))
    f.service(served, a, hours="1.5", served_on=date(year, 1, 6))
    f.report(world.community_a, b, year=year)
    last_year = f.report(world.community_a, c, year=year)
    f.service(last_year, c, hours="3.0", served_on=date(year - 1, 12, 1))
    f.report(world.community_a, year=year - 1)
    other = make_resident_record(world.grid_b1)
    f.service(f.report(world.community_b, other, year=year), other, hours="1.0", served_on=date(year, 1, 2))
    f.service(
        f.post(world.grid_b1), make_resident_record(world.grid_b1), hours="4.0", served_on=date(year, 1, 3)
    )
    return [world.community_a, world.community_b, world.street, world.district]


def meetings_summed(region) -> dict:
    """compute's quarters of this year, summed: on time, late, missed, and the three ("")."""
    quarters = statistics.meetings(region)["quarters"]
    parts = {part: sum(q[part] for q in quarters) for part in ("on_time", "late", "missed")}
    return {"": sum(parts.values()), **parts}


def test_each_metric_rolls_up_to_what_compute_answers(party_data):
    community_a, _community_b, street, _district = party_data
    assert (
        statistics.members(street)["total"] == 6
        and statistics.service_hours(community_a)["this_year"] == "3.5"
    )
    assert_rolls_up_like_compute("party_building.members", party_data, headline="total")
    assert_rolls_up_like_compute("party_building.organizations", party_data, headline="total")
    assert_rolls_up_like_compute("party_building.meetings", party_data, expected=meetings_summed)
    assert meetings_summed(street) == {"": 5, "on_time": 2, "late": 1, "missed": 2}
    assert_rolls_up_like_compute(
        "party_building.in_service", party_data, headline="reported", left_out=("year",)
    )
    assert_rolls_up_like_compute(
        "party_building.service_hours", party_data, headline="total", left_out=("year",)
    )


def test_a_save_of_each_source_marks_its_community(world):
    a, b = world.community_a.pk, world.community_b.pk
    assert marked_by(lambda: f.organization(world.grid_a1)) == [a]
    branch = f.organization(world.grid_b1)
    assert marked_by(lambda: f.member(branch)) == [b]
    assert marked_by(lambda: f.meeting(branch, status="missed")) == [b]
    resident = make_resident_record(world.grid_a2)
    assert marked_by(lambda: f.report(world.community_a, resident)) == [a]
    post = f.post(world.grid_b1)
    assert marked_by(lambda: f.service(post, resident)) == [b]


def test_a_service_done_elsewhere_marks_where_it_was_reported_too(world):
    """In-service members count at their report's community: a record of a service done in
    another community refreshes both places at once (not at the next sweep)."""
    from party_building.models import ServiceRecord

    a, b = world.community_a.pk, world.community_b.pk
    member = make_resident_record(world.grid_a1)
    report = f.report(world.community_a, member)
    done_in_b = lambda: ServiceRecord.objects.create(  # noqa: E731
        region_id=world.grid_b1.pk,
        region_path=world.grid_b1.path,
        resident=member,
        report=report,
        served_on=timezone.localdate(),
        hours="1.0",
        activity="帮扶走访",
    )
    assert marked_by(done_in_b) == [a, b]
