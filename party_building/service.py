"""Service by party members: in-service members reporting to the community they live in
(双报到), pioneer posts and their members, service records (their hours handed to the services
domain's ledger through core.extensions.handoffs, never an import), and a resident's request to
a post for help, which is an event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.extensions import handoffs
from core.regions.models import Region
from core.regions.paths import community_path, region_in_scope
from core.regions.scoping import scope_for
from core.registry.models import Resident
from core.workflow.models import Event
from core.workflow.services import event_report
from party_building.contributions import HELP_REQUEST, MANAGE
from party_building.errors import PartyBuildingError
from party_building.models import InServiceReport, Member, PioneerPost, PostAssignment, ServiceRecord
from party_building.selectors import managed


def _resident(actor, resident_id) -> Resident:
    found = Resident.objects.visible_to(actor).filter(pk=resident_id, status=Resident.Status.ACTIVE).first()
    if found is None:
        raise not_found_in_payload("resident")
    return found


def report_create(
    *, actor, resident: int, employer_organization: str, reported_on: date, duties: str = "", request=None
) -> InServiceReport:
    """An in-service member reports to the community they live in for the year of `reported_on`."""
    person = _resident(actor, resident)
    community = Region.objects.get(path=community_path(person.region_path))
    if not scope_for(actor).covers(community.path, MANAGE):
        raise not_found_in_payload("resident")
    year = reported_on.year
    duplicate = Conflict(
        _("This member has already reported this year."), code=PartyBuildingError.REPORTED_THIS_YEAR
    )
    if InServiceReport.objects.filter(resident=person, year=year).exists():
        raise duplicate
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = InServiceReport.objects.create(
                    region=community,
                    region_path=community.path,
                    resident=person,
                    employer_organization=employer_organization,
                    year=year,
                    reported_on=reported_on,
                    duties=duties,
                )
        except IntegrityError:
            raise duplicate from None
        audit_record(
            actor=actor,
            action="party_building.report.create",
            target=report,
            request=request,
            changes=created(resident=person.pk, year=year, employer_organization=employer_organization),
        )
    return report


def post_create(
    *, actor, region: int, kind: str, name: str, place: str = "", duties: str = "", request=None
) -> PioneerPost:
    node = region_in_scope(actor, region, MANAGE, levels=(Region.Level.COMMUNITY, Region.Level.GRID))
    if node is None:
        raise not_found_in_payload("region")
    with transaction.atomic():
        post = PioneerPost.objects.create(
            region=node, region_path=node.path, kind=kind, name=name, place=place, duties=duties
        )
        audit_record(
            actor=actor,
            action="party_building.post.create",
            target=post,
            request=request,
            changes=created(kind=kind, name=name, region=node.pk),
        )
    return post


def post_assign(*, actor, post: PioneerPost, member: int, starts_on: date, request=None) -> PostAssignment:
    """A member of an organization the actor keeps takes on the post."""
    if post.ended_on is not None:
        raise Conflict(_("This post has ended."), code=PartyBuildingError.POST_ENDED)
    found = (
        managed(Member.objects.active(), actor).filter(pk=member).first() if isinstance(member, int) else None
    )
    if found is None:
        raise not_found_in_payload("member")
    with transaction.atomic():
        assignment = PostAssignment.objects.create(post=post, member=found, starts_on=starts_on)
        audit_record(
            actor=actor,
            action="party_building.post.assign",
            target=post,
            request=request,
            changes=created(member=found.pk, starts_on=str(starts_on)),
        )
    return assignment


def service_record(
    *,
    actor,
    resident: int,
    served_on: date,
    hours: Decimal,
    activity: str,
    post: int | None = None,
    report: int | None = None,
    request=None,
) -> ServiceRecord:
    """Record a member's service at a post or on an in-service duty, and offer its hours to the
    hours ledger (core.extensions.handoffs.SERVICE_HOURS; the services domain takes them)."""
    if served_on > timezone.localdate():
        raise field_error("served_on", _("This date is in the future."))
    person = _resident(actor, resident)
    at_post = managed(PioneerPost.objects.all(), actor).filter(pk=post).first() if post is not None else None
    if post is not None and at_post is None:
        raise not_found_in_payload("post")
    duty = None
    if report is not None:
        duty = managed(InServiceReport.objects.all(), actor).filter(pk=report, resident=person).first()
        if duty is None:
            raise not_found_in_payload("report")
    if at_post is None and duty is None:
        raise field_error("post", _("Name the post or the in-service report the service was for."))
    with transaction.atomic():
        record = service_write(
            resident=person, place=at_post or duty, served_on=served_on, hours=hours, activity=activity
        )
        audit_record(
            actor=actor,
            action="party_building.service.record",
            target=record,
            request=request,
            changes=created(resident=person.pk, served_on=str(served_on), hours=str(hours)),
        )
    return record


def service_write(
    *, resident: Resident, place, served_on: date, hours: Decimal, activity: str
) -> ServiceRecord:
    """The record and its hours offered to the ledger, in the caller's transaction (the demo
    writes through it too)."""
    at_post = place if isinstance(place, PioneerPost) else None
    record = ServiceRecord.objects.create(
        region_id=place.region_id,
        region_path=place.region_path,
        resident=resident,
        post=at_post,
        report=None if at_post else place,
        served_on=served_on,
        hours=hours,
        activity=activity,
    )
    handoffs.send(
        handoffs.SERVICE_HOURS,
        handoffs.ServiceHours(
            hours=Decimal(hours),
            served_on=served_on,
            activity=activity,
            source=f"party_building.service_record:{record.pk}",
            resident_id=resident.pk,
        ),
        idempotency_key=f"party_building.service_record:{record.pk}",
    )
    return record


def help_request(*, actor, post: int, description: str, request=None) -> Event:
    """A resident (or a grid worker for them) asks a pioneer post for help: an event at the post's
    grid (or community), which the grid's worker dispatches. A resident reaches the posts of the
    community they live in (the post's plaque shows its number)."""
    found = (
        PioneerPost.objects.filter(pk=post, ended_on__isnull=True).first() if isinstance(post, int) else None
    )
    if found is None or not _reaches(actor, found):
        raise not_found_in_payload("post")
    place = {"grid": found.region} if found.region.level == Region.Level.GRID else {"community": found.region}
    event, _merged = event_report(
        reporter=actor,
        type_key=HELP_REQUEST.key,
        source=Event.Source.RESIDENT,
        title=_("Help asked of %(post)s") % {"post": found.name},
        description=description,
        request=request,
        **place,
    )
    return event


def _reaches(actor, post: PioneerPost) -> bool:
    scope = scope_for(actor)
    if scope.covers(post.region_path):
        return True
    homes = Resident.objects.filter(pk__in=scope.resident_ids).values_list("region_path", flat=True)
    return any(community_path(home) == community_path(post.region_path) for home in homes)
