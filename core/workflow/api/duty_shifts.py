"""The on-duty roster under /api/v1/events/duty-shifts/: list, read, add a shift, end one."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import not_found_in_payload
from core.api.pagination import KeysetPagination
from core.api.viewsets import ScopedViewSet
from core.regions.models import Region
from core.workflow import roster
from core.workflow.api.serializers import DutyShiftInput, DutyShiftOutput
from core.workflow.filters import DutyShiftFilter
from core.workflow.models import DutyShift


@extend_schema_view(
    list=extend_schema(tags=["events"], responses=DutyShiftOutput(many=True)),
    retrieve=extend_schema(tags=["events"], responses=DutyShiftOutput),
    create=extend_schema(tags=["events"], request=DutyShiftInput, responses={201: DutyShiftOutput}),
)
class DutyShiftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = DutyShift.objects.select_related("region", "user")
    serializer_class = DutyShiftOutput
    lookup_value_regex = r"\d+"
    pagination_class = KeysetPagination
    filterset_class = DutyShiftFilter
    ordering_fields = {"starts_at": "starts_at", "id": "id"}
    default_ordering = "-starts_at"
    action_permissions = {
        "list": ("workflow.view",),
        "retrieve": ("workflow.view",),
        "create": (roster.KEEP_PERMISSION,),
        "end": (roster.KEEP_PERMISSION,),
    }

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user, "workflow.view")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def create(self, request):
        data = DutyShiftInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        region = Region.objects.filter(pk=values["region"]).first()
        if region is None:
            raise not_found_in_payload("region")
        shift = roster.duty_shift_add(
            actor=request.user,
            region=region,
            user_id=values["user"],
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            note=values["note"],
            request=request,
        )
        body = DutyShiftOutput(shift, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["events"], request=None, responses=DutyShiftOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the shift now (or cancel it, if it has not started)."""
        shift = roster.duty_shift_end(actor=request.user, shift=self.get_object(), request=request)
        return Response(DutyShiftOutput(shift, context=self.get_serializer_context()).data)
