"""Where a scenario runs: enabled (or disabled) per node of the region tree, nearest node wins.

scenario_set_enabled(actor=admin, scenario_key="care_alerts", region=community, enabled=True)
enabled_scenarios_at(resident.region_path)  # ["care_alerts"]
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import Forbidden, field_error
from core.audit.services import audit_record
from core.extensions.contributions import KEY_PATTERN
from core.extensions.models import ScenarioEnablement
from core.regions.scoping import scope_for

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
