"""议事协商: a topic raised in a community, discussed, met on and voted on, with its decision and
follow-up work as workflow events.

The vote is secret by construction: who took part (VoteParticipation, unique per household or
per voter) and what was chosen (Ballot: a random id, no voter, no time of its own) are two
tables written in one transaction with nothing linking them; the voter keeps the ballot's receipt
code, and after the close the codes counted are published without the choices.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class TopicQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        """A resident sees the topics of the community they live in."""
        from core.regions.paths import community_path
        from core.registry.models import Resident

        paths = {
            community_path(path)
            for path in Resident.objects.filter(pk__in=resident_ids).values_list("region_path", flat=True)
        }
        paths.discard(None)
        return self.under(*paths) if paths else self.none()


class Topic(Placed):
    """A matter of the community put up for deliberation (placed at the community)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for discussion")
        VOTING = "voting", _("Being voted on")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    class Electorate(models.TextChoices):
        HOUSEHOLD = "household", _("One vote per household")
        ADULT = "adult", _("One vote per resident aged 18 or over")

    class Reach(models.TextChoices):
        COMMUNITY = "community", _("The whole community")
        BUILDING = "building", _("One building")

    class Threshold(models.TextChoices):
        SIMPLE = "simple", _("Simple majority")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")
        NO_QUORUM = "no_quorum", _("Quorum not reached")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("official answer"), blank=True)
    electorate = models.CharField(
        _("who votes"), max_length=16, choices=Electorate.choices, default=Electorate.HOUSEHOLD
    )
    reach = models.CharField(_("reach"), max_length=16, choices=Reach.choices, default=Reach.COMMUNITY)
    building = models.ForeignKey(
        "registry.Building", verbose_name=_("building"), null=True, blank=True, on_delete=models.PROTECT
    )
    threshold = models.CharField(
        _("threshold"), max_length=16, choices=Threshold.choices, default=Threshold.SIMPLE
    )
    # Percent of the electorate that must take part for the vote to count.
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (%)"), default=50)
    vote_closes_at = models.DateTimeField(_("vote closes at"), null=True, blank=True)
    vote_closed_at = models.DateTimeField(_("vote closed at"), null=True, blank=True)
    # Written once, at the close: before it no count exists anywhere but in the ballots.
    electorate_size = models.PositiveIntegerField(_("electorate"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstain"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    objects = TopicQuerySet.as_manager()
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("deliberation topic")
        verbose_name_plural = _("deliberation topics")
        indexes = [path_index("gov_topic")]

    def __str__(self) -> str:
        return self.title


class TopicFollower(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="gov_topic_follower_unique")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class TopicComment(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Meeting(models.Model):
    """A deliberation meeting (议事会) on a topic: agenda before, attendance and minutes after."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "resident"], name="gov_meeting_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class VoteParticipation(models.Model):
    """That a household (or a voter) took part: never what it chose. `voter_key` is
    "household:<id>" or "resident:<id>", so the database refuses a second vote of either kind."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="participations")
    voter_key = models.CharField(max_length=40)
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "voter_key"], name="gov_vote_once_per_voter")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Ballot(models.Model):
    """A choice, with a random id and the receipt code its voter holds; no voter, no timestamp."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    receipt = models.CharField(max_length=16, unique=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class TopicFollowUp(models.Model):
    """The decision's follow-up work: a workflow event whose progress the topic shows."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follow_ups")
    event = models.OneToOneField("workflow.Event", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
