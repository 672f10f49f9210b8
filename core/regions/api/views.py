"""The region tree under /api/v1/regions/: the caller's own nodes, children, subtrees, grid workers."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ScopedViewSet
from core.regions.filters import RegionFilter
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.api.serializers import GridWorkerOutput
from core.registry.selectors import GRID_WORKER_ORDERING, grid_workers

VIEW = ("registry.view",)


class RegionOutput(serializers.ModelSerializer):
    # "residents_committee" or "village_committee" for a community; null at every other level
    # (and for a community whose kind is not recorded yet).
    community_kind = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "name", "level", "community_kind", "code", "parent", "path", "merged_into"]

    @extend_schema_field(serializers.ChoiceField(choices=Region.CommunityKind.choices, allow_null=True))
    def get_community_kind(self, region: Region) -> str | None:
        return region.community_kind or None


class RegionDetailOutput(RegionOutput):
    class Meta(RegionOutput.Meta):
        fields = [*RegionOutput.Meta.fields, "boundary"]


@extend_schema(tags=["regions"])
@extend_schema_view(
    list=extend_schema(responses=RegionOutput), retrieve=extend_schema(responses=RegionDetailOutput)
)
class RegionViewSet(ScopedViewSet):
    queryset = Region.objects.all()
    region_path_attribute = "path"
    ordering_fields = {"path": "path", "id": "id", "name": "name"}
    default_ordering = "-id"
    filterset_class = RegionFilter
    action_permissions = {"*": VIEW}

    def list(self, request):
        """Every node under the caller's subtrees, newest first (filter by level or parent; ordering=path)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(RegionOutput(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(RegionDetailOutput(self.get_object()).data)

    @extend_schema(responses=RegionOutput(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def mine(self, request):
        """The nodes where the caller holds a role (the tops of their subtrees): a few, one array."""
        paths = scope_for(request.user).paths
        nodes = self.get_queryset().filter(path__in=paths).order_by("path")
        return Response(RegionOutput(nodes, many=True).data)

    @extend_schema(responses=RegionOutput(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def children(self, request, pk=None):
        """The node's children, by name (keyset-paginated; ordering=path, id)."""
        node = self.get_object()
        return self.related_page(
            self.get_queryset().filter(parent=node),
            RegionOutput,
            ordering_fields=self.ordering_fields,
            default_ordering="name",
        )

    @extend_schema(responses=RegionOutput(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def subtree(self, request, pk=None):
        """The node and everything below it, by path (keyset-paginated)."""
        node = self.get_object()
        self.default_ordering = "path"  # a subtree reads top-down
        queryset = self.get_queryset().filter(path__startswith=node.path)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(RegionOutput(page, many=True).data)

    @extend_schema(responses=GridWorkerOutput(many=True))
    @action(detail=True, methods=["get"], url_path="grid-workers", filter_backends=[])
    def grid_workers(self, request, pk=None):
        """The grid workers of a grid, the lead first and marked (keyset-paginated)."""
        node = self.get_object()
        return self.related_page(
            grid_workers(node),
            GridWorkerOutput,
            ordering_fields=GRID_WORKER_ORDERING,
            default_ordering="-is_lead",
        )
