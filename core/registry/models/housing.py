"""Places and housing: place names (地名), compounds, buildings, units, houses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class PlaceName(Placed):
    """A standard place name (地名): road, compound or building, with its standardisation status."""

    class Kind(models.TextChoices):
        ROAD = "road", _("Road or street")
        COMPOUND = "compound", _("Residential compound")
        BUILDING = "building", _("Building")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        STANDARD = "standard", _("Standard")
        NONSTANDARD = "nonstandard", _("Non-standard, to be corrected")
        PENDING = "pending", _("Correction under review")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name in use"), max_length=100)
    standard_name = models.CharField(_("standard name"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STANDARD)
    note = models.CharField(_("note"), max_length=255, blank=True)

    # A place name belongs to its node wherever the node sits.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        indexes = [path_index("placename"), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name


class Compound(Placed):
    """A residential compound (小区) inside a community."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=255, blank=True)
    place_name = models.ForeignKey(
        PlaceName,
        verbose_name=_("place name"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A compound stands where it stands: it follows its community or grid.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("residential compound")
        verbose_name_plural = _("residential compounds")
        indexes = [path_index("compound")]

    def __str__(self) -> str:
        return self.name


class Building(Placed):
    """A building (楼栋); `region` is its grid."""

    compound = models.ForeignKey(
        Compound,
        verbose_name=_("compound"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 3栋"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    place_name = models.ForeignKey(
        PlaceName,
        verbose_name=_("place name"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A building follows its grid.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        indexes = [path_index("building")]

    def __str__(self) -> str:
        return f"{self.compound.name}{self.name}" if self.compound_id else self.name


class Unit(models.Model):
    """A unit (单元) of a building."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("e.g. 2单元"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="unit_unique_in_building")]

    def __str__(self) -> str:
        return f"{self.building}{self.name}"


class House(Placed):
    """A house or flat (房屋); `region` is its grid: every house lies in exactly one grid."""

    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        COMMERCIAL = "commercial", _("Commercial")
        MIXED = "mixed", _("Mixed")
        OTHER = "other", _("Other")

    class Occupancy(models.TextChoices):
        SELF_OCCUPIED = "self_occupied", _("Self-occupied")
        RENTED = "rented", _("Rented")
        VACANT = "vacant", _("Vacant")

    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="houses",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="houses"
    )
    number = models.CharField(_("room number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255)
    use = models.CharField(_("use"), max_length=16, choices=Use.choices, default=Use.RESIDENTIAL)
    occupancy = models.CharField(
        _("occupancy"), max_length=16, choices=Occupancy.choices, default=Occupancy.SELF_OCCUPIED
    )
    owner = models.ForeignKey(
        "Resident",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_houses",
    )
    longitude = models.DecimalField(
        _("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # A house follows its grid.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        indexes = [path_index("house")]

    def __str__(self) -> str:
        return self.address
