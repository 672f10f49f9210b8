from core.extensions import NoticeKind, PeriodicTask

CONTRIBUTIONS = [
    NoticeKind(key="scenario_raising_ready.alert", name="Alert"),
    PeriodicTask(key="scenario_raising_ready.sweep", task="scenario_raising_ready.sweep"),
]
