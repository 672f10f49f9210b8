"""Tenancies: the rented house becomes the tenant's residence and "rented" while a tenancy is
current; when the last one ends, occupancy follows who still lives there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.api.errors import NOT_FOUND_IN_PAYLOAD, Conflict
from core.audit.models import AuditEvent
from core.registry import services
from core.registry.models import House, Resident, Tenancy
from tests.core.registry.factories import field_messages, house, resident

pytestmark = pytest.mark.django_db
START = date(2024, 3, 1)


@pytest.fixture
def letting(world, worker_a):
    """A vacant flat in 第2网格 whose owner lives elsewhere, and a tenant registered in 第1网格."""
    owner = resident(grid=world.grid_a1, actor=worker_a, name="房东")
    flat = house(world.grid_a2, actor=worker_a, occupancy="vacant", owner=owner.pk)
    tenant = resident(grid=world.grid_a1, actor=worker_a, name="租客", residence_type="floating")
    return owner, flat, tenant


def occupancy(flat) -> str:
    return House.objects.get(pk=flat.pk).occupancy


def test_start_makes_the_house_rented_and_the_tenants_residence(world, worker_a, letting):
    owner, flat, tenant = letting
    tenancy = services.tenancy_start(actor=worker_a, resident=tenant, house=flat.pk, starts_on=START)
    assert (tenancy.owner, tenancy.ends_on, tenancy.is_current) == (owner, None, True)
    assert occupancy(flat) == House.Occupancy.RENTED
    tenant.refresh_from_db()
    assert (tenant.house_id, tenant.region_id, tenant.region_path) == (
        flat.pk,
        world.grid_a2.pk,
        world.grid_a2.path,
    )
    event = AuditEvent.objects.get(action="registry.tenancy.start")
    assert (event.object_type, event.object_id, event.region_path) == (
        "registry.tenancy",
        str(tenancy.pk),
        world.grid_a2.path,
    )
    assert event.changes["house.occupancy"] == {"old": "vacant", "new": "rented"}
    assert event.changes["resident.house_id"] == {"old": None, "new": flat.pk}
    assert event.changes["owner_id"] == {"old": None, "new": owner.pk}


def test_start_refuses_what_it_must(world, worker_a, worker_b, letting):
    owner, flat, tenant = letting
    for other in (house(world.grid_b1).pk, 987654):
        with pytest.raises(ValidationError) as error:
            services.tenancy_start(actor=worker_a, resident=tenant, house=other, starts_on=START)
        assert field_messages(error, "house") == [str(NOT_FOUND_IN_PAYLOAD)]
    with pytest.raises(ValidationError) as error:
        services.tenancy_start(
            actor=worker_b, resident=tenant, house=house(world.grid_b1).pk, starts_on=START
        )
    assert field_messages(error, "resident") == [str(NOT_FOUND_IN_PAYLOAD)]
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.tenancy_start(actor=worker_a, resident=tenant, house=flat, starts_on=tomorrow)
    assert "starts_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.tenancy_start(actor=worker_a, resident=owner, house=flat, starts_on=START)
    assert "resident" in error.value.message_dict  # nobody rents their own house
    services.tenancy_start(actor=worker_a, resident=tenant, house=flat, starts_on=START)
    with pytest.raises(Conflict) as conflict:
        services.tenancy_start(actor=worker_a, resident=tenant, house=house(world.grid_a1), starts_on=START)
    assert conflict.value.code == "tenancy_current"
    leaver = resident(grid=world.grid_a1, actor=worker_a)
    services.resident_move_out(actor=worker_a, resident=leaver, moved_out_on=START)
    with pytest.raises(Conflict):
        services.tenancy_start(actor=worker_a, resident=leaver, house=flat, starts_on=START)
    assert Tenancy.objects.count() == 1


def test_the_house_stays_rented_until_its_last_tenant_leaves_then_is_vacant(world, worker_a, letting):
    _owner, flat, tenant = letting
    flatmate = resident(grid=world.grid_a1, actor=worker_a, name="合租")
    first = services.tenancy_start(actor=worker_a, resident=tenant, house=flat, starts_on=START)
    second = services.tenancy_start(actor=worker_a, resident=flatmate, house=flat, starts_on=START)
    services.tenancy_end(actor=worker_a, tenancy=first, ends_on=date(2024, 6, 30))
    assert occupancy(flat) == House.Occupancy.RENTED
    tenant.refresh_from_db()
    assert (
        tenant.house_id is None and tenant.region_id == world.grid_a2.pk
    )  # left; where to is not known here
    services.tenancy_end(actor=worker_a, tenancy=second)
    assert occupancy(flat) == House.Occupancy.VACANT
    event = AuditEvent.objects.filter(action="registry.tenancy.end").latest("id")
    assert event.changes["house.occupancy"] == {"old": "rented", "new": "vacant"}
    with pytest.raises(Conflict) as conflict:
        services.tenancy_end(actor=worker_a, tenancy=second)
    assert conflict.value.code == "tenancy_ended"


def test_a_house_whose_owner_lives_there_is_self_occupied_again(world, worker_a):
    home = house(world.grid_a1, actor=worker_a)
    owner = resident(actor=worker_a, house=home.pk, name="业主")
    services.house_update(actor=worker_a, house=home, data={"owner": owner.pk})
    lodger = resident(grid=world.grid_a1, actor=worker_a)
    tenancy = services.tenancy_start(actor=worker_a, resident=lodger, house=home, starts_on=START)
    with pytest.raises(ValidationError) as error:
        services.tenancy_end(actor=worker_a, tenancy=tenancy, ends_on=START - timedelta(days=1))
    assert "ends_on" in error.value.message_dict
    # While a tenancy is current, occupancy is not set by hand.
    with pytest.raises(ValidationError) as error:
        services.house_update(actor=worker_a, house=home, data={"occupancy": "vacant"})
    assert "occupancy" in error.value.message_dict
    services.tenancy_end(actor=worker_a, tenancy=tenancy)
    assert occupancy(home) == House.Occupancy.SELF_OCCUPIED


@pytest.mark.parametrize("leaves", ["move_out", "death", "move_elsewhere"])
def test_a_tenancy_ends_when_its_tenant_no_longer_lives_there(world, worker_a, letting, leaves):
    _owner, flat, tenant = letting
    tenancy = services.tenancy_start(actor=worker_a, resident=tenant, house=flat, starts_on=START)
    on = date(2024, 9, 1)
    if leaves == "move_out":
        services.resident_move_out(actor=worker_a, resident=tenant, moved_out_on=on)
    elif leaves == "death":
        services.resident_record_death(actor=worker_a, resident=tenant, died_on=on)
    else:
        services.resident_move_in(actor=worker_a, resident=tenant, house=house(world.grid_a1), moved_in_on=on)
    tenancy.refresh_from_db()
    assert tenancy.ends_on == on and occupancy(flat) == House.Occupancy.VACANT
    assert AuditEvent.objects.filter(action="registry.tenancy.end", object_id=str(tenancy.pk)).exists()
    if leaves == "move_out":  # the last known residence stays on the record
        assert Resident.objects.get(pk=tenant.pk).house_id == flat.pk
