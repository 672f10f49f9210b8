from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.errors import Forbidden, NotFound, field_error
from core.api.files import DOWNLOAD_RESPONSES, UPLOAD_REQUEST, download, the_upload
from core.api.pagination import KeysetPagination
from core.api.viewsets import ScopedViewSet
from core.extensions.contributions import EventType
from core.extensions.registry import registry
from core.workflow import attachments, selectors, services
from core.workflow.actors import relations
from core.workflow.api import serializers as s
from core.workflow.errors import WorkflowError
from core.workflow.filters import EventFilter
from core.workflow.geo import to_wgs84
from core.workflow.models import Event
from core.workflow.states import TRANSITIONS, allowed_actions

READ = ("workflow.view", "workflow.view_own")


@extend_schema_view(
    list=extend_schema(tags=["events"], responses=s.EventOutput(many=True)),
    retrieve=extend_schema(tags=["events"], responses=s.EventDetailOutput),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = Event.objects.select_related("assignee", "escalated_to")
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    serializer_class = s.EventOutput
    pagination_class = KeysetPagination
    filterset_class = EventFilter
    ordering_fields = {"created_at": "created_at", "deadline": "deadline", "priority": "priority"}
    default_ordering = "-created_at"
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "transition": READ,
        "attachments": READ,
        "attachment": READ,
        "rating": ("workflow.view_own",),
        "create": ("workflow.report",),
        "types": ("workflow.report", "workflow.view"),
        "reassign": ("workflow.handle",),
    }

    def is_own(self, obj, scope) -> bool:
        user = self.request.user
        return obj.reporter_id == user.pk or obj.followers.filter(user=user).exists()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()
        event = (
            Event.objects.prefetch_related("transitions__actor", "attachments")
            .select_related("assignee")
            .get(pk=event.pk)
        )
        mine = relations(request.user, event)
        generic = services.generic_actions(services.event_type(event.type))
        allowed = [a for a in allowed_actions(event.state) if TRANSITIONS[a].actors & mine and a in generic]
        context = {**self.get_serializer_context(), "allowed_actions": allowed}
        return Response(s.EventDetailOutput(event, context=context).data)

    @extend_schema(
        tags=["events"],
        request=s.EventReportInput,
        responses={201: s.EventReportOutput, 200: s.EventReportOutput},
    )
    def create(self, request):
        data = s.EventReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kind = services.event_type(values["type"])
        if not kind.direct_reports:
            raise field_error(
                "type",
                _("This type is opened through its own service, not here."),
                code=WorkflowError.NOT_REPORTABLE,
            )
        if not services.reporter_may_report(kind, request.user):
            raise Forbidden(_("Residents cannot report this type of event."))
        house, grid = selectors.report_location(
            request.user, house_id=values.get("house"), grid_id=values.get("grid")
        )
        point = None
        if "point" in values:
            point = to_wgs84(
                values["point"]["longitude"], values["point"]["latitude"], values["point"]["system"]
            )
            if house is None and grid is None:
                grid = selectors.grid_at(request.user, point)
        source = values.get("source") or selectors.default_source(request.user)
        event, merged = services.event_report(
            reporter=request.user,
            type_key=kind.key,
            source=source,
            title=values["title"],
            description=values["description"],
            form_data=values["form_data"],
            house=house,
            grid=grid,
            point=point,
            priority=values.get("priority"),
            request=request,
        )
        body = {
            "id": event.pk,
            "merged": merged,
            "event": s.EventOutput(event, context=self.get_serializer_context()).data,
        }
        return Response(body, status=status.HTTP_200_OK if merged else status.HTTP_201_CREATED)

    @extend_schema(tags=["events"], request=s.TransitionInput, responses=s.EventDetailOutput)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        event = self.get_object()
        data = s.TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = None
        if "assignee" in data.validated_data:
            assignee = selectors.staff_user_or_400(request.user, data.validated_data["assignee"])
        services.event_transition(
            event=event,
            action=data.validated_data["action"],
            actor=request.user,
            note=data.validated_data["note"],
            assignee=assignee,
            request=request,
        )
        return self.retrieve(request, pk=pk)

    @extend_schema(tags=["events"], request=s.ReassignInput, responses=s.EventOutput(many=True))
    @action(detail=False, methods=["post"])
    def reassign(self, request):
        data = s.ReassignInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["events"])
        events = list(self.get_queryset().filter(pk__in=ids))
        if len(events) != len(ids):
            raise field_error("events", _("Some events were not found."))
        assignee = selectors.staff_user_or_400(request.user, data.validated_data["assignee"])
        done = services.events_reassign(
            events=events,
            assignee=assignee,
            actor=request.user,
            note=data.validated_data["note"],
            request=request,
        )
        return Response(s.EventOutput(done, many=True, context=self.get_serializer_context()).data)

    @extend_schema(tags=["events"], request=s.RatingInput, responses=s.EventOutput)
    @action(detail=True, methods=["post"])
    def rating(self, request, pk=None):
        event = self.get_object()
        data = s.RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_rate(
            event=event,
            actor=request.user,
            score=data.validated_data["satisfaction"],
            comment=data.validated_data["comment"],
            request=request,
        )
        return Response(s.EventOutput(event, context=self.get_serializer_context()).data)

    @extend_schema(
        tags=["events"],
        request=UPLOAD_REQUEST,
        responses={201: s.EventAttachmentOutput},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        event = self.get_object()
        upload = the_upload(request)
        if not relations(request.user, event):
            raise Forbidden(_("Your role may not take this action on this event."))
        attachment = attachments.attachment_add(
            event=event, upload=upload, actor=request.user, request=request
        )
        return Response(s.EventAttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["events"], responses=DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        event = self.get_object()
        found = event.attachments.filter(pk=attachment_id).first() if relations(request.user, event) else None
        if found is None:
            raise NotFound()
        return download(
            attachments.attachment_open(attachment=found, actor=request.user, request=request), found
        )

    @extend_schema(tags=["events"], responses=s.EventTypeOutput(many=True))
    # A fixed set: one array, no filters.
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def types(self, request):
        kinds = sorted((k for k in registry.items(EventType.kind) if k.direct_reports), key=lambda k: k.key)
        rows = [
            {
                **services.describe(k),
                "sla_working_days": k.sla_working_days,
                "sla_working_hours": k.sla_working_hours,
                "clock": k.clock,
            }
            for k in kinds
        ]
        return Response(s.EventTypeOutput(rows, many=True).data)
