"""Settings come from the environment alone and refuse bad values with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-production-secret-for-tests",
    "ALLOWED_HOSTS": "community.example.cn",
    "PII_KEY": "cHJvZHVjdGlvbi1waWkta2V5LTMyLWJ5dGVzLWxvbmch",
    "PII_INDEX_KEY": "cHJvZHVjdGlvbi1pbmRleC1rZXktMzItYnl0ZXMtbG9uZyE=",
}
CLEARED = (
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "PII_KEY",
    "PII_INDEX_KEY",
    "DATABASE_URL",
    "REDIS_URL",
)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/db", "postgres://host:notaport/db", "not a url", "postgres://localhost"],
)
def test_malformed_database_url_exits_with_one_clear_line(url):
    result = run_manage("check", DATABASE_URL=url)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("smartcommunity: configuration error: DATABASE_URL is malformed")


def test_malformed_redis_url_exits_with_one_clear_line():
    result = run_manage("check", REDIS_URL="http://localhost:6379")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "smartcommunity: configuration error: REDIS_URL is malformed: expected redis://host:6379/0"
    ]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "PII_KEY", "PII_INDEX_KEY"])
def test_production_without_a_required_secret_exits_naming_it(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DJANGO_ENV=production requires" in lines[0] and missing in lines[0]


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_uses_sqlite_in_var_and_in_process_tasks():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
    )
    assert result.returncode == 0, result.stderr
    engine, name, eager, layer, cache = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "var" / "db.sqlite3"
    assert eager == "True"
    assert layer == "channels.layers.InMemoryChannelLayer"
    assert cache.endswith("LocMemCache")


def test_each_variable_works_alone():
    """DATABASE_URL=postgres with REDIS_URL unset, and REDIS_URL with the SQLite default."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CHANNEL_LAYERS['default']['BACKEND'])"
    )
    only_db = run_python(code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/somewhere")
    assert only_db.stdout.split() == [
        "django.db.backends.postgresql",
        "True",
        "channels.layers.InMemoryChannelLayer",
    ]
    only_redis = run_python(code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert only_redis.stdout.split() == [
        "django.db.backends.sqlite3",
        "False",
        "channels_redis.core.RedisChannelLayer",
    ]
