"""Party dues: monthly amounts as dated rows, months paid, arrears read from the two, and six
unpaid months in a row flagged (党章 art. 9); bad payments refused, nothing half-written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from party_building import dues, rules
from party_building.models import DuesAmount, DuesPayment
from tests.helpers import assert_error, client_for
from tests.party_building import factories as f

MEMBERS = "/api/v1/party-building/members/"
ORGANIZATIONS = "/api/v1/party-building/organizations/"


def month(offset: int) -> date:
    """The month `offset` months from this one (0: this month)."""
    return rules.months_later(rules.month_of(timezone.localdate()), offset)


def test_standing_counts_months_over_unpaid_by_the_amount_in_force(world):
    member = f.member(f.organization(world.grid_a1), joined_on=date(2024, 3, 15))
    amounts = [
        DuesAmount.objects.create(
            member=member, monthly_amount=Decimal("10.00"), from_month=date(2024, 1, 1)
        ),
        DuesAmount.objects.create(member=member, monthly_amount=Decimal("0.00"), from_month=date(2024, 6, 1)),
        DuesAmount.objects.create(
            member=member, monthly_amount=Decimal("25.50"), from_month=date(2024, 8, 1)
        ),
    ]
    paid = {date(2024, 4, 1), date(2024, 8, 1), date(2025, 1, 1)}  # the last ahead of "today"
    standing = dues.standing_of(member, date(2024, 12, 31), amounts=amounts, paid_months=paid)
    # By hand: March (the joining month) and May at 10; June and July exempt; September to
    # November at 25.50; December is not over yet.
    assert standing.unpaid_months == [date(2024, 3, 1), date(2024, 5, 1)] + [
        date(2024, m, 1) for m in (9, 10, 11)
    ]
    assert standing.owed == Decimal("96.50")
    assert (standing.consecutive_unpaid, standing.lapsed) == (3, False)
    later = dues.standing_of(member, date(2025, 6, 2), amounts=amounts, paid_months=paid)
    # December, then January paid ahead breaks the run, then February to May.
    assert (later.consecutive_unpaid, later.lapsed) == (4, False)
    assert dues.standing_of(member, date(2025, 9, 1), amounts=amounts, paid_months=paid).lapsed  # Feb–Aug: 7


def test_no_amount_set_nothing_owed(world):
    member = f.member(f.organization(world.grid_a1))
    standing = dues.standing_of(member, timezone.localdate())
    assert (standing.assessed, standing.unpaid_months, standing.lapsed) == (False, [], False)


def test_a_worker_sets_an_amount_records_payments_and_sees_the_arrears(world):
    branch = f.organization(world.grid_a1)
    lapsing = f.member(branch, joined_on=date(2015, 7, 1))
    paying = f.member(branch, joined_on=date(2015, 7, 1))
    client = client_for(world.community_worker)
    for member in (lapsing, paying):
        response = client.post(
            f"{MEMBERS}{member.pk}/dues-amount/",
            {"monthly_amount": "12.00", "from_month": month(-8).isoformat()},
            format="json",
        )
        assert response.status_code == 201, response.content
    for offset in range(-8, 0):
        payload = {
            "month": month(offset).replace(day=20).isoformat(),
            "amount": "12.00",
            "paid_on": "2020-01-01",
        }
        payload["paid_on"] = timezone.localdate().isoformat()
        assert client.post(f"{MEMBERS}{paying.pk}/dues-payments/", payload, format="json").status_code == 201
        if offset == -8:
            assert (
                client.post(f"{MEMBERS}{lapsing.pk}/dues-payments/", payload, format="json").status_code
                == 201
            )

    mine = client.get(f"{MEMBERS}{lapsing.pk}/dues/").json()
    assert mine["amounts"] == [{"monthly_amount": "12.00", "from_month": month(-8).isoformat()}]
    assert mine["standing"]["unpaid_months"] == [month(o).isoformat() for o in range(-7, 0)]
    assert (mine["standing"]["owed"], mine["standing"]["consecutive_unpaid"]) == ("84.00", 7)
    assert mine["standing"]["lapsed"] is True

    arrears = client.get(f"{ORGANIZATIONS}{branch.pk}/dues-arrears/").json()
    assert [row["member"] for row in arrears["results"]] == [lapsing.pk]  # the paid-up member is not listed
    assert arrears["results"][0]["standing"]["lapsed"] is True

    payments = client.get(f"{MEMBERS}{paying.pk}/dues-payments/").json()
    assert [row["month"] for row in payments["results"]] == [month(o).isoformat() for o in range(-1, -9, -1)]


def test_bad_payments_are_refused_and_nothing_is_written(world):
    member = f.member(f.organization(world.grid_a1), joined_on=date(2015, 7, 1))
    client = client_for(world.community_worker)
    url = f"{MEMBERS}{member.pk}/dues-payments/"
    today = timezone.localdate().isoformat()
    pay = {"month": month(-1).isoformat(), "amount": "10.00", "paid_on": today}
    assert_error(client.post(url, pay, format="json"), 400, "dues_not_assessed", ["month"])
    amount_url = f"{MEMBERS}{member.pk}/dues-amount/"
    before_joining = {"monthly_amount": "10.00", "from_month": "2015-06-01"}
    assert_error(
        client.post(amount_url, before_joining, format="json"), 400, "dues_before_joining", ["from_month"]
    )
    first = {"monthly_amount": "10.00", "from_month": "2015-07-01"}
    assert client.post(amount_url, first, format="json").status_code == 201
    assert_error(client.post(amount_url, first, format="json"), 409, "dues_amount_exists")
    negative = {"monthly_amount": "-1", "from_month": "2016-01-01"}
    assert_error(client.post(amount_url, negative, format="json"), 400, "invalid", ["monthly_amount"])

    assert client.post(url, pay, format="json").status_code == 201
    assert_error(client.post(url, pay, format="json"), 409, "dues_month_paid")
    ahead = {**pay, "month": month(rules.DUES_PREPAY_MONTHS).isoformat()}
    assert_error(client.post(url, ahead, format="json"), 400, "dues_too_far_ahead", ["month"])
    assert (
        client.post(
            url, {**pay, "month": month(rules.DUES_PREPAY_MONTHS - 1).isoformat()}, format="json"
        ).status_code
        == 201
    )
    early = {**pay, "month": "2015-06-01"}
    assert_error(client.post(url, early, format="json"), 400, "dues_before_joining", ["month"])
    future_paid_on = {**pay, "month": month(-2).isoformat(), "paid_on": month(2).isoformat()}
    assert_error(client.post(url, future_paid_on, format="json"), 400, "invalid", ["paid_on"])
    zero = {**pay, "month": month(-3).isoformat(), "amount": "0"}
    assert_error(client.post(url, zero, format="json"), 400, "invalid", ["amount"])
    assert DuesPayment.objects.count() == 2 and DuesAmount.objects.count() == 1

    member.status = member.Status.TRANSFERRED_OUT
    member.save(update_fields=["status"])
    assert_error(
        client.post(url, {**pay, "month": month(-4).isoformat()}, format="json"), 409, "transferred_out"
    )


def test_another_communitys_worker_gets_404(world):
    member = f.member(f.organization(world.grid_a1))
    branch = member.organization
    client = client_for(world.worker_b)
    assert client.get(f"{MEMBERS}{member.pk}/dues/").status_code == 404
    assert client.get(f"{ORGANIZATIONS}{branch.pk}/dues-arrears/").status_code == 404
    payload = {"monthly_amount": "10.00", "from_month": "2020-01-01"}
    assert client.post(f"{MEMBERS}{member.pk}/dues-amount/", payload, format="json").status_code == 404
    assert DuesAmount.objects.count() == 0
