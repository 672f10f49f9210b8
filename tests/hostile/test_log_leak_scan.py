"""The whole-run log scan (tests/log_leaks.py) finds what it exists to find: a session whose
log output holds a full ID number or phone fails, naming the test, the logger and the masked line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.log_leaks import LogLeakScan, leaking_lines

ROOT = Path(__file__).resolve().parents[2]
NUMBER, PHONE = "340202199001011237", "13912345678"


def test_leaking_lines_are_those_with_a_full_number_and_come_back_masked():
    text = "\n".join(
        [
            "INFO web GET /api/v1/registry/residents/?page=2 200",
            f"WARNING core lookup {NUMBER[:4]}**********{NUMBER[-4:]} by 138****5678",
            f"WARNING core lookup {NUMBER}",
            f"INFO celery Task x succeeded: {{'phone': '+86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}'}}",
            "INFO order 20261205095150123 at 2026-12-05 09:51:50",
        ]
    )
    found = leaking_lines(text)
    assert found == [
        f"WARNING core lookup {NUMBER[:4]}**********{NUMBER[-4:]}",
        "INFO celery Task x succeeded: {'phone': '+86 139 **** 5678'}",
    ]


def test_a_finding_names_the_test_and_the_source(tmp_path):
    scan = LogLeakScan()
    scan.current = "tests/x.py::test_y"
    log = tmp_path / "web.log"
    log.write_text(f"ok\nGET /?phone={PHONE}\n")
    scan.check_file(log)
    scan.check_file(tmp_path / "never-started.log")
    assert [str(f) for f in scan.findings] == ["tests/x.py::test_y [web.log] GET /?phone=139****5678"]


def test_a_session_whose_log_output_holds_a_full_number_fails():
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = env["DATABASE_URL"].rstrip("/") + "_probe"  # never used: no db test
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/hostile/probe_log_leak.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output[-3000:]
    assert "3 passed" in output
    report = output.split("full ID numbers or phones in log output", 1)[1]
    probe = "tests/hostile/probe_log_leak.py::test_"
    assert (
        f"{probe}an_unfiltered_handler_writes_a_full_number [probe.unfiltered] looked up 3402**********1237"
        in report
    )
    assert f"{probe}a_process_prints_a_phone [worker.log] calling 139****5678" in report
    assert "test_the_configured_logging_masks" not in report
    assert NUMBER not in report and PHONE not in report
