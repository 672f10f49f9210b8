from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion

LEVELS = ("blue", "yellow", "orange", "red")


class WeatherWarning(Placed):
    """A weather warning for a region (a district, street or community), entered by staff or
    pushed by the weather service's signed feed, valid until its end."""

    class Kind(models.TextChoices):
        COLD = "cold", _("Cold wave (寒潮)")
        HEAT = "heat", _("Heat (高温)")
        STORM = "storm", _("Rainstorm or typhoon")

    class Level(models.TextChoices):
        BLUE = "blue", _("Blue")
        YELLOW = "yellow", _("Yellow")
        ORANGE = "orange", _("Orange")
        RED = "red", _("Red")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    source = models.CharField(_("source"), max_length=16)  # "staff" or "feed"
    reference = models.CharField(_("feed's warning number"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.ACTIVE)
    settings_versions = models.JSONField(_("settings versions"), default=list)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    on_region_move = KeepsRegion("a warning was issued for a region as it was")

    class Meta:
        verbose_name = _("weather warning")
        verbose_name_plural = _("weather warnings")
        indexes = [path_index("weather_warning")]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="weather_warning_ref_once"
            )
        ]


class CareVisit(Placed):
    """A vulnerable resident to reach while a warning runs (or a patrol for rough sleepers)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Care visit")
        PATROL = "patrol", _("Patrol for rough sleepers")

    warning = models.ForeignKey(
        WeatherWarning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="visits"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VISIT)
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    tags = models.CharField(_("why"), max_length=200, blank=True)
    event = models.ForeignKey(
        "workflow.Event", verbose_name=_("event"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    on_region_move = FollowsRegion(current=Q(reached_at__isnull=True))

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        indexes = [path_index("weather_visit")]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "resident"], condition=Q(resident__isnull=False), name="weather_visit_once"
            )
        ]
