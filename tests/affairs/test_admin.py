"""The catalogue is configured in the admin by superusers; applications, benefits and hotline
tickets are read there within scope, never changed."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from affairs.models import ServiceItem
from core.accounts.models import User
from tests.affairs.test_applications import submit

ITEM_PAGE = "/admin/affairs/serviceitem/"


PASSWORD = "Root-Passw0rd-2026"


def superuser(client):
    """A superuser signed in to the admin as anyone would be: password and second factor."""
    from core.accounts import two_factor

    admin = User.objects.create(username="root", is_staff=True, is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    code = two_factor.demo_second_factor(admin).current_code
    client.post("/admin/login/", {"username": "root", "password": PASSWORD, "otp_token": code})
    assert client.get("/admin/").status_code == 200
    return admin


def item_form(item: ServiceItem, **changes) -> dict:
    data = {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "description": item.description,
        "receive_level": item.receive_level,
        "review_level": item.review_level,
        "confirm_level": item.confirm_level,
        "time_limit_working_days": item.time_limit_working_days,
        "channels": item.channels,
        "reach": item.reach,
        "proxy_allowed": "on" if item.proxy_allowed else "",
        "publicity_days": item.publicity_days,
        "eligibility": item.eligibility,
        "benefit_tag": item.benefit_tag,
        "recheck_months": item.recheck_months or "",
        "is_active": "on" if item.is_active else "",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_superuser_moves_confirmation_to_the_district(db, client):
    superuser(client)
    item = ServiceItem.objects.get(code="dibao")
    response = client.post(f"{ITEM_PAGE}{item.pk}/change/", item_form(item, confirm_level=2))
    assert response.status_code == 302, response.content[:2000]
    item.refresh_from_db()
    assert item.confirm_level == 2 and item.code == "dibao"


def test_levels_out_of_order_are_a_form_error_not_a_crash(db, client):
    superuser(client)
    item = ServiceItem.objects.get(code="dibao")
    response = client.post(f"{ITEM_PAGE}{item.pk}/change/", item_form(item, review_level=2, confirm_level=3))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["review_level"]
    response = client.post(f"{ITEM_PAGE}{item.pk}/change/", item_form(item, eligibility="lottery"))
    assert response.context["adminform"].form.errors["eligibility"]
    item.refresh_from_db()
    assert item.review_level == 3 and item.eligibility == "dibao"


def test_staff_cannot_open_the_catalogue_but_read_applications_in_scope(world, client):
    application_id = submit(world).json()["id"]
    worker = world.community_worker
    worker.user_permissions.set(Permission.objects.filter(codename__startswith="change_"))
    client.force_login(worker)
    assert client.get(ITEM_PAGE).status_code == 403
    assert client.get("/admin/affairs/application/").status_code == 200
    assert client.get(f"/admin/affairs/application/{application_id}/change/").status_code == 200
    client.force_login(world.worker_b)
    page = client.get("/admin/affairs/application/")
    assert page.status_code == 200 and page.context["cl"].result_count == 0
    assert client.get(f"/admin/affairs/application/{application_id}/change/").status_code == 302


STANDARD_PAGE = "/admin/affairs/assistancestandard/"


def test_a_standard_amount_is_read_only_in_the_admin_and_a_new_amount_is_a_new_audited_row(world, client):
    from affairs.models import AssistanceStandard
    from core.audit.models import AuditEvent

    admin = superuser(client)
    standard = AssistanceStandard.objects.create(
        region=world.district,
        region_path=world.district.path,
        kind="dibao",
        area="urban",
        amount="742.00",
        effective_from="2025-01-01",
    )
    changed = {
        "kind": "dibao",
        "region": world.district.pk,
        "area": "urban",
        "amount": "1",
        "parameters": "{}",
        "effective_from": "2025-01-01",
    }
    response = client.post(f"{STANDARD_PAGE}{standard.pk}/change/", changed)
    assert response.status_code == 403
    standard.refresh_from_db()
    assert str(standard.amount) == "742.00"

    # The same start again is a form error, not a second row nor a crash.
    response = client.post(f"{STANDARD_PAGE}add/", changed)
    assert response.status_code == 200 and response.context["adminform"].form.errors["effective_from"]

    response = client.post(
        f"{STANDARD_PAGE}add/", {**changed, "amount": "780", "effective_from": "2026-01-01"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    newer = AssistanceStandard.objects.get(region=world.district, effective_from="2026-01-01")
    assert str(newer.amount) == "780.00"
    entry = AuditEvent.objects.get(action="affairs.standard.create", object_id=str(newer.pk))
    assert entry.actor_id == admin.pk
