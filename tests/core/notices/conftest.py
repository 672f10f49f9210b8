"""The notices tests' world: the one world (tests/world.py) and an account holding no role."""

from __future__ import annotations

import pytest

from tests.world import World, make_user


@pytest.fixture
def world(world: World) -> World:
    world.no_role_user = make_user(username="no_role", is_staff=False)
    return world


@pytest.fixture
def fake_backends(settings):
    from core.notices.backends import FakeBackend

    settings.NOTICE_CHANNEL_BACKENDS = {
        "sms": "core.notices.backends.FakeSmsBackend",
        "wechat": "core.notices.backends.FakeWechatBackend",
    }
    FakeBackend.sent.clear()
    yield FakeBackend.sent
    FakeBackend.sent.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The tasks of this part run in-process in both modes (tests/conftest.py)."""
