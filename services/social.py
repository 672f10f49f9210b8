"""Social work (社工站): cases and their entries (assessment, plan, service record, referral), and
residents' requests for a service of the directory (each an event the community handles)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.paths import is_under
from core.regions.scoping import scope_for
from core.registry.minors import is_minor
from core.registry.models import Resident
from core.workflow.models import Event
from core.workflow.services import event_report
from services.contributions import MANAGE, SERVICE_REQUEST, VIEW_MINORS
from services.errors import ServicesError
from services.models import CaseEntry, DirectoryEntry, ServiceRequest, SocialCase, SocialWorker, Station
from services.places import in_scope, region_for


def station_create(*, actor, region: int, name: str, address: str = "", request=None) -> Station:
    """A street's (town's) social-work station (乡镇（街道）社工站) or a community's social-work
    room (社区社工室), placed there."""
    place = region_for(actor, region, MANAGE)
    if place.level not in (Region.Level.STREET, Region.Level.COMMUNITY):
        raise field_error("region", _("A social-work station belongs to a street (town) or a community."))
    with transaction.atomic():
        station = Station.objects.create(region=place, region_path=place.path, name=name, address=address)
        audit_record(
            actor=actor,
            action="services.station.create",
            target=station,
            changes=created(name=name),
            request=request,
        )
    return station


def station_worker_add(
    *, actor, station: Station, user: int, qualification: str, request=None
) -> SocialWorker:
    """A social worker (an account of the station's street) joins the station with their
    qualification (助理社会工作师, 社会工作师, 高级社会工作师, or not yet qualified)."""
    from core.accounts.models import User

    person = User.objects.visible_to(actor, MANAGE).filter(pk=user, is_active=True).first()
    if person is None or not is_under(person.region_path, station.region_path):
        raise not_found_in_payload("user")
    if station.workers.filter(user=person).exists():
        raise Conflict(_("This person already works at the station."), code=ServicesError.ALREADY_AT_STATION)
    with transaction.atomic():
        worker = SocialWorker.objects.create(station=station, user=person, qualification=qualification)
        audit_record(
            actor=actor,
            action="services.station.worker",
            target=station,
            changes=created(user=person.pk, qualification=qualification),
            request=request,
        )
    return worker


def case_open(
    *, actor, station: int, resident: int, title: str, involves_minor: bool = False, request=None
) -> SocialCase:
    """Open a case at a station for a resident of the caller's scope. A case about a minor (the
    resident under 18, or marked so) is opened only by a role that may see minors' cases."""
    person = in_scope(actor, Resident.objects.active(), resident, MANAGE, field="resident")
    # The station of the resident's street (or anywhere above or at their place).
    where = Station.objects.filter(pk=station).first()
    if where is None or not is_under(person.region_path, where.region_path):
        raise not_found_in_payload("station")
    minor = involves_minor or is_minor(person.birth_date)
    if minor and not scope_for(actor).covers(person.region_path, VIEW_MINORS):
        raise Forbidden(
            _("Cases involving minors are handled by roles that may see them."),
            code=ServicesError.MINORS_HIDDEN,
        )
    with transaction.atomic():
        case = SocialCase.objects.create(
            station=where,
            resident=person,
            region=person.region,
            region_path=person.region_path,
            involves_minor=minor,
            title=title,
            opened_on=timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action="services.case.open",
            target=case,
            changes=created(station=where.pk, involves_minor=minor, title=title),
            request=request,
        )
    return case


def case_write(
    *, actor, case: SocialCase, kind: str, text: str, referred_to: str = "", request=None
) -> CaseEntry:
    with transaction.atomic():
        entry = CaseEntry.objects.create(
            case=case, kind=kind, text=text, referred_to=referred_to, written_by=actor
        )
        audit_record(
            actor=actor,
            action="services.case.entry",
            target=case,
            changes=created(kind=kind, referred_to=referred_to),
            request=request,
        )
    return entry


def service_request(*, actor, entry: str, note: str = "", request=None) -> ServiceRequest:
    """A resident asks for a service of the directory: an event for their community's workers."""
    service = DirectoryEntry.objects.filter(code=entry, active=True).first()
    if service is None:
        raise not_found_in_payload("entry")
    person = (
        Resident.objects.filter(pk__in=scope_for(actor).resident_ids, status=Resident.Status.ACTIVE)
        .select_related("region", "house")
        .first()
    )
    if person is None:
        raise Forbidden(_("Requests are made by residents of the register."))
    with transaction.atomic():
        event, _merged = event_report(
            reporter=actor,
            type_key=SERVICE_REQUEST.key,
            source=Event.Source.RESIDENT,
            title=service.name[:200],
            description=note,
            house=person.house if person.house_id else None,
            grid=None if person.house_id else person.region,
            request=request,
        )
        # Audited as the event's report (workflow.event.report): one row for the request.
        asked = ServiceRequest.objects.create(
            entry=service,
            resident=person,
            event=event,
            note=note,
            region=event.region,
            region_path=event.region_path,
        )
    return asked
