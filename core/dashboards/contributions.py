"""What the dashboards declare: who may look at them, and the periodic work that keeps them."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import PeriodicTask, Permission

CONTRIBUTIONS = [
    Permission(
        key="dashboards.view",
        label=_("View the dashboards of one's subtree"),
        roles=(
            Role.GRID_WORKER,
            Role.COMMUNITY_WORKER,
            Role.COMMUNITY_SECRETARY,
            Role.STREET_STAFF,
            Role.DISTRICT_STAFF,
        ),
    ),
    # Overdue events, age bands and benefits in force change with time alone.
    PeriodicTask(key="dashboards.sweep", task="dashboards.sweep", schedule=300.0, expires_seconds=300.0),
    # The day's values for the time series, once the working day is over.
    PeriodicTask(
        key="dashboards.snapshot",
        task="dashboards.snapshot",
        schedule=crontab(hour=23, minute=50),
        expires_seconds=3 * 3600.0,
    ),
]
