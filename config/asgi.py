"""HTTP and websockets in one ASGI application (served by uvicorn)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django's ASGI handler with the middleware chain and the views in one thread hop a request.
from core.api.asgi_handler import get_asgi_application

# Django must be set up before anything imports models (the websocket routes do).
django_http = get_asgi_application()

from core.accounts.checks import raise_on_declaration_problems  # noqa: E402

# A view or role naming a permission nobody declared stops the start (core/accounts/checks.py).
raise_on_declaration_problems()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from config.concurrency import BoundedConcurrency  # noqa: E402
from config.origins import WebsocketOriginValidator  # noqa: E402
from core.api.asgi_shortcuts import PublicRouteShortcuts  # noqa: E402
from core.extensions.registry import registry  # noqa: E402

application = ProtocolTypeRouter(
    {
        # At most WEB_MAX_CONCURRENT_REQUESTS requests in Django's threads at once (services mode).
        # Public routes that declare an ASGI answer (PublicRoute.asgi) are answered ahead of Django.
        "http": BoundedConcurrency(
            PublicRouteShortcuts.declared(django_http), settings.WEB_MAX_CONCURRENT_REQUESTS
        ),
        "websocket": WebsocketOriginValidator(AuthMiddlewareStack(URLRouter(registry.websocket_routes()))),
    }
)
