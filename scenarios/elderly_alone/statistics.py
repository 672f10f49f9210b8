from scenarios.elderly_alone.services import false_alarms_per_device


def false_alarms(region) -> dict[str, int]:
    """False alarms per device in the region (closed cases with outcome false_alarm)."""
    return false_alarms_per_device(region.path)
