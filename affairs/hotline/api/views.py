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
from affairs.hotline.models import HotlineTicket
from core.api.pagination import KeysetPagination
from core.api.viewsets import ScopedViewSet

VIEW = ("hotline.view",)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(tags=["hotline"], responses=s.TicketSerializer(many=True)),
    retrieve=extend_schema(tags=["hotline"], responses=s.TicketDetailSerializer),
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = HotlineTicket.objects.select_related("event")
    serializer_class = s.TicketSerializer
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    pagination_class = KeysetPagination
    filterset_class = selectors.TicketFilter
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

    def _detail(self, ticket, code=status.HTTP_200_OK) -> Response:
        ticket = (
            HotlineTicket.objects.select_related("event")
            .prefetch_related("bounces__requested_by", "bounces__decided_by", "deliveries")
            .get(pk=ticket.pk)
        )
        return Response(
            s.TicketDetailSerializer(ticket, context=self.get_serializer_context()).data, status=code
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(tags=["hotline"], request=s.RouteSerializer, responses=s.TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        ticket = self.get_object()
        data = _valid(s.RouteSerializer, request.data)
        ticket = intake.ticket_route(
            ticket=ticket,
            actor=request.user,
            house_id=data.get("house"),
            grid_id=data.get("grid"),
            request=request,
        )
        return self._detail(ticket)

    @extend_schema(tags=["hotline"], request=s.ReplySerializer, responses=s.TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        ticket = self.get_object()
        data = _valid(s.ReplySerializer, request.data)
        ticket = services.ticket_reply(ticket=ticket, actor=request.user, text=data["text"], request=request)
        return self._detail(ticket)

    @extend_schema(
        tags=["hotline"], request=s.BounceRequestSerializer, responses={201: s.TicketDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def bounce(self, request, pk=None):
        ticket = self.get_object()
        data = _valid(s.BounceRequestSerializer, request.data)
        services.bounce_request(ticket=ticket, actor=request.user, reason=data["reason"], request=request)
        return self._detail(ticket, status.HTTP_201_CREATED)

    @extend_schema(tags=["hotline"], request=s.BounceDecisionSerializer, responses=s.TicketDetailSerializer)
    @action(detail=True, methods=["post"], url_path="bounce/decide", url_name="bounce-decide")
    def bounce_decide(self, request, pk=None):
        ticket = self.get_object()
        data = _valid(s.BounceDecisionSerializer, request.data)
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
        responses=s.ImportResultSerializer,
    )
    def create(self, request):
        result = imports.tickets_import(upload=request.FILES.get("file"), actor=request.user, request=request)
        return Response(s.ImportResultSerializer(result).data)


class StatisticsViewSet(ScopedViewSet):
    queryset = HotlineTicket.objects.all()
    action_permissions = {"list": VIEW}

    @extend_schema(
        tags=["hotline"],
        parameters=[
            OpenApiParameter("region", int, description="a region in your scope (default: all of it)")
        ],
        responses=s.StatisticsSerializer,
    )
    def list(self, request):
        region_id = request.query_params.get("region")
        region = selectors.region_in_scope(request.user, region_id) if region_id is not None else None
        return Response(s.StatisticsSerializer(selectors.statistics(user=request.user, region=region)).data)
