"""What the dashboards show of co-governance, for one node of the region tree (DashboardMetric
callables: `callable(region)` → a number). One aggregate query each, on the path index."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

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
