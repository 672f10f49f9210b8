from rest_framework import serializers


class ApiPartSerializer(serializers.Serializer):
    prefix = serializers.CharField()
    name = serializers.CharField()
    part = serializers.ChoiceField(choices=["core", "domain", "scenario"])
    url = serializers.URLField()


class ApiRootSerializer(serializers.Serializer):
    version = serializers.CharField()
    schema = serializers.URLField()
    docs = serializers.URLField()
    parts = ApiPartSerializer(many=True)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The one error shape, for the schema."""

    error = ErrorDetailSerializer()
