from celery import shared_task

from scenarios.extreme_weather.services import end_expired


@shared_task(name="extreme_weather.end_expired")
def end_expired_task() -> int:
    return end_expired()
