from core.extensions import NoticeKind

CONTRIBUTIONS = [
    NoticeKind(key="scenario_duplicate_key.alert", name="Alert"),
    NoticeKind(key="scenario_duplicate_key.alert", name="Alert again"),
]
