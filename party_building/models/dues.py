"""Party dues (党费): each member's monthly amount as dated rows and the months paid. No payment
is processed here; a worker records what the branch received. Arrears are read from the two
(party_building.dues)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from party_building.models.members import Member

MAX_MONTHLY_AMOUNT = 100_000


class DuesAmount(models.Model):
    """The amount a member owes each month from `from_month` on (until a later row); a new
    assessment is a new row, never an edit. Zero: exempt (免交), e.g. a member in hardship."""

    member = models.ForeignKey(
        Member, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="dues_amounts"
    )
    monthly_amount = models.DecimalField(
        _("monthly amount"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MONTHLY_AMOUNT)],
    )
    from_month = models.DateField(_("from month"), help_text=_("The first day of the month."))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues amount")
        verbose_name_plural = _("dues amounts")
        constraints = [
            models.UniqueConstraint(fields=["member", "from_month"], name="pb_dues_amount_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.from_month:%Y-%m} {self.monthly_amount}"


class DuesPayment(models.Model):
    """One month's dues received (paid in that month, late, or ahead)."""

    member = models.ForeignKey(
        Member, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = models.DecimalField(
        _("amount"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MONTHLY_AMOUNT)],
    )
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="pb_dues_payment_month_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"
