"""Grid boundaries: GeoJSON (Polygon or MultiPolygon, WGS-84) checked with shapely; point → grid,
and the nearest grid to a point that no grid covers."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy
import shapely
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from core.api.errors import field_error
from core.regions.errors import RegionsError
from core.regions.models import Region

ALLOWED_TYPES = ("Polygon", "MultiPolygon")


def clean_boundary(geojson) -> dict:
    """The boundary as a GeoJSON geometry dict, or ValidationError saying what is wrong."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ALLOWED_TYPES:
        raise field_error(
            "boundary",
            _("The boundary must be a GeoJSON Polygon or MultiPolygon."),
            code=RegionsError.INVALID_BOUNDARY,
        )
    try:
        geometry = shape(geojson)
    except Exception:
        raise field_error(
            "boundary", _("The boundary's coordinates are malformed."), code=RegionsError.INVALID_BOUNDARY
        ) from None
    if geometry.is_empty or not geometry.is_valid:
        raise field_error(
            "boundary",
            _("The boundary is not a valid polygon (it crosses itself?)."),
            code=RegionsError.INVALID_BOUNDARY,
        )
    min_x, min_y, max_x, max_y = geometry.bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        raise field_error(
            "boundary",
            _("Coordinates must be WGS-84 longitude and latitude."),
            code=RegionsError.INVALID_BOUNDARY,
        )
    return {"type": geojson["type"], "coordinates": geojson["coordinates"]}


def _geometry(region: Region) -> BaseGeometry | None:
    return shape(region.boundary) if region.boundary else None


def grid_for_point(lon: float, lat: float, *, within: Region | None = None) -> Region | None:
    """The grid whose boundary contains the WGS-84 point (a point on a shared edge: the lowest id)."""
    grids = Region.objects.filter(level=Region.Level.GRID, boundary__isnull=False).order_by("id")
    if within is not None:
        grids = grids.filter(path__startswith=within.path)
    point = Point(float(lon), float(lat))
    for grid in grids.only("id", "name", "path", "boundary", "parent_id", "level"):
        geometry = _geometry(grid)
        if geometry is not None and geometry.covers(point):
            return grid
    return None


EARTH_RADIUS_METRES = 6_371_008.8  # the mean radius (IUGG)


def _local_metres(lon0: float, lat0: float):
    """A projection to metres on a plane through (lon0, lat0): x east, y north (equirectangular on
    a sphere of the mean radius). Near the origin it matches the haversine distance: the east-west
    scale is exact at lat0 and drifts by about tan(lat0)·Δφ, about 0.01 % per kilometre at
    Wuhu's latitude, so distances of a few hundred metres are right to well under a metre."""
    scale = math.pi / 180 * EARTH_RADIUS_METRES
    factors = numpy.array([math.cos(math.radians(lat0)) * scale, scale])
    origin = numpy.array([lon0, lat0])

    def project(geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geometry, lambda coordinates: (coordinates - origin) * factors)

    return project


def nearest_grid(lon: float, lat: float, *, max_metres: float, within_paths: Iterable[str]) -> Region | None:
    """The grid under one of these region paths whose boundary is nearest the WGS-84 point and at
    most max_metres away (ties: the lowest id); None if there is none that close.

    Boundaries are projected to metres around the point (_local_metres), so shapely's planar
    distance is in metres; a grid whose bounding box is already farther is skipped unprojected."""
    lon, lat = float(lon), float(lat)
    paths = [path for path in within_paths if path]
    if not paths or max_metres <= 0:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    margin_lat = max_metres / (math.pi / 180 * EARTH_RADIUS_METRES)
    margin_lon = margin_lat / max(math.cos(math.radians(lat)), 1e-6)
    project = _local_metres(lon, lat)
    origin = Point(0.0, 0.0)
    best: tuple[float, Region] | None = None
    grids = Region.objects.filter(condition, level=Region.Level.GRID, boundary__isnull=False).order_by("id")
    for grid in grids.only("id", "name", "path", "boundary", "parent_id", "level"):
        geometry = _geometry(grid)
        if geometry is None:
            continue
        min_x, min_y, max_x, max_y = geometry.bounds
        near_x = min_x - margin_lon <= lon <= max_x + margin_lon
        if not (near_x and min_y - margin_lat <= lat <= max_y + margin_lat):
            continue
        metres = project(geometry).distance(origin)
        if metres <= max_metres and (best is None or metres < best[0]):
            best = (metres, grid)
    return best[1] if best else None
