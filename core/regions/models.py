from __future__ import annotations

from django.db import models
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
