"""`make demo` runs the periodic work too: on the embedded default (nothing installed) the beat
process of Procfile.demo runs each declared periodic task itself, against the demo database, so
a demo escalates overdue events, re-checks benefits and lapses childhood benefits at 18."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.e2e.processes import ROOT, environment, running, wait_until

pytestmark = pytest.mark.e2e


def procfile_demo() -> dict[str, list[str]]:
    entries = {}
    for line in (ROOT / "Procfile.demo").read_text().splitlines():
        name, command = line.split(":", 1)
        entries[name] = shlex.split(command)
    return entries


def test_the_demo_serves_and_schedules():
    assert set(procfile_demo()) == {"web", "beat"}
    assert "Procfile.demo" in (ROOT / "Makefile").read_text()


def test_the_demo_beat_runs_the_periodic_tasks_in_its_own_process(tmp_path):
    env = environment(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", REDIS_URL=None, DJANGO_ENV=None)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    command = [
        part.replace("var/celerybeat-schedule", str(tmp_path / "beat-schedule"))
        for part in procfile_demo()["beat"]
    ]
    log = tmp_path / "beat.log"

    def succeeded() -> set[str]:
        return set(re.findall(r"Task ([\w.]+)\[[\w-]+\] succeeded", log.read_text()))

    with running(command, env, log):
        # The relay runs within seconds; the engine's escalation sweep within its minute.
        wait_until(lambda: "workflow.escalate_overdue" in succeeded(), timeout=150, what="beat", log=log)
    text = log.read_text()
    assert "outbox.relay" in succeeded()
    assert "SchedulingError" not in text and "Traceback" not in text
