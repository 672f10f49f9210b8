"""The catalogue (/api/v1/affairs/items/) and applications (/api/v1/affairs/applications/): filed,
moved through their steps, their materials, objections and printable forms."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from affairs import materials, objections, selectors, services, steps
from affairs.api import serializers as s
from affairs.api.views_printed_forms import FORMS_PERMISSION, ApplicationFormsMixin
from affairs.filters import ApplicationFilter
from affairs.models import Application, ServiceItem
from core.api.errors import field_error
from core.api.files import DOWNLOAD_RESPONSES, download
from core.api.viewsets import ResourceViewSet
from core.workflow.attachments import attachment_open

READ = ("affairs.view", "affairs.view_own")
MATERIAL_PREFIX = "materials."


@extend_schema_view(list=extend_schema(tags=["affairs"]), retrieve=extend_schema(tags=["affairs"]))
class ServiceItemViewSet(ResourceViewSet):
    """The catalogue (事项清单): the same for everyone signed in; configured in the admin."""

    queryset = ServiceItem.objects.prefetch_related("materials")
    output_serializer = s.ServiceItemOutput
    ordering_fields = {"code": "code", "category": "category", "id": "id"}
    default_ordering = "code"
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    action_permissions = {
        "list": ("affairs.view", "affairs.apply"),
        "retrieve": ("affairs.view", "affairs.apply"),
    }

    def get_queryset(self):
        return selectors.service_items_for(self.request.user)

    def check_object_permissions(self, request, obj):
        # Not a placed resource: holding the permission anywhere is enough (checked per request).
        return None


@extend_schema_view(
    list=extend_schema(tags=["affairs"]),
    retrieve=extend_schema(tags=["affairs"], responses=s.ApplicationDetailOutput),
)
class ApplicationViewSet(ApplicationFormsMixin, ResourceViewSet):
    queryset = Application.objects.select_related("item", "event", "applicant")
    output_serializer = s.ApplicationOutput
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    filterset_class = ApplicationFilter
    ordering_fields = {"created_at": "created_at"}
    default_ordering = "-created_at"
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": ("affairs.apply",),
        # Staff at the stage's level, or the applicant's side (supplement, withdraw): the
        # service decides which, per step.
        "step": ("affairs.handle", "affairs.apply", "affairs.view_own"),
        "materials": ("affairs.handle", "affairs.apply", "affairs.view_own"),
        "material": READ,
        "objections": ("affairs.handle",),
        "settle_objection": ("affairs.handle",),
        **FORMS_PERMISSION,
    }

    def is_own(self, obj, scope) -> bool:
        return Application.objects.filter(pk=obj.pk).visible_to_resident(scope.resident_ids).exists()

    def retrieve(self, request, *args, **kwargs):
        application = selectors.application_with_details(self.get_object())
        context = {
            **self.get_serializer_context(),
            "allowed_steps": steps.steps_for(request.user, application),
        }
        return Response(s.ApplicationDetailOutput(application, context=context).data)

    @extend_schema(tags=["affairs"], request=s.ApplicationInput, responses={201: s.ApplicationOutput})
    def create(self, request):
        payload, files = self._submission(request)
        values = self.parse(s.ApplicationInput, payload)
        application = services.application_file(actor=request.user, files=files, request=request, **values)
        return self.out(application, status=status.HTTP_201_CREATED)

    def _submission(self, request) -> tuple[dict, dict[str, list]]:
        """The payload (JSON, or the `payload` part of a multipart body) and the material files."""
        if request.content_type.startswith("application/json"):
            return request.data, {}
        unknown = sorted(k for k in request.data if k != "payload" and not k.startswith(MATERIAL_PREFIX))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set here.")] for name in unknown}
            )
        try:
            payload = json.loads(request.data.get("payload") or "")
        except (ValueError, RecursionError):
            raise field_error("payload", _("Send the application as JSON in the payload part.")) from None
        if not isinstance(payload, dict):
            raise field_error("payload", _("Send the application as JSON in the payload part."))
        files = {
            key.removeprefix(MATERIAL_PREFIX): request.FILES.getlist(key)
            for key in request.FILES
            if key.startswith(MATERIAL_PREFIX)
        }
        return payload, files

    @extend_schema(tags=["affairs"], request=s.ApplicationStepInput, responses=s.ApplicationDetailOutput)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def step(self, request, pk=None):
        application = self.get_object()
        data = self.parse(s.ApplicationStepInput)
        steps.application_step(
            application=application,
            action=data["action"],
            actor=request.user,
            note=data["note"],
            missing=data.get("missing"),
            confirmed=data.get("confirmed"),
            request=request,
        )
        return self.retrieve(request, pk=pk)

    @extend_schema(tags=["affairs"], request={"multipart/form-data": s.MaterialUploadInput})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def materials(self, request, pk=None):
        application = self.get_object()
        data = self.parse(s.MaterialUploadInput)
        attachment = materials.material_add(
            application=application,
            code=data["material"],
            upload=data["file"],
            actor=request.user,
            request=request,
        )
        return Response(
            {
                "id": attachment.pk,
                "material": attachment.label,
                "name": attachment.name,
                "size": attachment.size,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(tags=["affairs"], responses=DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"materials/(?P<attachment_id>\d+)")
    def material(self, request, pk=None, attachment_id=None):
        found = selectors.application_material(self.get_object(), attachment_id)
        return download(attachment_open(attachment=found, actor=request.user, request=request), found)

    @extend_schema(tags=["affairs"], request=s.ObjectionRecordInput, responses={201: s.ObjectionOutput})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def objections(self, request, pk=None):
        """Record an objection received on paper or in person during the publicity."""
        application = self.get_object()
        objections.check_reviewing_level(request.user, application)
        data = self.parse(s.ObjectionRecordInput)
        objection = objections.objection_raise(
            application,
            content=data["content"],
            received_on=data.get("received_on"),
            actor=request.user,
            request=request,
        )
        return self.out(objection, serializer=s.ObjectionOutput, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["affairs"], request=s.ObjectionSettleInput, responses=s.ObjectionOutput)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser],
        url_path=r"objections/(?P<objection_id>\d+)/settle",
        url_name="settle-objection",
    )
    def settle_objection(self, request, pk=None, objection_id=None):
        application = self.get_object()
        objections.check_reviewing_level(request.user, application)
        objection = selectors.application_objection(application, objection_id)
        data = self.parse(s.ObjectionSettleInput)
        objection = objections.objection_settle(
            objection,
            upheld=data["upheld"],
            resolution=data["resolution"],
            actor=request.user,
            request=request,
        )
        return self.out(objection, serializer=s.ObjectionOutput)
