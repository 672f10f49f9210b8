"""Staff endpoints: tickets (list, detail, route, reply, bounce, decide), import, statistics."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from affairs.hotline import imports, intake, selectors, services
from affairs.hotline.api import serializers as s
from affairs.hotline.filters import TicketFilter
from affairs.hotline.models import HotlineTicket
from core.api.serializers import RegionQueryInput
from core.api.viewsets import ScopedViewSet

VIEW = ("hotline.view",)


@extend_schema_view(
    list=extend_schema(tags=["hotline"], responses=s.HotlineTicketOutput(many=True)),
    retrieve=extend_schema(tags=["hotline"], responses=s.HotlineTicketDetailOutput),
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = HotlineTicket.objects.select_related("event")
    serializer_class = s.HotlineTicketOutput
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    filterset_class = TicketFilter
    ordering_fields = {"received_at": "received_at", "deadline": "deadline"}
    default_ordering = "-received_at"
    action_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "route": ("hotline.route",),
        # Who among the viewers may reply or ask for a bounce is decided by their relation to
        # the ticket's event (assignee, handler) in the service.
        "reply": VIEW,
        "bounce": VIEW,
        "bounce_decide": ("hotline.approve_bounce",),
    }

    def get_queryset(self):
        return selectors.tickets_visible_to(self.request.user).select_related("event")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def check_object_permissions(self, request, obj):
        # An unrouted ticket waits above its routers' nodes (selectors.reaches says who acts on it).
        if any(selectors.reaches(request.user, obj, p) for p in self.permission_for(self.action) or ()):
            return
        super().check_object_permissions(request, obj)

    def _detail(self, ticket, code=status.HTTP_200_OK) -> Response:
        ticket = selectors.ticket_with_details(ticket)
        return Response(
            s.HotlineTicketDetailOutput(ticket, context=self.get_serializer_context()).data, status=code
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(tags=["hotline"], request=s.TicketRouteInput, responses=s.HotlineTicketDetailOutput)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        ticket = self.get_object()
        data = self.parse(s.TicketRouteInput)
        ticket = intake.ticket_route(
            ticket=ticket,
            actor=request.user,
            house_id=data.get("house"),
            grid_id=data.get("grid"),
            request=request,
        )
        return self._detail(ticket)

    @extend_schema(tags=["hotline"], request=s.TicketReplyInput, responses=s.HotlineTicketDetailOutput)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        ticket = self.get_object()
        data = self.parse(s.TicketReplyInput)
        ticket = services.ticket_reply(ticket=ticket, actor=request.user, text=data["text"], request=request)
        return self._detail(ticket)

    @extend_schema(
        tags=["hotline"], request=s.BounceRequestInput, responses={201: s.HotlineTicketDetailOutput}
    )
    @action(detail=True, methods=["post"])
    def bounce(self, request, pk=None):
        ticket = self.get_object()
        data = self.parse(s.BounceRequestInput)
        services.bounce_request(ticket=ticket, actor=request.user, reason=data["reason"], request=request)
        return self._detail(ticket, status.HTTP_201_CREATED)

    @extend_schema(tags=["hotline"], request=s.BounceDecisionInput, responses=s.HotlineTicketDetailOutput)
    @action(detail=True, methods=["post"], url_path="bounce/decide", url_name="bounce-decide")
    def bounce_decide(self, request, pk=None):
        ticket = self.get_object()
        data = self.parse(s.BounceDecisionInput)
        services.bounce_decide(
            ticket=ticket, actor=request.user, approve=data["approve"], note=data["note"], request=request
        )
        return self._detail(ticket)


class ImportViewSet(ScopedViewSet):
    """POST a .csv or .xlsx of tickets (the fallback when the push is down)."""

    queryset = HotlineTicket.objects.all()
    parser_classes = [MultiPartParser]
    action_permissions = {"create": ("hotline.import",)}

    @extend_schema(
        tags=["hotline"],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses=s.TicketImportOutput,
    )
    def create(self, request):
        result = imports.tickets_import(upload=request.FILES.get("file"), actor=request.user, request=request)
        return Response(s.TicketImportOutput(result).data)


class StatisticsViewSet(ScopedViewSet):
    queryset = HotlineTicket.objects.all()
    pagination_class = None  # one object of counts
    filter_backends = []
    action_permissions = {"list": VIEW}

    @extend_schema(
        tags=["hotline"],
        parameters=[
            OpenApiParameter("region", int, description="a region in your scope (default: all of it)")
        ],
        responses=s.HotlineStatisticsOutput,
    )
    def list(self, request):
        region_id = self.parse(RegionQueryInput, request.query_params).get("region")
        region = selectors.region_in_scope(request.user, region_id) if region_id is not None else None
        return Response(
            s.HotlineStatisticsOutput(selectors.statistics(user=request.user, region=region)).data
        )
