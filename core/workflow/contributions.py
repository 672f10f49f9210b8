from django.utils.translation import gettext_lazy as _

from core.extensions import EventType, FormField, OpenWorkProvider, PeriodicTask, TodayProvider

CONTRIBUTIONS = [
    # A resident's or worker's request that no domain claims more precisely (居民诉求).
    EventType(
        key="general_request",
        name=_("General request"),
        domain="management",
        sla_working_days=5,
        residents_may_report=True,
        open311=True,
        form_fields=(FormField(name="contact_time", label=_("When to contact you"), max_length=100),),
    ),
    OpenWorkProvider(key="workflow.open_events", provider="core.workflow.selectors.open_events_of"),
    PeriodicTask(
        key="workflow.escalate_overdue", task="workflow.escalate_overdue", schedule=60.0, expires_seconds=55.0
    ),
]

# A worker's "today" list: the events due for them or waiting for them (core.workflow.today).
CONTRIBUTIONS.append(TodayProvider(key="workflow.events_due", provider="core.workflow.today.events_due"))
