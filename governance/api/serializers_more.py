"""Inputs and outputs of social organizations, venture rounds, elections and report forms."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from core.pii.masking import mask_phone
from core.registry.models import Resident
from governance.models import (
    Election,
    FormField,
    RollEntry,
    SocialOrganization,
    UpstreamForm,
    VentureApplication,
    VentureRound,
)


class SocialOrganizationInput(StrictSerializer):
    region = IdField()
    name = serializers.CharField(max_length=200)
    field = serializers.CharField(max_length=100)
    stage = serializers.ChoiceField(choices=SocialOrganization.Stage.choices)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    party_organization = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SocialOrganizationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    name = serializers.CharField()
    field = MaskedTextField()
    stage = serializers.ChoiceField(choices=SocialOrganization.Stage.choices)
    contact_name = MaskedTextField(source="contact_name_masked")
    phone = serializers.SerializerMethodField()
    party_organization = MaskedTextField()

    def get_phone(self, organization) -> str:
        return mask_phone(organization.contact_phone) or ""


class VentureRoundInput(StrictSerializer):
    region = IdField()
    title = serializers.CharField(max_length=200)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2)


class VentureRoundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    title = MaskedTextField()
    budget = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.ChoiceField(choices=VentureRound.Status.choices)


class VentureApplicationInput(StrictSerializer):
    organization = IdField()
    title = serializers.CharField(max_length=200)
    requested = serializers.DecimalField(max_digits=12, decimal_places=2)


class MilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = MaskedTextField()
    due_on = serializers.DateField()
    report = MaskedTextField()
    reported_on = serializers.DateField(allow_null=True)


class VentureApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    organization = serializers.IntegerField(source="organization_id")
    title = MaskedTextField()
    requested = serializers.DecimalField(max_digits=12, decimal_places=2)
    granted = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.ChoiceField(choices=VentureApplication.Status.choices)


class VentureApplicationDetailOutput(VentureApplicationOutput):
    reviewers = serializers.IntegerField(help_text="reviewers assigned")
    scored = serializers.IntegerField(help_text="reviewers who scored (a declared conflict scores nothing)")
    average_score = serializers.FloatField(allow_null=True)
    evaluation_score = serializers.IntegerField(allow_null=True)
    evaluation_note = MaskedTextField()
    milestones = MilestoneOutput(many=True, source="milestones_due")


class ReviewerInput(StrictSerializer):
    reviewer = IdField(help_text="a user holding governance.review over the round's place")


class ReviewInput(StrictSerializer):
    score = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )
    conflict_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["score"] is None and not attrs["conflict_note"]:
            raise serializers.ValidationError({"score": [_("Score the application, or declare a conflict.")]})
        return attrs


class ReviewOutput(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    round = serializers.IntegerField(source="application.round_id")
    title = MaskedTextField(source="application.title")
    conflict = serializers.BooleanField()
    score = serializers.IntegerField(allow_null=True)


class FundInput(StrictSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))


class MilestoneInput(StrictSerializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class MilestoneReportInput(StrictSerializer):
    report = serializers.CharField(max_length=5000)


class EvaluationInput(StrictSerializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ElectionInput(StrictSerializer):
    community = IdField()
    province = serializers.CharField(max_length=50)
    term_year = serializers.IntegerField(min_value=2000, max_value=2100)
    seats = serializers.IntegerField(min_value=3, max_value=9)
    voting_day = serializers.DateField()
    method = serializers.ChoiceField(choices=Election.Method.choices, required=False)


class ElectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    law = serializers.ChoiceField(choices=Election.Law.choices)
    method = serializers.ChoiceField(choices=Election.Method.choices)
    term_year = serializers.IntegerField()
    seats = serializers.IntegerField()
    announced_on = serializers.DateField()
    roll_published_on = serializers.DateField()
    voting_day = serializers.DateField()
    status = serializers.ChoiceField(choices=Election.Status.choices)
    ballots_cast = serializers.IntegerField()
    further_seats = serializers.IntegerField(
        allow_null=True, help_text="seats of the further round (另行选举)"
    )
    result_final_on = serializers.DateField(allow_null=True)
    handed_over_at = serializers.DateTimeField(allow_null=True)


class NoticePersonOutput(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.CharField()
    votes = serializers.IntegerField(allow_null=True)
    further_votes = serializers.IntegerField(
        allow_null=True, required=False, help_text="votes in the further round (另行选举)"
    )


class FurtherRoundResultOutput(serializers.Serializer):
    seats = serializers.IntegerField()
    cast = serializers.IntegerField(allow_null=True)
    valid = serializers.BooleanField(allow_null=True, help_text="more than half the voters voted in it")
    elected = serializers.ListField(child=serializers.IntegerField())


class ElectionResultOutput(serializers.Serializer):
    """Both rounds combined: `elected` lists the first round's, then the further round's."""

    valid = serializers.BooleanField()
    voters = serializers.IntegerField()
    cast = serializers.IntegerField()
    elected = serializers.ListField(child=serializers.IntegerField())
    seats_unfilled = serializers.IntegerField()
    final = serializers.BooleanField(help_text="every seat filled, or the further round counted")
    further_round = FurtherRoundResultOutput(allow_null=True)


class ElectionNoticeOutput(serializers.Serializer):
    """居务公开: the roll, the candidates and the result of both rounds, as posted."""

    election = ElectionOutput()
    voters = NoticePersonOutput(many=True)
    candidates = NoticePersonOutput(many=True)
    result = ElectionResultOutput(allow_null=True)


class FormFieldInput(StrictSerializer):
    label = serializers.CharField(max_length=100)
    source = serializers.ChoiceField(choices=FormField.Source.choices)
    key = serializers.CharField(max_length=100)


class UpstreamFormInput(StrictSerializer):
    office = serializers.CharField(max_length=100)
    name = serializers.CharField(max_length=200)
    frequency = serializers.ChoiceField(choices=UpstreamForm.Frequency.choices)
    period = serializers.CharField(max_length=20)
    fields = FormFieldInput(many=True)


class FormFieldOutput(serializers.Serializer):
    position = serializers.IntegerField()
    label = MaskedTextField()
    source = serializers.CharField()
    key = serializers.CharField()


class UpstreamFormOutput(serializers.Serializer):
    id = serializers.IntegerField()
    office = MaskedTextField()
    name = serializers.CharField()
    frequency = serializers.ChoiceField(choices=UpstreamForm.Frequency.choices)
    period = MaskedTextField()
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    fields = FormFieldOutput(many=True, source="fields.all")


class ReportInput(StrictSerializer):
    community = IdField()


class CandidateInput(StrictSerializer):
    resident = IdField()
    # {condition key: {"met": bool, "note": str}}, as the joint review (联审) found.
    review = serializers.DictField(child=serializers.DictField())
    reviewed_by = serializers.ListField(
        child=serializers.CharField(max_length=50), min_length=1, max_length=20
    )


class CandidateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    votes = serializers.IntegerField(allow_null=True)
    in_further_round = serializers.BooleanField()
    further_votes = serializers.IntegerField(allow_null=True)


class RollAddInput(StrictSerializer):
    resident = IdField()
    approved_by_meeting = serializers.CharField(
        max_length=200, help_text="the 村民会议 / 居民会议 or representatives' meeting that approved it"
    )


class RollEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    resident = serializers.IntegerField(source="resident_id")
    basis = serializers.ChoiceField(choices=RollEntry.Basis.choices)
    approved_by_meeting = MaskedTextField()
    away_will_vote = serializers.BooleanField(allow_null=True, help_text="living away: declared (null: not)")


class AwayInput(StrictSerializer):
    resident = IdField()
    will_vote = serializers.BooleanField()


class ObjectionInput(StrictSerializer):
    resident = IdField(help_text="who objects")
    content = serializers.CharField(max_length=2000)


class ObjectionDecideInput(StrictSerializer):
    upheld = serializers.BooleanField()


class ObjectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    resident = serializers.IntegerField(source="resident_id")
    filed_on = serializers.DateField()
    content = MaskedTextField()
    decided_on = serializers.DateField(allow_null=True)
    upheld = serializers.BooleanField(allow_null=True)


class ProxyInput(StrictSerializer):
    principal = IdField()
    proxy = IdField()
    relation = serializers.CharField(max_length=16)
    authorization_ref = serializers.CharField(max_length=100)


class ProxyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    relation = serializers.ChoiceField(choices=Resident.Relation.choices)


class BoxCountInput(StrictSerializer):
    box = serializers.CharField(max_length=20)
    entry = serializers.ChoiceField(choices=[1, 2])
    ballots = serializers.IntegerField(min_value=0)
    votes = serializers.DictField(child=serializers.IntegerField(min_value=0))


class BoxCountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    entry = serializers.IntegerField()
    ballots = serializers.IntegerField()


class FurtherRoundInput(StrictSerializer):
    candidates = serializers.IntegerField(
        min_value=1,
        max_value=50,
        required=False,
        help_text="how many candidates (default: the rules' number per empty seat, twice by default)",
    )


class FurtherRoundOutput(serializers.Serializer):
    seats = serializers.IntegerField()
    candidates = CandidateOutput(many=True)


class HandoverPersonOutput(serializers.Serializer):
    candidate = serializers.IntegerField()
    name = serializers.CharField()
    user = serializers.IntegerField(required=False)
    assignment = serializers.IntegerField(required=False)


class HandoverOutput(serializers.Serializer):
    """The handover (交接): roles granted, the elected to be given an account, old roles ended."""

    handed_over_at = serializers.DateTimeField()
    granted = HandoverPersonOutput(many=True)
    to_be_given_account = HandoverPersonOutput(many=True)
    ended = serializers.ListField(child=serializers.IntegerField(), help_text="role assignments ended")
