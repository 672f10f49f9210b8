from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from core.accounts.models import User
from core.regions.models import Region
from core.registry.management.commands.seed_demo import DEMO_PASSWORD, DISTRICTS

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_builds_wuhu_with_its_seven_county_level_divisions():
    seed()
    city = Region.objects.get(level=Region.Level.CITY)
    assert (city.name, city.code) == ("芜湖市", "340200")
    districts = Region.objects.filter(parent=city).values_list("name", "code")
    assert sorted(districts) == sorted(DISTRICTS)
    grids = Region.objects.filter(level=Region.Level.GRID)
    assert grids.count() == 7 * 2 * 2 * 2
    grid = grids.first()
    assert grid.path.startswith(city.path) and grid.path.count("/") == 6


def test_is_idempotent_and_deterministic_for_a_seed():
    seed(seed=7)
    first = list(Region.objects.values_list("path", "name"))
    seed(seed=7)
    assert list(Region.objects.values_list("path", "name")) == first


def test_prints_logins_that_work():
    output = seed()
    assert DEMO_PASSWORD in output
    for username in ("admin", "worker"):
        assert username in output
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="worker").is_superuser


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()
