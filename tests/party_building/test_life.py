"""Organizational life (三会一课, 中国共产党支部工作条例（试行）): the schedule from the frequencies, a
reminder before a meeting falls due, a missed meeting becoming an event for the community party
committee, attendance (a probationary member attends but is not in the quorum; leave excuses)
and meetings dated before the branch existed."""

from __future__ import annotations

from datetime import date

from core.accounts.roles import Role
from core.audit.models import AuditEvent
from core.notices.models import Notice
from core.workflow.models import Event
from party_building.life import attendance_summary, check_meetings, meeting_hold, meeting_plan
from party_building.models import Attendance, Meeting, Officer
from tests.helpers import assert_error, client_for
from tests.party_building import factories as f

MEETINGS = "/api/v1/party-building/meetings/"
FREQUENCIES = "/api/v1/party-building/frequencies/"


def test_a_meeting_falling_due_is_reminded_and_a_missed_one_becomes_an_event_once(world):
    branch = f.organization(world.grid_a1, founded_on=date(2025, 2, 1))
    secretary = f.member(branch)
    Officer.objects.create(
        organization=branch, member=secretary, post="secretary", starts_on=date(2025, 2, 1)
    )
    february = meeting_plan(
        actor=world.community_worker, organization=branch.pk, kind="theme_day", planned_on=date(2025, 2, 20)
    )
    meeting_hold(actor=world.community_worker, meeting=february, held_on=date(2025, 2, 20))

    # 26 March: February's was held; March's falls due within the week. Quarterly meetings are
    # not owed for the quarter that began before the branch existed.
    assert check_meetings(date(2025, 3, 26)) == {"reminded": 1, "missed": 0}
    march = Meeting.objects.get(organization=branch, kind="theme_day", period_start=date(2025, 3, 1))
    assert (march.due_on, march.reminded_at is not None) == (date(2025, 3, 31), True)
    due = Notice.objects.filter(kind="party_building.meeting_due")
    assert (
        due.filter(region=world.community_a, role=Role.COMMUNITY_SECRETARY).count() == 1
    )  # the community committee
    assert due.filter(resident=secretary.resident).count() == 1  # the branch secretary
    assert set(Meeting.objects.filter(organization=branch).values_list("kind", flat=True)) == {"theme_day"}

    # 2 April: March's passed unheld: an event for the community secretary, once.
    assert check_meetings(date(2025, 4, 2)) == {"reminded": 0, "missed": 1}
    march.refresh_from_db()
    event = Event.objects.get(type="party_building.meeting_missed")
    assert (march.status, march.missed_event_id, event.region_id) == ("missed", event.pk, world.grid_a1.pk)
    assert (
        Notice.objects.filter(kind="party_building.meeting_missed", resident=secretary.resident).count() == 1
    )
    assert check_meetings(date(2025, 4, 2)) == {"reminded": 0, "missed": 0}
    assert Event.objects.filter(type="party_building.meeting_missed").count() == 1
    # The second quarter's general meeting and party lesson are now owed.
    owed = set(Meeting.objects.filter(organization=branch, status="planned").values_list("kind", "due_on"))
    assert owed == {
        ("theme_day", date(2025, 4, 30)),
        ("general_meeting", date(2025, 6, 30)),
        ("party_lesson", date(2025, 6, 30)),
    }
    # Held late, the missed meeting is held, not on time.
    held = client_for(world.community_worker).post(
        f"{MEETINGS}{march.pk}/hold/", {"held_on": "2025-04-03"}, format="json"
    )
    assert held.status_code == 200, held.content
    assert (held.json()["status"], held.json()["on_time"]) == ("held", False)


def test_an_office_sets_its_own_frequency_ending_one_and_adding_another(world):
    branch = f.organization(world.grid_a1)
    client = client_for(world.secretary)
    made = client.post(
        FREQUENCIES,
        {
            "region": world.community_a.pk,
            "kind": "theme_day",
            "every_months": 2,
            "effective_from": "2025-01-01",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    planned = client.post(
        MEETINGS, {"organization": branch.pk, "kind": "theme_day", "planned_on": "2025-05-10"}, format="json"
    )
    assert (planned.json()["period_start"], planned.json()["due_on"]) == ("2025-05-01", "2025-06-30")
    same_start = {
        "region": world.community_a.pk,
        "kind": "theme_day",
        "every_months": 1,
        "effective_from": "2025-01-01",
    }
    assert_error(client.post(FREQUENCIES, same_start, format="json"), 409, "frequency_exists")
    ended = client.patch(f"{FREQUENCIES}{made.json()['id']}/", {"effective_to": "2025-06-30"}, format="json")
    assert ended.json()["effective_to"] == "2025-06-30"
    # Only the end date can be given: the frequency itself is never edited.
    refused = client.patch(f"{FREQUENCIES}{made.json()['id']}/", {"every_months": 3}, format="json")
    assert_error(refused, 400, "invalid", ["every_months"])
    client.post(FREQUENCIES, {**same_start, "effective_from": "2025-07-01"}, format="json")
    later = client.post(
        MEETINGS, {"organization": branch.pk, "kind": "theme_day", "planned_on": "2025-07-10"}, format="json"
    )
    assert (later.json()["period_start"], later.json()["due_on"]) == ("2025-07-01", "2025-07-31")


def test_a_meeting_dated_before_its_branch_existed_is_refused(world):
    branch = f.organization(world.grid_a1, founded_on=date(2024, 6, 1))
    client = client_for(world.community_worker)
    early = client.post(
        MEETINGS,
        {"organization": branch.pk, "kind": "party_lesson", "planned_on": "2024-05-31"},
        format="json",
    )
    assert_error(early, 400, "before_founded", ["planned_on"])
    meeting = f.meeting(branch, period_start=date(2024, 4, 1), due_on=date(2024, 6, 30))
    held = client.post(f"{MEETINGS}{meeting.pk}/hold/", {"held_on": "2024-05-20"}, format="json")
    assert_error(held, 400, "before_founded", ["held_on"])
    meeting.refresh_from_db()
    assert (
        meeting.status == "planned"
        and not AuditEvent.objects.filter(action__startswith="party_building.meeting").exists()
    )


def test_attendance_counts_probationary_members_but_not_in_the_quorum_and_leave_is_excused(world):
    branch = f.organization(world.grid_a1)
    full_a, full_b, full_c = f.member(branch), f.member(branch), f.member(branch)
    probationary = f.member(branch, kind="probationary", joined_on=date(2024, 9, 1))
    stranger = f.member(f.organization(world.grid_a2))
    meeting = f.meeting(
        branch, kind="general_meeting", period_start=date(2025, 1, 1), due_on=date(2025, 3, 31)
    )
    client = client_for(world.community_worker)
    url = f"{MEETINGS}{meeting.pk}/hold/"
    rows = [
        {"member": full_a.pk, "presence": "present"},
        {"member": full_b.pk, "presence": "leave"},
        {"member": full_c.pk, "presence": "absent"},
        {"member": probationary.pk, "presence": "present"},
    ]
    refused = client.post(
        url,
        {"held_on": "2025-03-20", "attendance": [*rows, {"member": stranger.pk, "presence": "present"}]},
        format="json",
    )
    assert_error(refused, 400, "not_a_member", ["attendance"])
    meeting.refresh_from_db()
    assert meeting.status == "planned" and not Attendance.objects.exists()
    held = client.post(
        url, {"held_on": "2025-03-20", "minutes": "学习党章第二章", "attendance": rows}, format="json"
    )
    assert held.status_code == 200, held.content
    assert held.json()["attendance"] == {
        "present": 2,
        "excused": 1,
        "absent": 1,
        "full_present": 1,
        "attendance_rate": round(2 / 3, 4),
        "quorum": False,  # one of three full members: not more than half
    }
    assert_error(client.post(url, {"held_on": "2025-03-21"}, format="json"), 409, "meeting_held")
    meeting.refresh_from_db()
    assert attendance_summary(meeting)["full_present"] == 1
