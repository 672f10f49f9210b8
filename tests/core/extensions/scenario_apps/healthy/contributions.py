from core.extensions import NoticeKind, PeriodicTask

CONTRIBUTIONS = [
    NoticeKind(key="scenario_healthy.alert", name="Alert"),
    PeriodicTask(key="scenario_healthy.sweep", task="scenario_healthy.sweep"),
]
