"""Assistance standards: /api/v1/affairs/standards/

Everyone handling affairs sees the standards their districts use: the platform's defaults and
their districts' own rows. District staff (affairs.configure) add a standard for their district
and end one by giving it an end date; a standard is never edited (affairs/standards.py says why),
so PATCH accepts `effective_to` and nothing else.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from affairs import selectors, standards
from affairs.api import serializers_standards as s
from affairs.filters import StandardFilter
from affairs.models import AssistanceStandard
from core.api.viewsets import ResourceViewSet

VIEW = ("affairs.view",)
CONFIGURE = ("affairs.configure",)


@extend_schema(tags=["affairs"])
@extend_schema_view(
    list=extend_schema(responses=s.StandardOutput),
    retrieve=extend_schema(responses=s.StandardOutput),
    create=extend_schema(request=s.StandardInput, responses={201: s.StandardOutput}),
    partial_update=extend_schema(request=s.StandardEndInput, responses=s.StandardOutput),
)
class StandardViewSet(ResourceViewSet):
    queryset = AssistanceStandard.objects.all()
    output_serializer = s.StandardOutput
    filterset_class = StandardFilter
    ordering_fields = {"id": "id", "effective_from": "effective_from"}
    default_ordering = "-effective_from"
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": CONFIGURE, "partial_update": CONFIGURE}

    def get_queryset(self):
        return selectors.standards_visible_to(self.request.user).select_related("region")

    def check_object_permissions(self, request, obj):
        # Standards are not placed at a grid: reading needs affairs.view (has_permission); ending
        # one needs affairs.configure over its district.
        if self.action == "partial_update":
            standards.check_standard_configurable(request.user, obj)

    def create(self, request):
        standard = standards.standard_add(actor=request.user, request=request, **self.parse(s.StandardInput))
        return self.out(selectors.standard_read(standard), status=201)

    def partial_update(self, request, pk=None):
        standard = self.get_object()
        data = self.parse(s.StandardEndInput)
        standard = standards.standard_end(actor=request.user, standard=standard, request=request, **data)
        return self.out(selectors.standard_read(standard))
