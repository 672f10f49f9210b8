"""Meal assistance (助餐): the subsidy tier in force on the meal's date for the elder's status that
day, full price for an ineligible elder, one record per elder and meal period (concurrently too,
on PostgreSQL), and the monthly settlement that equals its records and never changes after."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.api.errors import Conflict
from core.registry.models import ResidentTag
from services.meals import meal_price, meal_record, settlement_close
from services.models import MealRecord, MealSettlement
from tests.helpers import assert_error, client_for
from tests.services import factories as f

API = "/api/v1/services"
RULE_CHANGE = date(2025, 7, 1)


@pytest.fixture
def rules(world):
    """镜湖区: 60+ paid 3 yuan by the government until June 2025, 5 from July; 80+ 8; 低保 10."""
    return {
        "old": f.meal_rule(world.district, gov="3", discount="1", until=RULE_CHANGE - timedelta(days=1)),
        "new": f.meal_rule(world.district, gov="5", discount="1", since=RULE_CHANGE),
        "eighty": f.meal_rule(world.district, min_age=80, gov="8", discount="2"),
        "dibao": f.meal_rule(world.district, status="registry.dibao", gov="10", discount="2"),
    }


def test_the_rule_in_force_on_the_meals_date_prices_it_across_a_rule_change(world, rules):
    point = f.meal_point(world.grid_a1, price="15.00")
    elder = f.elder(world.grid_a1, birth=date(1955, 3, 1))
    before = meal_price(point, elder, RULE_CHANGE - timedelta(days=1))
    after = meal_price(point, elder, RULE_CHANGE)
    assert (before.rule, before.government_share, before.elder_pays) == (
        rules["old"],
        Decimal(3),
        Decimal(11),
    )
    assert (after.rule, after.government_share, after.elder_pays) == (rules["new"], Decimal(5), Decimal(9))


def test_the_elders_status_on_the_meals_date_picks_the_tier(world, rules):
    """低保 from the register's tags (set by affairs when it grants the benefit), by date."""
    point = f.meal_point(world.grid_a1, price="15.00")
    elder = f.elder(world.grid_a1, birth=date(1950, 1, 1))
    ResidentTag.objects.create(
        resident=elder, tag="registry.dibao", started_on=date(2025, 8, 10), ended_on=date(2025, 9, 1)
    )
    assert meal_price(point, elder, date(2025, 8, 9)).rule == rules["new"]
    during = meal_price(point, elder, date(2025, 8, 10))
    assert (during.rule, during.government_share, during.provider_discount, during.elder_pays) == (
        rules["dibao"], Decimal(10), Decimal(2), Decimal(3),
    )  # fmt: skip
    assert meal_price(point, elder, date(2025, 9, 1)).rule == rules["new"]
    # Turning 80 moves the elder up an age band on their birthday.
    old = f.elder(world.grid_a1, birth=date(1945, 8, 10))
    assert meal_price(point, old, date(2025, 8, 9)).rule == rules["new"]
    assert meal_price(point, old, date(2025, 8, 10)).rule == rules["eighty"]


def test_an_ineligible_elder_pays_full_price_and_nothing_is_subsidized(world, rules):
    point = f.meal_point(world.grid_a1, price="15.00")
    young = f.elder(world.grid_a1, birth=date(1980, 1, 1))
    answered = client_for(world.community_worker).post(
        f"{API}/meals/",
        {"point": point.pk, "resident": young.pk, "period": "lunch", "method": "id_card"},
        format="json",
    )
    assert answered.status_code == 201, answered.content
    body = answered.json()
    assert (body["government_share"], body["provider_discount"], body["elder_pays"], body["rule"]) == (
        "0.00", "0.00", "15.00", None,
    )  # fmt: skip


def test_a_rule_of_another_district_does_not_apply(world, rules):
    from tests.world import region

    other = region("弋江区", 2, world.city)
    f.meal_rule(other, gov="14")
    point = f.meal_point(world.grid_a1, price="15.00")
    elder = f.elder(world.grid_a1, birth=date(1955, 1, 1))
    assert meal_price(point, elder, timezone.localdate()).government_share == Decimal(5)


def test_one_meal_per_elder_and_period(world, rules):
    point = f.meal_point(world.grid_a1)
    elder = f.elder(world.grid_a1)
    client = client_for(world.community_worker)
    body = {"point": point.pk, "resident": elder.pk, "period": "lunch", "method": "code"}
    assert client.post(f"{API}/meals/", body, format="json").status_code == 201
    assert_error(client.post(f"{API}/meals/", body, format="json"), 409, "meal_already_recorded")
    assert client.post(f"{API}/meals/", {**body, "period": "dinner"}, format="json").status_code == 201
    assert MealRecord.objects.filter(resident=elder).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_terminals_recording_the_same_meal_at_once_count_it_once():
    """Real concurrent transactions on PostgreSQL, each on its own connection: the unique
    constraint lets one through and the other gets the 409 conflict."""
    from tests.world import build_world

    world = build_world()
    f.meal_rule(world.district)
    point = f.meal_point(world.grid_a1)
    elder = f.elder(world.grid_a1)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def terminal():
        try:
            start.wait(timeout=10)
            meal_record(
                actor=world.community_worker,
                point=point.pk,
                resident=elder.pk,
                period="lunch",
                method="id_card",
            )
            outcomes.append("recorded")
        except Conflict as refused:
            outcomes.append(str(refused.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=terminal) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["meal_already_recorded", "recorded"]
    assert MealRecord.objects.filter(resident=elder, period="lunch").count() == 1


def _months_ago(n: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def test_a_settlement_equals_its_meal_records_and_never_changes_after(world, rules):
    point = f.meal_point(world.grid_a1)
    two_ago, last = _months_ago(2), _months_ago(1)
    for day, gov in ((0, "5"), (1, "10"), (2, "3")):
        f.meal(point, f.elder(world.grid_a1), on=two_ago + timedelta(days=day), gov=gov)
    f.meal(point, f.elder(world.grid_a1), on=last, gov="5")  # next month's
    f.meal(f.meal_point(world.grid_a1), f.elder(world.grid_a1), on=two_ago, gov="7")  # another provider's
    closed = settlement_close(actor=world.community_worker, point=point.pk, month=two_ago)
    assert (closed.status, closed.meals, closed.government_total) == ("closed", 3, Decimal("18.00"))
    assert closed.government_total == sum(r.government_share for r in closed.records.all())

    # A meal of the closed month recorded late is a correction line of the next month.
    late = f.meal(point, f.elder(world.grid_a1), on=two_ago + timedelta(days=5), gov="4")
    assert_error(
        client_for(world.community_worker).post(
            f"{API}/settlements/", {"point": point.pk, "month": two_ago.isoformat()}, format="json"
        ),
        409,
        "settlement_closed",
    )
    following = settlement_close(actor=world.community_worker, point=point.pk, month=last)
    lines = [(line.kind, line.meals, line.amount, line.corrects_month) for line in following.lines.all()]
    assert lines == [("meals", 1, Decimal("5.00"), None), ("correction", 1, Decimal("4.00"), two_ago)]
    assert following.government_total == Decimal("9.00")
    late.refresh_from_db()
    assert late.settled_in == following
    closed.refresh_from_db()
    assert (closed.meals, closed.government_total, closed.lines.count()) == (3, Decimal("18.00"), 1)


def test_a_settlement_for_a_month_still_open_is_refused(world):
    point = f.meal_point(world.grid_a1)
    refused = assert_error(
        client_for(world.community_worker).post(
            f"{API}/settlements/",
            {"point": point.pk, "month": timezone.localdate().isoformat()},
            format="json",
        ),
        409,
        "month_still_open",
    )
    assert refused["message"]
    assert not MealSettlement.objects.exists()


def test_a_correction_is_a_line_of_the_next_open_month_not_a_change(world):
    point = f.meal_point(world.grid_a1)
    f.meal(point, f.elder(world.grid_a1), on=_months_ago(2), gov="6")
    closed = settlement_close(actor=world.community_worker, point=point.pk, month=_months_ago(2))
    answered = client_for(world.community_worker).post(
        f"{API}/settlements/{closed.pk}/correct/", {"amount": "-6.00", "note": "重复刷卡"}, format="json"
    )
    assert answered.status_code == 201, answered.content
    closed.refresh_from_db()
    assert closed.government_total == Decimal("6.00")
    following = settlement_close(actor=world.community_worker, point=point.pk, month=_months_ago(1))
    assert following.government_total == Decimal("-6.00")
