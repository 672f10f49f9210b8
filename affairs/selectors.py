"""Reads of government affairs: the standards that apply at a place on a date."""

from __future__ import annotations

from datetime import date

from affairs.eligibility.standards import candidates
from affairs.models import AssistanceStandard
from core.regions.paths import ancestor_ids


def standards_in_force(region, on: date) -> list[AssistanceStandard]:
    """For each kind and area ("urban", "rural", "any"), the standard in force on `on` at
    `region`: the nearest region's own (a district's beats the platform default), the newest of
    those. Between an area's row and the "any" row, an application takes the nearer region's, and
    the exact area if both are as near (affairs.eligibility.standard_for)."""
    ids = ancestor_ids(region.path)

    def rank(row: AssistanceStandard) -> tuple:
        return (ids.index(row.region_id) if row.region_id in ids else -1, row.effective_from)

    best: dict[tuple[str, str], AssistanceStandard] = {}
    for row in candidates(None, region_path=region.path, on=on).select_related("region"):
        key = (row.kind, row.area)
        if key not in best or rank(row) > rank(best[key]):
            best[key] = row
    return sorted(best.values(), key=lambda s: (s.kind, s.area))
