"""Work that must follow a commit, written in the same transaction as the change.

A row is the promise "this task will run / this push will go out"; the relay (core.outbox.relay)
keeps it until the broker or channel layer has accepted it, so a Redis outage delays the work
instead of losing it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, dead_at__isnull=True)

    def due(self, now=None):
        now = now or timezone.now()
        return (
            self.pending()
            .filter(available_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        )


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        CELERY_TASK = "celery_task", _("Celery task")
        CHANNEL_GROUP_SEND = "channel_group_send", _("Websocket group message")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Consumers dedupe by this key; enqueuing the same key twice keeps the first message.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    # Primary keys and other plain values only: never personal data.
    args = models.JSONField(_("arguments"), default=list, blank=True)
    queue = models.CharField(_("queue"), max_length=64, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Not published before this time (a countdown kept here, not in the broker, so no message
    # ever waits in Redis longer than the visibility timeout).
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    # A relay that took the row publishes it before this time, or another relay may take it.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Given up after OUTBOX_MAX_ATTEMPTS failures that were not the broker being unreachable.
    dead_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The relay's scan: only pending rows, in order. Stays small however long the log grows.
            models.Index(
                fields=["id"],
                name="outbox_pending_idx",
                condition=Q(sent_at__isnull=True, dead_at__isnull=True),
            ),
            models.Index(fields=["sent_at"], name="outbox_sent_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class ProcessedTask(models.Model):
    """A task delivery whose effect has happened; a redelivery with the same key does nothing."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    task_name = models.CharField(_("task"), max_length=200)
    processed_at = models.DateTimeField(_("processed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("processed task")
        verbose_name_plural = _("processed tasks")

    def __str__(self) -> str:
        return f"{self.task_name} {self.idempotency_key}"
