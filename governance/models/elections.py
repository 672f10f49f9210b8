"""村（居）民委员会换届: an election of a community's committee under the law its kind follows
(村民委员会组织法 for a village, 城市居民委员会组织法 for an urban community), with the province's
rules as dated data (ElectionRules: never edited once used; end one, add another)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class ElectionRules(models.Model):
    """A province's rules for committee elections, from a date (dated data)."""

    province = models.CharField(_("province"), max_length=50)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    roll_days_before = models.PositiveSmallIntegerField(default=20)
    objection_days = models.PositiveSmallIntegerField(default=5)
    objection_decide_days = models.PositiveSmallIntegerField(default=3)
    proxy_cap = models.PositiveSmallIntegerField(default=3)
    # Non-registered residents may be added after this many years of living there.
    resident_years = models.PositiveSmallIntegerField(default=1)
    # Candidate conditions: keys of governance.elections.CANDIDATE_CONDITIONS required here.
    candidate_conditions = models.JSONField(default=list)
    # Relations (registry Resident.Relation values) counting as near relatives for proxies.
    near_relatives = models.JSONField(default=list)
    # The further round (另行选举) for seats the first round left empty (村民委员会组织法 art. 15):
    # a candidate is elected with at least this share of the votes cast (1/3 by default), and the
    # round has this many candidates per empty seat, the not-elected with the most votes (all of
    # them when fewer remain).
    further_share_numerator = models.PositiveSmallIntegerField(default=1)
    further_share_denominator = models.PositiveSmallIntegerField(default=3)
    further_candidates_per_seat = models.PositiveSmallIntegerField(default=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=Q(ends_on__isnull=True), name="gov_rules_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Election(Placed):
    class Law(models.TextChoices):
        VILLAGE = "village", _("Organic Law of Village Committees")
        URBAN = "urban", _("Organic Law of Urban Residents' Committees")

    class Method(models.TextChoices):
        ALL_RESIDENTS = "all", _("By all voters")
        HOUSEHOLD_REPRESENTATIVES = "households", _("By household representatives")
        GROUP_REPRESENTATIVES = "groups", _("By residents' group representatives")

    class Status(models.TextChoices):
        ROLL = "roll", _("Voter roll")
        CANDIDATES = "candidates", _("Candidates")
        VOTING = "voting", _("Voting")
        FURTHER_ROUND = "further", _("Further round for empty seats")
        VALID = "valid", _("Result valid")
        INVALID = "invalid", _("Fewer than half the voters voted")

    rules = models.ForeignKey(ElectionRules, on_delete=models.PROTECT, related_name="+")
    law = models.CharField(max_length=8, choices=Law.choices)
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.ALL_RESIDENTS)
    term_year = models.PositiveSmallIntegerField(_("term year"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    announced_on = models.DateField(_("announced on"))
    roll_published_on = models.DateField(_("roll published on"), null=True, blank=True)
    voting_day = models.DateField(_("voting day"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ROLL)
    ballots_cast = models.PositiveIntegerField(null=True, blank=True)
    # The further round (另行选举): its seats, the ballots cast in it and whether it was valid.
    further_seats = models.PositiveSmallIntegerField(null=True, blank=True)
    further_cast = models.PositiveIntegerField(null=True, blank=True)
    further_valid = models.BooleanField(null=True, blank=True)
    # The day the result became final: every seat filled in the first round, or the further
    # round counted. The new committee takes over only then.
    result_final_on = models.DateField(_("result final on"), null=True, blank=True)
    # The handover (交接): when the new committee's roles were granted and the old ones ended, and
    # what was done ({"granted": [[candidate, user, assignment]], "pending": [candidate],
    # "ended": [assignment]}), answered again to a second call.
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handover = models.JSONField(default=dict, blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("committee election")
        verbose_name_plural = _("committee elections")
        indexes = [path_index("gov_election")]
        constraints = [
            models.UniqueConstraint(fields=["region", "term_year"], name="gov_one_election_per_term")
        ]


class RollEntry(models.Model):
    """A voter on an election's roll. A person is on one roll per term (the database says so)."""

    class Basis(models.TextChoices):
        REGISTERED = "registered", _("Registered (户籍) resident aged 18+")
        LIVING_HERE = "living_here", _("Lived here a year or more, applied and approved")

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="roll")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    term_year = models.PositiveSmallIntegerField()
    basis = models.CharField(max_length=12, choices=Basis.choices)
    # Living away: whether they declared they will vote (None: not asked / not away).
    away_will_vote = models.BooleanField(null=True, blank=True)
    approved_by_meeting = models.CharField(max_length=200, blank=True)
    removed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "term_year"], condition=Q(removed=False), name="gov_one_roll_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class RollObjection(models.Model):
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="objections")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField()
    content = models.TextField()
    decided_on = models.DateField(null=True, blank=True)
    upheld = models.BooleanField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Candidate(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ACCEPTED = "accepted", _("Passed the joint review")
        REJECTED = "rejected", _("Failed a condition")
        ELECTED = "elected", _("Elected")
        NOT_ELECTED = "not_elected", _("Not elected")
        FURTHER = "further", _("Candidate in the further round")

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="candidates")
    entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOMINATED)
    # {condition key: {"met": bool, "note": str}} as the joint review (联审) found.
    review = models.JSONField(default=dict, blank=True)
    reviewed_by = models.JSONField(_("joint review offices"), default=list, blank=True)
    votes = models.PositiveIntegerField(null=True, blank=True)
    # Chosen for the further round (另行选举), and the votes it got there.
    in_further_round = models.BooleanField(default=False)
    further_votes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "entry"], name="gov_candidate_once")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Proxy(models.Model):
    """A written authorization: `principal` (away) lets `proxy`, a near relative on the same
    roll, vote for them. One proxy per principal; a proxy holds at most the rules' cap."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="proxies")
    principal = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="+")
    proxy = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=16)
    authorization_ref = models.CharField(_("written authorization"), max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal"], name="gov_one_proxy_per_principal")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class BoxCount(models.Model):
    """A ballot box's public count, entered twice (entry 1 and 2, by different people) and compared;
    round 2 is the further round (另行选举)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="counts")
    round = models.PositiveSmallIntegerField(default=1)
    box = models.CharField(max_length=20)
    entry = models.PositiveSmallIntegerField()
    ballots = models.PositiveIntegerField()
    # {candidate id: votes}
    votes = models.JSONField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "round", "box", "entry"], name="gov_box_count_round_entry"
            ),
            models.CheckConstraint(condition=Q(entry__in=[1, 2]), name="gov_box_count_entry_1_2"),
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
