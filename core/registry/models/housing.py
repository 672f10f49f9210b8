"""Places and housing: place names (地名), compounds, buildings, units, houses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion
from core.registry.place_pinyin import place_name_pinyin, search_key


class PlaceName(Placed):
    """A place name (地名): road, compound or building, with its standardisation status.

    A change to `standard` (or of the standard name) is a proposal (`proposed_*`) that another
    person approves (core.registry.services_place_names); the romanization is derived on save.
    """

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
    # Hanyu Pinyin by the rules for place names ("Binjiang Lu"), and the same folded for search.
    pinyin = models.CharField(_("pinyin"), max_length=255, blank=True, editable=False)
    pinyin_key = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    # The code of the national place-name database (国家地名信息库), when the office has assigned one.
    national_code = models.CharField(_("national place-name database code"), max_length=24, blank=True)
    standard_since = models.DateField(_("standard since"), null=True, blank=True)
    # An open proposal: what the name becomes once a second person approves it.
    proposed_status = models.CharField(
        _("proposed status"), max_length=16, choices=Status.choices, blank=True
    )
    proposed_standard_name = models.CharField(_("proposed standard name"), max_length=100, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)

    # A place name belongs to its node wherever the node sits.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        indexes = [path_index("placename"), models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="placename_unique_name_in_region"),
            models.UniqueConstraint(
                fields=["region", "standard_name"],
                condition=~models.Q(standard_name=""),
                name="placename_unique_standard_name_in_region",
            ),
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~models.Q(national_code=""),
                name="placename_unique_national_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_proposal(self) -> bool:
        return bool(self.proposed_at)

    def save(self, *args, **kwargs):
        self.pinyin = place_name_pinyin(self.standard_name or self.name)
        self.pinyin_key = search_key(self.pinyin)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin", "pinyin_key"}
        super().save(*args, **kwargs)


class PlaceNameAlias(models.Model):
    """A former name or an alias of a place name, with the dates it was in use."""

    class Kind(models.TextChoices):
        FORMER = "former", _("Former name")
        ALIAS = "alias", _("Alias")

    place_name = models.ForeignKey(
        PlaceName, verbose_name=_("place name"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    used_from = models.DateField(_("used from"), null=True, blank=True)
    used_to = models.DateField(_("used until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former name or alias")
        verbose_name_plural = _("former names and aliases")
        ordering = ["-used_to", "-id"]
        indexes = [models.Index(fields=["name"])]

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
