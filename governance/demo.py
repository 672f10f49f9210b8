"""Demo data of co-governance (filled in below)."""


def seed_governance(city, *, scale) -> str:
    return ""
