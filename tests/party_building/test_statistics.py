"""The dashboard figures of party building, checked against a hand count: members by
organization, kind, age band and education; organizations by kind with and without a full
committee; meetings on time, late and missed per quarter; in-service members reported and
active; service hours. Rows of the sibling community, of other years, transferred-out members
and dissolved organizations are the traps."""

from __future__ import annotations

from datetime import date

from core.extensions.registry import registry
from party_building import statistics
from party_building.models import Member, Officer
from party_building.timeline import party_entries
from tests.party_building import factories as f
from tests.world import make_resident_record

TODAY = date(2026, 6, 15)


def _elected_committee(branch):
    election = f.election(branch, candidates=0)
    for post in ("secretary", "committee_member", "committee_member"):
        Officer.objects.create(
            organization=branch,
            member=f.member(branch),
            post=post,
            starts_on=date(2025, 1, 1),
            election=election,
        )


def test_members_by_organization_kind_age_band_and_education(world):
    b1, b2 = f.organization(world.grid_a1), f.organization(world.grid_a2)
    f.member(b1, birth=date(1995, 1, 1), education="university")  # 31
    f.member(b1, birth=date(1980, 6, 16), education="college")  # 45, the birthday is tomorrow
    f.member(
        b1, kind="probationary", joined_on=date(2026, 1, 1), birth=date(1960, 6, 15), education="secondary"
    )  # 66
    f.member(b2, birth=date(1970, 6, 15))  # 56 today
    Member.objects.create(
        organization=b2,
        region=b2.region,
        region_path=b2.region_path,
        outside_name="赵六",
        outside_birth_date=date(1966, 6, 16),  # 59
        kind="full",
        joined_on=date(2000, 1, 1),
        full_on=date(2001, 1, 1),
    )
    f.member(b2, status="transferred_out")
    f.member(f.organization(world.grid_b1))
    figures = statistics.members(world.community_a, TODAY)
    assert figures["total"] == 5
    assert {row["organization"]: row["count"] for row in figures["by_organization"]} == {b1.pk: 3, b2.pk: 2}
    assert figures["by_kind"] == {"full": 4, "probationary": 1}
    assert figures["by_age_band"] == {"35_and_under": 1, "36_45": 1, "56_60": 2, "61_and_over": 1}
    assert figures["by_education"] == {"college": 1, "secondary": 1, "university": 1, "unknown": 2}


def test_organizations_by_kind_with_and_without_a_full_committee(world):
    f.organization(world.community_a, kind="committee")
    b1 = f.organization(world.grid_a1)
    _elected_committee(b1)
    f.organization(world.grid_a2)
    f.organization(world.grid_a1, kind="group", parent=b1)
    f.organization(world.grid_a1, dissolved_on=date(2025, 1, 1))
    f.organization(world.grid_b1)
    figures = statistics.organizations(world.community_a, TODAY)
    assert figures == {
        "total": 4,
        "by_kind": {
            "branch": {"total": 2, "with_committee": 1, "without_committee": 1},
            "committee": {"total": 1, "with_committee": 0, "without_committee": 1},
            "group": {"total": 1, "with_committee": 0, "without_committee": 1},
        },
    }


def test_meetings_on_time_late_and_missed_per_quarter(world):
    b1, b2, sibling = (
        f.organization(world.grid_a1),
        f.organization(world.grid_a2),
        f.organization(world.grid_b1),
    )
    q1 = {"period_start": date(2026, 1, 1), "due_on": date(2026, 3, 31)}
    f.meeting(b1, kind="party_lesson", status="held", held_on=date(2026, 3, 20), **q1)
    f.meeting(b1, kind="general_meeting", status="held", held_on=date(2026, 4, 2), **q1)
    f.meeting(b2, kind="party_lesson", status="missed", **q1)
    f.meeting(
        b1,
        kind="theme_day",
        period_start=date(2026, 5, 1),
        due_on=date(2026, 5, 31),
        status="held",
        held_on=date(2026, 5, 10),
    )
    f.meeting(b2, kind="theme_day", period_start=date(2026, 6, 1), due_on=date(2026, 6, 30))
    f.meeting(sibling, kind="party_lesson", status="missed", **q1)
    f.meeting(
        b1, kind="party_lesson", period_start=date(2025, 10, 1), due_on=date(2025, 12, 31), status="missed"
    )
    figures = statistics.meetings(world.community_a, TODAY)
    assert figures == {
        "year": 2026,
        "quarters": [
            {"quarter": 1, "on_time": 1, "late": 1, "missed": 1},
            {"quarter": 2, "on_time": 1, "late": 0, "missed": 0},
            {"quarter": 3, "on_time": 0, "late": 0, "missed": 0},
            {"quarter": 4, "on_time": 0, "late": 0, "missed": 0},
        ],
    }


def test_in_service_members_reported_and_active_and_service_hours(world):
    a, b, c = (make_resident_record(world.grid_a1) for _ in range(3))
    served = f.report(world.community_a, a, year=2026)
    f.service(served, a, hours="2.0", served_on=date(2026, 5, 1))
    f.service(served, a, hours="1.5", served_on=date(2026, 6, 1))
    f.report(world.community_a, b, year=2026)
    served_last_year = f.report(world.community_a, c, year=2026)
    f.service(served_last_year, c, hours="3.0", served_on=date(2025, 12, 1))
    f.report(world.community_a, year=2025)
    f.service(
        f.post(world.grid_b1), make_resident_record(world.grid_b1), hours="4.0", served_on=date(2026, 5, 1)
    )
    assert statistics.in_service(world.community_a, TODAY) == {
        "year": 2026,
        "reported": 3,
        "active": 1,
        "inactive": 2,
    }
    assert statistics.service_hours(world.community_a, TODAY) == {
        "year": 2026,
        "this_year": "3.5",
        "total": "6.5",
    }
    assert statistics.service_hours(world.street, TODAY)["this_year"] == "7.5"


def test_the_metrics_are_declared_and_the_timeline_shows_a_members_party_events(world):
    declared = {item.key for item in registry.items("dashboard_metrics")}
    assert {
        "party_building.members",
        "party_building.organizations",
        "party_building.meetings",
        "party_building.in_service",
        "party_building.service_hours",
    } <= declared
    branch, other = f.organization(world.grid_a1), f.organization(world.grid_a1)
    member = f.member(branch, resident=world.applicant, joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1))
    from party_building.members import member_transfer

    member_transfer(
        actor=world.community_worker, member=member, to_organization=other.pk, transferred_on=date(2024, 3, 1)
    )
    entries = party_entries([world.household.pk], limit=10)
    assert sorted((e["kind"], e["date"]) for e in entries) == [
        ("party.full_member", date(2011, 7, 1)),
        ("party.joined", date(2010, 7, 1)),
        ("party.transfer_within", date(2024, 3, 1)),
    ]
    assert {e["resident_id"] for e in entries} == {world.applicant.pk}
