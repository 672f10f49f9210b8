"""Input and output of party organizations and members."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from party_building.flags import flags_of, has_committee
from party_building.models import Member, Organization, Transfer
from party_building.models.members import Education, MemberKind
from party_building.models.organizations import Officer, OfficerPost, OrganizationKind, Setting


class OrganizationOutput(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    full_member_count = serializers.IntegerField(read_only=True)
    has_committee = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "setting",
            "name",
            "parent",
            "region",
            "founded_on",
            "term_ends_on",
            "dissolved_on",
            "member_count",
            "full_member_count",
            "has_committee",
            "flags",
        ]

    def get_has_committee(self, organization) -> bool:
        return has_committee(organization)

    def get_flags(self, organization) -> list[str]:
        return flags_of(organization, self.context["today"])


class OrganizationInput(StrictSerializer):
    region = IdField()
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    setting = serializers.ChoiceField(choices=Setting.choices, default=Setting.COMMUNITY)
    name = serializers.CharField(max_length=100)
    parent = IdField(required=False, allow_null=True, default=None)
    founded_on = serializers.DateField()


class OfficerInput(StrictSerializer):
    member = IdField()
    post = serializers.ChoiceField(choices=OfficerPost.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs["ends_on"] is not None and attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": [_("The term cannot end before it starts.")]})
        return attrs


class OfficerOutput(serializers.ModelSerializer):
    member_name = MaskedTextField(source="member.shown_name", read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "member", "member_name", "post", "starts_on", "ends_on", "election"]


class OutsidePersonInput(StrictSerializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=32)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class MemberInput(StrictSerializer):
    organization = IdField()
    resident = IdField(required=False, allow_null=True, default=None)
    outside = OutsidePersonInput(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=MemberKind.choices)
    education = serializers.ChoiceField(choices=Education.choices, default=Education.UNKNOWN)
    joined_on = serializers.DateField()
    full_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs["resident"] is not None and attrs["outside"]:
            raise serializers.ValidationError({"outside": [_("Name the resident or an outsider, not both.")]})
        return attrs


class MakeFullInput(StrictSerializer):
    full_on = serializers.DateField()


class TransferInput(StrictSerializer):
    transferred_on = serializers.DateField()
    to_organization = IdField(required=False, allow_null=True, default=None)
    outside_organization = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    letter_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class TransferOutput(serializers.ModelSerializer):
    outside_organization = MaskedTextField(allow_blank=True)
    letter_number = MaskedTextField(allow_blank=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "direction",
            "from_organization",
            "to_organization",
            "outside_organization",
            "letter_number",
            "transferred_on",
        ]


class MemberOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="shown_name", read_only=True)
    id_number = serializers.SerializerMethodField()
    mobile = serializers.SerializerMethodField()
    organization_name = MaskedTextField(source="organization.name")

    class Meta:
        model = Member
        fields = [
            "id",
            "organization",
            "organization_name",
            "resident",
            "name",
            "id_number",
            "mobile",
            "kind",
            "education",
            "joined_on",
            "full_on",
            "status",
        ]

    def get_id_number(self, member) -> str:
        return (
            member.resident.document_number_masked if member.resident_id else member.outside_id_number_masked
        )

    def get_mobile(self, member) -> str:
        return member.resident.mobile_masked if member.resident_id else member.outside_mobile_masked


class MemberDetailOutput(MemberOutput):
    transfers = TransferOutput(many=True, read_only=True)

    class Meta(MemberOutput.Meta):
        fields = [*MemberOutput.Meta.fields, "transfers"]
