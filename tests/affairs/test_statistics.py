"""Statistics of government affairs: per node and per child node, from a fixed number of
GROUP BY queries whatever the data's size; the node must be in the caller's scope."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from affairs.models import Benefit
from affairs.statistics import affairs_statistics, benefits_in_force, open_applications
from core.extensions.registry import registry
from core.registry.models import House, Household
from tests.affairs.factories import application, person
from tests.helpers import client_for

TODAY = date(2024, 3, 1)


def household_in(grid, number: str) -> Household:
    house = House.objects.create(region=grid, region_path=grid.path, address=f"{grid.name}{number}号")
    household = Household.objects.create(region=grid, region_path=grid.path, house=house, number=number)
    household.householder = person(household, "赵一", date(1960, 1, 1))
    household.save()
    return household


def decided(household, item, stage, *, days, on_time):
    return application(
        household,
        item,
        applied_on=TODAY,
        stage=stage,
        decided_at=timezone.now(),
        working_days_taken=days,
        on_time=on_time,
    )


def benefit(app, amount, *, ended=False):
    today = timezone.localdate()
    return Benefit.objects.create(
        item=app.item,
        application=app,
        resident=app.applicant,
        household=app.household,
        region_path=app.region_path,
        monthly_amount=Decimal(amount),
        started_on=today - timedelta(days=30),
        ended_on=today - timedelta(days=1) if ended else None,
    )


@pytest.fixture
def figures(world):
    """甲社区: 低保 approved on time in 10 days (benefit 700), 低保 open in review, 高龄 rejected
    late after 30 days; 乙社区: 低保 approved on time in 14 days (benefit 500, one ended 300)."""
    tree = world
    a1, a2, b1 = (
        household_in(g, n) for g, n in ((tree.grid_a1, "A1"), (tree.grid_a2, "A2"), (tree.grid_b1, "B1"))
    )
    benefit(decided(a1, "dibao", "approved", days=10, on_time=True), "700")
    application(a2, "dibao", applied_on=TODAY, stage="review")
    decided(a2, "longevity", "rejected", days=30, on_time=False)
    approved_b = decided(b1, "dibao", "approved", days=14, on_time=True)
    benefit(approved_b, "500")
    other = person(b1, "赵二", date(1962, 1, 1))
    Benefit.objects.create(
        item=approved_b.item,
        application=approved_b,
        resident=other,
        household=b1,
        region_path=b1.region_path,
        monthly_amount=Decimal("300"),
        started_on=timezone.localdate() - timedelta(days=60),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    return tree


def test_a_street_sees_its_figures_and_each_communitys(figures, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = affairs_statistics(figures.street)
    assert found["region"]["id"] == figures.street.pk
    apps = found["applications"]
    assert apps["total"] == 4 and apps["open"] == 1
    by_item = {row["item"]: row for row in apps["by_item"]}
    assert by_item["dibao"]["stages"] == {"approved": 2, "review": 1} and by_item["dibao"]["total"] == 3
    assert by_item["longevity"]["stages"] == {"rejected": 1}
    assert found["decided"] == 3 and found["on_time"] == 2
    assert found["on_time_rate"] == pytest.approx(0.6667)
    assert found["average_working_days"] == pytest.approx(18.0)  # (10 + 30 + 14) / 3
    assert found["benefits"]["count"] == 2 and found["benefits"]["monthly_sum"] == "1200.00"
    assert found["benefits"]["by_item"] == [
        {"item": "dibao", "name": "最低生活保障（低保）", "count": 2, "monthly_sum": "1200.00"}
    ]

    children = {child["region"]["name"]: child for child in found["children"]}
    assert set(children) == {"甲社区", "乙社区"}
    a, b = children["甲社区"], children["乙社区"]
    assert a["applications"]["total"] == 3 and b["applications"]["total"] == 1
    assert a["on_time_rate"] == 0.5 and a["average_working_days"] == 20.0
    assert b["on_time_rate"] == 1.0 and b["average_working_days"] == 14.0
    assert a["benefits"]["monthly_sum"] == "700.00" and b["benefits"]["monthly_sum"] == "500.00"


def test_the_number_of_queries_does_not_grow_with_the_data(figures, django_assert_max_num_queries):
    for index in range(12):
        household = household_in(figures.grid_b1, f"X{index}")
        benefit(decided(household, "dibao", "approved", days=index, on_time=index % 2 == 0), "100")
    with django_assert_max_num_queries(4):
        found = affairs_statistics(figures.district)
    assert found["applications"]["total"] == 16 and found["benefits"]["count"] == 14
    assert [child["region"]["name"] for child in found["children"]] == ["滨江街道"]


def test_a_node_without_children_or_data_answers_zeros(world):
    found = affairs_statistics(world.grid_b1)
    assert found["applications"]["total"] == 0 and found["children"] == []
    assert found["on_time_rate"] is None and found["average_working_days"] is None
    assert found["benefits"]["monthly_sum"] == "0.00"


def test_the_api_defaults_to_the_callers_node_and_refuses_one_outside_it(
    figures, world, django_assert_max_num_queries
):
    url = "/api/v1/affairs/statistics/"
    with django_assert_max_num_queries(12):
        response = client_for(world.street_staff).get(url)
    assert response.status_code == 200 and response.json()["region"]["id"] == figures.street.pk

    found = client_for(world.district_staff).get(url, {"region": figures.community_b.pk}).json()
    assert found["region"]["name"] == "乙社区" and found["applications"]["total"] == 1

    for region in (figures.community_b.pk, 999999, "x"):
        response = client_for(world.community_worker).get(url, {"region": region})
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["region"]
    assert client_for(world.resident_user).get(url).status_code == 403


def test_dashboard_metrics_count_open_applications_and_benefits_in_force(figures):
    assert open_applications(figures.street) == 1
    assert open_applications(figures.community_b) == 0
    assert benefits_in_force(figures.street) == {"count": 2, "monthly_sum": "1200.00"}
    metric = registry.get("dashboard_metrics", "affairs.benefits_in_force")
    assert metric.compute == "affairs.statistics.benefits_in_force"
    assert registry.get("dashboard_metrics", "affairs.applications_open") is not None
