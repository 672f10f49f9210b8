"""/dashboard/: a session page behind the sign-in with the second factor (as the admin's), in
zh-hans, loading the committed ECharts build; the map's boundaries come from the API."""

from __future__ import annotations

from django.test import Client

from core.accounts import two_factor
from core.regions.models import Region
from tests.helpers import client_for

PASSWORD = "Dash-Passw0rd-2026"


def test_the_page_needs_a_sign_in(db):
    response = Client().get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/")


def test_district_staff_sign_in_with_their_second_factor(world):
    user = world.district_staff
    user.set_password(PASSWORD)
    user.save()
    code = two_factor.demo_second_factor(user).current_code
    client = Client()
    login = client.get("/dashboard/login/")
    assert "身份验证器动态码" in login.content.decode()
    refused = client.post(
        "/dashboard/login/", {"username": user.username, "password": PASSWORD, "otp_token": ""}
    )
    assert refused.status_code == 200 and client.get("/dashboard/").status_code == 302
    signed = client.post(
        "/dashboard/login/", {"username": user.username, "password": PASSWORD, "otp_token": code}
    )
    assert signed.status_code == 302 and signed["Location"] == "/dashboard/"
    page = client.get("/dashboard/")
    body = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="zh-Hans">' in body and "导出（.xlsx）" in body
    assert "dashboards/vendor/echarts.min.js" in body and "cdn" not in body.lower()
    assert f'"region": {world.district.pk}' in body


def test_a_resident_has_no_dashboard(world):
    client = Client()
    client.force_login(world.resident_user)
    assert client.get("/dashboard/").status_code == 403


def test_the_map_draws_each_child_from_its_grids_boundaries(world):
    square = {
        "type": "Polygon",
        "coordinates": [[[118.0, 31.0], [118.01, 31.0], [118.01, 31.01], [118.0, 31.01], [118.0, 31.0]]],
    }
    Region.objects.filter(pk=world.grid_a1.pk).update(boundary=square)
    body = client_for(world.street_staff).get(f"/api/v1/dashboards/{world.street.pk}/map/").json()
    features = {f["properties"]["name"]: f for f in body["features"]}
    assert set(features) == {"甲社区"}  # 乙社区's grid has no boundary yet
    assert features["甲社区"]["geometry"]["type"] == "Polygon"
