"""Views that fail in each way the error handler must shape (used with pytest.mark.urls)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path, re_path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from core.api.errors import ApplicationError, Conflict
from core.api.views import api_not_found
from core.workflow.errors import WorkflowError


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)


class HouseholdSerializer(serializers.Serializer):
    address = serializers.CharField()
    members = MemberSerializer(many=True)


@api_view(["POST"])
@permission_classes([AllowAny])
def validate(request):
    serializer = HouseholdSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return Response(serializer.validated_data)


@api_view(["GET"])
@permission_classes([AllowAny])
def django_invalid(request):
    raise DjangoValidationError({"birth_date": ["in the future"]})


@api_view(["GET"])
@permission_classes([AllowAny])
def conflict(request):
    raise Conflict(
        "cannot close", code=WorkflowError.TRANSITION_NOT_ALLOWED, fields={"state": ["allowed: resolved"]}
    )


@api_view(["GET"])
@permission_classes([AllowAny])
def rule(request):
    raise ApplicationError("give the place", code=WorkflowError.LOCATION_REQUIRED)


@api_view(["GET"])
@permission_classes([AllowAny])
def crash(request):
    raise RuntimeError("boom")


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def private(request):
    return Response({})


urlpatterns = [
    path("api/v1/t/validate/", validate),
    path("api/v1/t/django-invalid/", django_invalid),
    path("api/v1/t/conflict/", conflict),
    path("api/v1/t/rule/", rule),
    path("api/v1/t/crash/", crash),
    path("api/v1/t/private/", private),
    re_path(r"^api/", api_not_found),
]
