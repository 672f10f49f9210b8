"""What the dashboards show of co-governance, for one node of the region tree (DashboardMetric
callables: `callable(region)` → a number). One aggregate query each, on the path index."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from governance.models import FormReport, SocialOrganization, Survey, Topic, VentureApplication


def topics_open(region) -> int:
    return Topic.objects.under(region.path).exclude(status=Topic.Status.CLOSED).count()


def vote_turnout(region) -> float:
    """Ballots cast over the electorate of the votes closed under the node, in percent."""
    closed = Topic.objects.under(region.path).filter(vote_closed_at__isnull=False, electorate_size__gt=0)
    totals = closed.aggregate(
        electorate=Sum("electorate_size"),
        yes=Sum("votes_for"),
        no=Sum("votes_against"),
        abstain=Sum("votes_abstain"),
    )
    if not totals["electorate"]:
        return 0.0
    cast = (totals["yes"] or 0) + (totals["no"] or 0) + (totals["abstain"] or 0)
    return round(100 * cast / totals["electorate"], 1)


def surveys_open(region) -> int:
    return Survey.objects.under(region.path).filter(status=Survey.Status.OPEN).count()


def social_organizations(region) -> int:
    return SocialOrganization.objects.under(region.path).count()


def venture_granted(region) -> Decimal:
    granted = VentureApplication.objects.filter(round__region_path__startswith=region.path).aggregate(
        total=Sum("granted")
    )["total"]
    return granted or Decimal("0.00")


def report_fields_generated(region) -> int:
    return FormReport.objects.under(region.path).aggregate(total=Sum("fields_generated"))["total"] or 0


# The dashboards' node-own values (the DashboardMetric contract): (region_path, part, value) for
# every node under a path, one GROUP BY region_path each.


def _counted(queryset):
    rows = queryset.values("region_path").annotate(n=Count("id")).order_by()
    return ((row["region_path"], "", row["n"]) for row in rows)


def topics_open_per_node(under_path: str):
    return _counted(Topic.objects.under(under_path).exclude(status=Topic.Status.CLOSED))


def vote_turnout_per_node(under_path: str):
    """Ballots cast and the electorate of the votes closed at each node: (cast, electorate)."""
    rows = (
        Topic.objects.under(under_path)
        .filter(vote_closed_at__isnull=False, electorate_size__gt=0)
        .values("region_path")
        .annotate(
            electorate=Sum("electorate_size"),
            yes=Sum("votes_for"),
            no=Sum("votes_against"),
            abstain=Sum("votes_abstain"),
        )
        .order_by()
    )
    for row in rows:
        cast = (row["yes"] or 0) + (row["no"] or 0) + (row["abstain"] or 0)
        yield row["region_path"], "", (cast, row["electorate"])


def surveys_open_per_node(under_path: str):
    return _counted(Survey.objects.under(under_path).filter(status=Survey.Status.OPEN))


def social_organizations_per_node(under_path: str):
    return _counted(SocialOrganization.objects.under(under_path))


def venture_granted_per_node(under_path: str):
    """Funds granted, placed at their round's node."""
    rows = (
        VentureApplication.objects.filter(round__region_path__startswith=under_path)
        .values("round__region_path")
        .annotate(total=Sum("granted"))
        .order_by()
    )
    return ((row["round__region_path"], "", row["total"] or 0) for row in rows)


def report_fields_generated_per_node(under_path: str):
    rows = (
        FormReport.objects.under(under_path)
        .values("region_path")
        .annotate(total=Sum("fields_generated"))
        .order_by()
    )
    return ((row["region_path"], "", row["total"] or 0) for row in rows)
