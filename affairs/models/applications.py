"""Applications: one per household and item, carried by one event of the dispatch engine (its
steps are that event's transitions, its deadline the item's limit for the whole application)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet

MAX_MONEY = 10_000_000  # yuan: anything above is a typing error, not a household's figure


def money(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MONEY)],
        **kwargs,
    )


class Stage(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INVESTIGATION = "investigation", _("Home investigation")
    REVIEW = "review", _("Review")
    PUBLICITY = "publicity", _("Publicity")
    CONFIRMATION = "confirmation", _("Confirmation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def living_households(resident_ids):
    """The households these residents live in now (a member who moved out or died no longer
    sees the household's affairs, only their own)."""
    from core.registry.models import Resident

    return Resident.objects.filter(
        id__in=resident_ids, household__isnull=False, status=Resident.Status.ACTIVE
    ).values("household_id")


class ApplicationQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        households = living_households(resident_ids)
        return self.filter(Q(applicant_id__in=resident_ids) | Q(household_id__in=households))

    def open(self):
        return self.exclude(stage__in=[Stage.APPROVED, Stage.REJECTED, Stage.WITHDRAWN])


class Application(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COUNTER = "counter", _("At the counter")

    class Area(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    item = models.ForeignKey(
        "affairs.ServiceItem", verbose_name=_("service item"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.OneToOneField(
        "workflow.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="application"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "registry.Resident", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    # The grid of the household's residence; its path scopes the application.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False, db_index=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.SUBMITTED)
    applied_on = models.DateField(_("applied on"))
    area = models.CharField(_("area"), max_length=8, choices=Area.choices, default=Area.URBAN)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Who filed it: the resident, or a worker on their behalf (代办), which is recorded.
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("filed by a worker on the resident's behalf"), default=False)
    notify_channel = models.CharField(_("notify the applicant by"), max_length=16, default="in_app")

    # Declared by the household and kept with the application.
    financial_assets = money(_("financial assets (yuan)"), default=0)
    vehicles = models.PositiveSmallIntegerField(
        _("non-essential vehicles"), default=0, validators=[MaxValueValidator(50)]
    )
    extra_houses = models.PositiveSmallIntegerField(
        _("houses beyond the one lived in"), default=0, validators=[MaxValueValidator(50)]
    )
    details = models.JSONField(_("item details"), default=dict, blank=True)

    # What the eligibility check found (standard used, per-capita income, reasons, amount).
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    monthly_amount = money(_("monthly amount (yuan)"), null=True, blank=True)
    one_off_amount = money(_("one-off amount (yuan)"), null=True, blank=True)

    # 补正: everything missing, listed at once (一次性告知); empty when nothing is awaited.
    missing = models.JSONField(_("missing materials"), default=list, blank=True)
    returned_from = models.CharField(_("returned at stage"), max_length=16, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publicity_starts_on = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity until"), null=True, blank=True)
    decision_note = models.CharField(_("reason of the decision"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    working_days_taken = models.PositiveSmallIntegerField(
        _("working days to decision"), null=True, blank=True
    )
    on_time = models.BooleanField(_("decided on time"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    # An open application follows its grid; a decided or withdrawn one keeps its historic path.
    on_region_move = FollowsRegion(current="open")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            path_index("application"),
            path_index("application", "created_at", name="application_path_created_idx"),
            models.Index(fields=["item", "stage"], name="application_item_stage_idx"),
            # The list filtered by stage (`stage=review`: what waits for a reviewer), region by
            # region in list order (core.regions.scoping.per_region_top): stage and path are
            # equalities, so the first page is read off the index in order.
            models.Index(
                fields=["stage", "region_path", "created_at", "id"],
                name="application_stage_path_idx",
                opclasses=["text_ops", "varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
            ),
        ]
        constraints = [
            # One open application per household and item: a second is a duplicate, not new work.
            models.UniqueConstraint(
                fields=["household", "item"],
                condition=~Q(stage__in=["approved", "rejected", "withdrawn"]),
                name="application_one_open_per_household_item",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.item_id}"


class ApplicationMember(models.Model):
    """A household member as declared on the application: income, and what the rules ask."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    covered = models.BooleanField(_("covered by the application"), default=True)
    monthly_income = money(_("monthly income (yuan)"), default=0)
    able_to_work = models.BooleanField(_("able to work"), default=False)
    seriously_ill = models.BooleanField(_("seriously ill"), default=False)
    severely_disabled = models.BooleanField(_("severely disabled"), default=False)

    class Meta:
        verbose_name = _("declared member")
        verbose_name_plural = _("declared members")
        constraints = [
            models.UniqueConstraint(fields=["application", "resident"], name="application_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.resident_id}"


class Objection(models.Model):
    """An objection raised during publicity (公示), and how it was settled."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("content"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.TextField(_("how it was settled"), blank=True, max_length=2000)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.content[:30]}"
