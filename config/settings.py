"""Settings, driven by the environment alone (see config/env.py and .env.example).

Nothing set: the embedded mode (SQLite under var/, tasks in-process, in-memory channel layer).
DATABASE_URL and REDIS_URL each switch one part to the real service, independently.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config import env
from core.extensions.discovery import scenario_apps

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

try:
    PRODUCTION = env.is_production()
    if PRODUCTION:
        env.require_production_variables()
    DATABASES = {
        "default": env.database(
            env.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
            default_sqlite_path=str(VAR_DIR / "db.sqlite3"),
        )
    }
    REPLICA_URLS = env.get_list("DATABASE_REPLICA_URLS")
    for index, replica_url in enumerate(REPLICA_URLS):
        DATABASES[f"replica{index}"] = env.database(replica_url, default_sqlite_path="")
    REDIS_URL = env.redis_url(env.get("REDIS_URL")) if env.get("REDIS_URL") else None
    # `make demo` sets DEMO_FAKES so a newcomer can try the 12345 hotline and WeChat sign-in with
    # nothing outside: never in production.
    DEMO_FAKES = env.get_bool("DEMO_FAKES")
    if PRODUCTION and DEMO_FAKES:
        raise env.ConfigError("DEMO_FAKES is refused when DJANGO_ENV=production")
except env.ConfigError as error:
    # One clear line and a non-zero exit, from manage.py, uvicorn and celery alike.
    sys.exit(f"smartcommunity: configuration error: {error}")

DEBUG = not PRODUCTION
SECRET_KEY = env.get("SECRET_KEY", env.DEV_SECRET_KEY)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS") or (["*"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL: a bounded pool of connections per process (psycopg_pool, Django's OPTIONS "pool").
# Under ASGI every request runs in a thread of its own, so persistent per-thread connections
# (CONN_MAX_AGE) grow with concurrency, not with processes: 1,000 websocket clients asking for a
# ticket at once exhausted PostgreSQL's 100 connections from one web process. With the pool a
# process never holds more than DATABASE_POOL_MAX_SIZE; a request waits for a free connection
# (at most DATABASE_POOL_TIMEOUT seconds) instead. Sizing: docs/operations.md, "Database
# connections". The pool requires CONN_MAX_AGE = 0 (a closed connection goes back to the pool).
DATABASE_POOL_MIN_SIZE = env.get_int("DATABASE_POOL_MIN_SIZE", 1)
DATABASE_POOL_MAX_SIZE = env.get_int("DATABASE_POOL_MAX_SIZE", 10)
DATABASE_POOL_TIMEOUT = env.get_int("DATABASE_POOL_TIMEOUT", 60)
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _database["CONN_MAX_AGE"] = 0
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": DATABASE_POOL_MIN_SIZE,
            "max_size": DATABASE_POOL_MAX_SIZE,
            "timeout": DATABASE_POOL_TIMEOUT,
            # An idle connection above min_size is closed after 5 minutes.
            "max_idle": 300,
        }
    else:
        _database.setdefault("CONN_MAX_AGE", 0 if DEBUG else 60)
# HTTP requests a web process runs at once (config/concurrency.py): twice its connections, so a
# burst waits in the event loop rather than in thousands of threads queueing for the pool.
WEB_MAX_CONCURRENT_REQUESTS = (
    2 * DATABASE_POOL_MAX_SIZE if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0
)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
    # WAL lets the web process read while a task writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"] if REPLICA_URLS else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # authentication: lockout, refresh-token blacklist, second factor (core.accounts)
    "axes",
    "rest_framework_simplejwt.token_blacklist",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # the 1+1+1 (core); extensions first: every other platform app registers through it
    "core.extensions",
    "core.health",
    "core.regions",
    "core.accounts",
    "core.registry",
    "core.audit",
    "core.imports",
    "core.workflow",
    "core.notices",
    "core.outbox",
    "core.retention",
    "core.dashboards",
    # the six domains (社区管理 lives in core.regions and core.registry)
    "party_building",
    "safety",
    "affairs",
    "affairs.hotline",  # the 12345 hotline adapter (optional)
    "services",
    "governance",
    # the X: scenario apps found under scenarios/ or through installed entry points
    *scenario_apps(BASE_DIR / "scenarios"),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the lockout flag the admin login sets (core.accounts handles the API's).
    "axes.middleware.AxesMiddleware",
    # A database outage met by any view: 503 + Retry-After in the one error shape (core.api.errors).
    "core.api.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
try:
    # 等保 2.0 level 3 deployments: three character classes and 90-day rotation on top of the baseline.
    SECURITY_DENGBAO_LEVEL3 = env.get_bool("SECURITY_DENGBAO_LEVEL3")
    # Two-factor sign-in (TOTP) for roles above the community; every staff role when set.
    SECURITY_TOTP_FOR_ALL_STAFF = env.get_bool("SECURITY_TOTP_FOR_ALL_STAFF")
    # Audit log: kept at least 180 days; PostgreSQL drops whole monthly partitions past this.
    AUDIT_RETENTION_DAYS = max(180, env.get_int("AUDIT_RETENTION_DAYS", 365))
except env.ConfigError as error:
    sys.exit(f"smartcommunity: configuration error: {error}")
PASSWORD_MAX_AGE_DAYS = 90 if SECURITY_DENGBAO_LEVEL3 else None
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.accounts.passwords.CommunityWordsValidator"},
] + (
    [{"NAME": "core.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}}]
    if SECURITY_DENGBAO_LEVEL3
    else []
)
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): 30 minutes after 5 failures for one username from one address, and after
# 20 failures for one username from any address (core.accounts.lockout.LockoutHandler).
AXES_FAILURE_LIMIT = 5
AXES_USERNAME_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "core.accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = False  # LockoutHandler clears the signing-in address's failures only
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "otp_code"]
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); empty: none, so a
# forged header from any peer, loopback included, changes nothing. The same variable sets
# uvicorn's --forwarded-allow-ips (Procfile, Dockerfile); the app's client address is
# core.audit.services.client_ip, for the lockout too.
TRUSTED_PROXIES = env.get_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "core.audit.services.client_ip"
OTP_TOTP_ISSUER = "智慧社区"
# Pages on other origins that may open the websockets (config/origins.py), beyond ALLOWED_HOSTS
# and CSRF_TRUSTED_ORIGINS; `*` is never an origin, whatever ALLOWED_HOSTS says.
WEBSOCKET_ALLOWED_ORIGINS = env.get_list("WEBSOCKET_ALLOWED_ORIGINS")
# A database outage (restart, failover) answers 503 with this Retry-After (seconds).
DATABASE_UNAVAILABLE_RETRY_AFTER = 5
# Resident binding: one-time codes by SMS (a console backend unless configured).
SMS_BACKEND = env.get("SMS_BACKEND", "core.accounts.sms.ConsoleSmsBackend")
ONE_TIME_CODE_TTL_SECONDS = 300
ONE_TIME_CODE_INTERVAL_SECONDS = 60
ONE_TIME_CODE_DAILY_LIMIT_PER_PHONE = 10
ONE_TIME_CODE_DAILY_LIMIT_PER_IP = 50
ONE_TIME_CODE_MAX_ATTEMPTS = 5
# WeChat mini-program sign-in (code2session); unset: the provider is disabled. With DEMO_FAKES
# (and no AppID) a fake provider answers: the login code itself names the demo openid.
WECHAT_APP_ID = env.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = env.get("WECHAT_APP_SECRET", "")
WECHAT_API_BASE = env.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_FAKE = DEMO_FAKES and not WECHAT_APP_ID

# Open311: a point outside every grid goes to the nearest grid the client may report in, if its
# boundary is at most this far (metres); farther, to the client's community.
OPEN311_NEAREST_GRID_METRES = env.get_int("OPEN311_NEAREST_GRID_METRES", 300)

# The 12345 hotline centre (affairs.hotline): shared HMAC secret, where replies go, region it serves.
# With DEMO_FAKES: a demo secret (README) and replies and bounces written as files under var/.
DEMO_HOTLINE_SECRET = "demo-hotline-secret"  # noqa: S105 - demo only; DEMO_FAKES is refused in production
HOTLINE_SECRET = env.get("HOTLINE_SECRET", DEMO_HOTLINE_SECRET if DEMO_FAKES else "")
# Signed pushes into scenarios (other offices' data, weather warnings): core/extensions/signing.py
SCENARIO_FEED_SECRET = env.get("SCENARIO_FEED_SECRET", "demo-scenario-feed-secret" if DEMO_FAKES else "")
HOTLINE_REPLY_URL = env.get(
    "HOTLINE_REPLY_URL", (VAR_DIR / "hotline-deliveries").as_uri() if DEMO_FAKES else ""
)
HOTLINE_REGION_CODE = env.get("HOTLINE_REGION_CODE", "")
# Printable forms of applications (affairs.forms): a folder with approval.docx and notice.docx
# replaces the built-in templates; unset, affairs/forms/templates is used.
AFFAIRS_FORM_TEMPLATES_DIR = env.get("AFFAIRS_FORM_TEMPLATES_DIR", "")
# The MQTT broker whose vendor topics the device bridge (manage.py device_bridge) subscribes to.
SAFETY_MQTT_URL = env.get("SAFETY_MQTT_URL", "mqtt://127.0.0.1:1883")
AUDIT_PARTITIONS_AHEAD_MONTHS = 3
# Development and tests refuse Celery task arguments that look like an ID number or a mobile.
CELERY_REFUSE_PERSONAL_DATA = DEBUG

# Language and time: zh-hans by default, English on request (Accept-Language).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Request limits: a hostile or mistaken client cannot make the server hold huge bodies.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Channel layer sizing (core.notices): every websocket of one web process shares one Redis queue,
# so `capacity` bounds the pushes waiting for a process (a burst: the outbox relaying a backlog
# after an outage, an escalation sweep), beyond which channels_redis drops them silently; and
# redis-py refuses the 101st pooled connection (a reconnect storm). See docs/operations.md.
NOTICE_CHANNEL_LAYER_CAPACITY = 20_000
NOTICE_CHANNEL_LAYER_MAX_CONNECTIONS = 1000
NOTICE_CHANNEL_LAYER_GROUP_EXPIRY_SECONDS = 24 * 3600

# Cache, Celery and channel layer: Redis when REDIS_URL is set, in-process otherwise.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sized for thousands of connected workers; docs/operations.md says why each number.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": NOTICE_CHANNEL_LAYER_MAX_CONNECTIONS,
                        "socket_connect_timeout": 2,
                        # Above the layer's 5 s blocking receive, so an idle receive is not an error.
                        "socket_timeout": 10,
                        "health_check_interval": 30,
                    }
                ],
                "capacity": NOTICE_CHANNEL_LAYER_CAPACITY,
                "expiry": 60,
                "group_expiry": NOTICE_CHANNEL_LAYER_GROUP_EXPIRY_SECONDS,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True  # embedded mode: tasks run in the web process
    CELERY_TASK_EAGER_PROPAGATES = True

# At-least-once delivery, effects once (tasks are idempotent and take primary keys).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# No task may outlive the broker's visibility timeout (6 h), or it would be delivered twice while
# still running; tasks that need less declare their own limits.
CELERY_TASK_TIME_LIMIT = 3 * 3600
CELERY_TASK_SOFT_TIME_LIMIT = 3 * 3600 - 300
# Longer than the longest task; countdowns wait in the outbox, not in Redis (core.outbox).
# The socket timeouts and retry bound keep a publish from hanging while Redis is down.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 6 * 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Named queues: workers consume all three (Procfile); notices and the outbox relay are never stuck
# behind a long import on "default".
CELERY_TASK_QUEUES = {"default": {}, "notices": {}, "outbox": {}}
CELERY_TASK_ROUTES = {"notices.*": {"queue": "notices"}, "outbox.*": {"queue": "outbox"}}
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Outbox (core.outbox): work that must follow a commit, relayed by idempotency key.
OUTBOX_RELAY_INTERVAL_SECONDS = 5
OUTBOX_RELAY_BATCH_SIZE = 500
OUTBOX_RELAY_MAX_BATCHES = 20
OUTBOX_CLAIM_LEASE_SECONDS = 60
OUTBOX_PUBLISH_TIMEOUT_SECONDS = 3
OUTBOX_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 1,
}
OUTBOX_MAX_ATTEMPTS = 10
OUTBOX_MAX_COUNTDOWN_SECONDS = 7 * 24 * 3600
OUTBOX_RETENTION_DAYS = 7

# Notices (core.notices).
NOTICE_WS_TICKET_TTL_SECONDS = 60
NOTICE_WS_AUTH_TIMEOUT_SECONDS = 5
# The most missed notices a websocket's ready message carries (auth with "since"); more over REST.
NOTICE_WS_CATCH_UP_MAX = 50
NOTICE_PAGE_SIZE = 50
NOTICE_MAX_PAGE_SIZE = 200
# Delivery backends by channel; "in_app" is the websocket push and needs none.
NOTICE_CHANNEL_BACKENDS = {
    "sms": "core.notices.backends.AccountsSmsBackend",  # through SMS_BACKEND, as one-time codes
    "wechat": "core.notices.backends.ConsoleWechatBackend",
}
# How long after its last heartbeat a worker still counts as alive on /readyz.
WORKER_HEARTBEAT_SECONDS = 30
WORKER_STALE_AFTER_SECONDS = 120

# Personal data at rest (core.pii).
PII_KEY = env.get("PII_KEY", env.DEV_PII_KEY)
PII_PREVIOUS_KEYS = env.get_list("PII_PREVIOUS_KEYS")
PII_INDEX_KEY = env.get("PII_INDEX_KEY", env.DEV_PII_INDEX_KEY)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.accounts.authentication.JWTAuthentication",
        "core.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filtering.FilterBackend"],  # refuses what django-filter drops
    # Every list answers in keyset pages (total, next, next_cursor, results).
    "DEFAULT_METADATA_CLASS": "core.api.metadata.ActionMetadata",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONBodyParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "DEFAULT_THROTTLE_RATES": {
        "reveal": "30/hour",
        "objection": "10/hour",
        # One bucket per sign-in endpoint and address (core/accounts/api/auth_views.py).
        "login": "20/minute",
        "token_refresh": "60/minute",
        "totp_confirm": "10/minute",
        "password_reset_code": "10/minute",
        "password_reset": "10/minute",
        "binding_code": "10/minute",
        "binding": "20/minute",
        "wechat_login": "60/minute",
        "password_change": "10/hour",
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Smart Community API (智慧社区)",
    "DESCRIPTION": "The portal of the 1+1+1+6+X smart-community framework.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The default hook, then the one error shape as every operation's `default` response.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema_errors.document_errors",
    ],
    # Several models have a "status", "kind" or "stage"; name each enum after its model (the
    # schema check, and so tests/config/test_settings.py, fails on a collision left to a hash).
    "ENUM_NAME_OVERRIDES": {
        "ResidentStatusEnum": "core.registry.models.Resident.Status",
        "TransferStatusEnum": "core.registry.models.Transfer.Status",
        "PlaceNameStatusEnum": "core.registry.models.PlaceName.Status",
        "TagSourceEnum": "core.registry.models.ResidentTag.Source",
        "EventSourceEnum": "core.workflow.models.Event.Source",
        "EventStateEnum": "core.workflow.states.State",
        "ContactKindEnum": "core.registry.models.Contact.Kind",
        "PlaceNameKindEnum": "core.registry.models.PlaceName.Kind",
        "PlaceNameAliasKindEnum": "core.registry.models.PlaceNameAlias.Kind",
        "RegionLevelEnum": "core.regions.models.Region.Level",
        "ApplicationAreaEnum": "affairs.models.Application.Area",
        "StandardAreaEnum": "affairs.models.AssistanceStandard.Area",
        "StandardKindEnum": "affairs.models.AssistanceStandard.Kind",
        "ApplicationStageEnum": "affairs.models.applications.Stage",
        "PartyOrganizationKindEnum": "party_building.models.organizations.OrganizationKind",
        "PartyMeetingKindEnum": "party_building.models.life.MeetingKind",
        "PartyMeetingStatusEnum": "party_building.models.life.Meeting.Status",
        "PartyMemberKindEnum": "party_building.models.members.MemberKind",
        "PartyMemberStatusEnum": "party_building.models.members.Member.Status",
        "PioneerPostKindEnum": "party_building.models.service.PioneerPost.Kind",
        "SurveyQuestionKindEnum": "governance.models.surveys.SurveyQuestion.Kind",
        "ElectionMethodEnum": "governance.models.elections.Election.Method",
        "TopicOutcomeEnum": "governance.models.deliberation.Topic.Outcome",
        "TopicReachEnum": "governance.models.deliberation.Topic.Reach",
        "SocialOrganizationStageEnum": "governance.models.organizations.SocialOrganization.Stage",
        "VentureApplicationStatusEnum": "governance.models.organizations.VentureApplication.Status",
        "DeviceKindEnum": "safety.models.devices.DeviceKind",
        "HazardKindEnum": "safety.models.inspections.HazardKind",
        "KeyPersonCategoryEnum": "safety.models.care.KeyPerson.Category",
        "CareRecipientCategoryEnum": "safety.models.care.CareRecipient.Category",
        "PatrolKindEnum": "safety.models.patrols.PatrolKind",
        "PatrolShiftStatusEnum": "safety.models.patrols.PatrolShift.Status",
        "CoordinateSystemEnum": "core.workflow.geo.SYSTEMS",
        "MealPointKindEnum": "services.models.meals.MealPoint.Kind",
        "MealRecordMethodEnum": "services.models.meals.MealRecord.Method",
        "MealSubsidyRuleStatusEnum": "services.models.meals.MealSubsidyRule.Status",
        "CaseEntryKindEnum": "services.models.social.CaseEntry.Kind",
        "RetrofitStageEnum": "services.models.retrofits.RetrofitStageName",
        # open/closed: one choice set shared by several models (settlements, social cases, surveys…)
        "OpenClosedStatusEnum": "services.models.social.SocialCase.Status",
        "WeatherWarningKindEnum": "scenarios.extreme_weather.models.WeatherWarning.Kind",
        "WeatherWarningLevelEnum": "scenarios.extreme_weather.models.LEVELS",
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
    "ALGORITHM": "HS256",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "user_id",
}

# Sessions (admin and dashboard): idle 30 minutes, absolute 12 hours for staff
# (core.accounts.middleware.SessionTimeoutMiddleware enforces both).
SESSION_COOKIE_AGE = 12 * 3600
SESSION_IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_ABSOLUTE_TIMEOUT_SECONDS = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Health probes come from the orchestrator over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# ID numbers and phones never reach a log line, whatever a message interpolates, query strings
# included (core/pii/logging.py). Every logger writes through the one filtered handler: the
# loggers that Django's defaults, uvicorn and Celery give handlers of their own are named here,
# so this configuration (applied after uvicorn's, at django.setup()) replaces theirs.
_PERSONAL_DATA_LOGGERS = ("django", "django.server", "django.request", "uvicorn", "uvicorn.error")
_PERSONAL_DATA_LOGGERS += ("uvicorn.access", "celery", "celery.app.trace", "celery.task", "celery.redirected")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "core.pii.logging.PersonalDataLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}
    },
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        **{
            name: {"handlers": ["console"], "filters": ["personal_data"], "level": "INFO", "propagate": False}
            for name in _PERSONAL_DATA_LOGGERS
        },
    },
}
# Celery keeps this configuration (its worker would replace the root handler with its own).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Office hours for deadlines counted in working hours (core.workflow.calendar).
WORKFLOW_OFFICE_HOURS = (("08:30", "12:00"), ("14:00", "17:30"))

# The platform's one small-cell threshold (k): a count of people below it is suppressed wherever
# it leaves the community (dashboards above the community level, exports), with secondary
# suppression so a cell cannot be recovered from its parent's total (docs/dashboards.md).
SMALL_CELL_K = env.get_int("SMALL_CELL_K", 5)

# Dashboards (core/dashboards): changes to a community within this many seconds are refreshed
# once (0: after each commit); a live page gets at most one update per node this often; a
# rebuild recomputes this many past days of the series that dated rows can derive.
DASHBOARD_REFRESH_WINDOW_SECONDS = env.get_int("DASHBOARD_REFRESH_WINDOW_SECONDS", 5)
DASHBOARD_PUSH_INTERVAL_SECONDS = 3
DASHBOARD_HISTORY_DAYS = 90
