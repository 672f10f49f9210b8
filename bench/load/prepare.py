"""Accounts for the load drill, made in the drill's own database after `seed_demo`.

The demo has one account per role, and one address may sign in 20 times a minute with each TOTP
code working once: a crowd of locust users cannot all be `worker` or `district`. This makes a
crowd like the demo's own accounts: community workers at the demo's first communities, district
staff with an authenticator secret the locust users compute codes from, and residents bound to
register records who sign in through the (fake) WeChat mini-program login, as residents do.

    python -m bench.load.prepare accounts.json --workers 12 --districts 4 --residents 12

Never in production (DEMO_FAKES is refused there, and the demo password is public).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

WORKER = "load-worker-{}"
DISTRICT = "load-district-{}"
RESIDENT_CODE = "load-resident-{}"  # the fake WeChat login code; the identity is demo-<code>
COMMUNITIES = 4  # the crowd is spread over the demo's first communities (one per street first)


def prepare(*, workers: int, districts: int, residents: int) -> dict:
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.accounts.identity import resident_bind
    from core.accounts.models import ExternalIdentity, ResidentBinding, RoleAssignment, User
    from core.accounts.roles import Role
    from core.imports.demo import DEMO_PASSWORD
    from core.regions.models import Region
    from core.registry.models import Resident

    if not Region.objects.filter(level=Region.Level.COMMUNITY).exists():
        raise SystemExit("no communities: run `manage.py seed_demo` first")
    # Communities of different streets first, so district dashboards see activity in several.
    by_street: dict[int, list[Region]] = {}
    for community in Region.objects.filter(level=Region.Level.COMMUNITY).order_by("id"):
        by_street.setdefault(community.parent_id, []).append(community)
    spread = [c for group in zip(*by_street.values(), strict=False) for c in group]
    communities = spread[:COMMUNITIES]
    password_hash = None

    def account(username: str, region: Region, role: str) -> User:
        nonlocal password_hash
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": username, "is_staff": True, "region": region}
        )
        if created:
            if password_hash is None:
                user.set_password(DEMO_PASSWORD)
                password_hash = user.password
            user.password = password_hash
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
        return user

    out: dict = {"password": DEMO_PASSWORD, "workers": [], "districts": [], "residents": []}
    with transaction.atomic():
        for i in range(workers):
            community = communities[i % len(communities)]
            account(WORKER.format(i), community, Role.COMMUNITY_WORKER)
            out["workers"].append({"username": WORKER.format(i), "community": community.pk})
        for i in range(districts):
            district = communities[i % len(communities)].parent.parent
            user = account(DISTRICT.format(i), district, Role.DISTRICT_STAFF)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="load drill", confirmed=True)
            out["districts"].append(
                {"username": user.username, "district": district.pk, "totp_key": device.key}
            )
        for i in range(residents):
            code = RESIDENT_CODE.format(i)
            identity = ExternalIdentity.objects.filter(provider="wechat", subject=f"demo-{code}").first()
            if identity is None:
                community = communities[i % len(communities)]
                unbound = Resident.objects.filter(
                    status=Resident.Status.ACTIVE, household__isnull=False
                ).exclude(pk__in=ResidentBinding.objects.values("resident"))
                # An adult of one of the crowd's communities; on a small register, anyone left.
                resident = (
                    unbound.filter(region_path__startswith=community.path, birth_date__year__lt=2000)
                    .order_by("id")
                    .first()
                ) or unbound.order_by("id").first()
                if resident is None:
                    raise SystemExit("not enough residents left to bind: seed a larger register")
                user = User.objects.create(username=f"wx_{code}")
                user.set_unusable_password()
                user.save()
                ExternalIdentity.objects.create(user=user, provider="wechat", subject=f"demo-{code}")
                resident_bind(user=user, resident=resident, method="wechat")
            out["residents"].append({"code": code})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path)
    parser.add_argument("--workers", type=int, default=12)
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--residents", type=int, default=12)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    accounts = prepare(workers=args.workers, districts=args.districts, residents=args.residents)
    args.output.write_text(json.dumps(accounts, indent=1))
    print(
        f"load accounts: {len(accounts['workers'])} workers, {len(accounts['districts'])} district staff, "
        f"{len(accounts['residents'])} residents -> {args.output}"
    )


if __name__ == "__main__":
    main()
