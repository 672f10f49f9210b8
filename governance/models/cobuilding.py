"""共建单位: units (companies, schools, hospitals, offices) that build the community together with
it, the resources they offer, and needs (from a deliberation or a worker) matched to a resource."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class CoBuildingUnit(Placed):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of unit"), max_length=50)
    agreement_on = models.DateField(_("agreement signed on"), null=True, blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("co-building unit")
        verbose_name_plural = _("co-building units")
        indexes = [path_index("gov_unit")]

    def __str__(self) -> str:
        return self.name


class UnitResource(models.Model):
    unit = models.ForeignKey(CoBuildingUnit, on_delete=models.PROTECT, related_name="resources")
    title = models.CharField(_("resource"), max_length=200)
    category = models.CharField(_("category"), max_length=50)  # venue, volunteers, funds, expertise…
    available = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title


class Need(Placed):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Matched to a resource")
        MET = "met", _("Met")
        UNMET = "unmet", _("Could not be met")

    title = models.CharField(_("need"), max_length=200)
    topic = models.ForeignKey(
        "governance.Topic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resource = models.ForeignKey(
        UnitResource, null=True, blank=True, on_delete=models.PROTECT, related_name="needs"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("community need")
        verbose_name_plural = _("community needs")
        indexes = [path_index("gov_need")]

    def __str__(self) -> str:
        return self.title
