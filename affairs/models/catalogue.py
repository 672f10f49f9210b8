"""The service-item catalogue (事项清单): what can be applied for, with which materials, at which
levels it is received, reviewed and confirmed, and in how many working days."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.models import Region


class ServiceItem(models.Model):
    class Category(models.TextChoices):
        SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
        DISABILITY = "disability", _("Disability")
        ELDERLY = "elderly", _("Elderly")
        MINORS = "minors", _("Minors")
        CERTIFICATE = "certificate", _("Certificates")
        OTHER = "other", _("Other")

    class Channels(models.TextChoices):
        ONLINE = "online", _("Online only")
        COUNTER = "counter", _("At the counter only")
        BOTH = "both", _("Online or at the counter")

    class Reach(models.TextChoices):
        LOCAL = "local", _("Where the household lives")
        CROSS_DISTRICT = "cross_district", _("Across districts in the city")
        CROSS_PROVINCE = "cross_province", _("Across provinces (跨省通办)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # Which level receives (受理), reviews (审核) and confirms (确认) it: the 2021 reform moved
    # 低保/特困 confirmation from the district to the street or town (镇街); another city may differ.
    receive_level = models.PositiveSmallIntegerField(
        _("received at"), choices=Region.Level.choices, default=Region.Level.COMMUNITY
    )
    review_level = models.PositiveSmallIntegerField(
        _("reviewed at"), choices=Region.Level.choices, default=Region.Level.STREET
    )
    confirm_level = models.PositiveSmallIntegerField(
        _("confirmed at"), choices=Region.Level.choices, default=Region.Level.STREET
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    channels = models.CharField(_("channels"), max_length=8, choices=Channels.choices, default=Channels.BOTH)
    reach = models.CharField(
        _("where it can be handled"), max_length=16, choices=Reach.choices, default=Reach.LOCAL
    )
    proxy_allowed = models.BooleanField(_("a worker may apply on a resident's behalf (代办)"), default=True)
    # 公示: days the decision is publicly posted (names and numbers masked) before confirmation.
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity (days)"), default=0, validators=[MaxValueValidator(30)]
    )
    # The built-in eligibility check (one of ELIGIBILITY_CHECKS, each a rule in
    # affairs.eligibility.evaluate.CHECKS) and what an approval grants.
    ELIGIBILITY_CHECKS = frozenset(
        {
            "dibao",
            "tekun",
            "temporary",
            "disability_living",
            "disability_care",
            "longevity",
            "orphan",
            "unattended_child",
        }
    )
    eligibility = models.CharField(_("eligibility check"), max_length=32, blank=True)
    benefit_tag = models.CharField(_("tag of the benefit"), max_length=64, blank=True)
    recheck_months = models.PositiveSmallIntegerField(
        _("re-check every (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    built_in = models.BooleanField(_("built in"), default=False, editable=False)
    is_active = models.BooleanField(_("accepting applications"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category", "code"]
        constraints = [
            # Received at or below where it is reviewed, reviewed at or below where it is confirmed.
            models.CheckConstraint(
                condition=Q(receive_level__gte=models.F("review_level"))
                & Q(review_level__gte=models.F("confirm_level")),
                name="service_item_levels_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """What the admin form checks before the database constraint would refuse it."""
        from core.registry.tags import tag_kind

        errors = {}
        if not self.receive_level >= self.review_level >= self.confirm_level:
            errors["review_level"] = _(
                "Received at or below where it is reviewed, reviewed at or below where it is confirmed."
            )
        if self.receive_level not in {Region.Level.COMMUNITY, Region.Level.STREET}:
            errors["receive_level"] = _("Applications are received at a community or a street.")
        if self.eligibility and self.eligibility not in self.ELIGIBILITY_CHECKS:
            errors["eligibility"] = _("Choose one of: %(checks)s.") % {
                "checks": ", ".join(sorted(self.ELIGIBILITY_CHECKS))
            }
        kind = tag_kind(self.benefit_tag) if self.benefit_tag else None
        if self.benefit_tag and (kind is None or kind.derived):
            errors["benefit_tag"] = _("Unknown tag.")
        if self.benefit_tag and not self.recheck_months:
            errors["recheck_months"] = _("A benefit in force is re-checked: say how often.")
        if errors:
            raise ValidationError(errors)

    @property
    def online(self) -> bool:
        return self.channels in {self.Channels.ONLINE, self.Channels.BOTH}


class RequiredMaterial(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service item"), on_delete=models.CASCADE, related_name="materials"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["item", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="material_code_unique_in_item")]

    def __str__(self) -> str:
        return self.name
