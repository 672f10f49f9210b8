"""Summary tables: each declared metric's value at every node of the region tree, kept up to
date incrementally (core.dashboards.summaries), and a daily snapshot of each for time series."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placement import KeepsRegion

AMOUNT = {"max_digits": 24, "decimal_places": 4, "default": 0}


class Indicator(models.Model):
    """One metric (and one breakdown `part`, "" for the metric itself) at one node.

    `value`, `denominator` and `histogram` are the node's whole subtree: a sum, a ratio's two
    sums, or a histogram's counts (docs/dashboards.md). The `own_` columns are the rows placed at
    the node itself, so a refresh of one community changes its ancestors by the difference alone,
    without reading what lies under their other children. `as_of`: when the base tables were
    last read for it (it was true then)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    region_path = models.CharField(max_length=255)
    metric = models.CharField(max_length=64)
    part = models.CharField(max_length=64, blank=True, default="")
    own_value = models.DecimalField(**AMOUNT)
    own_denominator = models.DecimalField(**AMOUNT)
    own_histogram = models.JSONField(default=list, blank=True)
    value = models.DecimalField(**AMOUNT)
    denominator = models.DecimalField(**AMOUNT)
    histogram = models.JSONField(default=list, blank=True)
    as_of = models.DateTimeField(_("as of"))

    # When the tree changes, sums above the moved node are wrong wherever the rows go: the
    # rebuild (rebuild_dashboards) recomputes every node and corrects the paths it keeps.
    on_region_move = KeepsRegion("a summary of the tree as it was; rebuild_dashboards recomputes it")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["region", "metric", "part"], name="indicator_unique_cell"),
        ]
        indexes = [
            models.Index(
                fields=["region_path"], name="indicator_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric}{'/' + self.part if self.part else ''} @ {self.region_path}"


class IndicatorSnapshot(models.Model):
    """A metric's value (part "" only) at one node at the end of one day: the time series."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=64)
    day = models.DateField()
    value = models.DecimalField(**AMOUNT)
    denominator = models.DecimalField(**AMOUNT)
    histogram = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(fields=["region", "metric", "day"], name="indicator_snapshot_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} @ {self.region_id} on {self.day}"
