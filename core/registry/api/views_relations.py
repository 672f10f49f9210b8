"""Guardians and emergency contacts, and tenancies: /api/v1/registry/contacts/, tenancies/.

A resident's contacts are listed and added under residents/{id}/contacts/; a house's tenants
under houses/{id}/tenants/. A contact is seen by whoever sees its resident, a tenancy by
whoever sees the rented house (and the tenant, as their own record).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from core.api.viewsets import ResourceViewSet
from core.registry import filters, selectors, services
from core.registry.api import serializers_relations as rel
from core.registry.api.access import CHANGE, VIEW, VIEW_OR_OWN, owns_resident


@extend_schema(tags=["registry"])
@extend_schema_view(
    list=extend_schema(responses=rel.ContactOutput),
    retrieve=extend_schema(responses=rel.ContactOutput),
    partial_update=extend_schema(request=rel.ContactInput, responses=rel.ContactOutput),
    destroy=extend_schema(responses={204: None}),
)
class ContactViewSet(ResourceViewSet):
    queryset = selectors.contact_queryset()
    filterset_class = filters.ContactFilter
    carries_personal_data = True
    output_serializer = rel.ContactOutput
    action_permissions = {
        "list": VIEW,
        "retrieve": VIEW_OR_OWN,
        "partial_update": CHANGE,
        "destroy": CHANGE,
        "reveal": ("registry.reveal",),
    }

    def is_own(self, obj, scope) -> bool:
        return owns_resident(obj.resident, scope)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        services.contact_update(
            actor=request.user, contact=contact, data=self.parse(rel.ContactInput), request=request
        )
        return self.out(self.get_queryset().get(pk=contact.pk))

    def destroy(self, request, *args, **kwargs):
        services.contact_remove(actor=request.user, contact=self.get_object(), request=request)
        return Response(status=204)

    @extend_schema(request=rel.ContactRevealInput, responses=rel.PhoneRevealOutput)
    @action(detail=True, methods=["post"], throttle_classes=[ScopedRateThrottle], throttle_scope="reveal")
    def reveal(self, request, pk=None):
        """The contact's full phone, to call them, for a stated purpose; audited, rate-limited."""
        data = self.parse(rel.ContactRevealInput)
        values = services.contact_reveal(
            actor=request.user, contact=self.get_object(), purpose=data["purpose"], request=request
        )
        return self.out(values, serializer=rel.PhoneRevealOutput)


@extend_schema(tags=["registry"])
@extend_schema_view(
    list=extend_schema(responses=rel.TenancyOutput),
    retrieve=extend_schema(responses=rel.TenancyOutput),
    create=extend_schema(request=rel.TenancyStartInput, responses={201: rel.TenancyOutput}),
)
class TenancyViewSet(ResourceViewSet):
    queryset = selectors.tenancy_queryset()
    filterset_class = filters.TenancyFilter
    ordering_fields = {"id": "id", "starts_on": "starts_on"}
    carries_personal_data = True
    output_serializer = rel.TenancyOutput
    action_permissions = {"list": VIEW, "retrieve": VIEW_OR_OWN, "create": CHANGE, "end": CHANGE}

    def is_own(self, obj, scope) -> bool:
        return owns_resident(obj.resident, scope)

    def create(self, request, *args, **kwargs):
        """Start a tenancy: the house becomes rented and the tenant's actual residence."""
        tenancy = services.tenancy_start(
            actor=request.user, request=request, **self.parse(rel.TenancyStartInput)
        )
        return self.out(self.get_queryset().get(pk=tenancy.pk), status=201)

    @extend_schema(request=rel.TenancyEndInput, responses=rel.TenancyOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The tenant leaves; the house is vacant or self-occupied again when no tenancy is left."""
        tenancy = services.tenancy_end(
            actor=request.user, tenancy=self.get_object(), request=request, **self.parse(rel.TenancyEndInput)
        )
        return self.out(self.get_queryset().get(pk=tenancy.pk))
