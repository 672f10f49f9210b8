"""Hand-offs between domains: a producer calls one core function, the app that declares itself
the consumer receives the typed payload after commit (through the outbox), once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from core.extensions import HandoffConsumer
from core.extensions.handoffs import (
    HANDOFF_KINDS,
    CareSignal,
    HandoffKind,
    NoConsumer,
    ServiceHours,
    redeliver_pending,
    send,
)
from core.extensions.models import Handoff, ScenarioEnablement
from core.extensions.registry import registry
from core.extensions.scenarios import scenario_set_enabled
from core.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

RECEIVED: list[tuple[str, object, str]] = []
FAIL: list[bool] = []


def ledger(payload, *, key):
    if FAIL:
        FAIL.pop()
        raise RuntimeError("the ledger is down")
    RECEIVED.append(("ledger", payload, key))


def safety_handles(payload, *, key):
    RECEIVED.append(("safety", payload, key))


def care_alerts_takes_over(payload, *, key):
    RECEIVED.append(("care_alerts", payload, key))


LEDGER = HandoffConsumer(key="services.hours_ledger", handoff="service_hours", receiver=f"{__name__}.ledger")
SAFETY = HandoffConsumer(
    key="safety.care_signals", handoff="care_signal", receiver=f"{__name__}.safety_handles"
)
CARE_ALERTS = HandoffConsumer(
    key="care_alerts.care_signals",
    handoff="care_signal",
    receiver=f"{__name__}.care_alerts_takes_over",
    where_enabled=True,
)


@pytest.fixture(autouse=True)
def _installed_consumers_step_aside():
    """These tests declare their own stand-in consumers; those of installed apps (safety's care
    signal fallback, the services domain's hours ledger, affairs' re-checks) step aside for them
    and come back after."""
    declared = registry._items[HandoffConsumer.kind]
    aside = dict(declared)
    declared.clear()
    registry.generation += 1
    yield
    declared.update(aside)
    registry.generation += 1


@pytest.fixture(autouse=True)
def _clean(in_process_tasks):
    RECEIVED.clear()
    FAIL.clear()
    yield
    RECEIVED.clear()


def hours(**overrides) -> ServiceHours:
    values = {
        "hours": Decimal("2.5"),
        "served_on": date(2026, 5, 4),
        "activity": "先锋服务：为独居老人打扫卫生",
        "source": "party_building.pioneer_service:7",
        "resident_id": 41,
    }
    return ServiceHours(**{**values, **overrides})


def signal(path: str, **overrides) -> CareSignal:
    values = {
        "region_path": path,
        "resident_id": 9,
        "signal": "device_alarm",
        "occurred_at": timezone.now(),
        "source": "safety.alarm:3",
    }
    return CareSignal(**{**values, **overrides})


def test_service_hours_reach_the_ledger_after_commit_once_with_their_typed_payload(
    django_capture_on_commit_callbacks,
):
    with registry.temporarily("services", LEDGER), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send("service_hours", hours(), idempotency_key="pioneer:7:41")
            assert RECEIVED == []  # nothing before the producer's commit
        send("service_hours", hours(hours=Decimal(9)), idempotency_key="pioneer:7:41")  # a retry
    assert [("ledger", hours(), "service_hours:pioneer:7:41")] == RECEIVED
    handoff = Handoff.objects.get()
    assert (handoff.status, handoff.consumer) == ("delivered", "services.hours_ledger")
    # Delivered through the outbox, as everything after commit.
    assert OutboxMessage.objects.get().task_name == "extensions.deliver_handoff"


def test_a_rolled_back_change_hands_nothing_over(django_capture_on_commit_callbacks):
    with (
        registry.temporarily("services", LEDGER),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send("service_hours", hours(), idempotency_key="pioneer:8:41")
        raise RuntimeError("the pioneer service record fails")
    assert RECEIVED == [] and not Handoff.objects.exists()


def test_without_a_consumer_service_hours_are_kept_pending_and_delivered_once_one_is_installed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        send("service_hours", hours(), idempotency_key="pioneer:9:41")
    handoff = Handoff.objects.get()
    assert (handoff.status, handoff.last_error) == ("pending", "no consumer installed")
    with registry.temporarily("services", LEDGER):
        assert redeliver_pending() == {"delivered": 1}
        assert redeliver_pending() == {}  # nothing left: running again is harmless
    assert [who for who, *_ in RECEIVED] == ["ledger"]


def test_a_failing_consumer_leaves_the_hand_off_pending_and_it_is_tried_again(
    django_capture_on_commit_callbacks,
):
    FAIL.append(True)
    with registry.temporarily("services", LEDGER):
        with django_capture_on_commit_callbacks(execute=True):
            send("service_hours", hours(), idempotency_key="pioneer:10:41")
        handoff = Handoff.objects.get()
        assert (handoff.status, handoff.attempts) == ("pending", 1)
        assert "the ledger is down" in handoff.last_error
        assert redeliver_pending() == {"delivered": 1}
    assert len(RECEIVED) == 1


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"resident_id": None}, "resident_id or user_id"),
        ({"hours": Decimal(0)}, "hours"),
        ({"hours": 2.5}, "hours"),
        ({"served_on": datetime(2026, 5, 4, 8)}, "served_on"),
        ({"activity": ""}, "activity"),
    ],
)
def test_a_malformed_payload_is_refused_naming_the_field(overrides, problem):
    with pytest.raises(ValueError, match=problem):
        send("service_hours", hours(**overrides), idempotency_key="bad")


def test_a_payload_of_another_kind_is_refused():
    with pytest.raises(TypeError, match="carries a ServiceHours"):
        send("service_hours", signal("/1/"), idempotency_key="bad")


def test_two_consumers_of_a_one_consumer_kind_stop_start_up():
    other = HandoffConsumer(key="governance.hours", handoff="service_hours", receiver=f"{__name__}.ledger")
    with (
        registry.temporarily("services", LEDGER),
        pytest.raises(ImproperlyConfigured, match=r"already go to 'services\.hours_ledger'"),
    ):
        registry.add("governance", other)


def test_a_consumer_of_an_unknown_kind_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="'parcels' is not a hand-off kind"):
        registry.add(
            "services",
            HandoffConsumer(key="services.parcels", handoff="parcels", receiver=f"{__name__}.ledger"),
        )


# care signals -----------------------------------------------------------------------------------


@pytest.fixture
def places():
    from tests.world import build_world

    return build_world()


def test_a_care_signal_goes_to_safety_where_no_scenario_is_enabled(
    places, django_capture_on_commit_callbacks
):
    with (
        registry.temporarily("safety", SAFETY),
        registry.temporarily("care_alerts", CARE_ALERTS),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send("care_signal", signal(places.grid_a1.path), idempotency_key="alarm:3")
    assert [who for who, *_ in RECEIVED] == ["safety"]
    assert Handoff.objects.get().consumer == "safety.care_signals"


def test_a_scenario_enabled_for_the_community_takes_its_care_signals_over_and_only_there(
    places, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    scenario_set_enabled(actor=admin, scenario_key="care_alerts", region=places.community_a, enabled=True)
    with (
        registry.temporarily("safety", SAFETY),
        registry.temporarily("care_alerts", CARE_ALERTS),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send("care_signal", signal(places.grid_a1.path), idempotency_key="alarm:a")
        send(
            "care_signal",
            signal(places.grid_b1.path, signal="missed_contact"),
            idempotency_key="contact:b",
        )
    assert [(who, payload.region_path) for who, payload, _key in RECEIVED] == [
        ("care_alerts", places.grid_a1.path),
        ("safety", places.grid_b1.path),
    ]
    assert RECEIVED[1][1].signal == "missed_contact"


def test_a_community_disabled_under_an_enabled_street_falls_back_to_safety(
    places, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    scenario_set_enabled(actor=admin, scenario_key="care_alerts", region=places.street, enabled=True)
    scenario_set_enabled(actor=admin, scenario_key="care_alerts", region=places.community_b, enabled=False)
    with (
        registry.temporarily("safety", SAFETY),
        registry.temporarily("care_alerts", CARE_ALERTS),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send("care_signal", signal(places.grid_a1.path), idempotency_key="alarm:a")
        send("care_signal", signal(places.grid_b1.path), idempotency_key="alarm:b")
    assert [who for who, *_ in RECEIVED] == ["care_alerts", "safety"]


def test_a_care_signal_nobody_would_handle_is_refused_not_left_waiting(places):
    with pytest.raises(NoConsumer, match="care_signal"):
        send("care_signal", signal(places.grid_a1.path), idempotency_key="alarm:lost")
    assert not Handoff.objects.exists()


def test_enabling_a_scenario_is_audited_and_needs_a_configuration_role_over_the_place(places):
    from core.accounts.roles import Role
    from core.api.errors import ApplicationError
    from core.audit.models import AuditEvent
    from tests.world import make_staff

    admin = make_staff(Role.SYSTEM_ADMIN, places.district)
    row = scenario_set_enabled(
        actor=admin, scenario_key="care_alerts", region=places.community_a, enabled=True
    )
    scenario_set_enabled(actor=admin, scenario_key="care_alerts", region=places.community_a, enabled=False)
    assert ScenarioEnablement.objects.get().enabled is False
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "region_path"))
    assert actions == [
        ("extensions.scenario.enable", row.region_path),
        ("extensions.scenario.disable", row.region_path),
    ]
    worker = make_staff(Role.COMMUNITY_WORKER, places.community_a)
    with pytest.raises(ApplicationError) as refused:
        scenario_set_enabled(
            actor=worker, scenario_key="care_alerts", region=places.community_a, enabled=True
        )
    assert refused.value.status_code == 403


@dataclass(frozen=True)
class Parcel:
    """A third kind, declared by a test in one line below."""

    resident_id: int
    note: str

    def problems(self) -> list[str]:
        return [] if self.note else ["note is required"]


def parcel_desk(payload, *, key):
    RECEIVED.append(("parcels", payload, key))


def test_a_third_hand_off_kind_is_one_declaration(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setitem(HANDOFF_KINDS, "parcel", HandoffKind("parcel", Parcel))
    desk = HandoffConsumer(key="services.parcel_desk", handoff="parcel", receiver=f"{__name__}.parcel_desk")
    with registry.temporarily("services", desk), django_capture_on_commit_callbacks(execute=True):
        send("parcel", Parcel(resident_id=3, note="代收快递"), idempotency_key="parcel:1")
    assert [("parcels", Parcel(resident_id=3, note="代收快递"), "parcel:parcel:1")] == RECEIVED


def test_delivery_and_redelivery_are_tasks_a_worker_finds_and_beat_schedules():
    from config.celery import app as celery_app

    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert {"extensions.deliver_handoff", "outbox.redeliver_handoffs", "retention.apply"} <= set(
        celery_app.tasks
    )
    beat = registry.get("periodic_tasks", "outbox.redeliver_handoffs")
    assert beat.task == "outbox.redeliver_handoffs" and beat.expires_seconds
