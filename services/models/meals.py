"""Meal assistance (助餐): canteens and meal points, the subsidy rules per district as dated data,
one meal record per elder per meal period, and each provider's monthly settlement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


def money(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


class MealPoint(Placed):
    """A community canteen (长者食堂) or meal point (助餐点), run by a provider."""

    class Kind(models.TextChoices):
        CANTEEN = "canteen", _("Canteen")
        POINT = "point", _("Meal point")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CANTEEN)
    operator = models.CharField(_("operator"), max_length=100)
    address = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("seats"))
    hours = models.CharField(_("opening hours"), max_length=100)
    price = money(_("price of a meal (yuan)"))
    menu = models.TextField(_("menu"), blank=True, max_length=2000)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("meal point")
        verbose_name_plural = _("meal points")
        indexes = [path_index("svc_meal_point")]

    def __str__(self) -> str:
        return self.name


class MealSubsidyRule(models.Model):
    """What the government pays and the provider discounts for an elder of an age band or a
    status, in a district from a date (the platform default when `district` is empty). Never
    edited once used: end it and add another."""

    class Status(models.TextChoices):
        AGE = "age", _("By age only")
        DIBAO = "registry.dibao", _("Minimum living allowance (低保)")
        TEKUN = "registry.tekun", _("Extreme poverty support (特困)")
        DISABILITY = "registry.disability", _("Disability")

    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.AGE)
    min_age = models.PositiveSmallIntegerField(_("from age"), default=60)
    government_share = money(_("government's part (yuan)"))
    provider_discount = money(_("provider's discount (yuan)"), default=0)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meal subsidy rule")
        verbose_name_plural = _("meal subsidy rules")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.status} {self.min_age}+ {self.government_share}"


class MealPeriod(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


class MealRecord(Placed):
    """One meal served to an elder, priced by the rule in force on its date for the elder's
    status that day. One per elder per meal period: a database constraint, so two concurrent
    records (two terminals, a retry) count once."""

    class Method(models.TextChoices):
        ID_CARD = "id_card", _("On site, by ID card")
        CODE = "code", _("On site, by code")
        DELIVERED = "delivered", _("Delivered")

    point = models.ForeignKey(
        MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="meals"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("elder"), on_delete=models.PROTECT, related_name="+"
    )
    served_on = models.DateField(_("served on"))
    period = models.CharField(_("meal"), max_length=10, choices=MealPeriod.choices)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    price = money(_("price (yuan)"))
    government_share = money(_("government's part (yuan)"))
    provider_discount = money(_("provider's discount (yuan)"))
    elder_pays = money(_("paid by the elder (yuan)"))
    rule = models.ForeignKey(
        MealSubsidyRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The settlement that counted it (its month's, or a later month's as a correction).
    settled_in = models.ForeignKey(
        "services.MealSettlement", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    on_region_move = KeepsRegion("a meal served is a record of where it was served")

    class Meta:
        verbose_name = _("meal record")
        verbose_name_plural = _("meal records")
        indexes = [
            path_index("svc_meal"),
            models.Index(fields=["point", "served_on"], name="svc_meal_point_day_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "served_on", "period"], name="svc_meal_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.served_on} {self.period}"


class MealSettlement(Placed):
    """A provider's (meal point's) settlement for a month: the government's share summed from
    its meal records. Closed once; never changed after (a correction is a line of a later month)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    point = models.ForeignKey(
        MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="settlements"
    )
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    meals = models.PositiveIntegerField(_("meals"), default=0)
    government_total = money(_("government's share (yuan)"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    on_region_move = KeepsRegion("a settlement is an account of what was paid where")

    class Meta:
        verbose_name = _("meal settlement")
        verbose_name_plural = _("meal settlements")
        indexes = [path_index("svc_settlement")]
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="svc_settlement_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.month:%Y-%m}"


class SettlementLine(models.Model):
    """A line of a settlement: the month's meals, or a correction of an earlier, closed month."""

    class Kind(models.TextChoices):
        MEALS = "meals", _("Meals of the month")
        CORRECTION = "correction", _("Correction of an earlier month")

    settlement = models.ForeignKey(MealSettlement, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    meals = models.IntegerField(_("meals"), default=0)
    amount = money(_("amount (yuan)"))
    corrects_month = models.DateField(_("corrects the month"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.settlement_id} {self.kind} {self.amount}"
