"""Hand-offs between domains: one domain hands something to another without importing it.

A hand-off kind is declared here, once, with the typed payload it carries:

    SERVICE_HOURS = HandoffKind("service_hours", ServiceHours)

A producer calls `send(...)` inside the transaction of its change; the hand-off is recorded
(models.Handoff, unique by its idempotency key) and delivered after commit through the outbox.
The consumer is an app that declares `HandoffConsumer(handoff="service_hours", receiver=...)` in
its contributions.py; the receiver runs in a transaction of its own that also marks the hand-off
delivered, so it takes effect once however often it is delivered.

- service hours (party building's pioneer service and others feed the services domain's one
  hours ledger): at most one consumer. With none installed the hand-off is kept pending, and
  delivered by the beat task `outbox.redeliver_handoffs` once a consumer is installed.
- care signals (the safety domain's device alarms and missed contacts): placed. A scenario that
  declares a consumer with `where_enabled=True` takes a signal over where it is enabled for the
  signal's place (the nearest ScenarioEnablement at or above it); elsewhere the kind's fallback
  handler (safety itself) takes it. With no handler at all `send` refuses (NoConsumer): an alarm
  must never wait unseen.
- patrol requests (a scenario's weather warning asks the safety domain for patrols for people
  sleeping rough in a community): at most one consumer (safety plans shifts on the community's
  routes). With none installed `send` refuses (NoConsumer) and the scenario keeps its own task.

Adding another kind is one `HandoffKind(...)` line below (and its payload dataclass).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("smartcommunity.handoffs")

MAX_ATTEMPTS = 10  # a receiver that keeps failing is left for a person to look at (last_error)


class NoConsumer(Exception):
    """No installed app takes this hand-off, and its kind refuses rather than waits."""


# payloads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceHours:
    """Hours of volunteer service by a person, for the services domain's one hours ledger.

    The person is a resident record or an account (at least one); `source` names the producing
    activity's record (e.g. "party_building.pioneer_service:42"), so the ledger can show where
    the hours came from.
    """

    hours: Decimal
    served_on: date
    activity: str
    source: str
    resident_id: int | None = None
    user_id: int | None = None

    def problems(self) -> list[str]:
        found = []
        if self.resident_id is None and self.user_id is None:
            found.append("name the person: resident_id or user_id")
        if not isinstance(self.hours, Decimal) or not Decimal(0) < self.hours <= Decimal(24):
            found.append("hours is a Decimal above 0 and at most 24 (one day's service)")
        if not isinstance(self.served_on, date) or isinstance(self.served_on, datetime):
            found.append("served_on is a date")
        if not self.activity or len(self.activity) > 200:
            found.append("activity is a non-empty text of at most 200 characters")
        if not self.source or len(self.source) > 200:
            found.append("source is a non-empty text of at most 200 characters")
        return found


@dataclass(frozen=True)
class CareSignal:
    """A resident who may need help now: a device alarm, or a missed contact (not responding).

    `region_path` is the place (the resident's grid); `signal` a stable code such as
    "device_alarm" or "missed_contact"; `source` the producing record ("safety.alarm:7");
    `device` the device that raised it, when one did ("safety.device:3"), so that its false
    alarms can be counted.
    """

    region_path: str
    resident_id: int
    signal: str
    occurred_at: datetime
    source: str
    detail: str = ""
    device: str = ""

    SIGNALS = ("device_alarm", "missed_contact")

    def problems(self) -> list[str]:
        found = []
        if not self.region_path.startswith("/") or not self.region_path.endswith("/"):
            found.append("region_path is a region's path, e.g. '/1/2/3/4/5/'")
        if self.signal not in self.SIGNALS:
            found.append(f"signal is one of {', '.join(self.SIGNALS)}")
        if not isinstance(self.occurred_at, datetime):
            found.append("occurred_at is a datetime")
        if not self.source:
            found.append("source is required")
        return found


@dataclass(frozen=True)
class BenefitRecheck:
    """A benefit recipient whose situation changed (income above the standard, death), found by a
    scenario's rules from other offices' data: the affairs domain's re-check of the household's
    benefits. `grace_until` is the end of the gradual exit (渐退期) when the rise comes from work;
    `source` names the producing flag ("low_income.flag:12")."""

    region_path: str
    household_id: int
    resident_id: int
    reason: str
    occurred_on: date
    source: str
    grace_until: date | None = None

    REASONS = ("income_above_standard", "died")

    def problems(self) -> list[str]:
        found = []
        if not self.region_path.startswith("/") or not self.region_path.endswith("/"):
            found.append("region_path is a region's path, e.g. '/1/2/3/4/5/'")
        if self.reason not in self.REASONS:
            found.append(f"reason is one of {', '.join(self.REASONS)}")
        if not isinstance(self.occurred_on, date) or isinstance(self.occurred_on, datetime):
            found.append("occurred_on is a date")
        if self.grace_until is not None and (
            not isinstance(self.grace_until, date) or isinstance(self.grace_until, datetime)
        ):
            found.append("grace_until is a date or None")
        if not self.source:
            found.append("source is required")
        return found


@dataclass(frozen=True)
class PatrolRequest:
    """Patrols for people sleeping rough asked of the safety domain in a community for a period
    (寒冬送温暖、夏季送清凉): a scenario's weather warning. `kind` is the patrol's kind,
    "winter_warmth" or "summer_cooling"; `source` names the producing record
    ("extreme_weather.warning:12")."""

    region_path: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    source: str

    KINDS = ("winter_warmth", "summer_cooling")

    def problems(self) -> list[str]:
        found = []
        if not self.region_path.startswith("/") or not self.region_path.endswith("/"):
            found.append("region_path is a region's path, e.g. '/1/2/3/4/'")
        if self.kind not in self.KINDS:
            found.append(f"kind is one of {', '.join(self.KINDS)}")
        if not isinstance(self.starts_at, datetime) or not isinstance(self.ends_at, datetime):
            found.append("starts_at and ends_at are datetimes")
        elif self.ends_at <= self.starts_at:
            found.append("ends_at is after starts_at")
        if not self.source:
            found.append("source is required")
        return found


# kinds ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoffKind:
    name: str
    payload: type
    # Placed kinds carry a region_path; scenarios enabled there take them over.
    placed: bool = False
    # With no consumer: keep the hand-off pending until one is installed, or refuse to send it.
    keep_pending: bool = True


SERVICE_HOURS = HandoffKind("service_hours", ServiceHours)
CARE_SIGNAL = HandoffKind("care_signal", CareSignal, placed=True, keep_pending=False)
# Kept pending until the affairs domain declares its consumer (its re-check of the benefits).
BENEFIT_RECHECK = HandoffKind("benefit_recheck", BenefitRecheck)
# Refused without a consumer: the scenario then opens a patrol task of its own.
PATROL_REQUEST = HandoffKind("patrol_request", PatrolRequest, keep_pending=False)

HANDOFF_KINDS: dict[str, HandoffKind] = {
    kind.name: kind for kind in (SERVICE_HOURS, CARE_SIGNAL, BENEFIT_RECHECK, PATROL_REQUEST)
}


# the payload in the database (JSON) and back ------------------------------------------------


def _to_json(payload) -> dict[str, Any]:
    data = {}
    for f in dataclasses.fields(payload):
        value = getattr(payload, f.name)
        data[f.name] = value.isoformat() if isinstance(value, date | datetime) else value
        if isinstance(value, Decimal):
            data[f.name] = str(value)
    return data


def _from_json(kind: HandoffKind, data: dict[str, Any]):
    values = {}
    for f in dataclasses.fields(kind.payload):
        value = data.get(f.name)
        annotation = str(f.type)
        if value is not None and annotation.startswith("Decimal"):
            value = Decimal(value)
        elif value is not None and annotation.startswith("datetime"):
            value = datetime.fromisoformat(value)
        elif value is not None and annotation.startswith("date"):
            value = date.fromisoformat(value)
        if f.name in data:
            values[f.name] = value
    return kind.payload(**values)


# sending --------------------------------------------------------------------------------------


def send(kind: HandoffKind | str, payload, *, idempotency_key: str):
    """Hand `payload` over to the app that takes this kind, after the current transaction commits.

    Call inside the producer's transaction. The same `idempotency_key` sent again keeps the first
    hand-off (a producer may retry safely). Raises ValueError for a malformed payload and
    NoConsumer when the kind refuses to wait and nobody would take it.
    """
    from core.extensions.models import Handoff
    from core.outbox.services import enqueue_task

    kind = HANDOFF_KINDS[kind] if isinstance(kind, str) else kind
    if not isinstance(payload, kind.payload):
        raise TypeError(
            f"A {kind.name} hand-off carries a {kind.payload.__name__}, not {type(payload).__name__}"
        )
    problems = payload.problems()
    if problems:
        raise ValueError(f"{kind.name} hand-off: {'; '.join(problems)}")
    if not idempotency_key or len(idempotency_key) > 150:
        raise ValueError("An idempotency key is a non-empty string of at most 150 characters")
    if not kind.keep_pending and consumer_for(kind, payload) is None:
        raise NoConsumer(f"No installed app takes hand-offs of kind {kind.name!r}; declare a HandoffConsumer")
    with transaction.atomic():
        handoff, created = Handoff.objects.get_or_create(
            idempotency_key=f"{kind.name}:{idempotency_key}",
            defaults={
                "kind": kind.name,
                "payload": _to_json(payload),
                "region_path": getattr(payload, "region_path", "") if kind.placed else "",
            },
        )
        if created:
            enqueue_task(
                "extensions.deliver_handoff",
                args=[handoff.pk],
                idempotency_key=f"handoff:{handoff.pk}",
                queue="default",
            )
    return handoff


# routing --------------------------------------------------------------------------------------


def consumer_for(kind: HandoffKind, payload):
    """The HandoffConsumer that takes this payload now, or None."""
    from core.extensions.contributions import HandoffConsumer
    from core.extensions.registry import registry

    declared = [c for c in registry.items(HandoffConsumer.kind) if c.handoff == kind.name]
    if kind.placed:
        takeover = _scenario_taking_over(
            [c for c in declared if c.where_enabled], payload.region_path, registry
        )
        if takeover is not None:
            return takeover
    return next((c for c in declared if not c.where_enabled), None)


def _scenario_taking_over(candidates, region_path: str, registry):
    if not candidates:
        return None
    from core.extensions.scenarios import enabled_scenarios_at

    by_scenario = {registry.owner(c.kind, c.key): c for c in sorted(candidates, key=lambda c: c.key)}
    enabled = enabled_scenarios_at(region_path, scenario_keys=list(by_scenario))
    return by_scenario[enabled[0]] if enabled else None


# delivering -----------------------------------------------------------------------------------


def deliver(handoff_id: int) -> str:
    """Deliver one pending hand-off to its consumer; what happened ("delivered", "pending",
    "failed", "done before"). Safe to call twice: a delivered hand-off is not delivered again."""
    from core.extensions.models import Handoff

    with transaction.atomic():
        handoff = Handoff.objects.select_for_update().filter(pk=handoff_id).first()
        if handoff is None or handoff.status != Handoff.Status.PENDING:
            return "done before"
        kind = HANDOFF_KINDS.get(handoff.kind)
        payload = _from_json(kind, handoff.payload) if kind else None
        consumer = consumer_for(kind, payload) if kind else None
        if consumer is None:
            handoff.last_error = "no consumer installed"
            handoff.save(update_fields=["last_error"])
            return "pending"
        try:
            with transaction.atomic():
                import_string(consumer.receiver)(payload, key=handoff.idempotency_key)
        except Exception as exc:
            logger.exception("hand-off %s to %s failed", handoff.pk, consumer.key)
            handoff.attempts += 1
            handoff.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            handoff.save(update_fields=["attempts", "last_error"])
            return "failed"
        handoff.status = Handoff.Status.DELIVERED
        handoff.consumer = consumer.key
        handoff.delivered_at = timezone.now()
        handoff.last_error = ""
        handoff.save(update_fields=["status", "consumer", "delivered_at", "last_error"])
    return "delivered"


def redeliver_pending(*, limit: int = 500) -> dict[str, int]:
    """Deliver what is still pending (no consumer was installed, a receiver failed), oldest first."""
    from core.extensions.contributions import HandoffConsumer
    from core.extensions.models import Handoff
    from core.extensions.registry import registry

    # Kinds nobody takes yet stay as they are, without a visit per row.
    taken = {c.handoff for c in registry.items(HandoffConsumer.kind)}
    ids = list(
        Handoff.objects.filter(status=Handoff.Status.PENDING, attempts__lt=MAX_ATTEMPTS, kind__in=taken)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    outcome: dict[str, int] = {}
    for handoff_id in ids:
        result = deliver(handoff_id)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome
