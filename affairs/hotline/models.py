"""12345 hotline tickets, their bounces (退单) and the messages sent back to the hotline centre."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class HotlineTicketQuerySet(RegionScopedQuerySet):
    pass


class HotlineTicket(models.Model):
    """A ticket pushed (or imported) from the hotline centre. Until it is routed it sits at the
    region the centre serves; routing opens its event and moves it to the event's grid."""

    class Status(models.TextChoices):
        UNROUTED = "unrouted", _("Unrouted")
        HANDLING = "handling", _("Handling")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        BOUNCED = "bounced", _("Bounced")

    class ReturnVisit(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")
        UNREACHABLE = "unreachable", _("Unreachable")

    class Origin(models.TextChoices):
        PUSH = "push", _("Signed push")
        IMPORT = "import", _("Batch import")

    ticket_no = models.CharField(_("ticket number"), max_length=64, unique=True)
    # Who vouched for the content: the centre's signed push, or a member of staff's import (the
    # signed push replaces an imported ticket nobody has worked on yet).
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.PUSH)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # SHA-256 of the fields as received (affairs.hotline.intake.intake_digest): a repeat of the
    # ticket number is the same ticket only if it matches, whatever 重办 has changed since.
    intake_digest = models.CharField(_("digest of the fields received"), max_length=64, blank=True)
    event = models.OneToOneField(
        "workflow.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_ticket",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNROUTED)
    received_at = models.DateTimeField(_("received at"))
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    category = models.CharField(_("category"), max_length=100)
    content = models.TextField(_("content"), max_length=5000)
    address = models.CharField(_("address"), max_length=255, blank=True)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True)
    caller_name = EncryptedTextField(_("caller's name"), blank=True, default="")
    caller_phone = EncryptedTextField(_("caller's phone"), blank=True, default="")
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # Judged when the reply is made, against the deadline then in force (重办 moves the deadline).
    replied_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    return_visit = models.CharField(_("return visit"), max_length=16, choices=ReturnVisit.choices, blank=True)
    return_visit_comment = models.CharField(_("return visit comment"), max_length=1000, blank=True)
    return_visit_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    rehandled_count = models.PositiveSmallIntegerField(_("times handled again"), default=0)
    bounce_count = models.PositiveSmallIntegerField(_("times bounced"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HotlineTicketQuerySet.as_manager()

    # A ticket still being handled follows its region; a closed or bounced one keeps its path.
    on_region_move = FollowsRegion(current=~Q(status__in=[Status.CLOSED, Status.BOUNCED]))

    class Meta:
        verbose_name = _("hotline ticket")
        verbose_name_plural = _("hotline tickets")
        ordering = ["-received_at", "-id"]
        indexes = [
            path_index("hotline", "received_at", name="hotline_path_received_idx"),
            models.Index(fields=["status", "deadline"], name="hotline_status_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.ticket_no


class HotlineReturnVisit(models.Model):
    """One return visit (回访) the centre reported, by its own visit number: the same visit sent
    again (a retry, or a captured request replayed) is recognised and changes nothing."""

    ticket = models.ForeignKey(HotlineTicket, on_delete=models.CASCADE, related_name="return_visits")
    visit_no = models.CharField(_("visit number"), max_length=64)
    result = models.CharField(_("result"), max_length=16, choices=HotlineTicket.ReturnVisit.choices)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    deadline = models.DateTimeField(_("new deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hotline return visit")
        verbose_name_plural = _("hotline return visits")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "visit_no"], name="hotline_visit_no_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.visit_no}"


class HotlineBounce(models.Model):
    """A request to send a ticket back to the centre as not ours (退单); a supervisor decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    ticket = models.ForeignKey(HotlineTicket, on_delete=models.CASCADE, related_name="bounces")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=1000)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hotline bounce")
        verbose_name_plural = _("hotline bounces")
        ordering = ["created_at", "id"]
        constraints = [
            # One pending request per ticket, enforced by the database too.
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(state="pending"), name="hotline_one_pending_bounce"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.state}"


class HotlineDelivery(models.Model):
    """One message to the hotline centre (a reply or a bounce) and how sending it went.

    The outbox row only promises that the task runs; this row is the business record the
    centre's answer is written to (attempts against its endpoint, the last error, when it was
    accepted), shown with the ticket and kept after the outbox purges its rows."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        BOUNCE = "bounce", _("Bounce")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    ticket = models.ForeignKey(HotlineTicket, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    payload = models.JSONField(_("payload"), default=dict)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hotline delivery")
        verbose_name_plural = _("hotline deliveries")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ticket_id} {self.state}"
