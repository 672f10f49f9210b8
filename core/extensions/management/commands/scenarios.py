"""manage.py scenarios list | enable <key> <region id> | disable <key> <region id>
                      | settings <key> <region id> [name=value ...]

Switches and settings versions go through the same services as the API and the admin (audited,
as the system: no signed-in person)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from core.api.errors import ApplicationError
from core.extensions.registry import registry
from core.extensions.scenarios import (
    scenario_config,
    scenario_set_enabled,
    scenario_settings_add,
    scenario_settings_at,
    scenario_state_at,
)
from core.regions.models import Region

# The command line is the operator's: it may change any place, and is audited without a person.
SYSTEM = SimpleNamespace(is_superuser=True, is_authenticated=False)


class Command(BaseCommand):
    help = "List scenarios, enable or disable one for a region, or show and change its settings there."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="installed scenarios, and those disabled at start-up with why")
        for name in ("enable", "disable"):
            one = sub.add_parser(name)
            one.add_argument("key")
            one.add_argument("region", type=int)
        settings = sub.add_parser("settings", help="show the settings at a region, or set some (name=value)")
        settings.add_argument("key")
        settings.add_argument("region", type=int)
        settings.add_argument("values", nargs="*", help="name=value; a value is read as JSON when it parses")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as error:
            raise CommandError(f"{error}: {getattr(error, 'fields', {}) or ''}") from error

    def _region(self, region_id: int) -> Region:
        region = Region.objects.filter(pk=region_id).first()
        if region is None:
            raise CommandError(f"No region with id {region_id}")
        return region

    def _list(self, **options):
        for config in registry.scenarios():
            names = f"{config.names.get('zh-hans', '')} / {config.names.get('en', '')}"
            self.stdout.write(
                f"{config.label}\t{config.version}\t{names}"
                f"\tdomain={config.domain}\tplatform {config.platform_versions}"
            )
            for path, enabled in scenario_switches(config.label):
                self.stdout.write(f"    {'enabled' if enabled else 'disabled'} at {path}")
        for label, reason in sorted(registry.disabled_scenarios().items()):
            self.stdout.write(f"{label}\tDISABLED AT START-UP: {reason}")

    def _enable(self, key, region, **options):
        self._switch(key, region, True)

    def _disable(self, key, region, **options):
        self._switch(key, region, False)

    def _switch(self, key, region_id, enabled):
        config = scenario_config(key)
        region = self._region(region_id)
        scenario_set_enabled(actor=SYSTEM, scenario_key=config.label, region=region, enabled=enabled)
        state = scenario_state_at(config.label, region.path)
        self.stdout.write(
            f"{config.label} at {region.name} ({region.path}): {'enabled' if state.enabled else 'disabled'}"
        )

    def _settings(self, key, region, values, **options):
        config = scenario_config(key)
        place = self._region(region)
        if values:
            parsed = {}
            for pair in values:
                name, sep, raw = pair.partition("=")
                if not sep:
                    raise CommandError(f"{pair!r}: give name=value")
                try:
                    parsed[name] = json.loads(raw)
                except ValueError:
                    parsed[name] = raw
            scenario_settings_add(actor=SYSTEM, scenario_key=config.label, region=place, values=parsed)
        effective = scenario_settings_at(config.label, place.path)
        for setting in config.settings_schema:
            source = effective.sources[setting.name] or "default"
            policy = " (policy: district)" if setting.policy else ""
            self.stdout.write(
                f"{setting.name} = {setting.clean(effective.values[setting.name])}\t[{source}]{policy}"
            )
        self.stdout.write(f"versions: {list(effective.versions)}")


def scenario_switches(key: str) -> list[tuple[str, bool]]:
    from core.extensions.models import ScenarioEnablement

    return list(
        ScenarioEnablement.objects.filter(scenario_key=key)
        .order_by("region_path")
        .values_list("region_path", "enabled")
    )
