"""Volunteers and the one hours ledger (services.models.volunteers): registration, teams,
projects filed with the community (备案), sign-up under the cap, check-in and check-out that
write hours, and the hours other domains hand over (core.extensions.handoffs, service_hours)."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts.models import User
from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.registry.models import Resident
from services.contributions import MANAGE
from services.errors import ServicesError
from services.models import HoursEntry, ServiceProject, Signup, Team, Volunteer
from services.places import in_scope, region_for

HERE = "services"  # the source domain of hours recorded from this app's own check-outs
MAX_HOURS_A_DAY = Decimal(24)


def volunteer_register(
    *,
    actor,
    region: int,
    resident: int | None = None,
    name: str = "",
    mobile: str = "",
    skills: str = "",
    request=None,
) -> Volunteer:
    """A volunteer at a place of the caller's scope: a resident of the register (in scope), or
    a person named with a mobile of their own."""
    place = region_for(actor, region, MANAGE)
    person = None
    if resident is not None:
        person = in_scope(actor, Resident.objects.active(), resident, MANAGE, field="resident")
    elif not name.strip():
        raise field_error("name", _("Name the volunteer, or choose them from the register."))
    with transaction.atomic():
        if person is not None and Volunteer.objects.filter(resident=person).exists():
            raise Conflict(_("This resident is already a volunteer."), code=ServicesError.VOLUNTEER_EXISTS)
        volunteer = Volunteer.objects.create(
            region=place,
            region_path=place.path,
            resident=person,
            name_encrypted="" if person else name.strip(),
            mobile_encrypted="" if person else mobile.strip(),
            skills=skills,
            joined_on=timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action="services.volunteer.create",
            target=volunteer,
            changes=created(resident=volunteer.resident_id, skills=skills),
            request=request,
        )
    return volunteer


def team_create(*, actor, region: int, name: str, organization: str = "", members=(), request=None) -> Team:
    place = region_for(actor, region, MANAGE)
    chosen = [in_scope(actor, Volunteer.objects.all(), pk, MANAGE, field="members") for pk in members]
    with transaction.atomic():
        team = Team.objects.create(region=place, region_path=place.path, name=name, organization=organization)
        team.members.set(chosen)
        audit_record(
            actor=actor,
            action="services.team.create",
            target=team,
            changes=created(name=name, organization=organization, members=[v.pk for v in chosen]),
            request=request,
        )
    return team


def project_file(
    *,
    actor,
    region: int,
    title: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    cap: int,
    team: int | None = None,
    request=None,
) -> ServiceProject:
    """File (备案) a service project with the community: place, time and cap."""
    where = region_for(actor, region, MANAGE)
    crew = in_scope(actor, Team.objects.all(), team, MANAGE, field="team") if team is not None else None
    if ends_at <= starts_at:
        raise field_error("ends_at", _("The project ends after it starts."))
    if cap < 1:
        raise field_error("cap", _("A project has at least one place."))
    with transaction.atomic():
        project = ServiceProject.objects.create(
            region=where,
            region_path=where.path,
            title=title,
            team=crew,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            cap=cap,
            filed_on=timezone.localdate(),
            filed_by=actor,
        )
        audit_record(
            actor=actor,
            action="services.project.create",
            target=project,
            changes=created(title=title, place=place, starts_at=starts_at, ends_at=ends_at, cap=cap),
            request=request,
        )
    return project


def signup_create(*, actor, project: ServiceProject, volunteer: int, request=None) -> Signup:
    """Sign a volunteer up; refused once the project's places are taken (the project's row is
    locked, so two sign-ups for the last place cannot both pass)."""
    person = in_scope(actor, Volunteer.objects.filter(active=True), volunteer, MANAGE, field="volunteer")
    with transaction.atomic():
        project = ServiceProject.objects.select_for_update().get(pk=project.pk)
        if project.signups.filter(volunteer=person).exists():
            raise Conflict(_("This volunteer has already signed up."), code=ServicesError.ALREADY_SIGNED_UP)
        if project.signups.count() >= project.cap:
            raise Conflict(
                _("All %(cap)s places of this project are taken.") % {"cap": project.cap},
                code=ServicesError.PROJECT_FULL,
            )
        signup = Signup.objects.create(project=project, volunteer=person)
        audit_record(
            actor=actor,
            action="services.signup.create",
            target=project,
            changes=created(volunteer=person.pk),
            request=request,
        )
    return signup


def _signup_locked(project: ServiceProject, signup_id) -> Signup:
    signup = Signup.objects.select_for_update().filter(project=project, pk=signup_id).first()
    if signup is None:
        raise not_found_in_payload("signup")
    return signup


def signup_check_in(
    *, actor, project: ServiceProject, signup: int, at: datetime | None = None, request=None
) -> Signup:
    with transaction.atomic():
        row = _signup_locked(project, signup)
        if row.checked_in_at is not None:
            raise Conflict(_("This volunteer has already checked in."), code=ServicesError.ALREADY_CHECKED_IN)
        row.checked_in_at = at or timezone.now()
        row.save(update_fields=["checked_in_at"])
        audit_record(
            actor=actor,
            action="services.signup.check_in",
            target=project,
            changes={"checked_in_at": {"old": None, "new": row.checked_in_at}},
            extra={"signup": row.pk},
            request=request,
        )
    return row


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Hours served, to the quarter hour below (a volunteer credit counts whole quarters)."""
    quarters = int((end - start).total_seconds() // 900)
    return (Decimal(quarters) / 4).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def signup_check_out(
    *, actor, project: ServiceProject, signup: int, at: datetime | None = None, request=None
) -> HoursEntry | None:
    """Check out: the hours between check-in and check-out go to the ledger (none for a stay
    under a quarter of an hour). Refused before check-in, and twice."""
    with transaction.atomic():
        row = _signup_locked(project, signup)
        at = at or timezone.now()
        if row.checked_in_at is None:
            raise Conflict(_("The volunteer has not checked in yet."), code=ServicesError.NOT_CHECKED_IN)
        if row.checked_out_at is not None:
            raise Conflict(
                _("This volunteer has already checked out."), code=ServicesError.ALREADY_CHECKED_OUT
            )
        if at <= row.checked_in_at:
            raise field_error("at", _("Check-out comes after check-in."), code=ServicesError.NOT_CHECKED_IN)
        row.checked_out_at = at
        row.save(update_fields=["checked_out_at"])
        hours = min(hours_between(row.checked_in_at, at), MAX_HOURS_A_DAY)
        entry = None
        if hours > 0:
            entry = HoursEntry.objects.create(
                volunteer=row.volunteer,
                region=project.region,
                region_path=project.region_path,
                hours=hours,
                served_on=timezone.localtime(row.checked_in_at).date(),
                activity=project.title[:200],
                source=f"services.signup:{row.pk}",
                source_domain=HERE,
                key=f"services.signup:{row.pk}",
            )
        audit_record(
            actor=actor,
            action="services.signup.check_out",
            target=project,
            changes={"checked_out_at": {"old": None, "new": at}, "hours": {"old": None, "new": hours}},
            extra={"signup": row.pk},
            request=request,
        )
    return entry


# the hand-off from other domains ----------------------------------------------------------------


def _volunteer_of(payload) -> Volunteer:
    """The volunteer the handed hours belong to: the resident's (or account's) record, made on
    first hours, at the resident's place (or the account's region)."""
    resident = Resident.objects.filter(pk=payload.resident_id).first() if payload.resident_id else None
    if resident is not None:
        found = Volunteer.objects.filter(resident=resident).first()
        place, region_path = resident.region, resident.region_path
        lookup = {"resident": resident}
    else:
        user = User.objects.filter(pk=payload.user_id).select_related("region").first()
        if user is None or user.region is None:
            raise ValueError(f"service_hours: no resident or placed account {payload.user_id}")
        found = Volunteer.objects.filter(user=user).first()
        place, region_path = user.region, user.region.path
        lookup = {"user": user}
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Volunteer.objects.create(
                region=place, region_path=region_path, joined_on=timezone.localdate(), **lookup
            )
    except IntegrityError:  # made meanwhile by another delivery
        return Volunteer.objects.get(**lookup)


def record_handed_hours(payload, *, key: str) -> HoursEntry:
    """The HandoffConsumer of `service_hours`: one ledger line per hand-off key (delivered twice,
    still once). The source domain is the app label the producer's `source` starts with."""
    existing = HoursEntry.objects.filter(key=key).first()
    if existing is not None:
        return existing
    volunteer = _volunteer_of(payload)
    domain = payload.source.split(".", 1)[0].split(":", 1)[0][:40]
    entry = HoursEntry.objects.create(
        volunteer=volunteer,
        region_id=volunteer.region_id,
        region_path=volunteer.region_path,
        hours=payload.hours,
        served_on=payload.served_on,
        activity=payload.activity[:200],
        source=payload.source[:200],
        source_domain=domain,
        key=key[:220],
    )
    audit_record(
        actor=None,
        action="services.hours.record",
        target=entry,
        changes=created(hours=payload.hours, served_on=payload.served_on, source=payload.source),
    )
    return entry
