"""docker-compose.yml, Dockerfile, Procfile and .env.example agree with each other and the code.

No Docker engine runs here, so the compose file is checked structurally; `make stack` runs the
same commands for real (see tests/e2e).
"""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import yaml

from config.env import VARIABLES

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def compose_command(service: dict) -> str:
    command = service["command"]
    return command[2] if command[:2] == ["sh", "-c"] else shlex.join(command)


def test_compose_has_the_five_services_with_healthchecks_and_named_volumes():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert set(compose()["volumes"]) == {"pgdata", "redisdata"}
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_app_services_share_one_image_and_the_env_file():
    services = compose()["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["image"] == "smartcommunity:latest", name
        assert services[name]["env_file"] == ".env.example", name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://")
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_runs_the_same_commands_as_make_stack():
    services = compose()["services"]
    for name, command in procfile().items():
        assert compose_command(services[name]) == command, name


def test_each_command_names_something_that_exists():
    commands = procfile()
    module, attribute = re.search(r"uvicorn (\S+):(\S+)", commands["web"]).groups()
    assert hasattr(importlib.import_module(module), attribute)
    for name in ("worker", "beat"):
        app_module = re.search(r"celery -A (\S+)", commands[name]).group(1)
        assert importlib.import_module(app_module).celery_app.main == "smartcommunity"
    assert "--queues=default" in commands["worker"]


def test_dockerfile_is_slim_and_runs_as_non_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    for package in ("config", "core", "party_building", "safety", "affairs", "services", "governance"):
        assert f"COPY {package} ./{package}" in dockerfile


def test_env_example_lists_every_variable_and_nothing_else():
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert names == set(VARIABLES)


def test_settings_read_no_variable_that_is_not_declared():
    source = (ROOT / "config" / "settings.py").read_text()
    assert "os.environ" not in source
    for name in re.findall(r'env\.get(?:_list)?\("([A-Z_]+)"', source):
        assert name in VARIABLES, name
