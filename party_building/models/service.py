"""Service by party members: in-service members reporting to the community where they live
(在职党员双报到) and the duties they take on, pioneer posts and areas (党员先锋岗, 党员责任区)
with their members, and the service records whose hours go to the services domain's ledger."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


class InServiceReport(Placed):
    """A member whose relation is with their employer's organization reports to the community
    they live in, for a year; placed at the community."""

    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    employer_organization = models.CharField(_("organization holding the relation"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    reported_on = models.DateField(_("reported on"))
    duties = models.TextField(_("duties taken on (认岗)"), blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("in-service member's report")
        verbose_name_plural = _("in-service members' reports")
        indexes = [path_index("pb_report")]
        constraints = [models.UniqueConstraint(fields=["resident", "year"], name="pb_report_once_a_year")]


class PioneerPost(Placed):
    class Kind(models.TextChoices):
        POST = "post", _("Pioneer post (党员先锋岗)")
        AREA = "area", _("Area of responsibility (党员责任区)")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place (a building, a street…)"), max_length=100, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("pioneer post")
        verbose_name_plural = _("pioneer posts")
        indexes = [path_index("pb_post")]


class PostAssignment(models.Model):
    post = models.ForeignKey(PioneerPost, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey("party_building.Member", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.post_id}:{self.member_id}"


class ServiceRecord(Placed):
    """Hours a member served (at a post, or on a duty they reported for); written once, and its
    hours handed to the hours ledger."""

    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(PioneerPost, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        InServiceReport, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    served_on = models.DateField(_("served on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(24))],
    )
    activity = models.CharField(_("activity"), max_length=200)

    on_region_move = KeepsRegion("a service record says where the service was done")

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [path_index("pb_service")]
