"""Names of minors leave the register masked (issue 4), in every output, the admin included;
the full name only through the audited reveal. Search still finds them by the stored name."""

from __future__ import annotations

from datetime import date

import pytest

from core.audit.models import AuditEvent
from core.extensions import TimelineProvider
from core.extensions.registry import registry
from core.registry import services
from core.registry.minors import is_minor, shown_name
from core.registry.models import Resident
from tests.core.registry.factories import ADMIN_RESIDENTS, INLINE_MANAGEMENT, born, house, resident
from tests.helpers import client_for
from tests.world import id_number

pytestmark = pytest.mark.django_db
RESIDENTS = "/api/v1/registry/residents/"
CHILD = "钱小多"


@pytest.fixture
def family(world, worker_a):
    home = house(world.grid_a1, actor=worker_a)
    household = services.household_create(actor=worker_a, house=home.pk)
    parent = resident(actor=worker_a, household=household.pk, house=home.pk, relation="self", name="钱大多")
    child = resident(
        actor=worker_a,
        household=household.pk,
        house=home.pk,
        relation="child",
        name=CHILD,
        document_number=id_number(born(12)),
    )
    return household, parent, child


def test_a_minor_is_under_18_and_only_a_minors_name_is_masked():
    today = date(2024, 6, 15)
    assert is_minor(date(2006, 6, 16), today)  # 18 tomorrow
    assert not is_minor(date(2006, 6, 15), today)  # 18 today
    assert not is_minor(None, today)  # unknown birth date: treated as an adult
    assert shown_name("钱小多", date(2020, 1, 1), today) == "钱**"
    assert shown_name("钱大多", date(2006, 6, 15), today) == "钱大多"


def test_every_api_output_masks_a_minors_name(world, worker_a, worker_b, family):
    household, parent, child = family
    services.transfer_request(actor=worker_a, resident=child, to_region=world.grid_a2)
    lodger_home = house(world.grid_a2, actor=worker_a, owner=parent.pk)
    services.contact_add(
        actor=worker_a, resident=parent, data={"kind": "emergency", "contact_resident": child.pk}
    )
    client = client_for(worker_a)
    responses = {
        "list": client.get(RESIDENTS),
        "search": client.get(RESIDENTS, {"q": CHILD}),
        "detail": client.get(f"{RESIDENTS}{child.pk}/"),
        "household": client.get(f"/api/v1/registry/households/{household.pk}/"),
        "timeline": client.get(f"/api/v1/registry/households/{household.pk}/timeline/"),
        "transfers": client.get("/api/v1/registry/transfers/"),
        "contacts": client.get(f"{RESIDENTS}{parent.pk}/contacts/"),
    }
    for where, response in responses.items():
        assert response.status_code == 200, (where, response.content)
        text = response.content.decode()
        assert CHILD not in text and "钱**" in text, where
        if where in {"list", "household", "timeline"}:
            assert "钱大多" in text, where  # adults' names stay as they are
    assert [r["name"] for r in responses["search"].json()["results"]] == ["钱**"]
    # Tenancies name the tenant the same way.
    tenancy = client.post(
        "/api/v1/registry/tenancies/",
        {"resident": child.pk, "house": lodger_home.pk, "starts_on": str(born(1))},
        format="json",
    )
    assert tenancy.status_code == 201 and tenancy.json()["resident_name"] == "钱**"


def test_a_domains_timeline_entry_naming_a_minor_is_masked_too(world, worker_a, family):
    household, _parent, child = family
    items = registry._items[TimelineProvider.kind]
    items["tests.school"] = (
        "tests",
        TimelineProvider(key="tests.school", provider=f"{__name__}.school_visits"),
    )
    school_visits.child = child
    try:
        entries = (
            client_for(worker_a)
            .get(f"/api/v1/registry/households/{household.pk}/timeline/")
            .json()["results"]
        )
    finally:
        items.pop("tests.school")
    visit = next(e for e in entries if e["kind"] == "school_visit")
    assert visit["resident_name"] == "钱**"


def school_visits(household_ids, *, limit):
    child = school_visits.child
    return [
        {
            "date": born(1),
            "kind": "school_visit",
            "title": "家访",
            "resident_id": child.pk,
            "resident_name": child.name,
        }
    ]


def test_reveal_gives_a_minors_full_name_audited(world, worker_a, family):
    _household, parent, child = family
    client = client_for(worker_a)
    response = client.post(f"{RESIDENTS}{child.pk}/reveal/", {"purpose": "入学登记核对"}, format="json")
    assert response.status_code == 200, response.content
    assert (
        response.json()["name"] == CHILD
        and response.json()["document_number"] == child.document_number_encrypted
    )
    response = client.post(
        f"{RESIDENTS}{child.pk}/reveal/", {"purpose": "入学登记核对", "fields": ["name"]}, format="json"
    )
    assert response.json() == {"name": CHILD}
    events = AuditEvent.objects.filter(action="registry.resident.reveal", object_id=str(child.pk)).order_by(
        "id"
    )
    assert [e.extra["fields"] for e in events] == [
        ["document_number", "landline", "mobile", "name"],
        ["name"],
    ]
    # An adult's name is not masked, so a default reveal does not list it.
    adult = client.post(f"{RESIDENTS}{parent.pk}/reveal/", {"purpose": "核对"}, format="json").json()
    assert "name" not in adult


def test_the_admin_masks_a_minor_and_keeps_the_stored_name(client, world, worker_a, family):
    household, _parent, child = family
    client.force_login(worker_a)
    for url in (ADMIN_RESIDENTS, f"/admin/registry/household/{household.pk}/change/"):
        page = client.get(url).content.decode()
        assert CHILD not in page and "钱**" in page, url
    # Found by the stored name; the page repeats only what the worker typed into the search box.
    page = client.get(ADMIN_RESIDENTS, {"q": CHILD}).content.decode()
    assert page.count(CHILD) == 1 and f'value="{CHILD}" id="searchbar"' in page and "钱**" in page
    change = f"{ADMIN_RESIDENTS}{child.pk}/change/"
    page = client.get(change).content.decode()
    assert CHILD not in page and 'value="钱**"' in page
    form = {
        "name": "钱**",
        "document_type": "id_card",
        "residence_type": child.residence_type,
        "relation": child.relation,
        "household": household.pk,
        "house": child.house_id,
        "region": child.region_id,
        "note": "已核实",
        **INLINE_MANAGEMENT,
    }
    response = client.post(change, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Resident.objects.get(pk=child.pk)
    assert (stored.name, stored.note) == (CHILD, "已核实")
    client.post(change, {**form, "name": "钱多多"})
    assert Resident.objects.get(pk=child.pk).name == "钱多多"
