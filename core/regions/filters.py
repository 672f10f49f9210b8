"""Filters of the region list (/api/v1/regions/)."""

from __future__ import annotations

import django_filters

from core.regions.models import Region


class RegionFilter(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["level", "parent"]
