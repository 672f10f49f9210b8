"""Service: /api/v1/party-building/reports/ (双报到), /posts/, /service-records/, /help-requests/

A resident asks a post for help by its number (on the post's plaque): the answer is the event
opened for it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ResourceViewSet, ScopedViewSet
from party_building import service
from party_building.api import serializers_service as s
from party_building.api.views import READ, WRITE
from party_building.contributions import ASK_HELP, VIEW
from party_building.filters import PostFilter, ReportFilter, ServiceRecordFilter
from party_building.models import InServiceReport, PioneerPost, ServiceRecord


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.ReportOutput),
    retrieve=extend_schema(responses=s.ReportOutput),
    create=extend_schema(request=s.ReportInput, responses={201: s.ReportOutput}),
)
class ReportViewSet(ResourceViewSet):
    queryset = InServiceReport.objects.all()
    output_serializer = s.ReportOutput
    filterset_class = ReportFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return InServiceReport.objects.visible_to(self.request.user, VIEW)

    def create(self, request):
        report = service.report_create(actor=request.user, request=request, **self.parse(s.ReportInput))
        return self.out(report, status=201)


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.PostOutput),
    retrieve=extend_schema(responses=s.PostOutput),
    create=extend_schema(request=s.PostInput, responses={201: s.PostOutput}),
)
class PostViewSet(ResourceViewSet):
    queryset = PioneerPost.objects.all()
    output_serializer = s.PostOutput
    filterset_class = PostFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "assign": WRITE}

    def get_queryset(self):
        return PioneerPost.objects.visible_to(self.request.user, VIEW).prefetch_related("assignments")

    def create(self, request):
        post = service.post_create(actor=request.user, request=request, **self.parse(s.PostInput))
        return self.out(self.get_queryset().get(pk=post.pk), status=201)

    @extend_schema(request=s.AssignInput, responses=s.PostOutput)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """A member takes on the post."""
        post = self.get_object()
        service.post_assign(actor=request.user, post=post, request=request, **self.parse(s.AssignInput))
        return self.out(self.get_queryset().get(pk=post.pk))


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.ServiceRecordOutput),
    retrieve=extend_schema(responses=s.ServiceRecordOutput),
    create=extend_schema(request=s.ServiceRecordInput, responses={201: s.ServiceRecordOutput}),
)
class ServiceRecordViewSet(ResourceViewSet):
    queryset = ServiceRecord.objects.all()
    output_serializer = s.ServiceRecordOutput
    filterset_class = ServiceRecordFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return ServiceRecord.objects.visible_to(self.request.user, VIEW)

    def create(self, request):
        record = service.service_record(
            actor=request.user, request=request, **self.parse(s.ServiceRecordInput)
        )
        return self.out(record, status=201)


@extend_schema(tags=["party-building"])
class HelpRequestViewSet(ScopedViewSet):
    """POST only: a request is an event (read through /api/v1/events/)."""

    queryset = PioneerPost.objects.all()
    action_permissions = {"create": (ASK_HELP,)}

    @extend_schema(request=s.HelpRequestInput, responses={201: s.HelpRequestOutput})
    def create(self, request):
        event = service.help_request(actor=request.user, request=request, **self.parse(s.HelpRequestInput))
        return Response(s.HelpRequestOutput({"event": event.pk, "state": event.state}).data, status=201)
