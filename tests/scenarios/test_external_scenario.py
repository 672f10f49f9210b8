"""A scenario from another distribution: tests/scenarios/external/sample_scenario is built into a
wheel (`pip wheel`), installed with pip into a directory of its own (`pip install --target`),
and a Django process started with that directory on its path discovers it through the
`smartcommunity.scenarios` entry point, enables it for one community only and serves its route
(tests/scenarios/external/probe_installed_scenario.py, run in that process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@pytest.mark.e2e
def test_a_scenario_installed_from_its_wheel_is_discovered_enabled_for_one_community_and_mounted(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(HERE / "external" / "sample_scenario", source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(source)], check=True, timeout=600
    )
    wheels = list((tmp_path / "dist").glob("sc_sample_scenario-1.0.0-*.whl"))
    assert len(wheels) == 1
    target = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheels[0])], check=True, timeout=600
    )
    assert (target / "sc_sample_scenario-1.0.0.dist-info" / "entry_points.txt").exists()

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    if env.get("DATABASE_URL"):
        # A database of its own: this run's test database is in use by the process running it.
        env["DATABASE_URL"] = env["DATABASE_URL"].rstrip("/") + "_wheel"
    probe = HERE / "external" / "probe_installed_scenario.py"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
