"""Websockets check the page's Origin against the allowed hosts always, even when development
allows every host (`*` is never an origin) (issue 13)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator

from config.origins import WebsocketOriginValidator

# A consumer closes stale database connections when it connects.
pytestmark = pytest.mark.django_db(transaction=True)


class Accepting(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()


def opens(origin: str | None) -> bool:
    app = WebsocketOriginValidator(Accepting.as_asgi())
    headers = [(b"origin", origin.encode())] if origin is not None else []

    async def attempt():
        communicator = WebsocketCommunicator(app, "/ws/x/", headers=headers)
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    return async_to_sync(attempt)()


def test_any_host_allowed_does_not_mean_any_origin(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS = True, ["*"], []
    settings.WEBSOCKET_ALLOWED_ORIGINS = []
    assert not opens("https://evil.example.com")
    assert not opens(None) and not opens("null")
    assert opens("http://localhost:8000") and opens("http://127.0.0.1:8000")


def test_production_origins_are_the_allowed_hosts_and_trusted_origins(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = False, ["community.example.cn"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.portal.example.cn"]
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["https://app.example.org"]
    assert opens("https://community.example.cn")
    assert opens("https://m.portal.example.cn")
    assert opens("https://app.example.org")
    assert not opens("http://localhost:8000")  # not in development
    assert not opens("https://community.example.cn.evil.com")


def test_the_asgi_application_uses_it():
    from config.asgi import application

    assert isinstance(application.application_mapping["websocket"], WebsocketOriginValidator)


@pytest.mark.parametrize("origin", ["https://evil.example.com", "http://testserver.evil"])
def test_a_foreign_page_cannot_open_the_notice_socket(settings, origin):
    from config.asgi import application

    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["*", "testserver"]

    async def attempt():
        communicator = WebsocketCommunicator(
            application, "/ws/notices/", headers=[(b"origin", origin.encode())]
        )
        connected, _ = await communicator.connect()
        return connected

    assert not async_to_sync(attempt)()
