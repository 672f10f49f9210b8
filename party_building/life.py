"""Organizational life (三会一课): the frequencies offices set, planning and holding a meeting with
its attendance, and the daily check that reminds before a meeting falls due and turns a missed
one into an event for the community party committee.

A meeting is the one an organization owes for a period (kind, period start): planning or holding
fills that slot; the daily check writes the slots of the current and the past period for every
organization at once (set-based), so a period nobody planned for is still seen as missed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts.roles import Role
from core.api.errors import Conflict, field_error, invalid_fields, not_found_in_payload
from core.audit.services import audit_record, created
from core.notices.services import notify
from core.regions.models import Region
from core.regions.paths import ancestor_paths, community_id, region_in_scope
from core.workflow.models import Event
from core.workflow.services import event_report
from party_building import rules
from party_building.contributions import MANAGE, MEETING_MISSED
from party_building.errors import PartyBuildingError
from party_building.models import Attendance, Meeting, MeetingFrequency, Member, Officer, Organization
from party_building.models.life import MeetingKind
from party_building.models.members import MemberKind
from party_building.models.organizations import OfficerPost
from party_building.organizations import managed_organization

# frequencies ------------------------------------------------------------------------------------


def frequencies_in_force(on: date) -> list[MeetingFrequency]:
    """Every frequency row in force on `on` (a small table: read once per check)."""
    rows = MeetingFrequency.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    )
    return list(rows.order_by("-effective_from", "-id"))


def every_months(path: str, kind: str, in_force: list[MeetingFrequency]) -> int:
    """The frequency for an organization at `path`: the nearest node's row, newest first, else
    the default of the rules."""
    for ancestor in reversed(ancestor_paths(path)):
        for row in in_force:
            if row.kind == kind and row.region_path == ancestor:
                return row.every_months
    return rules.DEFAULT_EVERY_MONTHS[kind]


def frequency_add(
    *, actor, region: int, kind: str, every_months: int, effective_from: date, request=None
) -> MeetingFrequency:
    node = region_in_scope(actor, region, MANAGE)
    if node is None:
        raise not_found_in_payload("region")
    if MeetingFrequency.objects.filter(region=node, kind=kind, effective_from=effective_from).exists():
        raise _frequency_exists()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = MeetingFrequency.objects.create(
                    region=node,
                    region_path=node.path,
                    kind=kind,
                    every_months=every_months,
                    effective_from=effective_from,
                )
        except IntegrityError:
            raise _frequency_exists() from None
        audit_record(
            actor=actor,
            action="party_building.frequency.create",
            target=row,
            request=request,
            changes=created(kind=kind, every_months=every_months, effective_from=str(effective_from)),
        )
    return row


def _frequency_exists() -> Conflict:
    return Conflict(
        _("A frequency of this kind already starts on this date here."),
        code=PartyBuildingError.FREQUENCY_EXISTS,
    )


def frequency_end(
    *, actor, frequency: MeetingFrequency, effective_to: date, request=None
) -> MeetingFrequency:
    """End a frequency (a new one is a new row: meetings already scheduled keep their periods)."""
    if effective_to < frequency.effective_from:
        raise field_error("effective_to", _("This date is before the start."))
    with transaction.atomic():
        frequency = MeetingFrequency.objects.select_for_update().get(pk=frequency.pk)
        if frequency.effective_to is not None and frequency.effective_to < timezone.localdate():
            raise Conflict(_("This frequency has already ended."), code=PartyBuildingError.FREQUENCY_ENDED)
        before = frequency.effective_to
        frequency.effective_to = effective_to
        frequency.save(update_fields=["effective_to", "updated_at"])
        audit_record(
            actor=actor,
            action="party_building.frequency.end",
            target=frequency,
            request=request,
            changes={"effective_to": {"old": str(before) if before else None, "new": str(effective_to)}},
        )
    return frequency


# planning and holding ---------------------------------------------------------------------------


def _check_founded(organization: Organization, day: date, field: str) -> None:
    if day < organization.founded_on:
        raise field_error(
            field,
            _("The organization did not exist yet on this date (founded %(day)s).")
            % {"day": organization.founded_on.isoformat()},
            code=PartyBuildingError.BEFORE_FOUNDED,
        )


def _slot(organization: Organization, kind: str, day: date) -> Meeting:
    every = every_months(organization.region_path, kind, frequencies_in_force(day))
    start, due = rules.period_of(day, every)
    meeting, _made = Meeting.objects.get_or_create(
        organization=organization,
        kind=kind,
        period_start=start,
        defaults={"due_on": due, "region": organization.region, "region_path": organization.region_path},
    )
    return meeting


def meeting_plan(
    *, actor, organization: int, kind: str, planned_on: date, agenda: str = "", request=None
) -> Meeting:
    """Plan the meeting of `kind` for the period of `planned_on` (409 once it was held)."""
    holder = managed_organization(actor, organization)
    _check_founded(holder, planned_on, "planned_on")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=_slot(holder, kind, planned_on).pk)
        if meeting.status == Meeting.Status.HELD:
            raise Conflict(_("This period's meeting was already held."), code=PartyBuildingError.MEETING_HELD)
        meeting.planned_on, meeting.agenda = planned_on, agenda
        meeting.save(update_fields=["planned_on", "agenda", "updated_at"])
        audit_record(
            actor=actor,
            action="party_building.meeting.plan",
            target=meeting,
            request=request,
            changes=created(kind=kind, planned_on=str(planned_on), period_start=str(meeting.period_start)),
        )
    return meeting


def _attendance_rows(meeting: Meeting, attendance: list[dict], held_on: date) -> list[Attendance]:
    members = {
        m.pk: m
        for m in Member.objects.active().filter(organization=meeting.organization, joined_on__lte=held_on)
    }
    strangers = sorted({row["member"] for row in attendance} - set(members))
    if strangers:
        raise invalid_fields(
            {
                "attendance": [
                    _("Not members of this organization: %(ids)s.") % {"ids": ", ".join(map(str, strangers))}
                ]
            },
            code=PartyBuildingError.NOT_A_MEMBER,
        )
    rows = []
    for row in attendance:
        member = members[row["member"]]
        full = member.kind == MemberKind.FULL and (member.full_on is None or member.full_on <= held_on)
        rows.append(Attendance(meeting=meeting, member=member, presence=row["presence"], full_member=full))
    return rows


def meeting_hold(
    *,
    actor,
    meeting: Meeting,
    held_on: date,
    minutes: str = "",
    attendance: list[dict] | None = None,
    request=None,
) -> Meeting:
    """The meeting was held on `held_on`, with who attended (a probationary member attends but
    counts for neither quorum nor votes; a member on leave is excused)."""
    organization = meeting.organization
    _check_founded(organization, held_on, "held_on")
    if held_on > timezone.localdate():
        raise field_error("held_on", _("This date is in the future."))
    if meeting.status == Meeting.Status.HELD:
        raise Conflict(_("This period's meeting was already held."), code=PartyBuildingError.MEETING_HELD)
    if len({row["member"] for row in attendance or []}) != len(attendance or []):
        raise field_error("attendance", _("Each member is listed once."))
    rows = _attendance_rows(meeting, attendance or [], held_on)
    active = Member.objects.active().filter(organization=organization, joined_on__lte=held_on)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.HELD:
            raise Conflict(_("This period's meeting was already held."), code=PartyBuildingError.MEETING_HELD)
        before = meeting.status
        meeting.status, meeting.held_on, meeting.minutes = Meeting.Status.HELD, held_on, minutes
        meeting.members_expected = active.count()
        meeting.full_members_expected = active.filter(
            Q(full_on__isnull=True) | Q(full_on__lte=held_on), kind=MemberKind.FULL
        ).count()
        meeting.save()
        Attendance.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="party_building.meeting.hold",
            target=meeting,
            request=request,
            changes={
                "status": {"old": before, "new": meeting.status},
                "held_on": {"old": None, "new": str(held_on)},
            },
        )
    return meeting


def attendance_summary(meeting: Meeting) -> dict:
    """Present, excused and absent; the attendance rate leaves the excused out; the quorum (a
    general meeting's: more than half of the full members present) counts full members only."""
    rows = list(meeting.attendance.all())
    present = [r for r in rows if r.presence == Attendance.Presence.PRESENT]
    excused = sum(r.presence == Attendance.Presence.LEAVE for r in rows)
    expected = meeting.members_expected - excused
    full_present = sum(r.full_member for r in present)
    return {
        "present": len(present),
        "excused": excused,
        "absent": max(meeting.members_expected - len(present) - excused, 0),
        "full_present": full_present,
        "attendance_rate": round(len(present) / expected, 4) if expected > 0 else None,
        "quorum": full_present * 2 > meeting.full_members_expected
        if meeting.status == Meeting.Status.HELD
        else None,
    }


# the daily check --------------------------------------------------------------------------------


def _owed(today: date) -> list[Meeting]:
    """The slots of the current and the past period of every meeting each active organization
    owes, for periods that began once it existed (unsaved)."""
    in_force = frequencies_in_force(today)
    with_committee = set(
        Officer.objects.current(today)
        .filter(election__isnull=False)
        .values_list("organization_id", flat=True)
    )
    slots = []
    for organization in Organization.objects.active().filter(kind__in=list(rules.MEETINGS_OWED)):
        for kind in rules.MEETINGS_OWED[organization.kind]:
            if kind == MeetingKind.COMMITTEE_MEETING and organization.pk not in with_committee:
                continue
            every = every_months(organization.region_path, kind, in_force)
            current = rules.period_of(today, every)
            past = rules.period_of(current[0] - timedelta(days=1), every)
            for start, due in (past, current):
                if start >= organization.founded_on:
                    slots.append(
                        Meeting(
                            organization=organization,
                            kind=kind,
                            period_start=start,
                            due_on=due,
                            region_id=organization.region_id,
                            region_path=organization.region_path,
                        )
                    )
    return slots


def _remind(meeting: Meeting) -> None:
    title = _("%(organization)s: %(kind)s due by %(day)s") % {
        "organization": meeting.organization.name,
        "kind": meeting.get_kind_display(),
        "day": meeting.due_on.isoformat(),
    }
    community = Region.objects.filter(pk=community_id(meeting.region_path)).first()
    if community is not None:
        notify(
            kind="party_building.meeting_due",
            title=title,
            region=community,
            role=Role.COMMUNITY_SECRETARY,
            link=meeting,
        )
    for secretary in _secretaries(meeting.organization, meeting.due_on):
        notify(kind="party_building.meeting_due", title=title, resident=secretary.resident, link=meeting)


def _secretaries(organization: Organization, on: date) -> list[Member]:
    posts = Officer.objects.current(on).filter(organization=organization, post=OfficerPost.SECRETARY)
    return [o.member for o in posts.select_related("member__resident") if o.member.resident_id]


def _miss(meeting: Meeting) -> None:
    organization = meeting.organization
    place = {"grid": organization.region} if organization.region.level == Region.Level.GRID else {}
    if not place:
        community = (
            Region.objects.filter(pk=community_id(organization.region_path)).first() or organization.region
        )
        place = {"community": community}
    title = _("%(organization)s missed its %(kind)s (due by %(day)s)") % {
        "organization": organization.name,
        "kind": meeting.get_kind_display(),
        "day": meeting.due_on.isoformat(),
    }
    with transaction.atomic():
        event, _merged = event_report(
            reporter=None, type_key=MEETING_MISSED.key, source=Event.Source.DOMAIN, title=title, **place
        )
        meeting.status, meeting.missed_event = Meeting.Status.MISSED, event
        meeting.save(update_fields=["status", "missed_event", "updated_at"])
        audit_record(
            actor=None,
            action="party_building.meeting.miss",
            target=meeting,
            changes={"status": {"old": Meeting.Status.PLANNED, "new": Meeting.Status.MISSED}},
        )
        for secretary in _secretaries(organization, meeting.due_on):
            notify(
                kind="party_building.meeting_missed", title=title, resident=secretary.resident, link=meeting
            )


def check_meetings(today: date | None = None) -> dict:
    """Write the owed slots, remind of those falling due within REMIND_DAYS_BEFORE days, and turn
    those whose period has passed unheld into missed-meeting events. Idempotent."""
    today = today or timezone.localdate()
    Meeting.objects.bulk_create(_owed(today), ignore_conflicts=True)
    due_soon = Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=rules.REMIND_DAYS_BEFORE),
    ).select_related("organization")
    reminded = 0
    for meeting in due_soon:
        with transaction.atomic():
            _remind(meeting)
            Meeting.objects.filter(pk=meeting.pk).update(reminded_at=timezone.now())
        reminded += 1
    missed = 0
    for meeting in Meeting.objects.filter(status=Meeting.Status.PLANNED, due_on__lt=today).select_related(
        "organization__region"
    ):
        _miss(meeting)
        missed += 1
    return {"reminded": reminded, "missed": missed}
