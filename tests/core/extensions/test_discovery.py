from core.extensions.discovery import local_scenario_apps


def test_local_scenarios_are_the_packages_with_an_apps_module(tmp_path):
    for name in ("care_alerts", "early_warning", "_template"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "apps.py").write_text("")
    (tmp_path / "notes").mkdir()
    assert local_scenario_apps(tmp_path) == ["scenarios.care_alerts", "scenarios.early_warning"]
