from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from safety.models import Alarm, Device, DeviceKind


class DeviceInput(StrictSerializer):
    serial = serializers.RegexField(r"^[A-Za-z0-9._:-]{1,64}$")
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    vendor = serializers.SlugField(max_length=40)
    house = serializers.IntegerField(min_value=1)
    care_resident = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    heartbeat_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, default=60)


class DeviceMoveInput(StrictSerializer):
    house = serializers.IntegerField(min_value=1)


class DeviceOutput(serializers.ModelSerializer):
    serial = MaskedTextField()
    vendor = MaskedTextField(source="vendor.code")
    address = MaskedTextField(source="house.address")
    offline = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "id",
            "serial",
            "kind",
            "vendor",
            "house",
            "address",
            "region",
            "care_resident",
            "heartbeat_minutes",
            "last_seen_at",
            "offline",
            "offline_since",
            "retired_at",
            "created_at",
        ]

    def get_offline(self, obj) -> bool:
        return obj.offline_since is not None


class AlarmOutput(serializers.ModelSerializer):
    serial = MaskedTextField(source="device.serial")

    class Meta:
        model = Alarm
        fields = [
            "id",
            "device",
            "serial",
            "house",
            "region",
            "kind",
            "first_at",
            "last_at",
            "count",
            "event",
            "care_signal",
        ]
