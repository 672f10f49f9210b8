"""Read-only staff (street, district) open a resident's page in the admin: 200, never 500
(`KeyError: 'region'` when the form had no editable field), and a minor's name stays masked
there too (issue 13)."""

from __future__ import annotations

import pytest

from core.accounts import two_factor
from core.registry import services
from tests.core.registry.factories import ADMIN_RESIDENTS, born, house, resident
from tests.world import PASSWORD, id_number

pytestmark = pytest.mark.django_db
CHILD = "钱小多"


@pytest.mark.parametrize("role", ["street_staff", "district_staff"])
def test_read_only_staff_see_every_resident_page(client, world, role):
    worker = world.community_worker
    home = house(world.grid_a1, actor=worker)
    household = services.household_create(actor=worker, house=home.pk)
    adult = resident(actor=worker, household=household.pk, house=home.pk, relation="self", name="钱大多")
    child = resident(
        actor=worker,
        household=household.pk,
        house=home.pk,
        relation="child",
        name=CHILD,
        document_number=id_number(born(12)),
    )
    staff = getattr(world, role)
    # Staff above the community sign in with their second factor (core/accounts/admin_login.py).
    code = two_factor.demo_second_factor(staff).current_code
    client.post("/admin/login/", {"username": staff.username, "password": PASSWORD, "otp_token": code})
    assert client.get(ADMIN_RESIDENTS).status_code == 200
    for person in (adult, child):
        response = client.get(f"{ADMIN_RESIDENTS}{person.pk}/change/")
        assert response.status_code == 200, response.content[:300]
        page = response.content.decode()
        assert "钱**" in page if person is child else "钱大多" in page
        assert CHILD not in page
        # Read-only: nothing to submit.
        assert 'name="_save"' not in page
    household_page = client.get(f"/admin/registry/household/{household.pk}/change/")
    assert household_page.status_code == 200 and CHILD not in household_page.content.decode()
