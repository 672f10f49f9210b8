"""Writes of patrols (巡逻): routes with check-in points per grid, shifts planned on them, and each
shift's log: check-ins and what was found, then its completion.

Positions are stored as WGS-84. A check-in says the datum of its position (`wgs84`, `gcj02` as
AMap, Tencent and WeChat return it, `bd09` from Baidu) and is converted with the dispatch
engine's conversion (core/workflow/geo.py `to_wgs84`). Its distance from the point (great-circle,
the mean Earth radius core/regions/geometry.py uses) is kept; a check-in farther than the
route's radius is recorded but marked (`within_radius = False`) and does not count the point as
reached. At completion a point no check-in reached within the radius is missed.

Routes are data a decision relies on (a shift counts its points): a route is never edited once
used; the community ends it and adds another.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.regions.geometry import EARTH_RADIUS_METRES
from core.regions.models import Region
from core.regions.paths import region_in_scope
from core.regions.scoping import scope_for
from core.workflow.geo import to_wgs84
from safety.errors import SafetyError
from safety.models import CheckIn, PatrolPoint, PatrolRoute, PatrolShift

PLAN_PATROLS = "safety.plan_patrols"
PATROL = "safety.patrol"
PATROL_REQUEST = "safety.patrol_request"
SIX_PLACES = Decimal("0.000001")


def default_radius_metres() -> int:
    """How far from a point a check-in still counts when a route does not say (metres)."""
    return getattr(settings, "SAFETY_PATROL_RADIUS_METRES", 50)


def distance_metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The great-circle (haversine) distance between two WGS-84 points, in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


def wgs84_point(position: dict) -> tuple[Decimal, Decimal]:
    """A position {longitude, latitude, system} as stored: WGS-84, six decimals (about 0.1 m)."""
    lon, lat = to_wgs84(position["longitude"], position["latitude"], position.get("system", "wgs84"))
    return Decimal(str(lon)).quantize(SIX_PLACES), Decimal(str(lat)).quantize(SIX_PLACES)


# routes --------------------------------------------------------------------------------------------


def route_add(
    *, actor, grid: int, name: str, points: list[dict], radius_metres: int | None = None, request=None
) -> PatrolRoute:
    region = region_in_scope(actor, grid, PLAN_PATROLS, levels=(Region.Level.GRID,))
    if region is None:
        raise not_found_in_payload("grid")
    if not points:
        raise field_error("points", _("A route has at least one check-in point."))
    radius = radius_metres or default_radius_metres()
    with transaction.atomic():
        route = PatrolRoute.objects.create(
            name=name, radius_metres=radius, region=region, region_path=region.path
        )
        made = []
        for order, point in enumerate(points, start=1):
            lon, lat = wgs84_point(point)
            made.append(
                PatrolPoint(
                    route=route,
                    order=order,
                    name=point["name"],
                    longitude=lon,
                    latitude=lat,
                    region=region,
                    region_path=region.path,
                )
            )
        PatrolPoint.objects.bulk_create(made)
        audit_record(
            actor=actor,
            action="safety.patrolroute.add",
            target=route,
            request=request,
            changes=created(name=name, radius_metres=radius, points=len(made)),
        )
    return route


def route_end(*, actor, route: PatrolRoute, ended_on: date, request=None) -> PatrolRoute:
    if route.ended_on is not None:
        raise Conflict(_("This route has ended."), code=SafetyError.ROUTE_ENDED)
    with transaction.atomic():
        route.ended_on = ended_on
        route.save(update_fields=["ended_on", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.patrolroute.end",
            target=route,
            request=request,
            changes={"ended_on": {"old": None, "new": ended_on}},
        )
    return route


# shifts ----------------------------------------------------------------------------------------------


def _patroller(actor, user_id: int | None, route: PatrolRoute):
    """The patroller named (the caller when none is): someone who may patrol the route's grid."""
    if user_id is None:
        return actor
    from core.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not scope_for(user).covers(route.region_path, PATROL):
        raise not_found_in_payload("patroller")
    return user


def shift_plan(
    *,
    actor,
    route: PatrolRoute,
    planned_start: datetime,
    planned_end: datetime,
    kind: str = "regular",
    patroller: int | None = None,
    requested_by: str = "",
    request=None,
) -> PatrolShift:
    if route.ended_on is not None and route.ended_on < timezone.localdate():
        raise Conflict(_("This route has ended."), code=SafetyError.ROUTE_ENDED)
    if planned_end <= planned_start:
        raise field_error("planned_end", _("A shift ends after it starts."))
    who = _patroller(actor, patroller, route)
    with transaction.atomic():
        return _shift_create(
            route, kind, who, planned_start, planned_end, requested_by, actor=actor, request=request
        )


def _shift_create(route, kind, patroller, start, end, requested_by, *, actor, request=None, **noted):
    """A shift on the route, audited (`noted`: what else the audit row says, e.g. its source)."""
    shift = PatrolShift.objects.create(
        route=route,
        kind=kind,
        patroller=patroller,
        planned_start=start,
        planned_end=end,
        points_planned=route.points.count(),
        requested_by=requested_by,
        region_id=route.region_id,
        region_path=route.region_path,
    )
    audit_record(
        actor=actor,
        action="safety.patrolshift.plan",
        target=shift,
        request=request,
        changes=created(route=route.pk, kind=kind, patroller=patroller.pk, planned_start=start, **noted),
    )
    return shift


def check_in_record(
    *, actor, shift: PatrolShift, point: int, position: dict, note: str = "", request=None
) -> CheckIn:
    """A check-in at a point of the shift's route: converted to WGS-84, its distance from the point
    kept, and marked when it is farther than the route's radius (then the point is not reached)."""
    if shift.status == PatrolShift.Status.COMPLETED:
        raise Conflict(_("This shift is completed."), code=SafetyError.SHIFT_COMPLETED)
    target = PatrolPoint.objects.filter(route_id=shift.route_id, pk=point).first()
    if target is None:
        raise not_found_in_payload("point")
    lon, lat = wgs84_point(position)
    metres = distance_metres(float(lon), float(lat), float(target.longitude), float(target.latitude))
    radius = shift.route.radius_metres
    now = timezone.now()
    with transaction.atomic():
        shift = PatrolShift.objects.select_for_update().get(pk=shift.pk)
        made = CheckIn.objects.create(
            shift=shift,
            point=target,
            at=now,
            longitude=lon,
            latitude=lat,
            input_system=position.get("system", "wgs84"),
            distance_metres=Decimal(str(round(metres, 1))),
            within_radius=metres <= radius,
            note=note,
            by=actor,
            region_id=shift.region_id,
            region_path=shift.region_path,
        )
        fields = ["points_reached", "updated_at"]
        if shift.status == PatrolShift.Status.PLANNED:
            shift.status, shift.started_at = PatrolShift.Status.IN_PROGRESS, now
            fields += ["status", "started_at"]
        shift.points_reached = (
            CheckIn.objects.filter(shift=shift, within_radius=True).values("point_id").distinct().count()
        )
        shift.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="safety.patrolshift.check_in",
            target=made,
            request=request,
            changes=created(
                shift=shift.pk,
                point=target.pk,
                distance_metres=made.distance_metres,
                within_radius=made.within_radius,
            ),
        )
    return made


def missed_points(shift: PatrolShift):
    """The route's points no check-in of the shift reached within the radius, in route order."""
    reached = CheckIn.objects.filter(shift=shift, within_radius=True).values("point_id")
    return PatrolPoint.objects.filter(route_id=shift.route_id).exclude(pk__in=reached).order_by("order")


def shift_complete(*, actor, shift: PatrolShift, findings: str = "", request=None) -> PatrolShift:
    """The end of a shift: its log closes with what was found; points not reached are missed."""
    if shift.status == PatrolShift.Status.COMPLETED:
        raise Conflict(_("This shift is completed."), code=SafetyError.SHIFT_COMPLETED)
    now = timezone.now()
    with transaction.atomic():
        shift = PatrolShift.objects.select_for_update().get(pk=shift.pk)
        shift.status, shift.completed_at, shift.findings = PatrolShift.Status.COMPLETED, now, findings
        shift.started_at = shift.started_at or now
        shift.save(update_fields=["status", "completed_at", "findings", "started_at", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.patrolshift.complete",
            target=shift,
            request=request,
            changes={
                "status": {"old": "in_progress", "new": "completed"},
                "points_reached": {"old": None, "new": shift.points_reached},
                "points_missed": {"old": None, "new": shift.points_planned - shift.points_reached},
            },
        )
    return shift


# extreme-weather patrols ---------------------------------------------------------------------------

FAMILY_SEARCH = "safety.family_search"


def _identity(identified: bool, name: str, document_number: str) -> tuple[str, str, str, str]:
    """(name, masked name, document number, masked number) as kept: validated, encrypted by the
    model's fields, masked the register's way."""
    from django.core.exceptions import ValidationError

    from core.pii.masking import mask_id_number, mask_name
    from core.pii.validators import validate_id_number

    name = name.strip()
    if identified and not (name or document_number):
        raise field_error("name", _("Give the name or the identity number of a person identified."))
    number = ""
    if document_number:
        try:
            number = validate_id_number(document_number)
        except ValidationError as error:
            raise field_error("document_number", error.messages[0]) from None
    return name, mask_name(name) or "", number, mask_id_number(number) or ""


def rough_sleeper_record(
    *,
    actor,
    shift: PatrolShift,
    position: dict,
    identified: bool,
    help_given: list[str],
    place: str = "",
    name: str = "",
    document_number: str = "",
    sex: str = "",
    approximate_age: int | None = None,
    condition: str = "",
    help_note: str = "",
    request=None,
):
    """A person found sleeping rough on an extreme-weather shift (寒冬送温暖、夏季送清凉) and the
    help given. A person who cannot be identified is referred for a family search (寻亲): an event
    of `safety.family_search` at the shift's grid and the place they were found."""
    from core.registry.identity import document_index
    from core.workflow.models import Event
    from core.workflow.services import event_report
    from safety.models import EXTREME_WEATHER, RoughSleeper

    if shift.kind not in EXTREME_WEATHER:
        raise Conflict(
            _("Rough sleepers are recorded on extreme-weather patrols."), code=SafetyError.NOT_EXTREME_WEATHER
        )
    if shift.status == PatrolShift.Status.COMPLETED:
        raise Conflict(_("This shift is completed."), code=SafetyError.SHIFT_COMPLETED)
    if not help_given:
        raise field_error("help_given", _("Say what help was given, or that it was declined."))
    name, name_masked, number, number_masked = _identity(identified, name, document_number)
    lon, lat = wgs84_point(position)
    now = timezone.now()
    with transaction.atomic():
        event = None
        if not identified:
            event, _merged = event_report(
                reporter=actor,
                type_key=FAMILY_SEARCH,
                source=Event.Source.PATROL,
                title=_("Family search (寻亲) for a person found sleeping rough: %(place)s")
                % {"place": place or shift.region.name},
                description=condition,
                grid=shift.region,
                point=(float(lon), float(lat)),
                request=request,
            )
        found = RoughSleeper.objects.create(
            shift=shift,
            found_at=now,
            longitude=lon,
            latitude=lat,
            input_system=position.get("system", "wgs84"),
            place=place,
            identified=identified,
            name_encrypted=name,
            name_masked=name_masked,
            document_number_encrypted=number,
            document_number_index=document_index("id_card", number) if number else "",
            document_number_masked=number_masked,
            sex=sex,
            approximate_age=approximate_age,
            condition=condition,
            help_given=sorted(set(help_given)),
            help_note=help_note,
            family_search=event,
            recorded_by=actor,
            region_id=shift.region_id,
            region_path=shift.region_path,
        )
        audit_record(
            actor=actor,
            action="safety.roughsleeper.record",
            target=found,
            request=request,
            changes=created(
                shift=shift.pk,
                identified=identified,
                help_given=found.help_given,
                family_search=event.pk if event else None,
            ),
        )
    return found


def patrol_requested(payload, *, key: str) -> None:
    """A `patrol_request` hand-off (a scenario's weather warning): a shift of the asked kind on each
    current route of the community, for the grid's lead, over the period asked. A community with
    no route, or no grid worker to walk one, gets a `safety.patrol_request` event instead, for its
    workers to plan the patrol. Runs once per hand-off (the hand-off is delivered once); a shift
    remembers the request it came from (`requested_by`), so a second delivery plans nothing."""
    from core.workflow.dispatch import lead_worker
    from core.workflow.models import Event
    from core.workflow.services import event_report

    community = Region.objects.filter(path=payload.region_path).first()
    if community is None:
        return
    planned = 0
    routes = PatrolRoute.objects.current().under(payload.region_path).select_related("region").order_by("id")
    for route in routes:
        patroller = lead_worker(route.region)
        requested_by = f"{key}:{route.pk}"[:120]
        if patroller is None or PatrolShift.objects.filter(requested_by=requested_by).exists():
            continue
        _shift_create(
            route, payload.kind, patroller, payload.starts_at, payload.ends_at, requested_by,
            actor=None, source=payload.source,
        )  # fmt: skip
        planned += 1
    if planned == 0:
        event_report(
            reporter=None,
            type_key=PATROL_REQUEST,
            source=Event.Source.SCENARIO,
            title=_("Plan a patrol for people sleeping rough (%(kind)s)")
            % {"kind": PatrolShift(kind=payload.kind).get_kind_display()},
            community=community,
            deadline=payload.ends_at,
            external_ref=key[:100],
        )
