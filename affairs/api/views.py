from __future__ import annotations

import json

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from affairs import materials, objections, services, steps
from affairs.actors import acts_at_level
from affairs.api import serializers as s
from affairs.api.forms import FORMS_PERMISSION, ApplicationFormsMixin
from affairs.models import Application, ServiceItem
from core.api.errors import NotFound, field_error, not_found_in_payload
from core.api.pagination import KeysetPagination
from core.api.viewsets import ScopedViewSet
from core.regions.scoping import scope_for
from core.registry.models import Household, Resident
from core.workflow.attachments import attachment_open

READ = ("affairs.view", "affairs.view_own")
MATERIAL_PREFIX = "materials."


@extend_schema_view(list=extend_schema(tags=["affairs"]), retrieve=extend_schema(tags=["affairs"]))
class ServiceItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The catalogue (事项清单): the same for everyone signed in; configured in the admin."""

    queryset = ServiceItem.objects.prefetch_related("materials")
    serializer_class = s.ServiceItemSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    action_permissions = {
        "list": ("affairs.view", "affairs.apply"),
        "retrieve": ("affairs.view", "affairs.apply"),
    }

    def get_queryset(self):
        rows = ServiceItem.objects.prefetch_related("materials")
        return rows if self.scope.has("affairs.view") else rows.filter(is_active=True)

    def check_object_permissions(self, request, obj):
        # Not a placed resource: holding the permission anywhere is enough (checked per request).
        return None


@extend_schema_view(
    list=extend_schema(tags=["affairs"]),
    retrieve=extend_schema(tags=["affairs"], responses=s.ApplicationDetailSerializer),
)
class ApplicationViewSet(
    ApplicationFormsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    queryset = Application.objects.select_related("item", "event", "applicant")
    serializer_class = s.ApplicationSerializer
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    pagination_class = KeysetPagination
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

    def get_queryset(self):
        rows = super().get_queryset()
        for name in ("stage", "item__code"):
            value = self.request.query_params.get(name.split("__")[0])
            if value:
                rows = rows.filter(**{name: value[:40]})
        return rows

    def retrieve(self, request, *args, **kwargs):
        application = self.get_object()
        application = (
            Application.objects.select_related("item", "event", "applicant")
            .prefetch_related(
                "members__resident", "objections", "event__attachments", "event__transitions__actor"
            )
            .get(pk=application.pk)
        )
        context = {
            **self.get_serializer_context(),
            "allowed_steps": steps.steps_for(request.user, application),
        }
        return Response(s.ApplicationDetailSerializer(application, context=context).data)

    @extend_schema(
        tags=["affairs"], request=s.ApplicationInputSerializer, responses={201: s.ApplicationSerializer}
    )
    def create(self, request):
        payload, files = self._submission(request)
        data = s.ApplicationInputSerializer(data=payload)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = ServiceItem.objects.prefetch_related("materials").filter(code=values["item"]).first()
        if item is None:
            raise not_found_in_payload("item")
        household, on_behalf = self._household(values["household"])
        applicant = Resident.objects.filter(pk=values["applicant"], household=household).first()
        if applicant is None:
            raise not_found_in_payload("applicant")
        channel = values.get("channel") or (
            Application.Channel.COUNTER if on_behalf else Application.Channel.ONLINE
        )
        if not on_behalf and channel != Application.Channel.ONLINE:
            raise field_error(
                "channel", _("Residents apply online; counter applications are filed by workers.")
            )
        application = services.application_submit(
            actor=request.user,
            item=item,
            household=household,
            applicant=applicant,
            members=[dict(row) for row in values["members"]],
            channel=channel,
            on_behalf=on_behalf,
            files=files,
            financial_assets=values["financial_assets"],
            vehicles=values["vehicles"],
            extra_houses=values["extra_houses"],
            details=values["details"],
            area=values["area"],
            notify_channel=values["notify_channel"],
            request=request,
        )
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

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

    def _household(self, household_id: int) -> tuple[Household, bool]:
        """The household as the caller may apply for it: a worker's in scope (代办), or a resident's own."""
        paths = scope_for(self.request.user).paths_with("affairs.apply")
        staff = Household.objects.under(*paths).filter(pk=household_id).first() if paths else None
        if staff is not None:
            return staff, True
        living = Resident.objects.filter(pk__in=self.scope.resident_ids, status=Resident.Status.ACTIVE)
        own = Household.objects.filter(pk=household_id, pk__in=living.values("household_id")).first()
        if own is None:
            raise not_found_in_payload("household")
        return own, False

    @extend_schema(tags=["affairs"], request=s.StepInputSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def step(self, request, pk=None):
        application = self.get_object()
        data = s.StepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        steps.application_step(
            application=application,
            action=data.validated_data["action"],
            actor=request.user,
            note=data.validated_data["note"],
            missing=data.validated_data.get("missing"),
            request=request,
        )
        return self.retrieve(request, pk=pk)

    @extend_schema(tags=["affairs"], request={"multipart/form-data": s.MaterialUploadSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def materials(self, request, pk=None):
        application = self.get_object()
        data = s.MaterialUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = materials.material_add(
            application=application,
            code=data.validated_data["material"],
            upload=data.validated_data["file"],
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

    @extend_schema(tags=["affairs"], responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"materials/(?P<attachment_id>\d+)")
    def material(self, request, pk=None, attachment_id=None):
        application = self.get_object()
        found = application.event.attachments.filter(pk=attachment_id).first()
        if found is None:
            raise NotFound()
        handle = attachment_open(attachment=found, actor=request.user, request=request)
        response = FileResponse(
            handle, content_type=found.content_type, as_attachment=True, filename=found.name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _reviewing(self, application) -> None:
        """Objections are the business of the level that reviewed it (where the publicity is held)."""
        if not acts_at_level(self.request.user, application.region_path, application.item.review_level):
            raise steps.forbidden()

    @extend_schema(
        tags=["affairs"], request=s.ObjectionRecordSerializer, responses={201: s.ObjectionSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def objections(self, request, pk=None):
        """Record an objection received on paper or in person during the publicity."""
        application = self.get_object()
        self._reviewing(application)
        data = s.ObjectionRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = objections.objection_raise(
            application,
            content=data.validated_data["content"],
            received_on=data.validated_data.get("received_on"),
            actor=request.user,
            request=request,
        )
        return Response(s.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["affairs"], request=s.ObjectionSettleSerializer, responses=s.ObjectionSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser],
        url_path=r"objections/(?P<objection_id>\d+)/settle",
        url_name="settle-objection",
    )
    def settle_objection(self, request, pk=None, objection_id=None):
        application = self.get_object()
        self._reviewing(application)
        objection = application.objections.filter(pk=objection_id).first()
        if objection is None:
            raise NotFound()
        data = s.ObjectionSettleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = objections.objection_settle(
            objection,
            upheld=data.validated_data["upheld"],
            resolution=data.validated_data["resolution"],
            actor=request.user,
            request=request,
        )
        return Response(s.ObjectionSerializer(objection).data)
