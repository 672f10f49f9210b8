"""Input and output of in-service reports, pioneer posts, service records and help requests."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from party_building.models import InServiceReport, PioneerPost, ServiceRecord


class ReportOutput(serializers.ModelSerializer):
    duties = MaskedTextField(allow_blank=True)
    employer_organization = MaskedTextField()

    class Meta:
        model = InServiceReport
        fields = ["id", "resident", "region", "employer_organization", "year", "reported_on", "duties"]


class ReportInput(StrictSerializer):
    resident = IdField()
    employer_organization = serializers.CharField(max_length=100)
    reported_on = serializers.DateField()
    duties = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PostOutput(serializers.ModelSerializer):
    name = MaskedTextField()
    place = MaskedTextField(allow_blank=True)
    duties = MaskedTextField(allow_blank=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = PioneerPost
        fields = ["id", "kind", "name", "region", "place", "duties", "ended_on", "members"]

    def get_members(self, post) -> list[int]:
        return [a.member_id for a in post.assignments.all() if a.ends_on is None]


class PostInput(StrictSerializer):
    region = IdField()
    kind = serializers.ChoiceField(choices=PioneerPost.Kind.choices)
    name = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    duties = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AssignInput(StrictSerializer):
    member = IdField()
    starts_on = serializers.DateField()


class ServiceRecordOutput(serializers.ModelSerializer):
    activity = MaskedTextField()

    class Meta:
        model = ServiceRecord
        fields = ["id", "resident", "post", "report", "served_on", "hours", "activity"]


class ServiceRecordInput(StrictSerializer):
    resident = IdField()
    post = IdField(required=False, allow_null=True, default=None)
    report = IdField(required=False, allow_null=True, default=None)
    served_on = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal(24)
    )
    activity = serializers.CharField(max_length=200)


class HelpRequestInput(StrictSerializer):
    post = IdField()
    description = serializers.CharField(max_length=1000)


class HelpRequestOutput(serializers.Serializer):
    event = serializers.IntegerField()
    state = serializers.CharField()
