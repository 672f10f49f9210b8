"""The abstract base of every model that belongs to a place: its region and the region path
it carries (scope and "everything under this street" are one indexed prefix filter)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.scoping import RegionScopedQuerySet

# The operator class of each sort key a path index may carry after the path (PostgreSQL; other
# databases ignore them). The default btree classes, so the index also serves ORDER BY.
_SORT_OPCLASS = {
    "id": "int8_ops",
    "created_at": "timestamptz_ops",
    "updated_at": "timestamptz_ops",
    "received_at": "timestamptz_ops",
    "starts_at": "timestamptz_ops",
    "started_on": "date_ops",
}


def path_index(model_prefix: str, *sort_keys: str, name: str | None = None) -> models.Index:
    """The index every scoped list of a placed model walks: `(region_path, <sort keys…>, id)`.

    The path comes first with varchar_pattern_ops, so one index serves `LIKE 'prefix%'` (the
    scope) and `region_path = <one region>` (core.regions.scoping.per_region_top: for each region
    of the scope, its first rows in list order, read straight off the index in order). The
    trailing id is the keyset tie-breaker. A list sorted by another key gets its own path index
    (`path_index("resident", "name_pinyin", name=…)`); pagination uses the per-region shape only
    where such an index is declared (`sorted_path_index`).
    """
    fields = ["region_path", *sort_keys, "id"]
    sort_opclasses = [_SORT_OPCLASS.get(key, "text_ops") for key in sort_keys]
    opclasses = ["varchar_pattern_ops", *sort_opclasses, "int8_ops"]
    return models.Index(fields=fields, name=name or f"{model_prefix}_path_idx", opclasses=opclasses)


def sorted_path_index(model, sort_field: str, path_field: str = "region_path") -> bool:
    """Whether `model` declares a path index whose order is `sort_field` then id (see path_index)."""
    wanted = [path_field, "id"] if sort_field == "id" else [path_field, sort_field, "id"]
    return any(list(index.fields) == wanted for index in model._meta.indexes)


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
