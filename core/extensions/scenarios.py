"""Where a scenario runs and with which settings, per node of the region tree; nearest node wins.

scenario_set_enabled(actor=admin, scenario_key="care_alerts", region=community, enabled=True)
enabled_scenarios_at(resident.region_path)  # ["care_alerts"]
scenario_enabled_q("care_alerts")           # a Q over region_path: rows where it is enabled
scenario_settings_add(actor=admin, scenario_key="care_alerts", region=district, values={...})
scenario_settings_at("care_alerts", resident.region_path)  # values in force, and their versions
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.errors import Forbidden, NotFound, field_error, invalid_fields
from core.audit.services import audit_record, created
from core.extensions.contributions import KEY_PATTERN
from core.extensions.errors import ScenarioError
from core.extensions.models import ScenarioEnablement, ScenarioSettings
from core.regions.paths import ancestor_paths, depth, is_under
from core.regions.scoping import scope_for

# Settings marked as policy are set at this level of the tree (a district or county) or above.
POLICY_LEVEL = 2

# Switching a scenario on or off for a place is configuration of the platform there.
ENABLE_PERMISSION = "accounts.manage_config"


def scenario_set_enabled(
    *, actor, scenario_key: str, region, enabled: bool, request=None
) -> ScenarioEnablement:
    """Enable or disable `scenario_key` for `region`'s subtree; audited. The actor must hold, over
    the region, a role that manages configuration (403 otherwise)."""
    if not KEY_PATTERN.match(scenario_key or ""):
        raise field_error("scenario_key", _("Not a scenario key."))
    if not getattr(actor, "is_superuser", False) and not scope_for(actor).covers(
        region.path, ENABLE_PERMISSION
    ):
        raise Forbidden(_("You may not change the scenarios of this place."))
    with transaction.atomic():
        row = (
            ScenarioEnablement.objects.select_for_update()
            .filter(scenario_key=scenario_key, region=region)
            .first()
        )
        before = None if row is None else row.enabled
        if row is None:
            row = ScenarioEnablement(scenario_key=scenario_key, region=region, region_path=region.path)
        row.enabled = enabled
        row.region_path = region.path
        row.changed_by = actor if getattr(actor, "is_authenticated", False) else None
        row.save()
        audit_record(
            actor=actor,
            action="extensions.scenario.enable" if enabled else "extensions.scenario.disable",
            target=row,
            changes={"enabled": {"old": before, "new": enabled}},
            extra={"scenario": scenario_key},
            request=request,
        )
    return row


def enabled_scenarios_at(region_path: str, *, scenario_keys: list[str] | None = None) -> list[str]:
    """The scenarios enabled at a place, the one enabled nearest to it first."""
    from core.regions.paths import ancestor_paths

    rows = ScenarioEnablement.objects.filter(region_path__in=ancestor_paths(region_path))
    if scenario_keys is not None:
        rows = rows.filter(scenario_key__in=scenario_keys)
    nearest: dict[str, tuple[int, bool]] = {}
    for key, path, enabled in rows.values_list("scenario_key", "region_path", "enabled"):
        depth = path.count("/")
        if key not in nearest or depth > nearest[key][0]:
            nearest[key] = (depth, enabled)
    on = [(depth, key) for key, (depth, enabled) in nearest.items() if enabled]
    return [key for _depth, key in sorted(on, key=lambda pair: (-pair[0], pair[1]))]


def scenario_config(scenario_key: str):
    """The started scenario with this key; 404 for one not installed or disabled at start-up."""
    from core.extensions.registry import registry

    config = registry.scenario(scenario_key) if isinstance(scenario_key, str) else None
    if config is None:
        raise NotFound()
    return config


def scenario_enabled_at(scenario_key: str, region_path: str) -> bool:
    return bool(enabled_scenarios_at(region_path, scenario_keys=[scenario_key]))


@dataclass(frozen=True)
class ScenarioState:
    scenario_key: str
    region_path: str
    enabled: bool
    # Where the deciding switch is ("" when nothing decides: a scenario is off until enabled).
    decided_at: str
    decided_at_id: int | None

    @property
    def inherited(self) -> bool:
        return self.decided_at != self.region_path


def scenario_state_at(scenario_key: str, region_path: str) -> ScenarioState:
    rows = ScenarioEnablement.objects.filter(
        scenario_key=scenario_key, region_path__in=ancestor_paths(region_path)
    ).values_list("region_path", "region_id", "enabled")
    nearest = max(rows, key=lambda row: depth(row[0]), default=None)
    if nearest is None:
        return ScenarioState(scenario_key, region_path, False, "", None)
    return ScenarioState(scenario_key, region_path, nearest[2], nearest[0], nearest[1])


def scenario_enabled_q(scenario_key: str, field_name: str = "region_path") -> Q:
    """Rows (by their region path) at places where the scenario is enabled, as one filter: under
    each enabling switch, minus the subtrees of the switches nearest below it (set-based: a
    scenario's periodic work and lists never visit a disabled place)."""
    switches = sorted(
        ScenarioEnablement.objects.filter(scenario_key=scenario_key).values_list("region_path", "enabled")
    )
    parts = []
    for path, enabled in switches:
        if not enabled:
            continue
        below = [other for other, _on in switches if other != path and is_under(other, path)]
        # Only the switches nearest below decide for their subtrees.
        nearest_below = [p for p in below if not any(q != p and is_under(p, q) for q in below)]
        part = Q(**{f"{field_name}__startswith": path})
        for sub in nearest_below:
            part &= ~Q(**{f"{field_name}__startswith": sub})
        parts.append(part)
    return reduce(or_, parts) if parts else Q(pk__in=[])


# settings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveSettings:
    """The settings in force at a place: each value typed, and the versions they come from."""

    values: dict[str, Any]
    versions: tuple[int, ...] = ()
    # setting name -> the region path whose version set it ("" for the scenario's default)
    sources: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def scenario_settings_at(
    scenario_key: str, region_path: str, *, at: datetime | None = None
) -> EffectiveSettings:
    """The values in force at a place at a time: the scenario's defaults, then for each node from
    the top down its latest version valid by then; a policy setting only from the district level
    or above (it cannot be overridden below)."""
    config = scenario_config(scenario_key)
    at = at or timezone.now()
    rows = (
        ScenarioSettings.objects.filter(
            scenario_key=scenario_key, region_path__in=ancestor_paths(region_path), valid_from__lte=at
        )
        .order_by("valid_from", "id")
        .values_list("id", "region_path", "values")
    )
    latest: dict[str, tuple[int, dict]] = {}
    for pk, path, values in rows:
        latest[path] = (pk, values)
    values = {s.name: s.typed(s.clean(s.default)) for s in config.settings_schema}
    sources = dict.fromkeys(values, "")
    versions = []
    for path in sorted(latest, key=depth):
        pk, stored = latest[path]
        versions.append(pk)
        for name, value in stored.items():
            setting = config.setting(name)
            if setting is None or (setting.policy and depth(path) > POLICY_LEVEL):
                continue
            values[name] = setting.typed(value)
            sources[name] = path
    return EffectiveSettings(values=values, versions=tuple(versions), sources=sources)


def scenario_settings_add(
    *,
    actor,
    scenario_key: str,
    region,
    values: dict,
    valid_from: datetime | None = None,
    request=None,
) -> ScenarioSettings:
    """A new version of the scenario's settings at `region`, valid from `valid_from` (now by
    default; never in the past, which would change what was decided). Earlier versions stay as
    they were. Policy settings are set at the district level or above."""
    config = scenario_config(scenario_key)
    if not getattr(actor, "is_superuser", False) and not scope_for(actor).covers(
        region.path, ENABLE_PERMISSION
    ):
        raise Forbidden(_("You may not change the scenarios of this place."))
    if not isinstance(values, dict) or not values:
        raise field_error("values", _("Give the settings to set."), code=ScenarioError.INVALID_SETTING)
    now = timezone.now()
    valid_from = valid_from or now
    if valid_from < now - timezone.timedelta(minutes=1):
        raise field_error(
            "valid_from",
            _("Settings take effect now or later, never in the past."),
            code=ScenarioError.PAST_VALIDITY,
        )
    problems, cleaned = {}, {}
    for name, value in values.items():
        setting = config.setting(name)
        if setting is None:
            raise field_error(
                f"values.{name}", _("Not a setting of this scenario."), code=ScenarioError.UNKNOWN_SETTING
            )
        if setting.policy and region.level > POLICY_LEVEL:
            raise field_error(
                f"values.{name}",
                _("A policy setting is set by the district and cannot be changed below it."),
                code=ScenarioError.POLICY_AT_DISTRICT,
            )
        error = setting.error(value)
        if error:
            problems[f"values.{name}"] = error
        else:
            cleaned[name] = setting.clean(value)
    if problems:
        raise invalid_fields(problems, code=ScenarioError.INVALID_SETTING)
    with transaction.atomic():
        row = ScenarioSettings.objects.create(
            scenario_key=scenario_key,
            region=region,
            region_path=region.path,
            values=cleaned,
            valid_from=valid_from,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="extensions.scenario.settings",
            target=row,
            changes=created(values=cleaned, valid_from=valid_from.isoformat()),
            extra={"scenario": scenario_key},
            request=request,
        )
    return row
