"""Input and output of the catalogue (事项清单) and of applications, their members and objections."""

from __future__ import annotations

from rest_framework import serializers

from affairs.models import Application, ApplicationMember, Objection, RequiredMaterial, ServiceItem
from affairs.models.applications import MAX_MONEY
from core.api.fields import MaskedJSONField, MaskedTextField
from core.api.serializers import StrictSerializer
from core.pii.masking import mask_free_text, mask_free_text_in, mask_name

NOTIFY_CHANNELS = ("in_app", "sms", "wechat")


def service_item_brief(obj) -> dict:
    """The service item of an application or a benefit, as its lists show it."""
    return {"code": obj.item.code, "name": obj.item.name}


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=MAX_MONEY, **kwargs
    )


class RequiredMaterialOutput(serializers.ModelSerializer):
    class Meta:
        model = RequiredMaterial
        fields = ["code", "name", "mandatory"]


class ServiceItemOutput(serializers.ModelSerializer):
    description = MaskedTextField(allow_blank=True)
    eligibility = MaskedTextField(allow_blank=True)
    materials = RequiredMaterialOutput(many=True, read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "name",
            "category",
            "description",
            "receive_level",
            "review_level",
            "confirm_level",
            "time_limit_working_days",
            "channels",
            "reach",
            "proxy_allowed",
            "publicity_days",
            "eligibility",
            "benefit_tag",
            "recheck_months",
            "is_active",
            "materials",
        ]
        read_only_fields = fields


# A person's monthly income above this is a typing error (an annual figure, an extra zero …).
MAX_MONTHLY_INCOME = 1_000_000


class ApplicationMemberInput(StrictSerializer):
    resident = serializers.IntegerField(min_value=1)
    covered = serializers.BooleanField(default=True)
    monthly_income = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=MAX_MONTHLY_INCOME, default=0
    )
    able_to_work = serializers.BooleanField(default=False)
    seriously_ill = serializers.BooleanField(default=False)
    severely_disabled = serializers.BooleanField(default=False)


class ApplicationInput(StrictSerializer):
    """The `payload` part of a multipart submission (the files are `materials.<code>` parts)."""

    item = serializers.SlugField(max_length=40)
    household = serializers.IntegerField(min_value=1)
    applicant = serializers.IntegerField(min_value=1)
    members = ApplicationMemberInput(many=True, max_length=30)
    financial_assets = money_field(default=0)
    vehicles = serializers.IntegerField(min_value=0, max_value=50, default=0)
    extra_houses = serializers.IntegerField(min_value=0, max_value=50, default=0)
    details = serializers.DictField(required=False, default=dict)
    area = serializers.ChoiceField(choices=Application.Area.choices, default=Application.Area.URBAN)
    channel = serializers.ChoiceField(choices=Application.Channel.choices, required=False)
    notify_channel = serializers.ChoiceField(choices=NOTIFY_CHANNELS, default="in_app")


class ApplicationStepInput(StrictSerializer):
    action = serializers.CharField(max_length=32)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    missing = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=30, allow_empty=False
    )
    # At `supplement`: the missing items described in words that the worker confirms received.
    confirmed = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=30
    )


class MaterialUploadInput(StrictSerializer):
    material = serializers.SlugField(max_length=64)
    file = serializers.FileField()


class ObjectionRecordInput(StrictSerializer):
    """An objection received on paper or in person, recorded by the reviewing level."""

    content = serializers.CharField(max_length=2000)
    received_on = serializers.DateField(required=False)


class ObjectionSettleInput(StrictSerializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField(max_length=2000)


class ApplicationMemberOutput(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationMember
        fields = [
            "resident",
            "name",
            "covered",
            "monthly_income",
            "able_to_work",
            "seriously_ill",
            "severely_disabled",
        ]

    def get_name(self, member) -> str:
        return mask_name(member.resident.name)


class ObjectionOutput(serializers.ModelSerializer):
    content = MaskedTextField()
    resolution = MaskedTextField(allow_blank=True)

    class Meta:
        model = Objection
        fields = ["id", "application", "received_on", "content", "upheld", "resolution", "created_at"]


class ApplicationOutput(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    applicant_name = serializers.SerializerMethodField()
    event_state = serializers.CharField(source="event.state", read_only=True)
    # Null while the event's clock has not started (or an event type without a deadline).
    deadline = serializers.DateTimeField(source="event.deadline", read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "item",
            "item_name",
            "stage",
            "household",
            "applicant",
            "applicant_name",
            "applied_on",
            "channel",
            "on_behalf",
            "event",
            "event_state",
            "deadline",
            "missing",
            "monthly_amount",
            "one_off_amount",
            "decided_at",
            "on_time",
            "created_at",
        ]
        read_only_fields = fields

    def get_applicant_name(self, application) -> str:
        return mask_name(application.applicant.name)


class ApplicationDetailOutput(ApplicationOutput):
    details = MaskedJSONField()
    decision_note = MaskedTextField(allow_blank=True)
    members = ApplicationMemberOutput(many=True, read_only=True)
    objections = ObjectionOutput(many=True, read_only=True)
    materials = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    allowed_steps = serializers.SerializerMethodField()

    class Meta(ApplicationOutput.Meta):
        fields = [
            *ApplicationOutput.Meta.fields,
            "area",
            "notify_channel",
            "financial_assets",
            "vehicles",
            "extra_houses",
            "details",
            "eligibility",
            "returned_from",
            "publicity_starts_on",
            "publicity_ends_on",
            "decision_note",
            "working_days_taken",
            "members",
            "objections",
            "materials",
            "steps",
            "allowed_steps",
        ]
        read_only_fields = fields

    def get_materials(self, application) -> list[dict]:
        return [
            {"id": a.pk, "material": a.label, "name": a.name, "size": a.size, "uploaded_at": a.created_at}
            for a in application.event.attachments.all()
        ]

    def get_steps(self, application) -> list[dict]:
        return [
            {
                "action": t.action.removeprefix("affairs."),
                "from_state": t.from_state,
                "to_state": t.to_state,
                "note": mask_free_text(t.note),
                "data": mask_free_text_in(t.data),
                "at": t.created_at,
                "actor": getattr(t.actor, "display_name", "") or (t.actor.get_username() if t.actor else ""),
            }
            for t in application.event.transitions.all()
        ]

    def get_allowed_steps(self, application) -> list[str]:
        return self.context.get("allowed_steps", [])
