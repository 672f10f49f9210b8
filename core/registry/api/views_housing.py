"""Places and housing: /api/v1/registry/place-names/, compounds/, buildings/, houses/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from core.api.viewsets import CrudViewSet
from core.registry import filters, selectors, services
from core.registry.api import serializers_housing as s
from core.registry.api.access import CRUD_PERMISSIONS, VIEW
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
    queryset = PlaceName.objects.all()
    filterset_class = filters.PlaceNameFilter
    ordering_fields = {"id": "id", "name": "name", "status": "status"}
    output_serializer = s.PlaceNameOutput
    create_input, update_input = s.PlaceNameCreateInput, s.PlaceNameInput
    create_service = staticmethod(services.place_name_create)
    update_service = staticmethod(services.place_name_update)
    instance_kwarg = "place_name"
    action_permissions = CRUD_PERMISSIONS


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
    @action(detail=True, methods=["get"])
    def tenants(self, request, pk=None):
        """Who rents or rented the house, current tenants first."""
        return self.out(selectors.tenancies(house=self.get_object()), serializer=TenancyOutput, many=True)
