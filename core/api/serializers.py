from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.params import MAX_ID


class StrictSerializer(serializers.Serializer):
    """An input that refuses fields it does not declare (or declares read-only), 400 naming
    each: no silent mass assignment."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field cannot be set here.")] for name in unknown}
                )
        return super().to_internal_value(data)


class IdField(serializers.IntegerField):
    """An id in a body or a query: positive, at most MAX_ID (core/api/params.py); anything else
    is 400 naming the field, never an overflow in the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class RegionQueryInput(serializers.Serializer):
    """`?region=<id>` of a report: a node in the caller's scope (the report's selector checks it)."""

    region = IdField(required=False)


class ApiPartOutput(serializers.Serializer):
    prefix = serializers.CharField()
    name = serializers.CharField()
    part = serializers.ChoiceField(choices=["core", "domain", "scenario"])
    url = serializers.URLField()


class ApiRootOutput(serializers.Serializer):
    version = serializers.CharField()
    schema = serializers.URLField()
    docs = serializers.URLField()
    parts = ApiPartOutput(many=True)
