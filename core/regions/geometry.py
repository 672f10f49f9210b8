"""Grid boundaries: GeoJSON (Polygon or MultiPolygon, WGS-84) checked with shapely; point → grid."""

from __future__ import annotations

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
