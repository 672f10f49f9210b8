"""Open311 GeoReport v2 (JSON) over event types and events, so hotlines and existing Open311
clients talk to the platform unchanged. Errors use the spec's own shape
(`[{"code": 400, "description": "…"}]`), which those clients parse.

Reads are public by design and carry no personal data: status, service, times and the
community's name, never the description, the reporter or the house. A client with an API key
sees the description of the requests it created.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.api.errors import ApplicationError
from core.api.params import parse_id
from core.extensions.contributions import EventType
from core.extensions.registry import registry
from core.pii.masking import mask_free_text
from core.regions.models import Region
from core.regions.paths import community_id
from core.workflow import services
from core.workflow.geo import to_wgs84
from core.workflow.models import Event
from core.workflow.open311.keys import client_for
from core.workflow.selectors import open311_place
from core.workflow.states import FINAL_STATES, State

MAX_LIST = 200
_DATATYPES = {
    "text": "string",
    "integer": "number",
    "decimal": "number",
    "date": "datetime",
    "boolean": "singlevaluelist",
    "choice": "singlevaluelist",
}


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _services() -> dict[str, EventType]:
    return {k.key: k for k in registry.items(EventType.kind) if k.open311}


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# When this interface last changed in a way a client may notice (discovery's changeset).
CHANGESET = "2026-12-04T00:00:00+08:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


@require_GET
def discovery(request):
    """GeoReport v2 service discovery: where the endpoint is and what it speaks."""
    services_url = request.build_absolute_uri(reverse("open311-services"))
    return JsonResponse(
        {
            "changeset": CHANGESET,
            "contact": str(_("The platform's administrators (this site's operator).")),
            "key_service": str(
                _("API keys for creating requests are issued by the administrators (admin: Open311 clients).")
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": services_url.removesuffix("services.json").rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
def service_list(request):
    rows = [
        {
            "service_code": k.key,
            "service_name": str(k.name),
            "description": str(k.description or k.name),
            "metadata": bool(k.form_fields),
            "type": "realtime",
            "keywords": "",
            "group": k.domain,
        }
        for k in sorted(_services().values(), key=lambda k: k.key)
    ]
    return JsonResponse(rows, safe=False)


@require_GET
def service_definition(request, code: str):
    kind = _services().get(code)
    if kind is None:
        return _error(404, "service_code not found")
    attributes = []
    for order, field in enumerate(kind.form_fields, start=1):
        values = (
            [{"key": "true", "name": "true"}, {"key": "false", "name": "false"}]
            if field.kind == "boolean"
            else [{"key": key, "name": str(label)} for key, label in field.choices]
        )
        attributes.append(
            {
                "variable": True,
                "code": field.name,
                "datatype": _DATATYPES[field.kind],
                "required": field.required,
                "datatype_description": "",
                "order": order,
                "description": str(field.label),
                "values": values,
            }
        )
    return JsonResponse({"service_code": kind.key, "attributes": attributes})


CLOSED_STATES = frozenset({*FINAL_STATES, State.RESOLVED})


def _status(event: Event) -> str:
    return "closed" if event.state in CLOSED_STATES else "open"


def _comma_list(value: str | None) -> list[str]:
    """A parameter the spec lets be "declared multiple times, comma delimited"."""
    return [item.strip() for item in (value or "").split(",")[:MAX_LIST] if item.strip()]


def _request_row(event: Event, communities: dict[int, str], client=None) -> dict:
    kind = _services().get(event.type)
    community = community_id(event.region_path)
    own = client is not None and event.reporter_id == client.service_user_id
    return {
        "service_request_id": str(event.pk),
        "status": _status(event),
        "status_notes": event.get_state_display(),
        "service_name": str(kind.name) if kind else event.type,
        "service_code": event.type,
        "description": mask_free_text(event.description) if own else "",
        "agency_responsible": communities.get(community, ""),
        "service_notice": "",
        "requested_datetime": _iso(event.created_at),
        "updated_datetime": _iso(event.updated_at),
        "expected_datetime": _iso(event.deadline),
        "address": communities.get(community, ""),
        "address_id": "",
        "zipcode": "",
        "lat": float(event.latitude) if event.latitude is not None and own else None,
        "long": float(event.longitude) if event.longitude is not None and own else None,
        "media_url": "",
    }


def _rows(events, client=None) -> list[dict]:
    community_ids = {community_id(e.region_path) for e in events} - {None}
    communities = dict(Region.objects.filter(pk__in=community_ids).values_list("pk", "name"))
    return [_request_row(e, communities, client) for e in events]


def _list(request):
    events = Event.objects.filter(type__in=list(_services()))
    ids = _comma_list(request.GET.get("service_request_id"))
    if ids:  # the spec: service_request_id overrides every other argument
        events = events.filter(pk__in=[parse_id(i) for i in ids if parse_id(i)])
        client = client_for(request.GET.get("api_key"))
        return JsonResponse(_rows(list(events.order_by("-created_at")[:MAX_LIST]), client), safe=False)
    codes = _comma_list(request.GET.get("service_code"))
    if codes:
        events = events.filter(type__in=codes)
    for param, lookup in (("start_date", "created_at__gte"), ("end_date", "created_at__lte")):
        if request.GET.get(param):
            try:
                moment = parse_datetime(request.GET[param])
            except ValueError:  # well-formed but impossible, e.g. 30 February
                moment = None
            if moment is None:
                return _error(400, f"{param} must be a W3C datetime")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            events = events.filter(**{lookup: moment})
    statuses = set(_comma_list(request.GET.get("status")))
    if statuses - {"open", "closed"}:
        return _error(400, "status must be open or closed")
    if statuses == {"open"}:
        events = events.exclude(state__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        events = events.filter(state__in=CLOSED_STATES)
    client = client_for(request.GET.get("api_key"))
    return JsonResponse(_rows(list(events.order_by("-created_at")[:MAX_LIST]), client), safe=False)


def _create(request):
    client = client_for(request.POST.get("api_key"))
    if client is None:
        return _error(403, "a valid api_key is required")
    kind = _services().get(request.POST.get("service_code", ""))
    if kind is None:
        return _error(404, "service_code not found")
    form_data = {
        key[len("attribute[") : -1]: value
        for key, value in request.POST.items()
        if key.startswith("attribute[") and key.endswith("]")
    }
    for field in kind.form_fields:
        if field.kind == "boolean" and field.name in form_data:
            form_data[field.name] = form_data[field.name] == "true"
    try:
        point = None
        if request.POST.get("lat") and request.POST.get("long"):
            longitude, latitude = float(request.POST["long"]), float(request.POST["lat"])
            if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):  # NaN fails too
                raise ValueError("not a WGS-84 point")
            point = to_wgs84(longitude, latitude, "wgs84")
        address = request.POST.get("address_string", "")
        address_id = parse_id(request.POST.get("address_id"))
        if point is None and not address.strip() and address_id is None:
            return _error(400, "lat/long, address_string or address_id is required")
        place = open311_place(client, address_id=address_id, point=point, address=address)
        description = request.POST.get("description", "")[:5000]
        event, merged = services.event_report(
            reporter=client.service_user,
            type_key=kind.key,
            source=client.source,
            title=mask_free_text(description or str(kind.name))[:200],
            description=place.describe(description)[:5000],
            form_data=form_data,
            house=place.house,
            grid=place.grid,
            community=place.community,
            point=place.point,
        )
    except ApplicationError as error:
        details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.fields.items()) or str(
            error.message
        )
        return _error(error.status_code, details)
    except ValueError:
        return _error(400, "lat/long must be WGS-84 degrees")
    return JsonResponse(
        [
            {
                "service_request_id": str(event.pk),
                "service_notice": "merged" if merged else "",
                "account_id": None,
            }
        ],
        status=201 if not merged else 200,
        safe=False,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request):
    return _create(request) if request.method == "POST" else _list(request)


@require_GET
def request_detail(request, request_id: int):
    event = Event.objects.filter(pk=request_id, type__in=list(_services())).first()
    if event is None:
        return _error(404, "service_request_id not found")
    return JsonResponse(_rows([event], client_for(request.GET.get("api_key"))), safe=False)
