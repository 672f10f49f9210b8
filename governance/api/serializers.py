"""Inputs and outputs of deliberation and surveys."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import MaskedJSONField, MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from core.workflow.states import State as EventState
from governance.models import Ballot, SurveyQuestion, Topic


class TopicInput(StrictSerializer):
    community = IdField()
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class FollowUpOutput(serializers.Serializer):
    event = serializers.IntegerField(source="event_id")
    title = MaskedTextField(source="event.title")
    state = serializers.ChoiceField(source="event.state", choices=EventState.choices, read_only=True)


class TopicOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    title = MaskedTextField()
    body = MaskedTextField()
    status = serializers.CharField()
    answer = MaskedTextField()
    decision = MaskedTextField()
    electorate = serializers.ChoiceField(choices=Topic.Electorate.choices)
    reach = serializers.ChoiceField(choices=Topic.Reach.choices)
    threshold = serializers.ChoiceField(choices=Topic.Threshold.choices)
    quorum_percent = serializers.IntegerField()
    vote_closes_at = serializers.DateTimeField()
    vote_closed_at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=Topic.Outcome.choices)
    created_at = serializers.DateTimeField()


class TopicDetailOutput(TopicOutput):
    follow_ups = FollowUpOutput(many=True)


class CommentInput(StrictSerializer):
    body = serializers.CharField(max_length=2000)


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    body = MaskedTextField()
    created_at = serializers.DateTimeField()


class MeetingInput(StrictSerializer):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    agenda = serializers.CharField(max_length=5000)
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    attendees = serializers.ListField(child=IdField(), required=False, max_length=2000)


class MeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    held_at = serializers.DateTimeField()
    place = MaskedTextField()
    agenda = MaskedTextField()
    minutes = MaskedTextField()


class VoteOpenInput(StrictSerializer):
    closes_at = serializers.DateTimeField()
    electorate = serializers.ChoiceField(choices=Topic.Electorate.choices, required=False)
    reach = serializers.ChoiceField(choices=Topic.Reach.choices, required=False)
    building = IdField(required=False)
    threshold = serializers.ChoiceField(choices=Topic.Threshold.choices, required=False)
    quorum_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)


class BallotInput(StrictSerializer):
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)


# A receipt code is computed (hex), never typed: no masking, which could take 11 digits for a mobile.
RECEIPT = r"^[0-9A-F]{12}$"


class ReceiptOutput(serializers.Serializer):
    receipt = serializers.RegexField(RECEIPT)


class TallyOutput(serializers.Serializer):
    electorate = serializers.IntegerField()
    votes_for = serializers.IntegerField(source="for")
    against = serializers.IntegerField()
    abstain = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Topic.Outcome.choices)
    receipts = serializers.ListField(child=serializers.RegexField(RECEIPT))


class AnswerInput(StrictSerializer):
    answer = serializers.CharField(max_length=5000)


class DecisionInput(StrictSerializer):
    decision = serializers.CharField(max_length=5000)


class FollowUpInput(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


# surveys ------------------------------------------------------------------------------------------


class SurveyQuestionInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=SurveyQuestion.Kind.choices)
    text = serializers.CharField(max_length=300)
    options = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )
    scale_max = serializers.IntegerField(required=False, min_value=2, max_value=10)


class SurveyInput(StrictSerializer):
    region = IdField()
    title = serializers.CharField(max_length=200)
    anonymous = serializers.BooleanField(default=True)
    audience_tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=20
    )
    questions = SurveyQuestionInput(many=True)


class SurveyQuestionOutput(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SurveyQuestion.Kind.choices)
    text = MaskedTextField()
    options = MaskedJSONField()
    scale_max = serializers.IntegerField()


class SurveyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    title = MaskedTextField()
    anonymous = serializers.BooleanField()
    status = serializers.CharField()
    audience_tags = MaskedJSONField()
    created_at = serializers.DateTimeField()


class SurveyDetailOutput(SurveyOutput):
    questions = SurveyQuestionOutput(many=True, source="questions.all")


class SurveyAnswerInput(StrictSerializer):
    answers = serializers.DictField(child=serializers.JSONField())


class SurveyAnswerOutput(serializers.Serializer):
    id = serializers.IntegerField()
