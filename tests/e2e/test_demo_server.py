"""The embedded demo as a newcomer runs it: migrate, seed, serve with uvicorn; every page answers."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import urllib.request

import pytest
import websockets

from tests.e2e.processes import BIN, ROOT, environment, free_port, get_json, running, wait_until

pytestmark = pytest.mark.e2e


def test_demo_serves_api_schema_docs_admin_websocket_and_probes(tmp_path):
    env = environment(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", REDIS_URL=None, DJANGO_ENV=None)
    for step in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *step],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert "admin" in done.stdout and "worker" in done.stdout

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "uvicorn.log"
    command = [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, env, log):
        wait_until(lambda: get_json(f"{base}/healthz")[0] == 200, timeout=60, what="uvicorn", log=log)
        assert get_json(f"{base}/readyz") == (
            200,
            {
                "status": "ok",
                "checks": {"database": "ok", "redis": "not_configured"},
                "worker": {"status": "in_process"},
                "disabled_scenarios": [],
            },
        )
        status, root = get_json(f"{base}/api/v1/")
        assert status == 200 and root["version"] == "v1"
        with urllib.request.urlopen(f"{base}/api/schema/?format=json", timeout=10) as response:
            assert "openapi" in json.loads(response.read())
        with urllib.request.urlopen(f"{base}/api/docs/", timeout=10) as response:
            assert b"swagger-ui" in response.read()
        with urllib.request.urlopen(
            f"{base}/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
            timeout=10,
        ) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"{base}/admin/login/", timeout=10) as response:
            assert "用户名" in response.read().decode()

        async def ping() -> str:
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws/ping/", origin=base) as socket:
                assert json.loads(await socket.recv())["type"] == "hello"
                await socket.send(json.dumps({"type": "ping"}))
                return json.loads(await socket.recv())["type"]

        assert asyncio.run(ping()) == "pong"
