"""Assistance standards as data: per county-level region (or the platform default), urban or
rural, with effective dates, so 2021's 742 yuan and later years' values coexist and an
application is checked against the one in force on its date."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placement import FollowsRegion


class StandardQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class AssistanceStandard(models.Model):
    class Kind(models.TextChoices):
        DIBAO = "dibao", _("Minimum living allowance (低保)")
        TEKUN = "tekun", _("Extreme poverty support (特困)")
        TEMPORARY = "temporary", _("Temporary assistance (临时救助)")
        DISABILITY_LIVING = "disability_living", _("Living subsidy for disabled people in difficulty")
        DISABILITY_CARE = "disability_care", _("Care subsidy for severely disabled people")
        LONGEVITY = "longevity", _("Longevity allowance (高龄津贴)")
        ORPHAN = "orphan", _("Orphan allowance")
        UNATTENDED_CHILD = "unattended_child", _("Allowance for de-facto unattended children")

    class Area(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")
        ANY = "any", _("Urban and rural")

    # A district or county; empty for the platform's default where no region sets its own.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district or county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_path = models.CharField(_("region path"), max_length=255, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    area = models.CharField(_("area"), max_length=8, choices=Area.choices, default=Area.ANY)
    amount = models.DecimalField(_("amount (yuan per month)"), max_digits=9, decimal_places=2)
    # Kind-specific figures (asset limit in months of the standard, low-income factor, age bands …).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source (document)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StandardQuerySet.as_manager()

    # A standard belongs to its district, wherever the district sits.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("assistance standard")
        verbose_name_plural = _("assistance standards")
        ordering = ["kind", "region_path", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "area", "effective_from"], name="standard_unique_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="standard_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="standard_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.effective_from})"
