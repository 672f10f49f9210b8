"""Assistance standards: /api/v1/affairs/standards/

Everyone handling affairs sees the standards their districts use: the platform's defaults and
their districts' own rows. District staff (affairs.configure) add a standard for their district
and end one by giving it an end date.

A standard is never edited. An application records the standard it was checked against (its id
and amount in `eligibility`), and a benefit keeps the amount decided then; a changed amount on the
same row would rewrite what those readings refer to and make the history of a district's
standards unknowable. A new amount is therefore a new row with its own `effective_from`: from
that date it takes precedence (the newest in force wins, affairs.eligibility.standards), and the
old row may be ended with `effective_to`. PATCH accepts `effective_to` and nothing else.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from affairs.api import serializers_reports as s
from affairs.errors import AffairsError
from affairs.models import AssistanceStandard
from core.api.errors import (
    Conflict,
    Forbidden,
    field_error,
    not_found_in_payload,
)
from core.api.pagination import KeysetPagination
from core.api.params import parse_id
from core.api.viewsets import ScopedViewSet
from core.audit.services import audit_record, created
from core.regions.models import Region
from core.regions.scoping import scope_for, under

VIEW = ("affairs.view",)
CONFIGURE = ("affairs.configure",)


def _ids_on(paths) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def standards_visible_to(user):
    """The defaults, the rows of regions above the caller's nodes (their district) and below them."""
    paths = scope_for(user).paths_with("affairs.view")
    if not paths:
        return AssistanceStandard.objects.none()
    return AssistanceStandard.objects.filter(
        Q(region__isnull=True) | Q(region_id__in=_ids_on(paths)) | under(paths, "region__path")
    )


def configurable_district(user, region_id) -> Region:
    """A district the caller configures (affairs.configure over it); 400 as if absent otherwise."""
    paths = scope_for(user).paths_with("affairs.configure")
    region = Region.objects.filter(pk=region_id, level=Region.Level.DISTRICT).first()
    if region is None or not any(region.path.startswith(p) for p in paths):
        raise not_found_in_payload("region")
    return region


@extend_schema(tags=["affairs"])
@extend_schema_view(
    list=extend_schema(responses=s.StandardOutput),
    retrieve=extend_schema(responses=s.StandardOutput),
    create=extend_schema(request=s.StandardInput, responses={201: s.StandardOutput}),
    partial_update=extend_schema(request=s.StandardEndInput, responses=s.StandardOutput),
)
class StandardViewSet(ScopedViewSet):
    queryset = AssistanceStandard.objects.all()
    serializer_class = s.StandardOutput
    pagination_class = KeysetPagination
    ordering_fields = {"id": "id", "effective_from": "effective_from"}
    default_ordering = "-effective_from"
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": CONFIGURE, "partial_update": CONFIGURE}

    def get_queryset(self):
        rows = standards_visible_to(self.request.user).select_related("region")
        for name in ("kind", "area"):
            value = self.request.query_params.get(name)
            if value:
                rows = rows.filter(**{name: value[:24]})
        if self.request.query_params.get("region"):
            region = self.request.query_params["region"]
            if region == "default":
                rows = rows.filter(region__isnull=True)
            else:
                region_id = parse_id(region)
                rows = rows.filter(region_id=region_id) if region_id else rows.none()
        return rows

    def check_object_permissions(self, request, obj):
        # Standards are not placed at a grid: reading needs affairs.view (has_permission); ending
        # one needs affairs.configure over its district (a default row is the platform's own).
        if self.action == "partial_update":
            paths = scope_for(request.user).paths_with("affairs.configure")
            if obj.region is None or not any(obj.region.path.startswith(p) for p in paths):
                raise Forbidden(_("Only the district's own standards can be changed here."))

    def _out(self, rows, **kwargs):
        return s.StandardOutput(rows, context={"today": timezone.localdate()}, **kwargs).data

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._out(page, many=True))

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object()))

    def create(self, request):
        data = s.StandardInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        region = configurable_district(request.user, values.pop("region"))
        taken = Conflict(
            _("A standard of this kind and area already starts on this date."),
            code=AffairsError.STANDARD_EXISTS,
        )
        same_start = {k: values[k] for k in ("kind", "area", "effective_from")}
        if AssistanceStandard.objects.filter(region=region, **same_start).exists():
            raise taken
        with transaction.atomic():
            try:
                with transaction.atomic():  # two clerks at once: the unique constraint decides
                    standard = AssistanceStandard.objects.create(
                        region=region, region_path=region.path, **values
                    )
            except IntegrityError:
                raise taken from None
            audit_record(
                actor=request.user,
                action="affairs.standard.create",
                target=standard,
                request=request,
                changes=created(kind=standard.kind, area=standard.area, amount=str(standard.amount)),
            )
        return Response(self._out(standard), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        standard = self.get_object()
        data = s.StandardEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        end = data.validated_data["effective_to"]
        if end < standard.effective_from:
            raise field_error("effective_to", _("This date is before the start."))
        with transaction.atomic():
            standard = AssistanceStandard.objects.select_for_update().get(pk=standard.pk)
            if standard.effective_to is not None and standard.effective_to < timezone.localdate():
                raise Conflict(_("This standard has already ended."), code=AffairsError.STANDARD_ENDED)
            before = standard.effective_to
            standard.effective_to = end
            standard.save(update_fields=["effective_to"])
            audit_record(
                actor=request.user,
                action="affairs.standard.end",
                target=standard,
                request=request,
                changes={"effective_to": {"old": str(before) if before else None, "new": str(end)}},
            )
        return Response(self._out(standard))
