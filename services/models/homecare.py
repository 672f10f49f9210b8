"""Home services (居家上门服务): the catalogue, providers and their staff, orders, and visits with
check-in and check-out time and position, rated by the elder or family."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion
from core.regions.scoping import RegionScopedQuerySet


class HomeService(models.Model):
    """A service of the catalogue (cleaning, bathing, medical escort, haircut …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    min_minutes = models.PositiveSmallIntegerField(_("minimum minutes of a visit"))
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=8, decimal_places=2, default=0)
    # Register tags any of which makes an elder eligible for the subsidy (empty: everyone 60+).
    eligible_tags = models.JSONField(_("eligible with these tags"), default=list, blank=True)

    class Meta:
        verbose_name = _("home service")
        verbose_name_plural = _("home services")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Provider(Placed):
    """A provider of home services, registered at a street or community."""

    name = models.CharField(_("name"), max_length=100)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        indexes = [path_index("svc_provider")]

    def __str__(self) -> str:
        return self.name


class ProviderStaff(models.Model):
    """A provider's worker: holds the provider-staff role at the communities the provider serves
    and sees only the provider's orders there."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("provider staff")
        verbose_name_plural = _("provider staff")
        constraints = [models.UniqueConstraint(fields=["provider", "user"], name="svc_provider_staff_once")]

    def __str__(self) -> str:
        return f"{self.provider_id}:{self.user_id}"


class HomeOrderQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        """The elder's family rate the visit: the orders of anyone living in their household."""
        from core.registry.models import Resident

        households = Resident.objects.filter(id__in=resident_ids, household__isnull=False).values(
            "household_id"
        )
        return self.filter(
            models.Q(resident_id__in=resident_ids) | models.Q(resident__household_id__in=households)
        )


class HomeOrder(Placed):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("elder"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        HomeService, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="orders"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=8, decimal_places=2, default=0)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = HomeOrderQuerySet.as_manager()
    on_region_move = KeepsRegion("an order records where the elder was served")

    class Meta:
        verbose_name = _("home-service order")
        verbose_name_plural = _("home-service orders")
        indexes = [path_index("svc_home_order")]

    def __str__(self) -> str:
        return f"order #{self.pk}"


class Visit(models.Model):
    """A visit for an order: check-in and check-out time and position; flagged when shorter than
    the service's minimum; rated by the elder or family (1 to 5)."""

    order = models.OneToOneField(HomeOrder, on_delete=models.CASCADE, related_name="visit")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    in_longitude = models.DecimalField(max_digits=9, decimal_places=6)
    in_latitude = models.DecimalField(max_digits=9, decimal_places=6)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    out_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    out_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    too_short = models.BooleanField(_("shorter than the service's minimum"), default=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"visit of {self.order_id}"
