"""Inputs (<Model>Input, strict) and outputs (<Model>Output) of community services."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MaskedJSONField, MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from core.pii.masking import mask_name, mask_phone
from core.registry.minors import resident_shown_name
from services import models as m
from services.models.meals import MealPeriod
from services.retrofits import PHOTO_LABEL

MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal(0), "max_value": Decimal(100000)}


def _person(resident) -> str:
    return resident_shown_name(resident) if resident is not None else ""


# volunteers -------------------------------------------------------------------------------------


class VolunteerInput(StrictSerializer):
    region = IdField()
    resident = IdField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    mobile = serializers.RegexField(r"^(?:1\d{10})?$", required=False, allow_blank=True, default="")
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VolunteerOutput(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    mobile = serializers.SerializerMethodField()
    skills = MaskedTextField()

    class Meta:
        model = m.Volunteer
        fields = ["id", "region", "resident", "name", "mobile", "skills", "joined_on", "active"]

    def get_name(self, volunteer) -> str:
        return (
            _person(volunteer.resident)
            if volunteer.resident_id
            else mask_name(volunteer.name_encrypted) or ""
        )

    def get_mobile(self, volunteer) -> str:
        return mask_phone(volunteer.mobile_encrypted) or ""


class TeamInput(StrictSerializer):
    region = IdField()
    name = serializers.CharField(max_length=100)
    organization = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    members = serializers.ListField(child=IdField(), max_length=500, required=False, default=list)


class TeamOutput(serializers.ModelSerializer):
    name = MaskedTextField()
    organization = MaskedTextField()

    class Meta:
        model = m.Team
        fields = ["id", "region", "name", "organization", "created_at"]


class ServiceProjectInput(StrictSerializer):
    region = IdField()
    title = serializers.CharField(max_length=200)
    team = IdField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    cap = serializers.IntegerField(min_value=1, max_value=10000)


class ServiceProjectOutput(serializers.ModelSerializer):
    title = MaskedTextField()
    place = MaskedTextField()
    signed_up = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = m.ServiceProject
        fields = [
            "id",
            "region",
            "title",
            "team",
            "place",
            "starts_at",
            "ends_at",
            "cap",
            "signed_up",
            "filed_on",
        ]


class SignupInput(StrictSerializer):
    volunteer = IdField()


class CheckInput(StrictSerializer):
    signup = IdField()
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SignupOutput(serializers.ModelSerializer):
    class Meta:
        model = m.Signup
        fields = ["id", "project", "volunteer", "signed_at", "checked_in_at", "checked_out_at"]


class HoursEntryOutput(serializers.ModelSerializer):
    activity = MaskedTextField()
    # The producing app's label (services, party_building …): a code.
    source_domain = serializers.SlugField(read_only=True)

    class Meta:
        model = m.HoursEntry
        fields = ["id", "volunteer", "region", "hours", "served_on", "activity", "source", "source_domain"]


class RankingOutput(serializers.Serializer):
    volunteer = serializers.IntegerField()
    name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    rank = serializers.IntegerField()


class RankingReportOutput(serializers.Serializer):
    region = serializers.IntegerField()
    results = RankingOutput(many=True)


class RankingQueryInput(StrictSerializer):
    region = IdField(required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class TimeBankInput(StrictSerializer):
    region = IdField()
    name = serializers.CharField(max_length=100)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)


class TimeBankOutput(serializers.ModelSerializer):
    class Meta:
        model = m.TimeBank
        fields = ["id", "region", "name", "starts_on"]


class TimeBankDrawInput(StrictSerializer):
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal(1000)
    )
    note = serializers.CharField(max_length=200)


class BalanceOutput(serializers.Serializer):
    time_bank = serializers.IntegerField(source="bank.pk", default=None)
    earned = serializers.DecimalField(max_digits=9, decimal_places=2)
    drawn = serializers.DecimalField(max_digits=9, decimal_places=2)
    balance = serializers.DecimalField(max_digits=9, decimal_places=2)


# meals ------------------------------------------------------------------------------------------


class MealPointInput(StrictSerializer):
    region = IdField()
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=m.MealPoint.Kind.choices, default=m.MealPoint.Kind.CANTEEN)
    operator = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    hours = serializers.CharField(max_length=100)
    price = serializers.DecimalField(**{**MONEY, "max_value": Decimal(1000)})
    menu = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MealPointOutput(serializers.ModelSerializer):
    name = MaskedTextField()
    operator = MaskedTextField()
    address = MaskedTextField()
    hours = MaskedTextField()
    menu = MaskedTextField()

    class Meta:
        model = m.MealPoint
        fields = ["id", "region", "name", "kind", "operator", "address", "capacity", "hours", "price", "menu"]


class MealSubsidyRuleInput(StrictSerializer):
    district = IdField()
    status = serializers.ChoiceField(
        choices=m.MealSubsidyRule.Status.choices, default=m.MealSubsidyRule.Status.AGE
    )
    min_age = serializers.IntegerField(min_value=60, max_value=120, default=60)
    government_share = serializers.DecimalField(**{**MONEY, "max_value": Decimal(1000)})
    provider_discount = serializers.DecimalField(**{**MONEY, "max_value": Decimal(1000)}, default=Decimal(0))
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MealSubsidyRuleEndInput(StrictSerializer):
    effective_to = serializers.DateField()


class MealSubsidyRuleOutput(serializers.ModelSerializer):
    source = MaskedTextField()

    class Meta:
        model = m.MealSubsidyRule
        fields = [
            "id",
            "district",
            "status",
            "min_age",
            "government_share",
            "provider_discount",
            "effective_from",
            "effective_to",
            "source",
        ]


class MealRecordInput(StrictSerializer):
    point = IdField()
    resident = IdField()
    period = serializers.ChoiceField(choices=MealPeriod.choices)
    method = serializers.ChoiceField(choices=m.MealRecord.Method.choices)
    served_on = serializers.DateField(required=False, allow_null=True, default=None)


class MealRecordOutput(serializers.ModelSerializer):
    resident_name = serializers.SerializerMethodField()

    class Meta:
        model = m.MealRecord
        fields = [
            "id",
            "point",
            "resident",
            "resident_name",
            "served_on",
            "period",
            "method",
            "price",
            "government_share",
            "provider_discount",
            "elder_pays",
            "rule",
            "settled_in",
        ]

    def get_resident_name(self, record) -> str:
        return _person(record.resident)


class MealSettlementInput(StrictSerializer):
    point = IdField()
    month = serializers.DateField()


class SettlementCorrectionInput(StrictSerializer):
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal(-100000), max_value=Decimal(100000)
    )
    note = serializers.CharField(max_length=500)


class SettlementLineOutput(serializers.ModelSerializer):
    note = MaskedTextField()

    class Meta:
        model = m.SettlementLine
        fields = ["id", "kind", "meals", "amount", "corrects_month", "note"]


class MealSettlementOutput(serializers.ModelSerializer):
    lines = SettlementLineOutput(many=True, read_only=True)

    class Meta:
        model = m.MealSettlement
        fields = ["id", "point", "month", "status", "meals", "government_total", "closed_at", "lines"]


# venues -----------------------------------------------------------------------------------------


class RoomInput(StrictSerializer):
    region = IdField()
    name = serializers.CharField(max_length=100)
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    equipment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    opens_at = serializers.TimeField()
    closes_at = serializers.TimeField()


class RoomOutput(serializers.ModelSerializer):
    name = MaskedTextField()
    equipment = MaskedTextField()

    class Meta:
        model = m.Room
        fields = ["id", "region", "name", "capacity", "equipment", "opens_at", "closes_at"]


class BookingInput(StrictSerializer):
    room = IdField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=200)


class BookingOutput(serializers.ModelSerializer):
    class Meta:
        model = m.Booking
        fields = ["id", "room", "region", "starts_at", "ends_at", "purpose", "cancelled"]


class ActivityInput(StrictSerializer):
    region = IdField()
    title = serializers.CharField(max_length=200)
    room = IdField(required=False, allow_null=True, default=None)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    cap = serializers.IntegerField(min_value=1, max_value=10000)


class ActivityOutput(serializers.ModelSerializer):
    title = MaskedTextField()
    signed_up = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = m.Activity
        fields = ["id", "region", "title", "room", "starts_at", "ends_at", "cap", "signed_up"]


class ActivitySignupInput(StrictSerializer):
    resident = IdField()


class ActivitySignupOutput(serializers.ModelSerializer):
    class Meta:
        model = m.ActivitySignup
        fields = ["id", "activity", "resident", "attended"]


# retrofits --------------------------------------------------------------------------------------


class RetrofitInput(StrictSerializer):
    household = IdField()


class RetrofitStepInput(StrictSerializer):
    action = serializers.ChoiceField(choices=["assess", "plan", "works", "accept", "subsidize", "cancel"])
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    checklist = serializers.DictField(required=False, default=None)
    items = serializers.ListField(child=serializers.DictField(), max_length=50, required=False, default=None)
    subsidy = serializers.DecimalField(**MONEY, required=False, default=None)


class RetrofitStageOutput(serializers.ModelSerializer):
    note = MaskedTextField()

    class Meta:
        model = m.RetrofitStage
        fields = ["stage", "signed_off_by", "signed_off_at", "note"]


class RetrofitPhotoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.SerializerMethodField()
    name = MaskedTextField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_stage(self, attachment) -> str:
        return attachment.label.removeprefix(PHOTO_LABEL)


class RetrofitOutput(serializers.ModelSerializer):
    checklist = MaskedJSONField()
    items = MaskedJSONField()
    deadline = serializers.DateTimeField(source="event.deadline", read_only=True)
    escalation_level = serializers.IntegerField(source="event.escalation_level", read_only=True)
    stages = RetrofitStageOutput(many=True, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = m.Retrofit
        fields = [
            "id",
            "household",
            "region",
            "event",
            "stage",
            "checklist",
            "items",
            "total_cost",
            "subsidy",
            "subsidized_on",
            "deadline",
            "escalation_level",
            "stages",
            "photos",
        ]

    @extend_schema_field(RetrofitPhotoOutput(many=True))
    def get_photos(self, retrofit) -> list:
        photos = [a for a in retrofit.event.attachments.all() if a.label.startswith(PHOTO_LABEL)]
        return RetrofitPhotoOutput(photos, many=True).data


# home services ----------------------------------------------------------------------------------


class HomeServiceOutput(serializers.ModelSerializer):
    eligible_tags = serializers.ListField(child=MaskedTextField(), read_only=True)

    class Meta:
        model = m.HomeService
        fields = ["id", "code", "name", "min_minutes", "price", "subsidy", "eligible_tags"]


class ProviderOutput(serializers.ModelSerializer):
    class Meta:
        model = m.Provider
        fields = ["id", "region", "name"]


class HomeOrderInput(StrictSerializer):
    resident = IdField()
    service = serializers.SlugField(max_length=40)
    provider = IdField()
    worker = IdField(required=False, allow_null=True, default=None)


class PositionInput(StrictSerializer):
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=Decimal(-180), max_value=Decimal(180)
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=Decimal(-90), max_value=Decimal(90)
    )


class VisitRatingInput(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VisitOutput(serializers.ModelSerializer):
    comment = MaskedTextField()

    class Meta:
        model = m.Visit
        fields = [
            "checked_in_at",
            "in_longitude",
            "in_latitude",
            "checked_out_at",
            "out_longitude",
            "out_latitude",
            "minutes",
            "too_short",
            "rating",
            "comment",
        ]


class HomeOrderOutput(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    resident_name = serializers.SerializerMethodField()
    visit = serializers.SerializerMethodField()

    class Meta:
        model = m.HomeOrder
        fields = [
            "id",
            "region",
            "resident",
            "resident_name",
            "service",
            "provider",
            "worker",
            "status",
            "subsidy",
            "visit",
        ]

    def get_resident_name(self, order) -> str:
        return _person(order.resident)

    def get_visit(self, order) -> dict | None:
        visit = getattr(order, "visit", None)
        return VisitOutput(visit).data if visit is not None else None


# social work, directory, requests ----------------------------------------------------------------


class StationOutput(serializers.ModelSerializer):
    address = MaskedTextField()

    class Meta:
        model = m.Station
        fields = ["id", "region", "name", "address"]


class StationInput(StrictSerializer):
    region = IdField(help_text="the street (town)")
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SocialWorkerInput(StrictSerializer):
    user = IdField(help_text="an account of the station's street")
    qualification = serializers.ChoiceField(choices=m.SocialWorker.Qualification.choices)


class SocialWorkerOutput(serializers.ModelSerializer):
    name = MaskedTextField(source="user.get_full_name")

    class Meta:
        model = m.SocialWorker
        fields = ["id", "user", "name", "qualification"]


class StationDetailOutput(StationOutput):
    workers = SocialWorkerOutput(many=True, read_only=True)

    class Meta(StationOutput.Meta):
        fields = [*StationOutput.Meta.fields, "workers"]


class SocialCaseInput(StrictSerializer):
    station = IdField()
    resident = IdField()
    title = serializers.CharField(max_length=200)
    involves_minor = serializers.BooleanField(default=False)


class CaseEntryInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=m.CaseEntry.Kind.choices)
    text = serializers.CharField(max_length=4000)
    referred_to = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CaseEntryOutput(serializers.ModelSerializer):
    text = MaskedTextField()
    referred_to = MaskedTextField()

    class Meta:
        model = m.CaseEntry
        fields = ["id", "kind", "text", "referred_to", "written_by", "created_at"]


class SocialCaseOutput(serializers.ModelSerializer):
    title = MaskedTextField()
    resident_name = serializers.SerializerMethodField()

    class Meta:
        model = m.SocialCase
        fields = [
            "id",
            "region",
            "station",
            "resident",
            "resident_name",
            "involves_minor",
            "title",
            "status",
            "opened_on",
        ]

    def get_resident_name(self, case) -> str:
        return _person(case.resident)


class DirectoryEntryOutput(serializers.ModelSerializer):
    description = MaskedTextField()
    who = MaskedTextField()
    cost = MaskedTextField()
    how_to_ask = MaskedTextField()

    class Meta:
        model = m.DirectoryEntry
        fields = ["id", "code", "name", "description", "who", "cost", "how_to_ask"]


class ServiceRequestInput(StrictSerializer):
    entry = serializers.SlugField(max_length=40)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ServiceRequestOutput(serializers.ModelSerializer):
    entry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    note = MaskedTextField()
    state = serializers.CharField(source="event.state", read_only=True)

    class Meta:
        model = m.ServiceRequest
        fields = ["id", "entry", "resident", "event", "state", "note", "created_at"]
