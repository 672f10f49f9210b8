"""Accounts and roles under /api/v1/accounts/: scoped like every resource (ScopedViewSet), listed
in keyset pages like every list."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.accounts import corrections, services, two_factor
from core.accounts.api import serializers as s
from core.accounts.filters import RoleAssignmentFilter, UserFilter
from core.accounts.models import RoleAssignment, User
from core.accounts.open_work import open_work_for
from core.accounts.passwords import password_change_due
from core.api.viewsets import NoStoreMixin, ScopedViewSet
from core.regions.scoping import scope_for


@extend_schema_view(
    list=extend_schema(tags=["accounts"], summary="Accounts administered within your subtrees"),
    retrieve=extend_schema(tags=["accounts"]),
    create=extend_schema(
        tags=["accounts"], request=s.UserCreateSerializer, responses={201: s.UserSerializer}
    ),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = (
        User.objects.select_related("region")
        .prefetch_related(Prefetch("roles", queryset=RoleAssignment.objects.order_by("id")))
        .order_by("id")
    )
    serializer_class = s.UserSerializer
    carries_personal_data = True
    action_permissions = {
        "list": ("accounts.view",),
        "retrieve": ("accounts.view",),
        "create": ("accounts.manage",),
        "deactivate": ("accounts.manage",),
        "reset_password": ("accounts.manage",),
    }
    filterset_class = UserFilter
    # Newest first, like every list of the platform.
    default_ordering = "-id"

    def get_serializer_class(self):
        return s.UserCreateSerializer if self.action == "create" else s.UserSerializer

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, temporary = services.user_create(actor=request.user, request=request, **data.validated_data)
        body = s.UserSerializer(user, context=self.get_serializer_context()).data
        if temporary:
            body["temporary_password"] = temporary
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["accounts"], request=None, responses=s.OpenWorkSerializer(many=True))
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Deactivate the account (every token revoked); answers with the open work it leaves."""
        work = services.user_deactivate(actor=request.user, user=self.get_object(), request=request)
        return Response({"open_work": [item.as_dict() for item in work]})

    @extend_schema(tags=["accounts"], request=None, responses={200: None})
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """A temporary password (shown once) that must be changed at the next sign-in."""
        temporary = services.user_reset_password(actor=request.user, user=self.get_object(), request=request)
        return Response({"temporary_password": temporary})


@extend_schema_view(
    list=extend_schema(tags=["accounts"]),
    retrieve=extend_schema(tags=["accounts"]),
    create=extend_schema(
        tags=["accounts"], request=s.RoleGrantSerializer, responses={201: s.RoleAssignmentSerializer}
    ),
)
class RoleAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = RoleAssignment.objects.select_related("region").order_by("id")
    serializer_class = s.RoleAssignmentSerializer
    action_permissions = {
        "list": ("accounts.view",),
        "retrieve": ("accounts.view",),
        "open_work": ("accounts.view",),
        "create": ("accounts.grant",),
        "end": ("accounts.grant",),
    }
    filterset_class = RoleAssignmentFilter
    default_ordering = "-id"

    def get_serializer_class(self):
        return s.RoleGrantSerializer if self.action == "create" else s.RoleAssignmentSerializer

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.role_assignment_grant(
            actor=request.user, request=request, **data.validated_data
        )
        return Response(s.RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["accounts"], request=None, responses=s.OpenWorkSerializer(many=True))
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the role at once; answers with the open work to reassign."""
        work = services.role_assignment_end(actor=request.user, assignment=self.get_object(), request=request)
        return Response({"open_work": [item.as_dict() for item in work]})

    @extend_schema(tags=["accounts"], responses=s.OpenWorkSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="open-work")
    def open_work(self, request, pk=None):
        """The open work this role's holder still has under it (until reassigned or done)."""
        return Response({"open_work": [item.as_dict() for item in open_work_for(self.get_object())]})


@extend_schema(tags=["accounts"], responses={200: None})
class MeView(NoStoreMixin, APIView):
    """Your own account: profile, current roles, scope and what you still need to set up."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        user = request.user
        scope = scope_for(user)
        roles = RoleAssignment.objects.current().filter(user=user).select_related("region").order_by("id")
        return Response(
            {
                "id": user.pk,
                "username": user.get_username(),
                "display_name": user.display_name,
                "mobile": user.mobile_masked,
                "region": user.region_id,
                "roles": s.RoleAssignmentSerializer(roles, many=True).data,
                "scope": {
                    "paths": list(scope.paths),
                    "permissions": sorted(scope.permissions),
                    "resident_ids": list(scope.resident_ids),
                },
                "password_change_required": password_change_due(user),
                "two_factor": {
                    "required": two_factor.requires_two_factor(user),
                    "enrolled": two_factor.confirmed_device(user) is not None,
                },
            }
        )


class CorrectionRequestSerializer(serializers.Serializer):
    resident = serializers.IntegerField(required=False, min_value=1)
    field = serializers.ChoiceField(choices=[key for key, _label in corrections.FIELDS])
    explanation = serializers.CharField(max_length=1000)


class CorrectionRequestView(NoStoreMixin, APIView):
    """Ask for a correction of your own record (or your household's): it becomes work for your
    community, which you follow under /api/v1/events/."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["accounts"], request=CorrectionRequestSerializer, responses={201: dict})
    def post(self, request):
        data = CorrectionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = corrections.correction_request(
            user=request.user,
            resident_id=data.validated_data.get("resident"),
            field=data.validated_data["field"],
            explanation=data.validated_data["explanation"],
            request=request,
        )
        return Response(
            {"event": event.pk, "url": f"/api/v1/events/{event.pk}/"}, status=status.HTTP_201_CREATED
        )
