"""The portal: API root, OpenAPI schema and docs served from our own static files, admin in Chinese."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_api_root_lists_the_parts(client):
    body = client.get("/api/v1/").json()
    assert body["version"] == "v1"
    assert body["schema"].endswith("/api/schema/")
    assert all({"prefix", "name", "part", "url"} <= set(part) for part in body["parts"])


def test_openapi_schema_validates(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert "/api/v1/" in schema["paths"]


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_load_only_our_own_static_files(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url.startswith(("http", "//"))]
    assert external == []
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert assets, "the docs page must load its assets from /static/"
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_admin_speaks_chinese_by_default_and_english_on_request(client):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert "用户名" in login.content.decode()
    assert "智慧社区" in login.content.decode()
    english = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Username" in english.content.decode()


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
