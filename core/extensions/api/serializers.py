from rest_framework import serializers

from core.api.serializers import IdField, StrictSerializer


class ScenarioPlaceQueryInput(serializers.Serializer):
    """`?region=<id>`: the place to read the scenarios at (the caller's own place by default)."""

    region = IdField(required=False)


class ScenarioStateInput(StrictSerializer):
    enabled = serializers.BooleanField()


class ScenarioSettingsInput(StrictSerializer):
    values = serializers.DictField(child=serializers.JSONField(), allow_empty=False)
    valid_from = serializers.DateTimeField(required=False)


class ScenarioSettingOutput(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    default = serializers.JSONField()
    label = serializers.CharField()
    policy = serializers.BooleanField()
    value = serializers.JSONField()
    set_at = serializers.CharField(help_text="the region path whose version set it; empty: the default")


class ScenarioStateOutput(serializers.Serializer):
    key = serializers.CharField()
    region = serializers.IntegerField()
    region_path = serializers.CharField()
    enabled = serializers.BooleanField()
    decided_at = serializers.CharField(help_text="the path of the deciding switch; empty: never enabled")
    inherited = serializers.BooleanField()


class ScenarioOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    names = serializers.DictField(child=serializers.CharField())
    domain = serializers.CharField()
    version = serializers.CharField()
    platform_versions = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    state = ScenarioStateOutput()


class ScenarioSettingsOutput(serializers.Serializer):
    key = serializers.CharField()
    region = serializers.IntegerField()
    region_path = serializers.CharField()
    versions = serializers.ListField(child=serializers.IntegerField())
    settings = ScenarioSettingOutput(many=True)


class ScenarioSettingsVersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(source="scenario_key")
    region = serializers.IntegerField(source="region_id")
    region_path = serializers.CharField()
    values = serializers.JSONField()
    valid_from = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
