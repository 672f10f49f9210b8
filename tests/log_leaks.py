"""No full ID number or phone in any log line written during the whole test run (issue 13).

A session plugin (registered by tests/conftest.py): every line any logging handler writes (the
configured console handler, the non-propagating loggers' handlers, a handler a test adds, into
whatever stream) is checked at the one step all of them share, `logging.Handler.format`, after
the handler's own filters ran; pytest's capture handlers (caplog, live logging) are left out, as
they keep records unfiltered for assertions and write no log. The output of every real process an
e2e test starts (tests/e2e/processes.py `running`, the drills' private PostgreSQL) is read when it
stops. The detector is the platform's own (core.pii.masking.contains_personal_data: an 18-digit
ID number, its birth date included, and mobiles). A finding does not stop the test that logged
it; the session fails at the end with one line per finding: test id, logger, the masked line.
Request bodies and fixtures hold full numbers on purpose: only log output counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.pii.masking import contains_personal_data, mask_free_text

OUTSIDE_TESTS = "<outside any test>"
MAX_LINE = 300


@dataclass(frozen=True)
class Finding:
    test: str
    source: str  # a logger's name, or a process's log file
    line: str  # masked

    def __str__(self) -> str:
        return f"{self.test} [{self.source}] {self.line}"


def leaking_lines(text: str) -> list[str]:
    """The lines of `text` that hold a full ID number or mobile, masked for the report."""
    return [mask_free_text(line)[:MAX_LINE] for line in text.splitlines() if contains_personal_data(line)]


def _is_pytest_capture(handler: logging.Handler) -> bool:
    return type(handler).__module__.startswith("_pytest")


class LogLeakScan:
    """Collects findings for the session; installed once, checks every formatted log line."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.current = OUTSIDE_TESTS
        self._original_format = None

    # --- what is checked -----------------------------------------------------------------------

    def check(self, text: str, source: str) -> None:
        self.findings.extend(Finding(self.current, source, line) for line in leaking_lines(text))

    def check_file(self, path: Path) -> None:
        """A process's captured output (stdout and stderr), read once the process stopped."""
        if path.exists():
            self.check(path.read_text(errors="replace"), str(path.name))

    def install(self) -> None:
        original = self._original_format = logging.Handler.format
        scan = self

        def format_and_check(handler: logging.Handler, record: logging.LogRecord) -> str:
            line = original(handler, record)
            if not _is_pytest_capture(handler):
                scan.check(line, record.name)
            return line

        logging.Handler.format = format_and_check

    def uninstall(self) -> None:
        if self._original_format is not None:
            logging.Handler.format = self._original_format
            self._original_format = None

    # --- pytest hooks ----------------------------------------------------------------------------

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.current = nodeid

    def pytest_runtest_logfinish(self) -> None:
        self.current = OUTSIDE_TESTS

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.uninstall()
        if self.findings and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.findings:
            return
        terminalreporter.section("full ID numbers or phones in log output", red=True)
        terminalreporter.line(
            f"{len(self.findings)} log line(s) held a full ID number or phone (shown masked); "
            "the session fails (tests/log_leaks.py):"
        )
        for finding in self.findings:
            terminalreporter.line(str(finding))


_session_scan: LogLeakScan | None = None


def start(config: pytest.Config) -> None:
    global _session_scan
    _session_scan = LogLeakScan()
    _session_scan.install()
    config.pluginmanager.register(_session_scan, "log_leaks")


def check_process_output(path: Path) -> None:
    """Called by the e2e helpers when a process they started has stopped."""
    if _session_scan is not None:
        _session_scan.check_file(path)
