"""The map of a node: its children's boundaries as a GeoJSON FeatureCollection (a grid's own
boundary; a community's, street's … where it has one, else the union of the grids under it),
cached, since boundaries change rarely."""

from __future__ import annotations

from django.core.cache import cache
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from core.regions.models import Region

CACHE_SECONDS = 600


def children_map(region: Region) -> dict:
    key = f"dashboards.map.{region.pk}"
    found = cache.get(key)
    if found is None:
        found = _build(region)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _build(region: Region) -> dict:
    children = list(Region.objects.filter(parent=region, merged_into__isnull=True).order_by("name", "id"))
    if not children:
        children = [region]
    grids = Region.objects.filter(
        level=Region.Level.GRID, path__startswith=region.path, boundary__isnull=False
    ).values_list("path", "boundary")
    by_child: dict[int, list] = {child.pk: [] for child in children}
    for path, boundary in grids:
        for child in children:
            if path.startswith(child.path):
                by_child[child.pk].append(shape(boundary))
                break
    features = []
    for child in children:
        if child.boundary:
            geometry = child.boundary
        elif by_child[child.pk]:
            geometry = mapping(unary_union(by_child[child.pk]).buffer(0))
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "id": child.pk,
                "properties": {"id": child.pk, "name": child.name, "level": child.level},
                "geometry": _plain(geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _plain(geometry):
    """Tuples (shapely's mapping) as lists, so the JSON is what the stored GeoJSON looks like."""
    if isinstance(geometry, dict):
        return {k: _plain(v) for k, v in geometry.items()}
    if isinstance(geometry, list | tuple):
        return [_plain(v) for v in geometry]
    return geometry
