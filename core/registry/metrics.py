"""The register's dashboard metrics (declared in core.registry.contributions): each returns the
node-own values `(region_path, part, value)` of every node under a path, one GROUP BY per call
(the DashboardMetric contract, docs/dashboards.md)."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from core.registry.contributions import AGE_BANDS, UNKNOWN_AGE
from core.registry.models import House, Household, Resident, ResidentTag

# 人户分离, the part living here whose household registration (户籍) is elsewhere (人在户不在).
SEPARATED_TYPES = (Resident.ResidenceType.PERMANENT, Resident.ResidenceType.FLOATING)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(today: date):
    """A CASE giving each resident's age band from the birth date (born after the day that makes
    them `low` years old today)."""
    whens = [When(birth_date__isnull=True, then=Value(UNKNOWN_AGE))]
    for key, _label, _low, high in AGE_BANDS:
        if high is not None:
            whens.append(When(birth_date__gt=_years_before(today, high), then=Value(key)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _living(under: str):
    return Resident.objects.under(under).filter(status=Resident.Status.ACTIVE)


def population(under: str):
    rows = (
        _living(under)
        .annotate(band=_age_band(timezone.localdate()))
        .values("region_path", "band")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["region_path"]] = totals.get(row["region_path"], 0) + row["n"]
        yield row["region_path"], row["band"], row["n"]
    for path, n in totals.items():
        yield path, "", n


def population_by_tag(under: str):
    """Living residents holding each assigned tag today (a resident counts once per tag; the
    total is the residents holding at least one)."""
    today = timezone.localdate()
    current = ResidentTag.objects.filter(
        resident__region_path__startswith=under,
        resident__status=Resident.Status.ACTIVE,
        started_on__lte=today,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    rows = current.values("resident__region_path", "tag").annotate(n=Count("resident_id", distinct=True))
    for row in rows.order_by():
        yield row["resident__region_path"], row["tag"], row["n"]
    totals = current.values("resident__region_path").annotate(n=Count("resident_id", distinct=True))
    for row in totals.order_by():
        yield row["resident__region_path"], "", row["n"]


def households(under: str):
    rows = Household.objects.under(under).values("region_path").annotate(n=Count("id")).order_by()
    return ((row["region_path"], "", row["n"]) for row in rows)


def houses(under: str):
    rows = House.objects.under(under).values("region_path", "use").annotate(n=Count("id")).order_by()
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["region_path"]] = totals.get(row["region_path"], 0) + row["n"]
        yield row["region_path"], row["use"], row["n"]
    yield from ((path, "", n) for path, n in totals.items())


def separated(under: str):
    rows = (
        _living(under)
        .filter(residence_type__in=SEPARATED_TYPES)
        .values("region_path", "residence_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["region_path"]] = totals.get(row["region_path"], 0) + row["n"]
        yield row["region_path"], row["residence_type"], row["n"]
    yield from ((path, "", n) for path, n in totals.items())
