"""Load the demo dataset: the city of 芜湖 (Wuhu) and demo accounts. Idempotent; never in production.

The data-foundation work extends this with compounds, houses, households and residents
(`--residents N --seed S`).
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.accounts.models import User
from core.regions.models import Region

CITY = ("芜湖市", "340200")
# The seven county-level divisions of Wuhu as in 2021, with their administrative codes.
DISTRICTS = [
    ("镜湖区", "340202"),
    ("鸠江区", "340207"),
    ("弋江区", "340209"),
    ("湾沚区", "340210"),
    ("繁昌区", "340212"),
    ("南陵县", "340223"),
    ("无为市", "340281"),
]
STREET_SUFFIXES = ["街道", "镇"]
# Synthetic stems for street and community names (the demo does not claim real boundaries).
STREET_STEMS = (
    "青山",
    "江城",
    "滨江",
    "长江",
    "赭山",
    "天门",
    "弋阳",
    "鸠兹",
    "凤鸣",
    "白马",
    "荆山",
    "峨桥",
    "花津",
    "南湖",
    "北门",
    "新芜",
)
DEMO_PASSWORD = "demo-Passw0rd-2026"  # noqa: S105 - demo dataset only; refused in production
DEMO_ACCOUNTS = [
    # username, display name, superuser
    ("admin", "系统管理员（演示）", True),
    ("worker", "社区工作者（演示）", False),
]


class Command(BaseCommand):
    help = "Load the demo dataset (Wuhu region tree and demo accounts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--streets", type=int, default=2, help="streets per district")
        parser.add_argument("--communities", type=int, default=2, help="communities per street")
        parser.add_argument("--grids", type=int, default=2, help="grids per community")

    def handle(self, *args, seed: int, streets: int, communities: int, grids: int, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates demo accounts and is refused when DJANGO_ENV=production")
        rng = random.Random(seed)
        with transaction.atomic():
            counts = self._regions(rng, streets, communities, grids)
            accounts = self._accounts()
        self.stdout.write(self.style.SUCCESS(f"Demo regions: {counts}"))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, display_name in accounts:
            self.stdout.write(f"  {username:<10} {display_name}")

    def _node(self, name: str, level: int, parent: Region | None, code: str = "") -> Region:
        node, _ = Region.objects.get_or_create(
            parent=parent, name=name, defaults={"level": level, "code": code}
        )
        return node

    def _regions(self, rng: random.Random, streets: int, communities: int, grids: int) -> dict[str, int]:
        counts = dict.fromkeys(("districts", "streets", "communities", "grids"), 0)
        city = self._node(CITY[0], Region.Level.CITY, None, CITY[1])
        for district_name, district_code in DISTRICTS:
            district = self._node(district_name, Region.Level.DISTRICT, city, district_code)
            counts["districts"] += 1
            names = rng.sample(STREET_STEMS, streets)
            for s_index, stem in enumerate(names, start=1):
                street_name = f"{stem}{STREET_SUFFIXES[s_index % 2]}"
                street = self._node(
                    street_name, Region.Level.STREET, district, f"{district_code}{s_index:03d}"
                )
                counts["streets"] += 1
                for c_index in range(1, communities + 1):
                    community = self._node(f"{stem}第{c_index}社区", Region.Level.COMMUNITY, street)
                    counts["communities"] += 1
                    for g_index in range(1, grids + 1):
                        self._node(f"第{g_index}网格", Region.Level.GRID, community)
                        counts["grids"] += 1
        return counts

    def _accounts(self) -> list[tuple[str, str]]:
        created = []
        for username, display_name, superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.display_name = display_name
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append((username, display_name))
        return created
