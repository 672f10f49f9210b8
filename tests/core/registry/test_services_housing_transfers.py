from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.accounts.roles import Role
from core.api.errors import ApplicationError, Conflict
from core.audit.models import AuditEvent
from core.registry import services
from core.registry.models import MembershipChange, Resident, Transfer
from tests.core.registry.factories import house, resident
from tests.world import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source messages; the platform speaks zh-hans by default."""
    with translation.override("en"):
        yield


def test_house_lies_in_one_grid_and_follows_its_building(world, worker_a):
    building = services.building_create(actor=worker_a, region=world.grid_a1, name="3栋")
    unit = services.unit_create(actor=worker_a, building=building.pk, name="2单元")
    home = services.house_create(actor=worker_a, address="3栋2单元101", building=building.pk, unit=unit.pk)
    assert (home.region_id, home.region_path) == (world.grid_a1.pk, world.grid_a1.path)
    with pytest.raises(ValidationError) as error:
        services.house_create(actor=worker_a, address="x", building=building.pk, region=world.grid_a2)
    assert "region" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.house_create(actor=worker_a, address="x", region=world.community_a)
    assert error.value.message_dict["region"] == ["Choose a grid."]
    with pytest.raises(ValidationError) as error:
        services.house_create(actor=worker_a, address="x", region=world.grid_a1, status="vacant")
    assert "status" in error.value.message_dict
    assert AuditEvent.objects.filter(action__startswith="registry.").count() == 3


def test_moving_a_house_to_another_grid_takes_its_current_occupants(world, worker_a):
    home = house(world.grid_a1)
    living = resident(actor=worker_a, house=home.pk)
    services.house_update(actor=worker_a, house=home, data={"region": world.grid_a2.pk})
    assert Resident.objects.get(pk=living.pk).region_id == world.grid_a2.pk
    event = AuditEvent.objects.get(action="registry.house.update")
    assert event.changes["region_id"] == {"old": world.grid_a1.pk, "new": world.grid_a2.pk}


def test_compound_and_place_names_belong_to_a_community_in_scope(world, worker_a):
    name = services.place_name_create(
        actor=worker_a, region=world.community_a, kind="compound", name="幸福里", status="nonstandard"
    )
    compound = services.compound_create(
        actor=worker_a, region=world.community_a, name="幸福里", place_name=name.pk
    )
    assert compound.place_name == name
    with pytest.raises(ValidationError):
        services.compound_create(actor=worker_a, region=world.community_b, name="别处")
    building = services.building_create(
        actor=worker_a, region=world.grid_a2, name="1栋", compound=compound.pk
    )
    assert building.compound == compound


def _transfer_setup(world, worker_a):
    home = house(world.grid_a1)
    household = services.household_create(actor=worker_a, house=home.pk)
    person = resident(actor=worker_a, house=home.pk, household=household.pk, relation="self")
    return household, person


def test_transfer_completed_by_the_receiving_community(world, worker_a, worker_b):
    household, person = _transfer_setup(world, worker_a)
    with pytest.raises(ValidationError):
        services.transfer_request(actor=worker_a, resident=person, to_region=world.community_b)
    transfer = services.transfer_request(
        actor=worker_a, resident=person, to_region=world.grid_b1, reason="搬家"
    )
    with pytest.raises(Conflict):
        services.transfer_request(actor=worker_a, resident=person, to_region=world.grid_b1)
    # The sending side cannot complete its own request.
    with pytest.raises(ApplicationError) as error:
        services.transfer_complete(actor=worker_a, transfer=transfer)
    assert error.value.status_code == 403
    # Nor may the receiver put the person into a house it cannot see.
    with pytest.raises(ValidationError):
        services.transfer_complete(actor=worker_b, transfer=transfer, house=house(world.grid_a2).pk)
    new_home = house(world.grid_b1)
    services.transfer_complete(actor=worker_b, transfer=transfer, house=new_home.pk)
    person.refresh_from_db()
    assert (person.region_id, person.region_path, person.house_id) == (
        world.grid_b1.pk,
        world.grid_b1.path,
        new_home.pk,
    )
    assert person.household_id is None
    household.refresh_from_db()
    assert household.householder_id is None
    assert MembershipChange.objects.filter(household=household, kind="transferred").exists()
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.COMPLETED
    with pytest.raises(Conflict):
        services.transfer_reject(actor=worker_b, transfer=transfer)


def test_common_supervisor_may_decide_and_reject_keeps_the_resident(world, worker_a, street_staff):
    _household, person = _transfer_setup(world, worker_a)
    transfer = services.transfer_request(actor=worker_a, resident=person, to_region=world.grid_b1)
    grid_worker_b = make_staff(Role.GRID_WORKER, world.grid_b1)  # no registry.transfer
    with pytest.raises(ApplicationError):
        services.transfer_reject(actor=grid_worker_b, transfer=transfer)
    services.transfer_reject(actor=street_staff, transfer=transfer, note="地址有误")
    person.refresh_from_db()
    assert person.region_id == world.grid_a1.pk
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.REJECTED
