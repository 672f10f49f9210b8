from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.scoping import RegionScopedQuerySet


class RegionQuerySet(RegionScopedQuerySet):
    """Regions are scoped like everything else, by their own path."""

    region_path_field = "path"


class Region(models.Model):
    """A node of the region tree: city → district/county → street/town → community/village → grid.

    `path` is the chain of ids from the root ("/1/5/23/"), so "everything under this street" is a
    single indexed prefix filter; objects that belong to a place copy their node's path.
    """

    class Level(models.IntegerChoices):
        CITY = 1, _("City")
        DISTRICT = 2, _("District or county")
        STREET = 3, _("Street or town")
        COMMUNITY = 4, _("Community or village")
        GRID = 5, _("Grid")

    class CommunityKind(models.TextChoices):
        """Which body runs a community: the laws differ (an urban residents' committee is elected
        under the Organic Law of Urban Residents' Committees, a village committee under the
        Organic Law of Village Committees), so rules that depend on it read this."""

        RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee (urban, 居委会)")
        VILLAGE_COMMITTEE = "village_committee", _("Village committee (村委会)")

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("administrative code"), max_length=20, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, editable=False, default="")
    # Only a community has one; empty elsewhere (and on communities recorded before it was asked).
    community_kind = models.CharField(
        _("community kind"), max_length=24, choices=CommunityKind.choices, blank=True, default=""
    )
    # A grid's boundary as a GeoJSON Polygon or MultiPolygon in WGS-84 (validated by services).
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    # A community merged into another keeps its row (history refers to its path) but holds nothing.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
            models.Index(fields=["path"], name="region_path_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.CheckConstraint(
                # level 4: a community (Level is not reachable from Meta)
                condition=Q(level=4) | Q(community_kind=""),
                name="region_community_kind_on_communities",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        creating = self.pk is None
        super().save(*args, **kwargs)
        if creating or not self.path:
            prefix = self.parent.path if self.parent_id else "/"
            self.path = f"{prefix}{self.pk}/"
            Region.objects.filter(pk=self.pk).update(path=self.path)

    def clean(self) -> None:
        super().clean()
        if self.level == self.Level.COMMUNITY and not self.community_kind:
            raise ValidationError(
                {"community_kind": _("Say whether the community is a residents' or a village committee.")}
            )
        if self.level != self.Level.COMMUNITY and self.community_kind:
            raise ValidationError({"community_kind": _("Only a community has a community kind.")})
