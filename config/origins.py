"""Which pages may open the websockets: an Origin on the allowed hosts, always.

channels' AllowedHostsOriginValidator takes ALLOWED_HOSTS as is, so `*` (the development default)
let any page on the internet open a socket with the visitor's session. Here `*` is never an
origin: the allowed hosts without it, the CSRF trusted origins, WEBSOCKET_ALLOWED_ORIGINS, and in
development with nothing else named, this machine. A socket without an Origin is refused.
"""

from __future__ import annotations

from channels.security.websocket import OriginValidator
from django.conf import settings

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def websocket_allowed_origins() -> list[str]:
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    trusted = [origin.replace("://*.", "://.") for origin in settings.CSRF_TRUSTED_ORIGINS]
    origins = [*hosts, *trusted, *settings.WEBSOCKET_ALLOWED_ORIGINS]
    if settings.DEBUG and not hosts:
        origins += LOCAL_HOSTS
    return [origin for origin in origins if origin != "*"]


class WebsocketOriginValidator(OriginValidator):
    """Read from the settings at each connection, so that a test's settings apply too."""

    def __init__(self, application):
        super().__init__(application, allowed_origins=[])

    def valid_origin(self, parsed_origin) -> bool:
        if parsed_origin is None or not parsed_origin.hostname:
            return False
        return any(self.match_allowed_origin(parsed_origin, p) for p in websocket_allowed_origins())
