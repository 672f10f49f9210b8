from __future__ import annotations

from rest_framework import serializers

from core.api.fields import MaskedJSONField, MaskedTextField
from core.api.serializers import StrictSerializer
from core.workflow.actors import relations
from core.workflow.geo import SYSTEMS
from core.workflow.models import DutyShift, Event, EventAttachment, EventTransition
from core.workflow.states import State


class PointInput(StrictSerializer):
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    system = serializers.ChoiceField(choices=SYSTEMS, default="wgs84")


class EventReportInput(StrictSerializer):
    type = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    form_data = serializers.DictField(required=False, default=dict)
    house = serializers.IntegerField(required=False, min_value=1)
    grid = serializers.IntegerField(required=False, min_value=1)
    point = PointInput(required=False)
    priority = serializers.ChoiceField(choices=Event.Priority.choices, required=False)
    source = serializers.ChoiceField(choices=[Event.Source.PATROL, Event.Source.RESIDENT], required=False)


class TransitionInput(StrictSerializer):
    action = serializers.CharField(max_length=32)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    assignee = serializers.IntegerField(required=False, min_value=1)


class ReassignInput(StrictSerializer):
    events = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    assignee = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RatingInput(StrictSerializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class EventTransitionOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = EventTransition
        fields = ["action", "from_state", "to_state", "actor", "note", "created_at"]

    def get_actor(self, obj) -> str:
        if obj.actor_id is None:
            return ""
        return obj.actor.display_name or obj.actor.username


class EventAttachmentOutput(serializers.ModelSerializer):
    name = MaskedTextField()

    class Meta:
        model = EventAttachment
        fields = ["id", "name", "content_type", "size", "created_at"]


# What a follower who is neither the reporter nor staff at the place does not see: a merged
# duplicate must not hand one resident another resident's words, house or photos.
FOLLOWER_HIDDEN = (
    "title",
    "description",
    "form_data",
    "house",
    "longitude",
    "latitude",
    "satisfaction_comment",
)


class EventOutput(serializers.ModelSerializer):
    title = MaskedTextField()
    description = MaskedTextField(allow_blank=True)
    form_data = MaskedJSONField()
    satisfaction_comment = MaskedTextField(allow_blank=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "type",
            "domain",
            "source",
            "state",
            "state_display",
            "priority",
            "title",
            "description",
            "form_data",
            "house",
            "region",
            "longitude",
            "latitude",
            "assignee",
            "assignee_name",
            "accepted_at",
            "deadline",
            "deadline_estimated",
            "escalation_level",
            "escalated_to",
            "resolved_at",
            "closed_at",
            "satisfaction",
            "satisfaction_comment",
            "created_at",
            "overdue",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        viewer = self.context.get("request").user if self.context.get("request") else None
        if viewer is not None and not relations(viewer, instance):
            for name in FOLLOWER_HIDDEN:
                if name in data:
                    data[name] = (
                        {}
                        if name == "form_data"
                        else None
                        if name in ("house", "longitude", "latitude")
                        else ""
                    )
            for name in ("transitions", "attachments"):
                if name in data:
                    data[name] = []
        return data

    def get_assignee_name(self, obj) -> str:
        return (obj.assignee.display_name or obj.assignee.username) if obj.assignee_id else ""

    def get_overdue(self, obj) -> bool:
        now = self.context.get("now")
        return bool(
            obj.deadline
            and now
            and obj.deadline < now
            and obj.state not in (State.CLOSED, State.REJECTED, State.RESOLVED)
        )


class EventDetailOutput(EventOutput):
    transitions = EventTransitionOutput(many=True, read_only=True)
    attachments = EventAttachmentOutput(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(EventOutput.Meta):
        fields = [*EventOutput.Meta.fields, "transitions", "attachments", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        return self.context.get("allowed_actions", [])


class EventReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    merged = serializers.BooleanField()
    event = EventOutput()


class EventTypeOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()
    residents_may_report = serializers.BooleanField()
    sla_working_days = serializers.IntegerField(allow_null=True)
    sla_working_hours = serializers.FloatField(allow_null=True)
    clock = serializers.CharField()


class DutyShiftInput(StrictSerializer):
    region = serializers.IntegerField(min_value=1)
    user = serializers.IntegerField(min_value=1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DutyShiftOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    user_name = serializers.SerializerMethodField()
    on_duty_now = serializers.SerializerMethodField()

    class Meta:
        model = DutyShift
        fields = [
            "id",
            "region",
            "region_name",
            "user",
            "user_name",
            "starts_at",
            "ends_at",
            "ended_at",
            "note",
            "on_duty_now",
            "created_at",
        ]

    def get_user_name(self, obj) -> str:
        return obj.user.display_name or obj.user.username

    def get_on_duty_now(self, obj) -> bool:
        now = self.context["now"]
        return obj.starts_at <= now < obj.ends_at and (obj.ended_at is None or obj.ended_at > now)
