"""Benefits in force: what an approved application grants each covered member, with dates, the
tag it sets on the resident and the next re-check; ended benefits stay as history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from affairs.models.applications import living_households, money
from core.regions.placed import path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class BenefitQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        households = living_households(resident_ids)
        return self.filter(Q(resident_id__in=resident_ids) | Q(household_id__in=households))

    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)

    def not_ended(self, on=None):
        """In force or still to start: what a household holds from now on."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


class Benefit(models.Model):
    class EndReason(models.TextChoices):
        LAPSED = "lapsed", _("Lapsed")
        REVOKED = "revoked", _("Revoked")
        DIED = "died", _("The beneficiary died")
        MOVED_OUT = "moved_out", _("The beneficiary moved out")

    item = models.ForeignKey(
        "affairs.ServiceItem", verbose_name=_("service item"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "affairs.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benefits",
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False, db_index=True)
    monthly_amount = money(_("monthly amount (yuan)"), default=0)
    tag = models.ForeignKey(
        "registry.ResidentTag",
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note"), max_length=500, blank=True)
    next_check_on = models.DateField(_("next re-check"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BenefitQuerySet.as_manager()

    # A benefit not yet ended follows its household's grid; an ended one stays as history.
    on_region_move = FollowsRegion(current="not_ended", paths=(("region_path", None),))

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["-started_on", "-id"]
        indexes = [
            path_index("benefit", "started_on", name="benefit_path_started_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "item"],
                condition=Q(ended_on__isnull=True),
                name="benefit_one_in_force_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.resident_id}"
