"""Hazard inspections: checklists as data (items with dates, never edited once used), rounds at a
house or a named place (a compound, one of the 九小场所 shops), findings that open rectification
events, and re-inspections that close or reopen them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion
from core.regions.scoping import RegionScopedQuerySet


class HazardKind(models.TextChoices):
    FIRE = "fire", _("Fire safety")
    GAS = "gas", _("Gas")
    EBIKE = "ebike", _("Electric bikes charged indoors")
    WIRING = "wiring", _("Aging wiring")
    EXITS = "exits", _("Blocked exits")
    FALLING = "falling", _("Falling objects")


class PlaceKind(models.TextChoices):
    HOUSE = "house", _("House")
    COMPOUND = "compound", _("Compound")
    SHOP = "shop", _("Small shop or venue (九小场所)")


class Severity(models.TextChoices):
    LOW = "low", _("Minor")
    MEDIUM = "medium", _("Moderate")
    HIGH = "high", _("Serious")
    CRITICAL = "critical", _("Major hazard")


class ChecklistItem(models.Model):
    """One thing to check for a kind of hazard. Not edited once in force: end it, add another."""

    kind = models.CharField(_("kind"), max_length=20, choices=HazardKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("text"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(effective_to__isnull=True), name="safety_checklist_one_current"
            )
        ]

    def __str__(self) -> str:
        return self.text


class InspectionRound(Placed):
    """One visit to one place (a house, or a named compound or shop in a grid) for one kind."""

    kind = models.CharField(_("kind"), max_length=20, choices=HazardKind.choices)
    place_kind = models.CharField(_("place"), max_length=20, choices=PlaceKind.choices)
    house = models.ForeignKey(
        "registry.House", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place_name = models.CharField(_("place name"), max_length=120, blank=True)
    # What identifies the place across rounds (repeated findings are counted by it).
    place_key = models.CharField(max_length=160, db_index=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("inspected on"))

    on_region_move = KeepsRegion("an inspection records where it was made")

    class Meta:
        indexes = [path_index("safety_round")]


class FindingQuerySet(RegionScopedQuerySet):
    def open(self):
        return self.exclude(status=Finding.Status.RECTIFIED)


class Finding(Placed):
    """A hazard found in a round; its rectification is an event with a deadline by severity."""

    class Status(models.TextChoices):
        OPEN = "open", _("To rectify")
        RECTIFIED = "rectified", _("Rectified")
        REOPENED = "reopened", _("Not rectified at re-inspection")

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=HazardKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    note = models.TextField(_("note"), blank=True)
    place_key = models.CharField(max_length=160, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    deadline = models.DateTimeField(_("deadline"))
    event = models.ForeignKey("workflow.Event", on_delete=models.PROTECT, related_name="+")
    # The place had findings in other rounds within the year before: flagged for attention.
    repeat = models.BooleanField(_("repeated at this place"), default=False)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    reinspections = models.PositiveIntegerField(default=0)

    objects = FindingQuerySet.as_manager()
    on_region_move = FollowsRegion(current="open")

    class Meta:
        indexes = [path_index("safety_finding")]
