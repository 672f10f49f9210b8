from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from core.registry.models import Resident
from core.workflow.api.serializers import PointInput
from core.workflow.geo import SYSTEMS
from safety.models import (
    CheckIn,
    PatrolKind,
    PatrolPoint,
    PatrolRoute,
    PatrolShift,
    RoughSleeper,
    RoughSleeperHelp,
)


class PatrolPointInput(StrictSerializer):
    name = serializers.CharField(max_length=100)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    system = serializers.ChoiceField(choices=SYSTEMS, default="wgs84")


class PatrolRouteInput(StrictSerializer):
    grid = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=100)
    radius_metres = serializers.IntegerField(min_value=5, max_value=1000, required=False)
    points = PatrolPointInput(many=True)


class PatrolRouteEndInput(StrictSerializer):
    ended_on = serializers.DateField()


class PatrolPointOutput(serializers.ModelSerializer):
    name = MaskedTextField()

    class Meta:
        model = PatrolPoint
        fields = ["id", "order", "name", "longitude", "latitude"]


class PatrolRouteOutput(serializers.ModelSerializer):
    name = MaskedTextField()
    points = PatrolPointOutput(many=True)

    class Meta:
        model = PatrolRoute
        fields = ["id", "name", "region", "radius_metres", "ended_on", "points", "created_at"]


class PatrolShiftInput(StrictSerializer):
    route = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=PatrolKind.choices, default=PatrolKind.REGULAR)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    patroller = serializers.IntegerField(min_value=1, required=False)


class CheckInInput(StrictSerializer):
    point = serializers.IntegerField(min_value=1)
    position = PointInput()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class ShiftCompleteInput(StrictSerializer):
    findings = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class CheckInOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "shift",
            "point",
            "at",
            "longitude",
            "latitude",
            "input_system",
            "distance_metres",
            "within_radius",
            "note",
            "by",
        ]


class PatrolShiftOutput(serializers.ModelSerializer):
    findings = MaskedTextField(allow_blank=True)
    points_missed = serializers.SerializerMethodField()

    class Meta:
        model = PatrolShift
        fields = [
            "id",
            "route",
            "kind",
            "patroller",
            "region",
            "planned_start",
            "planned_end",
            "status",
            "started_at",
            "completed_at",
            "points_planned",
            "points_reached",
            "points_missed",
            "findings",
        ]

    def get_points_missed(self, obj) -> int:
        return obj.points_planned - obj.points_reached


class PatrolShiftDetailOutput(PatrolShiftOutput):
    """A shift with its log: every check-in, and the points not reached (missed, once completed)."""

    check_ins = CheckInOutput(many=True)
    unreached = serializers.SerializerMethodField()

    class Meta(PatrolShiftOutput.Meta):
        fields = [*PatrolShiftOutput.Meta.fields, "check_ins", "unreached"]

    def get_unreached(self, obj) -> list[int]:
        from safety.patrols import missed_points

        return list(missed_points(obj).values_list("id", flat=True))


class RoughSleeperInput(StrictSerializer):
    shift = serializers.IntegerField(min_value=1)
    position = PointInput()
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    identified = serializers.BooleanField()
    name = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    document_number = serializers.CharField(max_length=18, required=False, default="", allow_blank=True)
    sex = serializers.ChoiceField(choices=Resident.Sex.choices, required=False, default="", allow_blank=True)
    approximate_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    condition = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    help_given = serializers.ListField(child=serializers.ChoiceField(choices=RoughSleeperHelp.choices))
    help_note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class RoughSleeperOutput(serializers.ModelSerializer):
    """Masked: the name and the identity number as the register masks them; free text masked."""

    place = MaskedTextField(allow_blank=True)
    name = MaskedTextField(source="name_masked", allow_blank=True)
    document_number = MaskedTextField(source="document_number_masked", allow_blank=True)
    condition = MaskedTextField(allow_blank=True)
    help_note = MaskedTextField(allow_blank=True)
    help_given = serializers.ListField(child=serializers.ChoiceField(choices=RoughSleeperHelp.choices))

    class Meta:
        model = RoughSleeper
        fields = [
            "id",
            "shift",
            "region",
            "found_at",
            "longitude",
            "latitude",
            "input_system",
            "place",
            "identified",
            "name",
            "document_number",
            "sex",
            "approximate_age",
            "condition",
            "help_given",
            "help_note",
            "family_search",
            "recorded_by",
        ]
