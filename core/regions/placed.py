"""The abstract base of every model that belongs to a place: its region and the region path
it carries (scope and "everything under this street" are one indexed prefix filter)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.scoping import RegionScopedQuerySet


def path_index(model_prefix: str) -> models.Index:
    # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
    return models.Index(
        fields=["region_path"], name=f"{model_prefix}_path_idx", opclasses=["varchar_pattern_ops"]
    )


class Placed(models.Model):
    """A row that belongs to a place. Each concrete model declares `on_region_move`
    (core.regions.placement): whether its rows follow the region when the tree changes."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True
