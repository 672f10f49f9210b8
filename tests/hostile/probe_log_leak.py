"""Run by tests/hostile/test_log_leak_scan.py in a pytest of its own (not collected by the suite,
whose session it would fail on purpose): one test leaks a full number through a handler without
the platform's filter, one through a process's captured output, one logs through the configured
logging (masked, so no finding)."""

import io
import logging

from tests.log_leaks import check_process_output

NUMBER = "340202199001011237"
PHONE = "13912345678"


def test_an_unfiltered_handler_writes_a_full_number():
    logger = logging.getLogger("probe.unfiltered")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        logger.warning("looked up %s", NUMBER)
    finally:
        logger.removeHandler(handler)


def test_a_process_prints_a_phone(tmp_path):
    log = tmp_path / "worker.log"
    log.write_text(f"started\ncalling {PHONE}\n")
    check_process_output(log)


def test_the_configured_logging_masks(caplog):
    logging.getLogger("probe.configured").warning("looked up %s and %s", NUMBER, PHONE)
    assert "3402**********1237" in caplog.text and "139****5678" in caplog.text
