"""Personal data never leaves unmasked in the register's lists and details (issue 13): for random
residents (an ID number of any birth date and sex, a mobile number), no response body of the
resident list, the resident detail or the grid worker's list holds the full ID number, its 8-digit
birth date or the full mobile, for any role. Only the audited reveal endpoint answers them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.registry.factories import resident
from tests.helpers import client_for
from tests.world import id_number

pytestmark = pytest.mark.django_db

ROLES = ("community_worker", "lead", "street_staff", "district_staff", "resident_user")

people = st.fixed_dictionaries(
    {
        "birth": st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
        "female": st.booleans(),
        "mobile": st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    }
)


@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(person=people)
def test_lists_and_details_never_hold_a_full_id_number_or_mobile(world, person):
    number = id_number(person["birth"], female=person["female"])
    row = resident(
        grid=world.grid_a1,
        actor=world.community_worker,
        name="赵居民",
        document_number=number,
        mobile=person["mobile"],
    )
    secrets = {number, number[6:14], person["mobile"]}
    urls = [
        "/api/v1/registry/residents/",
        f"/api/v1/registry/residents/{row.pk}/",
        "/api/v1/registry/residents/my-grid/",
    ]
    for role in ROLES:
        client = client_for(getattr(world, role))
        for url in urls:
            body = client.get(url).content.decode()
            leaked = [secret for secret in secrets if secret in body]
            assert not leaked, (role, url, leaked)
