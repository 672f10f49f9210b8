from core.extensions import NoticeKind, PeriodicTask

CONTRIBUTIONS = [
    PeriodicTask(key="scenario_bad_key.sweep", task="scenario_bad_key.sweep"),
    NoticeKind(key="workflow.event_assigned_again", name="Declared under another app's label"),
]
