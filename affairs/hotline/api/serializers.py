from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from affairs.hotline.models import HotlineBounce, HotlineDelivery, HotlineTicket
from core.api.fields import MaskedDictField, MaskedTextField
from core.pii.masking import mask_name, mask_phone


class HotlineBounceOutput(serializers.ModelSerializer):
    reason = MaskedTextField()
    note = MaskedTextField(allow_blank=True)
    state = serializers.CharField(read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = HotlineBounce
        fields = ["id", "state", "reason", "requested_by", "created_at", "decided_by", "decided_at", "note"]


class HotlineDeliveryOutput(serializers.ModelSerializer):
    last_error = MaskedTextField(allow_blank=True)
    kind = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = HotlineDelivery
        fields = ["id", "kind", "state", "attempts", "last_error", "created_at", "sent_at"]


class HotlineTicketOutput(serializers.ModelSerializer):
    """Staff read the caller masked; nobody reads the full name or number through the API."""

    content = MaskedTextField()
    address = MaskedTextField(allow_blank=True)

    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()
    event_state = serializers.CharField(source="event.state", read_only=True, default=None)
    # Plain strings here: the choice sets are documented once, on the requests that send them.
    status = serializers.CharField(read_only=True)
    return_visit = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = HotlineTicket
        fields = [
            "id",
            "ticket_no",
            "status",
            "category",
            "content",
            "address",
            "caller_name",
            "caller_phone",
            "received_at",
            "deadline",
            "overdue",
            "region",
            "event",
            "event_state",
            "replied_at",
            "replied_on_time",
            "return_visit",
            "rehandled_count",
            "bounce_count",
        ]
        read_only_fields = fields

    def get_caller_name(self, ticket) -> str:
        return mask_name(ticket.caller_name) or ""

    def get_caller_phone(self, ticket) -> str:
        return mask_phone(ticket.caller_phone) or ""

    def get_overdue(self, ticket) -> bool:
        now = self.context.get("now")
        open_statuses = (HotlineTicket.Status.UNROUTED, HotlineTicket.Status.HANDLING)
        return bool(now and ticket.status in open_statuses and ticket.deadline < now)


class HotlineTicketDetailOutput(HotlineTicketOutput):
    reply = MaskedTextField(allow_blank=True)
    return_visit_comment = MaskedTextField(allow_blank=True)
    origin = serializers.CharField(read_only=True)  # "push" (the centre's) or "import" (staff's)
    bounces = HotlineBounceOutput(many=True, read_only=True)
    deliveries = HotlineDeliveryOutput(many=True, read_only=True)

    class Meta(HotlineTicketOutput.Meta):
        fields = [
            *HotlineTicketOutput.Meta.fields,
            "origin",
            "longitude",
            "latitude",
            "reply",
            "return_visit_comment",
            "return_visit_at",
            "bounces",
            "deliveries",
            "created_at",
        ]
        read_only_fields = fields


class TicketRouteInput(serializers.Serializer):
    house = serializers.IntegerField(required=False, min_value=1)
    grid = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if ("house" in attrs) == ("grid" in attrs):
            raise serializers.ValidationError({"house": [_("Give the house or the grid, one of them.")]})
        return attrs


class TicketReplyInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class BounceRequestInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class BounceDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class TicketImportOutput(serializers.Serializer):
    created = serializers.IntegerField()
    repeated = serializers.IntegerField()
    rows = serializers.IntegerField()
    errors = serializers.ListField(child=MaskedDictField())


# The statistics list route answers one object, not a list of these: the schema says so.
@extend_schema_serializer(many=False)
class HotlineStatisticsOutput(serializers.Serializer):
    region = serializers.IntegerField(allow_null=True)
    received = serializers.IntegerField()
    routed = serializers.IntegerField()
    unrouted = serializers.IntegerField()
    replied = serializers.IntegerField()
    replied_on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()
    rehandled = serializers.IntegerField()
    rehandlings = serializers.IntegerField()
    bounced = serializers.IntegerField()
    closed = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    unreachable = serializers.IntegerField()
