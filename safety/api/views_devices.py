"""The device register and alarms: /api/v1/safety/devices/, /api/v1/safety/alarms/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ResourceViewSet
from safety import devices, selectors
from safety.api import serializers_devices as s
from safety.filters import AlarmFilter, DeviceFilter
from safety.models import Alarm, Device

VIEW = ("safety.view",)
MANAGE = ("safety.manage_devices",)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.DeviceOutput),
    retrieve=extend_schema(responses=s.DeviceOutput),
    create=extend_schema(request=s.DeviceInput, responses={201: s.DeviceOutput}),
    move=extend_schema(request=s.DeviceMoveInput, responses=s.DeviceOutput),
    retire=extend_schema(request=None, responses=s.DeviceOutput),
)
class DeviceViewSet(ResourceViewSet):
    queryset = Device.objects.all()
    output_serializer = s.DeviceOutput
    filterset_class = DeviceFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "move": MANAGE, "retire": MANAGE}

    def get_queryset(self):
        return selectors.devices_visible_to(self.request.user)

    def create(self, request):
        device = devices.device_register(actor=request.user, request=request, **self.parse(s.DeviceInput))
        # The only time the secret is shown: the vendor configures the device with it.
        shown = s.DeviceOutput(device, context=self.get_serializer_context()).data
        return Response({**shown, "secret": device.issued_secret}, status=201)

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        device = devices.device_move(
            actor=request.user, device=self.get_object(), request=request, **self.parse(s.DeviceMoveInput)
        )
        return self.out(device)

    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self.out(devices.device_retire(actor=request.user, device=self.get_object(), request=request))


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.AlarmOutput), retrieve=extend_schema(responses=s.AlarmOutput)
)
class AlarmViewSet(ResourceViewSet):
    queryset = Alarm.objects.all()
    output_serializer = s.AlarmOutput
    filterset_class = AlarmFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        return selectors.alarms_visible_to(self.request.user)
