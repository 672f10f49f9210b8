"""Every environment variable the platform reads, in one place.

Settings ask this module, never `os.environ` directly, so that `.env.example` can be checked
against `VARIABLES` by a test and a bad value stops start-up with one clear line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import environ


class ConfigError(Exception):
    """A setting is missing or malformed; the message is what the operator must fix."""


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    production_required: bool = False


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable("DJANGO_ENV", "development (default) or production"),
        Variable("SECRET_KEY", "Django secret key", production_required=True),
        Variable("ALLOWED_HOSTS", "comma-separated host names", production_required=True),
        Variable("CSRF_TRUSTED_ORIGINS", "comma-separated origins (https://…) for the admin behind a proxy"),
        Variable(
            "WEBSOCKET_ALLOWED_ORIGINS",
            "comma-separated origins (https://…) of other sites' pages that may open the websockets",
        ),
        Variable(
            "TRUSTED_PROXIES",
            "comma-separated addresses of the reverse proxies whose X-Forwarded-For is believed; unset: none",
        ),
        Variable(
            "DATABASE_URL", "postgres://user:pass@host:5432/db or sqlite:///path; unset: var/db.sqlite3"
        ),
        Variable("DATABASE_REPLICA_URLS", "comma-separated read-replica URLs (optional)"),
        Variable(
            "DATABASE_POOL_MAX_SIZE",
            "PostgreSQL connections one process may hold (10); docs/operations.md sizes it",
        ),
        Variable("DATABASE_POOL_MIN_SIZE", "PostgreSQL connections one process keeps open when idle (1)"),
        Variable("DATABASE_POOL_TIMEOUT", "seconds a request waits for a pooled connection (60)"),
        Variable("REDIS_URL", "redis://host:6379/0; unset: in-process tasks, in-memory channel layer"),
        Variable(
            "PII_KEY",
            "active key for personal data at rest (urlsafe base64, 32 bytes)",
            production_required=True,
        ),
        Variable("PII_PREVIOUS_KEYS", "comma-separated older PII keys kept for decryption during rotation"),
        Variable(
            "PII_INDEX_KEY",
            "key of the blind index for exact lookup of personal data",
            production_required=True,
        ),
        Variable("LOG_LEVEL", "INFO by default"),
        Variable(
            "SECURITY_DENGBAO_LEVEL3", "true for 等保 2.0 level 3: three character classes, 90-day rotation"
        ),
        Variable(
            "SECURITY_TOTP_FOR_ALL_STAFF",
            "true: every staff role signs in with TOTP, not only above the community",
        ),
        Variable("AUDIT_RETENTION_DAYS", "days the audit log is kept (at least 180; 365 by default)"),
        Variable("SMS_BACKEND", "dotted path of the SMS backend for one-time codes (console by default)"),
        Variable("WECHAT_APP_ID", "WeChat mini-program AppID (unset: WeChat sign-in is off)"),
        Variable("WECHAT_APP_SECRET", "WeChat mini-program AppSecret"),
        Variable("WECHAT_API_BASE", "WeChat API base URL (https://api.weixin.qq.com by default)"),
        Variable(
            "HOTLINE_SECRET", "shared HMAC secret of the 12345 hotline centre (unset: its push answers 503)"
        ),
        Variable(
            "SCENARIO_FEED_SECRET",
            "shared HMAC secret of signed pushes into scenarios (unset: their push routes answer 503)",
        ),
        Variable("HOTLINE_REPLY_URL", "URL where replies and bounces are POSTed to the 12345 hotline centre"),
        Variable("HOTLINE_REGION_CODE", "administrative code of the region the hotline centre serves"),
        Variable(
            "OPEN311_NEAREST_GRID_METRES",
            "how far (metres) an Open311 point outside every grid may lie from the grid it goes to (300)",
        ),
        Variable("SAFETY_MQTT_URL", "MQTT broker of the safety device bridge (mqtt://127.0.0.1:1883)"),
        Variable(
            "AFFAIRS_FORM_TEMPLATES_DIR",
            "folder with a deployment's own approval.docx and notice.docx (unset: the built-in ones)",
        ),
        Variable(
            "DEMO_FAKES",
            "true in `make demo`: a demo 12345 secret, hotline replies written under var/, "
            "a fake WeChat provider (refused in production)",
        ),
        Variable(
            "SMALL_CELL_K",
            "counts of people below this are suppressed above the community and in exports (5)",
        ),
        Variable(
            "DASHBOARD_REFRESH_WINDOW_SECONDS",
            "changes to a community within this many seconds refresh its dashboard once (5; 0: each)",
        ),
        Variable("WEB_CONCURRENCY", "number of ASGI worker processes (make stack, Docker)"),
        Variable("WORKER_CONCURRENCY", "processes per Celery worker (make stack, Docker)"),
        Variable("PORT", "port of the web server (8000 by default)"),
    )
}


# Development keys: fixed so that demo data encrypted once stays readable across restarts; never
# accepted in production (the production check requires the variables to be set).
DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdef"  # noqa: S105
DEV_PII_KEY = "ZGV2LW9ubHktcGlpLWtleS0zMi1ieXRlcy1sb25nISE="
DEV_PII_INDEX_KEY = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTMyLWJ5dGU="

_env = environ.Env()


def get(name: str, default: str | None = None) -> str | None:
    if name not in VARIABLES:
        raise KeyError(f"{name} is not declared in config.env.VARIABLES")
    value = os.environ.get(name, "").strip()
    return value or default


def get_list(name: str) -> list[str]:
    return [item.strip() for item in (get(name) or "").split(",") if item.strip()]


def get_bool(name: str) -> bool:
    value = (get(name) or "false").lower()
    if value not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ConfigError(f"{name} must be true or false, not {value!r}")
    return value in {"1", "true", "yes", "on"}


def get_int(name: str, default: int) -> int:
    value = get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def is_production() -> bool:
    mode = get("DJANGO_ENV", "development")
    if mode not in {"development", "production"}:
        raise ConfigError(f"DJANGO_ENV must be 'development' or 'production', not {mode!r}")
    return mode == "production"


def require_production_variables() -> None:
    missing = [v.name for v in VARIABLES.values() if v.production_required and not get(v.name)]
    if missing:
        raise ConfigError(f"DJANGO_ENV=production requires {', '.join(missing)} to be set")


_DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}


def database(url: str, *, default_sqlite_path: str) -> dict:
    """Parse a database URL, refusing anything we would not run on."""
    parts = urlsplit(url)
    if parts.scheme not in _DATABASE_SCHEMES:
        raise ConfigError(
            f"DATABASE_URL is malformed: scheme {parts.scheme or '(none)'!r} is not one of "
            "postgres://, postgresql://, sqlite:///"
        )
    if parts.scheme != "sqlite":
        if not parts.hostname and not parts.path.strip("/"):
            raise ConfigError("DATABASE_URL is malformed: it names neither a host nor a database")
        try:
            parts.port  # noqa: B018 - raises ValueError on a non-numeric port
        except ValueError as exc:
            raise ConfigError(f"DATABASE_URL is malformed: {exc}") from None
        if not parts.path.strip("/"):
            raise ConfigError("DATABASE_URL is malformed: it names no database (…/dbname)")
    config = _env.db_url_config(url)
    if parts.scheme == "sqlite" and config.get("NAME") in ("", ":memory:"):
        config["NAME"] = default_sqlite_path
    return config


def redis_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ConfigError("REDIS_URL is malformed: expected redis://host:6379/0")
    try:
        parts.port  # noqa: B018
    except ValueError as exc:
        raise ConfigError(f"REDIS_URL is malformed: {exc}") from None
    return url
