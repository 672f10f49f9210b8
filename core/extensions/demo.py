"""The size of the demo a DemoData loader makes: `manage.py seed_demo --residents N --seed S`
passes `DemoScale(residents=N, seed=S)`, and each part makes its demo data in proportion (and,
where it draws at random, from the seed: the same seed makes the same demo)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoScale:
    residents: int
    seed: int = 2021  # seed_demo's default

    def per(self, residents_each: int, *, minimum: int = 0) -> int:
        """One record per `residents_each` residents (at least `minimum`; none without residents)."""
        if self.residents <= 0:
            return 0
        return max(minimum, self.residents // residents_each)


def first_demo_community(city):
    """The demo's first community (where the demo accounts act), or None."""
    from core.regions.models import Region

    return (
        Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path).order_by("id").first()
    )


def scenario_enable_for_demo(scenario_key: str, city):
    """Enable a scenario in the demo's first community (audited, as the system); that community."""
    from types import SimpleNamespace

    from core.extensions.scenarios import scenario_set_enabled, scenario_state_at

    community = first_demo_community(city)
    if community is not None and not scenario_state_at(scenario_key, community.path).enabled:
        system = SimpleNamespace(is_superuser=True, is_authenticated=False)
        scenario_set_enabled(actor=system, scenario_key=scenario_key, region=community, enabled=True)
    return community
