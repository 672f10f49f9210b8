"""Demo party building for `manage.py seed_demo` (filled in below)."""


def seed_party_building(city, *, scale) -> str:
    return ""
