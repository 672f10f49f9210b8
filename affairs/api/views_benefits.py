"""Benefits: /api/v1/affairs/benefits/ (amounts shown, names masked).

Staff see the benefits in their scope, a resident those of their household; the level that
confirms an item ends one of its benefits (lapsed or revoked). A death or a move out ends
benefits through the register, not here.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from affairs.api import serializers_benefits as s
from affairs.benefits import benefit_end_by_confirming_level
from affairs.filters import BenefitFilter
from affairs.models import Benefit
from core.api.viewsets import ResourceViewSet

READ = ("affairs.view", "affairs.view_own")


@extend_schema(tags=["affairs"])
@extend_schema_view(
    list=extend_schema(responses=s.BenefitOutput),
    retrieve=extend_schema(responses=s.BenefitOutput),
)
class BenefitViewSet(ResourceViewSet):
    queryset = Benefit.objects.select_related("item", "resident")
    output_serializer = s.BenefitOutput
    filterset_class = BenefitFilter
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    ordering_fields = {"id": "id", "started_on": "started_on", "next_check_on": "next_check_on"}
    default_ordering = "-started_on"
    action_permissions = {"list": READ, "retrieve": READ, "end": ("affairs.handle",)}

    def is_own(self, obj, scope) -> bool:
        return Benefit.objects.filter(pk=obj.pk).visible_to_resident(scope.resident_ids).exists()

    @extend_schema(request=s.BenefitEndInput, responses=s.BenefitOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a benefit that lapsed or is revoked, as of `ended_on` (default today)."""
        benefit = self.get_object()
        data = self.parse(s.BenefitEndInput)
        benefit_end_by_confirming_level(benefit, actor=request.user, **data)
        return self.out(self.get_queryset().get(pk=benefit.pk))
