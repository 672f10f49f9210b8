"""Benefits: /api/v1/affairs/benefits/ (amounts shown, names masked).

Staff see the benefits in their scope, a resident those of their household; staff handling
affairs end one (lapsed or revoked) through affairs.benefits.benefit_end. A death or a move out
ends benefits through the register, not here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from affairs.actors import acts_at_level
from affairs.api import serializers_reports as s
from affairs.benefits import benefit_end
from affairs.models import Benefit
from core.api.errors import Forbidden, field_error
from core.api.pagination import KeysetPagination
from core.api.params import parse_id
from core.api.viewsets import ScopedViewSet

READ = ("affairs.view", "affairs.view_own")
FILTERS = [
    OpenApiParameter("item", str, description="service item code"),
    OpenApiParameter("in_force", bool, description="true: in force today; false: ended or not begun"),
    OpenApiParameter("household", int),
    OpenApiParameter("resident", int),
]


def _whole(name: str, raw: str) -> int:
    value = parse_id(raw)
    if value is None:
        raise field_error(name, _("Enter a whole number."))
    return value


@extend_schema(tags=["affairs"])
@extend_schema_view(
    list=extend_schema(parameters=FILTERS, responses=s.BenefitOutput),
    retrieve=extend_schema(responses=s.BenefitOutput),
)
class BenefitViewSet(ScopedViewSet):
    queryset = Benefit.objects.select_related("item", "resident")
    serializer_class = s.BenefitOutput
    pagination_class = KeysetPagination
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    ordering_fields = {"id": "id", "started_on": "started_on", "next_check_on": "next_check_on"}
    default_ordering = "-started_on"
    action_permissions = {"list": READ, "retrieve": READ, "end": ("affairs.handle",)}

    def is_own(self, obj, scope) -> bool:
        return Benefit.objects.filter(pk=obj.pk).visible_to_resident(scope.resident_ids).exists()

    def get_queryset(self):
        rows = super().get_queryset()
        params = self.request.query_params
        if params.get("item"):
            rows = rows.filter(item__code=params["item"][:40])
        for name in ("household", "resident"):
            if params.get(name):
                rows = rows.filter(**{f"{name}_id": _whole(name, params[name])})
        flag = params.get("in_force")
        if flag in ("true", "1"):
            rows = rows.in_force(timezone.localdate())
        elif flag in ("false", "0"):
            rows = rows.exclude(pk__in=Benefit.objects.in_force(timezone.localdate()).values("pk"))
        return rows

    def _out(self, rows, **kwargs):
        return s.BenefitOutput(rows, context={"today": timezone.localdate()}, **kwargs).data

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._out(page, many=True))

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object()))

    @extend_schema(request=s.BenefitEndInput, responses=s.BenefitOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a benefit that lapsed or is revoked, as of `ended_on` (default today)."""
        benefit = self.get_object()
        data = s.BenefitEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The level that confirms the item ends what it granted, and says why.
        if not acts_at_level(request.user, benefit.region_path, benefit.item.confirm_level):
            raise Forbidden(_("Only the level that confirms this item may end its benefits."))
        if not values["note"].strip():
            raise field_error("note", _("Say why in the note."))
        benefit_end(
            benefit, reason=values["reason"], actor=request.user, on=values["ended_on"], note=values["note"]
        )
        return Response(self._out(self.get_queryset().get(pk=benefit.pk)))
