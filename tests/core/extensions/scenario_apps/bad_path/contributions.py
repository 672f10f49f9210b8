from core.extensions import DashboardMetric, PeriodicTask

CONTRIBUTIONS = [
    PeriodicTask(key="scenario_bad_path.sweep", task="scenario_bad_path.sweep"),
    DashboardMetric(
        key="scenario_bad_path.alerts", compute="tests.core.extensions.scenario_apps.nowhere.count"
    ),
]
