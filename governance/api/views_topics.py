"""Deliberation topics: /api/v1/governance/topics/ (议事协商).

Residents see and take part in the topics of the community they live in (as their own); staff
within their scope. The tally answers 409 until the vote closes, to everyone alike.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.viewsets import ResourceViewSet
from governance import deliberation as d
from governance.api import serializers as s
from governance.contributions import DISCUSS, DISCUSS_OWN, MANAGE, RAISE, TAKE_PART_OWN, VIEW, VIEW_OWN
from governance.filters import TopicFilter
from governance.models import Topic
from governance.people import record_in

READ = (VIEW, VIEW_OWN)


@extend_schema(tags=["governance"])
class TopicViewSet(ResourceViewSet):
    queryset = Topic.objects.all()
    output_serializer = s.TopicOutput
    filterset_class = TopicFilter
    lookup_value_regex = r"\d+"
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "tally": READ,
        "create": (RAISE,),
        "comments": (DISCUSS, DISCUSS_OWN),
        "vote": (TAKE_PART_OWN,),
        "*": (MANAGE,),
    }

    def is_own(self, obj, scope) -> bool:
        return record_in(self.request.user, obj.region_path) is not None

    def retrieve(self, request, *args, **kwargs):
        topic = self.get_object()
        return self.out(topic, serializer=s.TopicDetailOutput)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            return queryset.prefetch_related("follow_ups__event")
        return queryset

    @extend_schema(request=s.TopicInput, responses={201: s.TopicOutput})
    def create(self, request):
        topic = d.topic_raise(actor=request.user, request=request, **self.parse(s.TopicInput))
        return self.out(topic, status=201)

    @extend_schema(request=s.CommentInput, responses={201: s.CommentOutput})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        comment = d.comment_add(
            actor=request.user, topic=self.get_object(), request=request, **self.parse(s.CommentInput)
        )
        return self.out(comment, serializer=s.CommentOutput, status=201)

    @extend_schema(request=s.MeetingInput, responses={201: s.MeetingOutput})
    @action(detail=True, methods=["post"])
    def meetings(self, request, pk=None):
        meeting = d.meeting_hold(
            actor=request.user, topic=self.get_object(), request=request, **self.parse(s.MeetingInput)
        )
        return self.out(meeting, serializer=s.MeetingOutput, status=201)

    @extend_schema(request=s.AnswerInput, responses=s.TopicOutput)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self.out(
            d.topic_answer(
                actor=request.user, topic=self.get_object(), request=request, **self.parse(s.AnswerInput)
            )
        )

    @extend_schema(request=s.VoteOpenInput, responses=s.TopicOutput)
    @action(detail=True, methods=["post"], url_path="open-vote")
    def open_vote(self, request, pk=None):
        return self.out(
            d.vote_open(
                actor=request.user, topic=self.get_object(), request=request, **self.parse(s.VoteOpenInput)
            )
        )

    @extend_schema(request=s.BallotInput, responses={201: s.ReceiptOutput})
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        receipt = d.topic_vote(
            actor=request.user, topic=self.get_object(), request=request, **self.parse(s.BallotInput)
        )
        return self.out({"receipt": receipt}, serializer=s.ReceiptOutput, status=201)

    @extend_schema(request=None, responses=s.TopicOutput)
    @action(detail=True, methods=["post"], url_path="close-vote")
    def close_vote(self, request, pk=None):
        return self.out(d.vote_close(actor=request.user, topic=self.get_object(), request=request))

    @extend_schema(responses=s.TallyOutput)
    @action(detail=True, methods=["get"])
    def tally(self, request, pk=None):
        return self.out(d.topic_tally(self.get_object()), serializer=s.TallyOutput)

    @extend_schema(request=s.DecisionInput, responses=s.TopicOutput)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.out(
            d.topic_decide(
                actor=request.user, topic=self.get_object(), request=request, **self.parse(s.DecisionInput)
            )
        )

    @extend_schema(request=s.FollowUpInput, responses={201: s.TopicDetailOutput})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None):
        topic = self.get_object()
        d.follow_up_open(actor=request.user, topic=topic, request=request, **self.parse(s.FollowUpInput))
        return self.out(self.get_object(), serializer=s.TopicDetailOutput, status=201)
