"""The dashboard as district staff use it, in headless Chromium against the embedded demo served
by uvicorn: sign in as the demo `district` account with its second factor, see the numbers the
API gives, drill down to a community, and watch a number change live when an event is created
through the API. Screenshots are kept as artifacts (in ARTIFACTS_DIR, else var/artifacts/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.processes import BIN, ROOT, environment, free_port, get_json, running, wait_until

pytestmark = pytest.mark.e2e

PASSWORD = "demo-Passw0rd-2026"


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def post_json(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{url}: {error.code} {error.read().decode()[:500]}") from None


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard-demo")
    env = environment(
        DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
        REDIS_URL=None,
        DJANGO_ENV=None,
        DEMO_FAKES="true",
        # Each change refreshes its community at once (no beat runs here to publish a window's task).
        DASHBOARD_REFRESH_WINDOW_SECONDS="0",
    )
    manage(env, "migrate", "--noinput")
    seed_output = manage(env, "seed_demo", "--residents", "600")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / "uvicorn.log"
    command = [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, env, log):
        wait_until(lambda: get_json(f"{base}/healthz")[0] == 200, timeout=90, what="uvicorn", log=log)
        yield base, env, seed_output


def artifacts() -> Path:
    folder = Path(os.environ.get("ARTIFACTS_DIR") or ROOT / "var" / "artifacts") / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cards(page) -> dict:
    return page.eval_on_selector_all(
        ".card", "els => Object.fromEntries(els.map(e => [e.dataset.metric, e.dataset.value]))"
    )


def test_district_staff_see_the_apis_numbers_drill_down_and_a_live_change(browser, demo_server):
    base, env, seed_output = demo_server
    shots = artifacts()
    context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()

    page.goto("/dashboard/")
    assert "/dashboard/login/" in page.url
    page.fill("input[name=username]", "district")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", manage(env, "demo_totp", "district").strip())
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    page.screenshot(path=str(shots / "district.png"), full_page=True)

    region = page.evaluate("document.body.dataset.ready")
    api = page.request.get(f"/api/v1/dashboards/{region}/").json()
    assert api["region"]["level"] == 2
    on_page = cards(page)
    assert set(on_page) == {m["key"] for m in api["metrics"]}
    for key, entry in api["indicators"].items():
        if entry["value"] is None:
            assert on_page[key] == "", key
        else:
            assert float(on_page[key]) == entry["value"], key
    assert "万" in page.evaluate("formatNumber(123456)")

    # Drill down: district → street → community (the demo `worker`'s, where the event goes), through
    # the table of the regions below.
    community = (
        next(line for line in seed_output.splitlines() if line.startswith("  worker ")).split("·")[-1].strip()
    )
    street = next(
        child["region"]["name"]
        for child in api["children"]
        if community
        in {
            c["region"]["name"]
            for c in page.request.get(f"/api/v1/dashboards/{child['region']['id']}/").json()["children"]
        }
    )
    for level, name in ((3, street), (4, community)):
        page.locator("#children tbody").get_by_role("button", name=name, exact=True).click()
        page.wait_for_function(f"document.body.dataset.ready !== '{region}'", timeout=30_000)
        region = page.evaluate("document.body.dataset.ready")
        view = page.request.get(f"/api/v1/dashboards/{region}/").json()
        assert view["region"]["level"] == level and view["region"]["name"] == name
        assert page.locator("#trail [aria-current]").inner_text() == name
    page.screenshot(path=str(shots / "community.png"), full_page=True)

    # Live: an event reported in the community through the API raises its open events.
    before = page.locator('.card[data-metric="workflow.events_open"]').get_attribute("data-value")
    grid = view["children"][0]["region"]["id"]
    token = post_json(f"{base}/api/v1/accounts/token/", {"username": "worker", "password": PASSWORD})[
        "access"
    ]
    post_json(
        f"{base}/api/v1/events/",
        {"type": "workflow.general_request", "title": "路灯不亮", "grid": grid},
        token,
    )
    card = "document.querySelector('.card[data-metric=\"workflow.events_open\"]')"
    page.wait_for_function(f"{card}.dataset.value === '{int(before or 0) + 1}'", timeout=30_000)
    page.screenshot(path=str(shots / "live.png"), full_page=True)

    # A tablet still shows the numbers and the map.
    page.set_viewport_size({"width": 820, "height": 1180})
    page.screenshot(path=str(shots / "tablet.png"), full_page=True)
    assert page.locator("#map canvas").count() >= 1
    context.close()
