from django.urls import path
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.api.errors import NotFound
from core.api.viewsets import ResourceViewSet
from tests.sample_domain import services
from tests.sample_domain.contributions import VIEW
from tests.sample_domain.models import StreetLamp


class StreetLampOutput(serializers.ModelSerializer):
    class Meta:
        model = StreetLamp
        fields = ["id", "number", "region"]


class BeaconInput(serializers.Serializer):
    number = serializers.CharField(max_length=20)


class StreetLampViewSet(ResourceViewSet):
    queryset = StreetLamp.objects.all()
    output_serializer = StreetLampOutput
    carries_personal_data = False
    action_permissions = {"list": (VIEW,), "retrieve": (VIEW,)}


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def beacon(request):
    data = BeaconInput(data=request.data)
    data.is_valid(raise_exception=True)
    event = services.lamp_report_out(number=data.validated_data["number"], request=request)
    if event is None:
        raise NotFound()
    return Response({"event": event.pk}, status=202)


router = SimpleRouter()
router.register("lamps", StreetLampViewSet, basename="sample-domain-lamp")
urlpatterns = [path("beacon/", beacon, name="sample-domain-beacon"), *router.urls]
