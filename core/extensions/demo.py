"""The size of the demo a DemoData loader makes: `manage.py seed_demo --residents N` passes
`DemoScale(residents=N)`, and each part makes its demo data in proportion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoScale:
    residents: int

    def per(self, residents_each: int, *, minimum: int = 0) -> int:
        """One record per `residents_each` residents (at least `minimum`; none without residents)."""
        if self.residents <= 0:
            return 0
        return max(minimum, self.residents // residents_each)
