"""Inputs and outputs of party dues (/members/{id}/dues…, /organizations/{id}/dues-arrears/)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from party_building.models.dues import MAX_MONTHLY_AMOUNT

MONTH_HELP = "any day of the month names it; answered as the month's first day"


class DuesAmountInput(StrictSerializer):
    monthly_amount = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal(0), max_value=Decimal(MAX_MONTHLY_AMOUNT)
    )
    from_month = serializers.DateField(help_text=MONTH_HELP)


class DuesPaymentInput(StrictSerializer):
    month = serializers.DateField(help_text=MONTH_HELP)
    amount = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(MAX_MONTHLY_AMOUNT)
    )
    paid_on = serializers.DateField()


class DuesAmountOutput(serializers.Serializer):
    monthly_amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    from_month = serializers.DateField()


class DuesPaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField()
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    paid_on = serializers.DateField()


class StandingOutput(serializers.Serializer):
    assessed = serializers.BooleanField(help_text="false: no monthly amount set yet, nothing counted")
    unpaid_months = serializers.ListField(child=serializers.DateField())
    owed = serializers.DecimalField(max_digits=10, decimal_places=2)
    consecutive_unpaid = serializers.IntegerField(help_text="unpaid months in a row up to last month")
    lapsed = serializers.BooleanField(help_text="six or more in a row (党章 art. 9): the branch must act")


class MemberDuesOutput(serializers.Serializer):
    member = serializers.IntegerField()
    amounts = DuesAmountOutput(many=True)
    standing = StandingOutput()


class ArrearsRowOutput(serializers.Serializer):
    member = serializers.IntegerField()
    name = MaskedTextField()
    standing = StandingOutput()


class ArrearsOutput(serializers.Serializer):
    organization = serializers.IntegerField()
    as_of = serializers.DateField()
    results = ArrearsRowOutput(many=True)
