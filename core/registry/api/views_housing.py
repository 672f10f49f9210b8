"""Places and housing: /api/v1/registry/place-names/, compounds/, buildings/, houses/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from core.api.viewsets import CrudViewSet
from core.registry import filters, selectors, services
from core.registry.api import serializers_housing as s
from core.registry.api.access import APPROVE_PLACE_NAMES, CHANGE, CRUD_PERMISSIONS, VIEW
from core.registry.api.serializers_relations import TenancyOutput
from core.registry.models import Building, Compound, House, PlaceName


def crud_schema(output, create_input, update_input):
    return extend_schema_view(
        list=extend_schema(responses=output),
        retrieve=extend_schema(responses=output),
        create=extend_schema(request=create_input, responses={201: output}),
        partial_update=extend_schema(request=update_input, responses=output),
    )


@extend_schema(tags=["registry"])
@crud_schema(s.PlaceNameOutput, s.PlaceNameCreateInput, s.PlaceNameInput)
class PlaceNameViewSet(CrudViewSet):
    """Place names (地名). Making a name standard, or changing its standard name, is a proposal
    that another person approves (`approve`) or rejects (`reject`); docs/place-names.md."""

    queryset = PlaceName.objects.prefetch_related("aliases")
    filterset_class = filters.PlaceNameFilter
    ordering_fields = {"id": "id", "name": "name", "pinyin": "pinyin_key", "status": "status"}
    output_serializer = s.PlaceNameOutput
    create_input, update_input = s.PlaceNameCreateInput, s.PlaceNameInput
    create_service = staticmethod(services.place_name_create)
    update_service = staticmethod(services.place_name_update)
    instance_kwarg = "place_name"
    action_permissions = {
        **CRUD_PERMISSIONS,
        "approve": APPROVE_PLACE_NAMES,
        "reject": APPROVE_PLACE_NAMES,
        "aliases": CHANGE,
    }

    def _answer(self, place_name):
        return self.out(self.get_queryset().get(pk=place_name.pk))

    @extend_schema(request=None, responses=s.PlaceNameOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the open proposal (by another person than its proposer)."""
        return self._answer(
            services.place_name_approve(actor=request.user, place_name=self.get_object(), request=request)
        )

    @extend_schema(request=s.PlaceNameRejectInput, responses=s.PlaceNameOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the open proposal, saying why; the name stays as it was."""
        return self._answer(
            services.place_name_reject(
                actor=request.user,
                place_name=self.get_object(),
                request=request,
                **self.parse(s.PlaceNameRejectInput),
            )
        )

    @extend_schema(request=s.PlaceNameAliasInput, responses={201: s.PlaceNameOutput})
    @action(detail=True, methods=["post"])
    def aliases(self, request, pk=None):
        """Record a former name or an alias with the dates it was in use."""
        place_name = self.get_object()
        services.place_name_add_alias(
            actor=request.user, place_name=place_name, request=request, **self.parse(s.PlaceNameAliasInput)
        )
        return self.out(self.get_queryset().get(pk=place_name.pk), status=201)


@extend_schema(tags=["registry"])
@crud_schema(s.CompoundOutput, s.CompoundCreateInput, s.CompoundInput)
class CompoundViewSet(CrudViewSet):
    queryset = Compound.objects.all()
    filterset_class = filters.CompoundFilter
    ordering_fields = {"id": "id", "name": "name"}
    output_serializer = s.CompoundOutput
    create_input, update_input = s.CompoundCreateInput, s.CompoundInput
    create_service = staticmethod(services.compound_create)
    update_service = staticmethod(services.compound_update)
    instance_kwarg = "compound"
    action_permissions = CRUD_PERMISSIONS


@extend_schema(tags=["registry"])
@crud_schema(s.BuildingOutput, s.BuildingCreateInput, s.BuildingInput)
class BuildingViewSet(CrudViewSet):
    queryset = Building.objects.all()
    filterset_class = filters.BuildingFilter
    ordering_fields = {"id": "id", "name": "name"}
    output_serializer = s.BuildingOutput
    create_input, update_input = s.BuildingCreateInput, s.BuildingInput
    create_service = staticmethod(services.building_create)
    update_service = staticmethod(services.building_update)
    instance_kwarg = "building"
    action_permissions = CRUD_PERMISSIONS


@extend_schema(tags=["registry"])
@crud_schema(s.HouseOutput, s.HouseCreateInput, s.HouseInput)
class HouseViewSet(CrudViewSet):
    queryset = House.objects.all()
    filterset_class = filters.HouseFilter
    ordering_fields = {"id": "id", "address": "address"}
    output_serializer = s.HouseOutput
    # Owners and tenants are people: never cached by a browser or proxy.
    carries_personal_data = True
    create_input, update_input = s.HouseCreateInput, s.HouseInput
    create_service = staticmethod(services.house_create)
    update_service = staticmethod(services.house_update)
    instance_kwarg = "house"
    action_permissions = {**CRUD_PERMISSIONS, "tenants": VIEW}

    @extend_schema(responses=TenancyOutput(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def tenants(self, request, pk=None):
        """Who rents or rented the house, the latest first (keyset-paginated)."""
        return self.related_page(
            selectors.tenancies(house=self.get_object()),
            TenancyOutput,
            ordering_fields=selectors.TENANCY_ORDERING,
            default_ordering="-starts_on",
        )
