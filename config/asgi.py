"""HTTP and websockets in one ASGI application (served by uvicorn)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the websocket routes do).
django_http = get_asgi_application()

from core.accounts.checks import raise_on_declaration_problems  # noqa: E402

# A view or role naming a permission nobody declared stops the start (core/accounts/checks.py).
raise_on_declaration_problems()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.concurrency import BoundedConcurrency  # noqa: E402
from core.extensions.registry import registry  # noqa: E402

application = ProtocolTypeRouter(
    {
        # At most WEB_MAX_CONCURRENT_REQUESTS requests in Django's threads at once (services mode).
        "http": BoundedConcurrency(django_http, settings.WEB_MAX_CONCURRENT_REQUESTS),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(registry.websocket_routes()))),
    }
)
