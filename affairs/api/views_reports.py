"""Statistics and the publicity list (公示) of government affairs.

GET  /api/v1/affairs/statistics/?region=<id>     figures for a node in the caller's scope
GET  /api/v1/affairs/publicity/                  applications now publicly posted
POST /api/v1/affairs/publicity/{id}/objections/  a resident of that community objects
"""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from affairs.api import serializers_reports as s
from affairs.models import Application
from affairs.models.applications import Stage
from affairs.objections import objection_raise
from affairs.statistics import affairs_statistics
from core.api.errors import not_found_in_payload
from core.api.pagination import KeysetPagination
from core.api.params import parse_id
from core.api.viewsets import ScopedViewSet
from core.regions.models import Region
from core.regions.paths import community_path, depth, region_in_scope, under_any
from core.regions.scoping import scope_for, under
from core.registry.models import Resident

VIEW = ("affairs.view",)


@extend_schema(tags=["affairs"])
class StatisticsViewSet(ScopedViewSet):
    """Applications by item and stage, on-time rate, average working days to a decision and
    benefits in force, for one node and each node one level down."""

    action_permissions = {"list": VIEW}

    @extend_schema(
        parameters=[
            OpenApiParameter("region", int, description="a node in your scope (default: your top node)")
        ],
        responses={200: dict},
    )
    def list(self, request):
        return Response(affairs_statistics(self._region()))

    def _region(self) -> Region:
        raw = self.request.query_params.get("region")
        if raw is None:
            # The caller's top node: the shallowest where they see affairs (the first if several).
            paths = scope_for(self.request.user).paths_with("affairs.view")
            top = min(paths, key=lambda p: (depth(p), p))
            return Region.objects.get(path=top)
        region = region_in_scope(self.request.user, parse_id(raw), "affairs.view")
        if region is None:
            raise not_found_in_payload("region")
        return region


def community_paths(resident_ids) -> list[str]:
    """The communities of these resident records (the 4th node of their region path)."""
    places = Resident.objects.filter(pk__in=resident_ids).values_list("region_path", flat=True)
    return sorted({community_path(path) for path in places} - {None})


@extend_schema(tags=["affairs"])
class PublicityViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Applications in publicity, as posted in the community: names masked, no ID or phone
    numbers, the building without the room. Staff see those in their scope; a resident those of
    their own community, and may object to one of them."""

    queryset = Application.objects.all()
    serializer_class = s.PublicityOutput
    pagination_class = KeysetPagination
    ordering_fields = {"id": "id", "publicity_ends_on": "publicity_ends_on"}
    default_ordering = "-id"
    lookup_value_regex = r"\d+"
    action_permissions = {"list": ("affairs.view", "affairs.view_own"), "objections": ("affairs.view_own",)}

    def _communities(self) -> list[str]:
        if not hasattr(self, "_community_cache"):
            self._community_cache = (
                community_paths(self.scope.resident_ids) if self.scope.resident_ids else []
            )
        return self._community_cache

    def get_queryset(self):
        staff = scope_for(self.request.user).paths_with("affairs.view")
        rows = Application.objects.filter(under(staff) | under(self._communities()))
        if self.action == "objections":
            # Posted once: an application whose publicity has ended answers 409, not 404.
            return rows.filter(publicity_starts_on__isnull=False)
        return (
            rows.filter(stage=Stage.PUBLICITY)
            .select_related("item", "applicant", "household__house__building__compound")
            .annotate(covered_count=Count("members", filter=Q(members__covered=True)))
        )

    def is_own(self, obj, scope) -> bool:
        return under_any(obj.region_path, self._communities())

    @extend_schema(request=s.ObjectionInput, responses={201: s.ObjectionOutput})
    @action(detail=True, methods=["post"], throttle_classes=[ScopedRateThrottle], throttle_scope="objection")
    def objections(self, request, pk=None):
        """Object to a publicly posted application (while its publicity runs; 409 after). One
        unsettled objection per person and application, and a rate limit per person."""
        application = self.get_object()
        data = s.ObjectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        objection = objection_raise(
            application,
            content=data.validated_data["content"],
            actor=request.user,
            one_open_per_person=True,
            request=request,
        )
        return Response(s.ObjectionOutput(objection).data, status=status.HTTP_201_CREATED)
