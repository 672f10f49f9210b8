"""社区减负: what upstream offices ask communities to report, each field mapped to platform data
(a register column or a declared dashboard metric), so the report is generated, not typed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import KeepsRegion


class UpstreamForm(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        ONCE = "once", _("Once")

    office = models.CharField(_("office"), max_length=100)
    name = models.CharField(_("form"), max_length=200)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    period = models.CharField(_("period"), max_length=20)  # "2026-11", "2026Q4", "2026"
    # Set when another form asks for the same fields for the same period.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class FormField(models.Model):
    class Source(models.TextChoices):
        REGISTER = "register", _("A register column")
        METRIC = "metric", _("A dashboard metric")

    form = models.ForeignKey(UpstreamForm, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    source = models.CharField(max_length=12, choices=Source.choices)
    # register: a key of governance.burden.REGISTER_COLUMNS; metric: a DashboardMetric key.
    key = models.CharField(max_length=100)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["form", "position"], name="gov_form_field_position")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class FormReport(Placed):
    """A report generated for a community: the values as computed, and how many fields that was."""

    form = models.ForeignKey(UpstreamForm, on_delete=models.PROTECT, related_name="reports")
    values = models.JSONField()
    fields_generated = models.PositiveIntegerField()
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    on_region_move = KeepsRegion("a report as sent")

    class Meta:
        indexes = [path_index("gov_form_report")]
