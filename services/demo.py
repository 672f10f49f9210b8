"""Demo data of community services (filled below)."""


def seed_services(city, *, scale) -> str:
    return ""
