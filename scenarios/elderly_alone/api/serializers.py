from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from core.extensions.handoffs import CareSignal
from scenarios.elderly_alone.models import CareCase


class CareCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    resident = serializers.IntegerField(source="resident_id")
    signal = serializers.ChoiceField(choices=CareSignal.SIGNALS)
    detail = MaskedTextField(allow_blank=True)  # the producer's words about the signal
    source = serializers.CharField()
    device = serializers.CharField(help_text='the device that raised it ("safety.device:3"); empty: none')
    occurred_at = serializers.DateTimeField()
    step = serializers.ChoiceField(choices=CareCase.Step.choices)
    step_due_at = serializers.DateTimeField()
    state = serializers.CharField()
    outcome = serializers.ChoiceField(choices=CareCase.Outcome.choices, allow_blank=True)
    reason = MaskedTextField(allow_blank=True)  # typed by the worker who closed it
    settings_versions = serializers.ListField(child=serializers.IntegerField())
    region_path = serializers.CharField()


class CareCaseCloseInput(StrictSerializer):
    outcome = serializers.ChoiceField(choices=["helped", "fine", "false_alarm"])
    reason = serializers.CharField(max_length=200)
