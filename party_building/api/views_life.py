"""Organizational life: /api/v1/party-building/frequencies/, /meetings/, /elections/

A frequency is configuration with dates: PATCH only ends it. A meeting is created by planning it
(the slot of its period) and held with its attendance; an election is opened with its candidates,
takes one ballot per full member and is closed to count."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser

from core.api.errors import NotFound
from core.api.files import DOWNLOAD_RESPONSES, UPLOAD_REQUEST, download, the_upload
from core.api.viewsets import ResourceViewSet
from party_building import elections, life, minutes
from party_building.api import serializers_life as s
from party_building.api.views import READ, WRITE
from party_building.contributions import VIEW
from party_building.filters import ElectionFilter, MeetingFilter
from party_building.models import Ballot, Election, Meeting, MeetingFrequency


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.FrequencyOutput),
    retrieve=extend_schema(responses=s.FrequencyOutput),
    create=extend_schema(request=s.FrequencyInput, responses={201: s.FrequencyOutput}),
    partial_update=extend_schema(request=s.FrequencyEndInput, responses=s.FrequencyOutput),
)
class FrequencyViewSet(ResourceViewSet):
    queryset = MeetingFrequency.objects.all()
    output_serializer = s.FrequencyOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self):
        return MeetingFrequency.objects.visible_to(self.request.user, VIEW)

    def create(self, request):
        row = life.frequency_add(actor=request.user, request=request, **self.parse(s.FrequencyInput))
        return self.out(row, status=201)

    def partial_update(self, request, pk=None):
        row = life.frequency_end(
            actor=request.user,
            frequency=self.get_object(),
            request=request,
            **self.parse(s.FrequencyEndInput),
        )
        return self.out(row)


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.MeetingOutput),
    retrieve=extend_schema(responses=s.MeetingDetailOutput),
    create=extend_schema(request=s.MeetingInput, responses={201: s.MeetingDetailOutput}),
)
class MeetingViewSet(ResourceViewSet):
    queryset = Meeting.objects.all()
    output_serializer = s.MeetingOutput
    filterset_class = MeetingFilter
    lookup_value_regex = r"\d+"
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "hold": WRITE,
        "attachments": WRITE,
        "attachment": READ,
    }

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user, VIEW).select_related("organization")

    def retrieve(self, request, pk=None):
        return self.out(self.get_object(), serializer=s.MeetingDetailOutput)

    def create(self, request):
        meeting = life.meeting_plan(actor=request.user, request=request, **self.parse(s.MeetingInput))
        return self.out(meeting, serializer=s.MeetingDetailOutput, status=201)

    @extend_schema(request=s.HoldInput, responses=s.MeetingDetailOutput)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """The meeting was held: its date, minutes and attendance."""
        data = self.parse(s.HoldInput)
        data["attendance"] = [dict(row) for row in data["attendance"]]
        meeting = life.meeting_hold(actor=request.user, meeting=self.get_object(), request=request, **data)
        return self.out(meeting, serializer=s.MeetingDetailOutput)

    @extend_schema(
        request=UPLOAD_REQUEST,
        responses={201: s.MinutesAttachmentOutput},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Attach a scan or photo of the minutes (JPEG, PNG, WebP or PDF, 10 MB, 20 a meeting)."""
        meeting = self.get_object()
        upload = the_upload(request)
        attachment = minutes.minutes_attach(
            actor=request.user, meeting=meeting, upload=upload, request=request
        )
        return self.out(attachment, serializer=s.MinutesAttachmentOutput, status=201)

    @extend_schema(responses=DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        """Download one attachment of the minutes (audited)."""
        found = self.get_object().attachments.filter(pk=attachment_id).first()
        if found is None:
            raise NotFound()
        return download(minutes.minutes_open(actor=request.user, attachment=found, request=request), found)


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.ElectionOutput),
    retrieve=extend_schema(responses=s.ElectionOutput),
    create=extend_schema(request=s.ElectionInput, responses={201: s.ElectionOutput}),
)
class ElectionViewSet(ResourceViewSet):
    queryset = Election.objects.all()
    output_serializer = s.ElectionOutput
    filterset_class = ElectionFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "vote": WRITE, "close": WRITE}

    def get_queryset(self):
        ballots = Ballot.objects.filter(election=OuterRef("pk")).order_by().values("election")
        return (
            Election.objects.visible_to(self.request.user, VIEW)
            .annotate(ballot_count=Coalesce(Subquery(ballots.annotate(n=Count("id")).values("n")), 0))
            .prefetch_related("candidates")
        )

    def create(self, request):
        election = elections.election_open(actor=request.user, request=request, **self.parse(s.ElectionInput))
        return self.out(self.get_queryset().get(pk=election.pk), status=201)

    @extend_schema(request=s.VoteInput, responses=s.ElectionOutput)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Record one full member's ballot (a probationary member's is refused)."""
        election = self.get_object()
        elections.election_vote(
            actor=request.user, election=election, request=request, **self.parse(s.VoteInput)
        )
        return self.out(self.get_queryset().get(pk=election.pk))

    @extend_schema(request=None, responses=s.ElectionOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Count the ballots: the elected take the committee's posts for the new term."""
        election = elections.election_close(actor=request.user, election=self.get_object(), request=request)
        return self.out(self.get_queryset().get(pk=election.pk))
