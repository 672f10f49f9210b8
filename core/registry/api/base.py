"""The base of the register's viewsets: scoped queryset, strict input, keyset pages, no-store."""

from __future__ import annotations

from rest_framework.response import Response

from core.api.pagination import KeysetPagination
from core.api.viewsets import ScopedViewSet
from core.registry.models import Resident

VIEW = ("registry.view",)
VIEW_OR_OWN = ("registry.view", "registry.view_own")
CHANGE = ("registry.change",)


def own_household_ids(scope) -> set[int]:
    """The households of the residents a resident user is bound to."""
    return set(
        Resident.objects.filter(id__in=scope.resident_ids, household__isnull=False).values_list(
            "household_id", flat=True
        )
    )


def owns_resident(resident, scope) -> bool:
    """Whether a resident user may see this person as their own: themselves or their household."""
    return resident.pk in scope.resident_ids or (
        resident.household_id is not None and resident.household_id in own_household_ids(scope)
    )


class RegistryViewSet(ScopedViewSet):
    pagination_class = KeysetPagination
    ordering_fields = {"id": "id"}
    # Newest first unless the client sorts otherwise.
    default_ordering = "-id"
    output_serializer = None

    def parse(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def out(self, obj, *, serializer=None, status=200, many=False) -> Response:
        serializer = serializer or self.output_serializer
        return Response(serializer(obj, many=many, context={"request": self.request}).data, status=status)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.output_serializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return self.out(self.get_object())


class CrudViewSet(RegistryViewSet):
    """List, retrieve, create and partial update through the resource's services."""

    create_input = None
    update_input = None
    create_service = None  # staticmethod(callable(*, actor, request, **data))
    update_service = None  # staticmethod(callable(*, actor, <instance_kwarg>, data, request))
    instance_kwarg = ""
    action_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": CHANGE,
        "partial_update": CHANGE,
    }

    def create(self, request, *args, **kwargs):
        data = self.parse(self.create_input)
        obj = self.create_service(actor=request.user, request=request, **data)
        return self.out(obj, status=201)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.parse(self.update_input)
        obj = self.update_service(
            actor=request.user, data=data, request=request, **{self.instance_kwarg: instance}
        )
        return self.out(obj)
