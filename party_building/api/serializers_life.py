"""Input and output of meeting frequencies, meetings and elections."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from party_building.life import attendance_summary
from party_building.models import Attendance, Election, Meeting, MeetingFrequency, MinutesAttachment
from party_building.models.life import MeetingKind


class FrequencyOutput(serializers.ModelSerializer):
    class Meta:
        model = MeetingFrequency
        fields = ["id", "region", "kind", "every_months", "effective_from", "effective_to"]


class FrequencyInput(StrictSerializer):
    region = IdField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    every_months = serializers.IntegerField(min_value=1, max_value=12)
    effective_from = serializers.DateField()


class FrequencyEndInput(StrictSerializer):
    effective_to = serializers.DateField()


class MeetingOutput(serializers.ModelSerializer):
    agenda = MaskedTextField(allow_blank=True)
    on_time = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "kind",
            "period_start",
            "due_on",
            "planned_on",
            "held_on",
            "status",
            "on_time",
            "agenda",
            "missed_event",
        ]

    def get_on_time(self, meeting) -> bool | None:
        return None if meeting.held_on is None else meeting.held_on <= meeting.due_on


class MinutesAttachmentOutput(serializers.ModelSerializer):
    name = MaskedTextField()

    class Meta:
        model = MinutesAttachment
        fields = ["id", "name", "content_type", "size", "created_at"]


class MeetingDetailOutput(MeetingOutput):
    minutes = MaskedTextField(allow_blank=True)
    attendance = serializers.SerializerMethodField()
    attachments = MinutesAttachmentOutput(many=True, read_only=True)

    class Meta(MeetingOutput.Meta):
        fields = [*MeetingOutput.Meta.fields, "minutes", "attendance", "attachments"]

    def get_attendance(self, meeting) -> dict:
        return attendance_summary(meeting)


class MeetingInput(StrictSerializer):
    organization = IdField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    planned_on = serializers.DateField()
    agenda = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AttendanceInput(StrictSerializer):
    member = IdField()
    presence = serializers.ChoiceField(choices=Attendance.Presence.choices)


class HoldInput(StrictSerializer):
    held_on = serializers.DateField()
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    attendance = AttendanceInput(many=True, required=False, default=list)


class ElectionOutput(serializers.ModelSerializer):
    candidates = serializers.SerializerMethodField()
    ballots = serializers.IntegerField(source="ballot_count", read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "organization",
            "held_on",
            "seats",
            "term_years",
            "status",
            "entitled",
            "ballots",
            "candidates",
        ]

    def get_candidates(self, election) -> list[dict]:
        closed = election.status == Election.Status.CLOSED
        return [
            {"member": c.member_id, "votes": c.votes if closed else None, "elected": c.elected}
            for c in sorted(election.candidates.all(), key=lambda c: c.pk)
        ]


class ElectionInput(StrictSerializer):
    organization = IdField()
    held_on = serializers.DateField()
    seats = serializers.IntegerField(min_value=1, max_value=9)
    candidates = serializers.ListField(child=IdField(), min_length=1, max_length=30)


class VoteInput(StrictSerializer):
    voter = IdField()
    chosen = serializers.ListField(child=IdField(), max_length=9)
