"""Party organizations: a tree of their own, each attached to a node of the region tree, with the
officers of its committee and the elections (换届) that choose them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee (党委)")
    GENERAL_BRANCH = "general_branch", _("General branch (党总支)")
    BRANCH = "branch", _("Branch (党支部)")
    GROUP = "group", _("Party group (党小组)")


class Setting(models.TextChoices):
    """Where the organization works: the community itself, or a functional organization in a
    building, a social organization, a company or a market (楼宇党建, 两新组织)."""

    COMMUNITY = "community", _("Community")
    BUILDING = "building", _("Building")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organization")
    COMPANY = "company", _("Company")
    MARKET = "market", _("Market")


class OrganizationQuerySet(RegionScopedQuerySet):
    def active(self):
        return self.filter(dissolved_on__isnull=True)


class Organization(Placed):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    setting = models.CharField(
        _("setting"), max_length=24, choices=Setting.choices, default=Setting.COMMUNITY
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    founded_on = models.DateField(_("founded on"))
    # The end of the current committee's term (set by an election's result); null: none elected yet.
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        indexes = [path_index("pb_organization")]

    def __str__(self) -> str:
        return self.name


class OfficerPost(models.TextChoices):
    SECRETARY = "secretary", _("Secretary (书记)")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary (副书记)")
    COMMITTEE_MEMBER = "committee_member", _("Committee member (委员)")


class OfficerQuerySet(models.QuerySet):
    def current(self, on):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class Officer(models.Model):
    """A member's post on an organization's committee for a term; a past term stays as history."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("party organization"), on_delete=models.PROTECT, related_name="officers"
    )
    member = models.ForeignKey(
        "party_building.Member", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("post"), max_length=20, choices=OfficerPost.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    election = models.ForeignKey(
        "party_building.Election", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")

    def __str__(self) -> str:
        return f"{self.post} {self.starts_on}"


class Election(Placed):
    """An organization's 换届: candidates, one ballot per full member, then the result."""

    class Status(models.TextChoices):
        OPEN = "open", _("Voting")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, verbose_name=_("party organization"), on_delete=models.PROTECT, related_name="elections"
    )
    held_on = models.DateField(_("held on"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    entitled = models.PositiveIntegerField(_("full members entitled to vote"), default=0)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        indexes = [path_index("pb_election")]


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey("party_building.Member", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("votes"), default=0)
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="pb_candidate_once")]

    def __str__(self) -> str:
        return f"{self.election_id}:{self.member_id}"


class Ballot(models.Model):
    """Who voted (once) and for whom; a probationary member has no vote (党章 art. 7)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey("party_building.Member", on_delete=models.PROTECT, related_name="+")
    chosen = models.ManyToManyField(Candidate, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "voter"], name="pb_ballot_once")]

    def __str__(self) -> str:
        return f"{self.election_id}:{self.voter_id}"
