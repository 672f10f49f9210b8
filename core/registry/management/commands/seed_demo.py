"""Load the demo dataset: 芜湖 (Wuhu), its housing and residents, and demo accounts. Never in production.

Idempotent: the region tree and the accounts are found again, and a city that already has a
register keeps it. The generator itself lives in core.imports.demo (bench/ uses it too).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.imports.demo import DEMO_PASSWORD, DISTRICTS, TreeShape, seed_demo, tree_shape

__all__ = ["DEMO_PASSWORD", "DISTRICTS", "Command"]

# Loading runs the domains' tasks in-process (embedded mode): Celery's line per task run and the
# notices' line per notice not sent by SMS (the demo accounts have no phone) would bury the
# summary a newcomer reads under a few hundred lines. Warnings and errors still show.
CHATTY_LOGGERS = ("celery.app.trace", "smartcommunity.notices", "smartcommunity.handoffs")


@contextmanager
def _warnings_only(names=CHATTY_LOGGERS):
    """Raise these loggers to WARNING for the load. The task modules are imported first: a task
    module found missing later used to make Celery's Django fixup call django.setup() again,
    which re-applies settings.LOGGING and undid the levels set here (core.outbox.relay no longer
    goes that way; importing first keeps this independent of it)."""
    from celery import current_app

    current_app.autodiscover_tasks(force=True)
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Load the demo dataset (Wuhu region tree, housing, residents and demo accounts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--residents",
            type=int,
            default=2000,
            help="residents to generate; every part's demo data (DemoData) is made in proportion",
        )
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--streets", type=int, help="streets per district (default: scaled)")
        parser.add_argument("--communities", type=int, help="communities per street (default: scaled)")
        parser.add_argument("--grids", type=int, help="grids per community (default: scaled)")

    def handle(self, *args, residents: int, seed: int, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates demo accounts and is refused when DJANGO_ENV=production")
        if residents < 0:
            raise CommandError("--residents must be 0 or more")
        scaled = tree_shape(residents)
        shape = TreeShape(
            streets=options["streets"] or scaled.streets,
            communities=options["communities"] or scaled.communities,
            grids=options["grids"] or scaled.grids,
        )
        from core.dashboards.changes import held_back
        from core.dashboards.summaries import rebuild_everything

        with _warnings_only():
            started = time.monotonic()
            # Everything is loaded in bulk: the dashboards' summaries are built once, at the end,
            # rather than a refresh marked for each row saved.
            with held_back(mark_at_end=False):
                result = seed_demo(residents=residents, seed=seed, shape=shape, progress=self._progress)
            elapsed = time.monotonic() - started
            rebuilt = rebuild_everything()
        self.stdout.write(self.style.SUCCESS(f"Demo regions: {result['regions']}"))
        register = result["register"]
        if register is None:
            self.stdout.write("The demo city already has a register; residents were left as they are.")
        elif register:
            rate = register["residents"] / elapsed if elapsed else 0
            self.stdout.write(
                f"Demo register: {register}; loaded in {elapsed:.1f}s ({rate:,.0f} residents/s)"
            )
        for summary in result["extras"]:
            self.stdout.write(summary)
        self.stdout.write(rebuilt)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, display_name, where in result["accounts"]:
            also = self._other_roles(username)
            self.stdout.write(
                f"  {username:<10} {display_name}  {where}" + (f"; also {also}" if also else "")
            )
            self._second_factor(username)

    def _other_roles(self, username: str) -> str:
        """Roles the domains' demo data gave the account besides its core one (printed first: a
        newcomer signs in as the community worker), e.g. safety's key-person worker."""
        from core.accounts.models import RoleAssignment
        from core.accounts.roles import role_label
        from core.imports.demo import DEMO_ACCOUNTS

        core_role = {name: role for name, _display, _superuser, role in DEMO_ACCOUNTS}[username]
        others = (
            RoleAssignment.objects.filter(user__username=username)
            .exclude(role=core_role)
            .select_related("region")
            .order_by("id")
        )
        return "; ".join(f"{role_label(a.role)} · {a.region.name}" for a in others)

    def _second_factor(self, username: str) -> None:
        """Accounts above the community sign in with a TOTP code too: print how to get one."""
        from core.accounts.models import User
        from core.accounts.two_factor import demo_second_factor, requires_two_factor

        user = User.objects.get(username=username)
        if not requires_two_factor(user):
            return
        factor = demo_second_factor(user)
        self.stdout.write(
            f"             second factor: code {factor.current_code} now; authenticator secret "
            f"{factor.secret}; a fresh code any time: python manage.py demo_totp {username}"
        )

    def _progress(self, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done % step == 0 or done == total:
            self.stderr.write(f"  grids filled: {done}/{total}")
