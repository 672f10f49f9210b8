from __future__ import annotations

from django.core.management.base import BaseCommand

from core.dashboards import summaries


class Command(BaseCommand):
    help = (
        "Recompute every dashboard indicator from the base tables (corrects any drift), and snapshot today."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-snapshot", action="store_true", help="do not record today's values")

    def handle(self, *args, no_snapshot: bool = False, **options) -> None:
        outcome = summaries.rebuild()
        history = summaries.rebuild_history()
        self.stdout.write(f"{len(outcome.changed)} indicator(s) corrected, {history} past value(s) derived")
        if not no_snapshot:
            self.stdout.write(f"{summaries.snapshot()} value(s) kept for today")
