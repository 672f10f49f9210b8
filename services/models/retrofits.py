"""Aging adaptation (适老化改造, 一户一方案): one plan per household at a time, carried by one event
whose steps are its stages (assessment → plan → works → acceptance → subsidy), so an overdue
stage escalates like any event; whether a household may be subsidized again is a dated rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class RetrofitStageName(models.TextChoices):
    ASSESSMENT = "assessment", _("Home assessment")
    PLAN = "plan", _("Plan with items and costs")
    WORKS = "works", _("Works")
    ACCEPTANCE = "acceptance", _("Acceptance")
    SUBSIDY = "subsidy", _("Subsidy")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STAGES = ("done", "cancelled")


class Retrofit(Placed):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.OneToOneField(
        "workflow.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="retrofit"
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=RetrofitStageName.choices, default=RetrofitStageName.ASSESSMENT
    )
    checklist = models.JSONField(_("assessment checklist"), default=dict, blank=True)
    items = models.JSONField(_("plan items"), default=list, blank=True)
    total_cost = models.DecimalField(_("total cost (yuan)"), max_digits=10, decimal_places=2, default=0)
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=10, decimal_places=2, default=0)
    subsidized_on = models.DateField(_("subsidized on"), null=True, blank=True)

    on_region_move = FollowsRegion(current=~Q(stage__in=CLOSED_STAGES))

    class Meta:
        verbose_name = _("aging adaptation")
        verbose_name_plural = _("aging adaptations")
        indexes = [path_index("svc_retrofit")]
        constraints = [
            # 一户一方案: one open plan per household at a time.
            models.UniqueConstraint(
                fields=["household"],
                condition=~Q(stage__in=CLOSED_STAGES),
                name="svc_retrofit_one_open_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"retrofit #{self.pk}"


class RetrofitStage(models.Model):
    """A stage signed off: who, when, what was found or done, and its photos (the event's
    attachments labelled with the stage)."""

    retrofit = models.ForeignKey(Retrofit, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=12, choices=RetrofitStageName.choices)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("stage signed off")
        verbose_name_plural = _("stages signed off")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.retrofit_id}:{self.stage}"


class ResubsidyRule(models.Model):
    """After a subsidized retrofit, how many years until the household may be subsidized again,
    in a district from a date (the platform default when `district` is empty)."""

    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    years_between = models.PositiveSmallIntegerField(_("years before another subsidy"))
    max_subsidy = models.DecimalField(_("subsidy cap (yuan)"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("re-subsidy rule")
        verbose_name_plural = _("re-subsidy rules")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.years_between}y from {self.effective_from}"
