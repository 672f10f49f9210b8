"""Co-building (共建单位) under /api/v1/governance/: units with their resources, community needs
matched to a resource of a unit at the need's community or above, and their outcome."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.errors import not_found_in_payload
from core.api.viewsets import ResourceViewSet
from governance import cobuilding
from governance.api.serializers_cobuilding import (
    CloseInput,
    MatchInput,
    NeedInput,
    NeedOutput,
    UnitInput,
    UnitOutput,
)
from governance.contributions import MANAGE, VIEW
from governance.models import CoBuildingUnit, Need, Topic, UnitResource

READ = (VIEW,)


@extend_schema(tags=["governance"])
class UnitViewSet(ResourceViewSet):
    queryset = CoBuildingUnit.objects.all()
    output_serializer = UnitOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": (MANAGE,)}

    def get_queryset(self):
        resources = Prefetch("resources", queryset=UnitResource.objects.order_by("id"))
        return CoBuildingUnit.objects.visible_to(self.request.user, VIEW).prefetch_related(resources)

    @extend_schema(request=UnitInput, responses={201: UnitOutput})
    def create(self, request):
        data = self.parse(UnitInput)
        data["resources"] = [dict(row) for row in data["resources"]]
        unit = cobuilding.unit_register(actor=request.user, request=request, **data)
        return self.out(self.get_queryset().get(pk=unit.pk), status=201)


@extend_schema(tags=["governance"])
class NeedViewSet(ResourceViewSet):
    queryset = Need.objects.all()
    output_serializer = NeedOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "*": (MANAGE,)}

    def get_queryset(self):
        return Need.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=NeedInput, responses={201: NeedOutput})
    def create(self, request):
        data = self.parse(NeedInput)
        topic = None
        if data["topic"] is not None:
            topic = Topic.objects.visible_to(request.user, VIEW).filter(pk=data["topic"]).first()
            if topic is None:
                raise not_found_in_payload("topic")
        need = cobuilding.need_raise(
            actor=request.user, community=data["community"], title=data["title"], topic=topic, request=request
        )
        return self.out(need, status=201)

    @extend_schema(request=MatchInput, responses=NeedOutput)
    @action(detail=True, methods=["post"])
    def match(self, request, pk=None):
        """Match the open need to an available resource of a unit at its community or above."""
        need = self.get_object()
        resource_id = self.parse(MatchInput)["resource"]
        # Any unit at the need's community or above it (a street's hospital serves its communities);
        # the service refuses one elsewhere as if it did not exist.
        resource = UnitResource.objects.filter(pk=resource_id).select_related("unit").first()
        if resource is None:
            raise not_found_in_payload("resource")
        return self.out(
            cobuilding.need_match(actor=request.user, need=need, resource=resource, request=request)
        )

    @extend_schema(request=CloseInput, responses=NeedOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The outcome of a matched need: met or not, and what happened."""
        need = self.get_object()
        return self.out(
            cobuilding.need_close(actor=request.user, need=need, request=request, **self.parse(CloseInput))
        )
