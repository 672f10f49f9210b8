"""Statistics of party building for a node of the region tree (DashboardMetric computes,
callable(region)): members by organization, kind, age band and education; organizations by kind
with and without a full committee; meetings held on time, late and missed per quarter; in-service
members reported and active; service hours. Each is one or two GROUP BY queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractQuarter
from django.utils import timezone

from core.regions.models import Region
from party_building import rules
from party_building.models import InServiceReport, Meeting, Member, Organization, ServiceRecord
from party_building.selectors import with_figures

# Age bands as party statistics report them (党内统计): up to 35, 36–45, 46–55, 56–60, 61 and over.
AGE_BANDS = ((35, "35_and_under"), (45, "36_45"), (55, "46_55"), (60, "56_60"))
OLDEST_BAND = "61_and_over"


def _with_age_band(queryset, today: date):
    """Each member's age band on `today`, from the register's birth date or an outsider's."""
    whens = [
        When(birth__gt=rules.years_after(today, -(age + 1)), then=Value(band)) for age, band in AGE_BANDS
    ]
    return queryset.annotate(birth=Coalesce("resident__birth_date", "outside_birth_date")).annotate(
        band=Case(
            When(birth__isnull=True, then=Value("unknown")),
            *whens,
            default=Value(OLDEST_BAND),
            output_field=CharField(),
        )
    )


def _grouped(queryset, field) -> dict:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id")).order_by(field)}


def members(region: Region, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    active = Member.objects.active().under(region.path)
    by_organization = [
        {"organization": row["organization"], "name": row["organization__name"], "count": row["n"]}
        for row in active.values("organization", "organization__name")
        .annotate(n=Count("id"))
        .order_by("organization")
    ]
    return {
        "total": active.count(),
        "by_organization": by_organization,
        "by_kind": _grouped(active, "kind"),
        "by_age_band": _grouped(_with_age_band(active, today), "band"),
        "by_education": _grouped(active, "education"),
    }


def organizations(region: Region, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    found = with_figures(Organization.objects.active().under(region.path), today).values_list(
        "kind", "officer_count"
    )
    by_kind: dict[str, dict] = {}
    for kind, officers in found:
        figures = by_kind.setdefault(kind, {"total": 0, "with_committee": 0, "without_committee": 0})
        figures["total"] += 1
        figures["with_committee" if officers >= rules.COMMITTEE_MIN_OFFICERS else "without_committee"] += 1
    return {"total": sum(f["total"] for f in by_kind.values()), "by_kind": dict(sorted(by_kind.items()))}


def meetings(region: Region, today: date | None = None) -> dict:
    """This year's meetings by the quarter they fell due in."""
    today = today or timezone.localdate()
    held = Q(status=Meeting.Status.HELD)
    rows = (
        Meeting.objects.under(region.path)
        .filter(due_on__year=today.year)
        .annotate(quarter=ExtractQuarter("due_on"))
        .values("quarter")
        .annotate(
            on_time=Count("id", filter=held & Q(held_on__lte=F("due_on"))),
            late=Count("id", filter=held & Q(held_on__gt=F("due_on"))),
            missed=Count("id", filter=Q(status=Meeting.Status.MISSED)),
        )
        .order_by("quarter")
    )
    quarters = {q: {"quarter": q, "on_time": 0, "late": 0, "missed": 0} for q in (1, 2, 3, 4)}
    for row in rows:
        quarters[row["quarter"]].update(on_time=row["on_time"], late=row["late"], missed=row["missed"])
    return {"year": today.year, "quarters": list(quarters.values())}


def in_service(region: Region, today: date | None = None) -> dict:
    """This year's in-service members who reported, those who served, and those who did not."""
    year = (today or timezone.localdate()).year
    reports = InServiceReport.objects.under(region.path).filter(year=year)
    figures = reports.aggregate(
        reported=Count("id", distinct=True),
        active=Count("id", filter=Q(services__served_on__year=year), distinct=True),
    )
    return {"year": year, **figures, "inactive": figures["reported"] - figures["active"]}


def service_hours(region: Region, today: date | None = None) -> dict:
    year = (today or timezone.localdate()).year
    records = ServiceRecord.objects.under(region.path)
    found = records.aggregate(total=Sum("hours"), this_year=Sum("hours", filter=Q(served_on__year=year)))
    return {
        "year": year,
        "this_year": str(found["this_year"] or Decimal("0.0")),
        "total": str(found["total"] or Decimal("0.0")),
    }


# The dashboards' node-own values (the DashboardMetric contract): (region_path, part, value) for
# every node under a path, one GROUP BY region_path each. Part "" is the metric's headline; the
# other parts are counts and sums the functions above return, which add up the tree.


def members_per_node(under_path: str):
    rows = Member.objects.active().under(under_path).values("region_path").annotate(n=Count("id")).order_by()
    for row in rows:
        yield row["region_path"], "", row["n"]
        yield row["region_path"], "total", row["n"]


def organizations_per_node(under_path: str):
    rows = (
        Organization.objects.active()
        .under(under_path)
        .values("region_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        yield row["region_path"], "", row["n"]
        yield row["region_path"], "total", row["n"]


def meetings_per_node(under_path: str, today: date | None = None):
    """This year's meetings held on time, late and missed ("" is the three together)."""
    today = today or timezone.localdate()
    held = Q(status=Meeting.Status.HELD)
    rows = (
        Meeting.objects.under(under_path)
        .filter(due_on__year=today.year)
        .values("region_path")
        .annotate(
            on_time=Count("id", filter=held & Q(held_on__lte=F("due_on"))),
            late=Count("id", filter=held & Q(held_on__gt=F("due_on"))),
            missed=Count("id", filter=Q(status=Meeting.Status.MISSED)),
        )
        .order_by()
    )
    for row in rows:
        path = row["region_path"]
        yield path, "", row["on_time"] + row["late"] + row["missed"]
        for part in ("on_time", "late", "missed"):
            yield path, part, row[part]


def in_service_per_node(under_path: str, today: date | None = None):
    """This year's in-service members who reported ("" and "reported"), served and did not."""
    year = (today or timezone.localdate()).year
    rows = (
        InServiceReport.objects.under(under_path)
        .filter(year=year)
        .values("region_path")
        .annotate(
            reported=Count("id", distinct=True),
            active=Count("id", filter=Q(services__served_on__year=year), distinct=True),
        )
        .order_by()
    )
    for row in rows:
        path = row["region_path"]
        yield path, "", row["reported"]
        yield path, "reported", row["reported"]
        yield path, "active", row["active"]
        yield path, "inactive", row["reported"] - row["active"]


def service_hours_per_node(under_path: str, today: date | None = None):
    """Hours served, ever ("" and "total") and this year."""
    year = (today or timezone.localdate()).year
    rows = (
        ServiceRecord.objects.under(under_path)
        .values("region_path")
        .annotate(total=Sum("hours"), this_year=Sum("hours", filter=Q(served_on__year=year)))
        .order_by()
    )
    for row in rows:
        path = row["region_path"]
        yield path, "", row["total"] or 0
        yield path, "total", row["total"] or 0
        yield path, "this_year", row["this_year"] or 0
