"""Which assistance standard applies: the one in force on a date, for the nearest region on the
place's path that sets its own (a district or county; else the platform default); within it the
newest in force, and for rows starting the same day urban or rural over "any" (a later "any"
row, a city unifying its urban and rural standards, replaces an older urban one)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from affairs.errors import AffairsError
from affairs.models import AssistanceStandard
from core.api.errors import Conflict
from core.regions.paths import ancestor_ids


def _rank(standard: AssistanceStandard, ids: tuple[int, ...], area: str) -> tuple:
    # Nearest region first (the default, region NULL, last), then the newest, then the exact area.
    depth = ids.index(standard.region_id) if standard.region_id in ids else -1
    return (depth, standard.effective_from, standard.area == area)


def candidates(kind: str | None, *, region_path: str, on: date):
    """Every standard in force on `on` that could apply on this path (own regions or default)."""
    ids = ancestor_ids(region_path)
    found = AssistanceStandard.objects.in_force(on).filter(Q(region__isnull=True) | Q(region_id__in=ids))
    return found.filter(kind=kind) if kind else found


def standard_for(kind: str, *, region_path: str, area: str, on: date) -> AssistanceStandard:
    """The standard of `kind` in force on `on` for the place at `region_path` and `area`
    ("urban" or "rural"). 409 `no_standard` if none is configured for that date."""
    ids = ancestor_ids(region_path)
    rows = [row for row in candidates(kind, region_path=region_path, on=on) if row.area in {area, "any"}]
    if not rows:
        raise Conflict(
            _("No %(kind)s standard is in force on %(date)s for this place.")
            % {
                "kind": AssistanceStandard.Kind(kind).label
                if kind in AssistanceStandard.Kind.values
                else kind,
                "date": on.isoformat(),
            },
            code=AffairsError.NO_STANDARD,
        )
    return max(rows, key=lambda row: _rank(row, ids, area))


def standard_summary(standard: AssistanceStandard) -> dict:
    return {
        "id": standard.pk,
        "kind": standard.kind,
        "amount": str(standard.amount),
        "effective_from": standard.effective_from.isoformat(),
        "region": standard.region_id,
    }
