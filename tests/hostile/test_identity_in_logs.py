"""No full ID number or phone in any log line (issue 13): the register's `id_number` and `phone`
filters were query parameters that every access log printed in full. Requests carrying identity
numbers (GET and POST, refused and accepted) run here while every handler of the configured
logging writes into a buffer, and the buffers are grepped; an e2e variant reads a real uvicorn's
access log."""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
from django.conf import settings

from core.pii.logging import PersonalDataLogFilter, mask_query_strings
from tests.core.registry.factories import resident
from tests.helpers import client_for
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"
NAMED = (
    "django",
    "django.server",
    "django.request",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "celery",
    "celery.app.trace",
)


def configured_handlers() -> list[logging.Handler]:
    """Every handler the platform's logging configured (pytest's own capture handlers aside)."""
    found = []
    for logger in [logging.getLogger(), *(logging.getLogger(name) for name in NAMED)]:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest") or handler in found:
                continue
            found.append(handler)
    return found


def test_every_handler_and_every_named_logger_carries_the_filter():
    handlers = configured_handlers()
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, PersonalDataLogFilter) for f in handler.filters), handler
    for name in NAMED:
        logger = logging.getLogger(name)
        assert logger.handlers and not logger.propagate, name
        assert any(isinstance(f, PersonalDataLogFilter) for f in logger.filters), name
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False


@pytest.fixture
def log_output():
    """Every configured handler writes into one buffer for the test (at DEBUG)."""
    buffer = io.StringIO()
    saved = []
    for handler in configured_handlers():
        assert isinstance(handler, logging.StreamHandler), handler
        saved.append((handler, handler.setStream(buffer), handler.level))
        handler.setLevel(logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in ("", *NAMED)}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield buffer
    for handler, stream, level in saved:
        handler.setStream(stream)
        handler.setLevel(level)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def leaks(text: str, numbers: list[str]) -> list[str]:
    digits_only = "".join(ch for ch in text if ch.isdigit() or ch in "Xx\n")
    return [n for n in numbers if n in text or n in digits_only.replace("\n", " ")]


def test_requests_carrying_identity_numbers_leave_none_in_any_log(world, log_output):
    number, phone = id_number(date(1984, 7, 8)), mobile()
    resident(
        grid=world.grid_a1, actor=world.community_worker, name="赵六", document_number=number, mobile=phone
    )
    client = client_for(world.community_worker, raise_request_exception=False)
    quoted = urllib.parse.quote(f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}")
    requests = [
        client.get(URL, {"id_number": number}),
        client.get(URL, {"phone": phone}),
        client.get(URL, {"q": number}),
        client.get(f"{URL}?phone={quoted}"),
        client.get(f"{URL}?q={number[:4]}%3{number[4]}{number[5:]}"),  # a digit percent-encoded
        client.post(f"{URL}search/", {"id_number": number}, format="json"),
        client.post(f"{URL}search/", {"phone": phone}, format="json"),
        client.post(f"{URL}search/?id_number={number}", {"id_number": "nonsense!"}, format="json"),
        client.get(f"{URL}{number}/"),  # a number in the path
    ]
    assert [r.status_code for r in requests] == [400, 400, 400, 400, 400, 200, 200, 200, 404]
    # What an ASGI server, runserver and Celery print for the same requests.
    for response in requests:
        path = response.wsgi_request.get_full_path()
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "GET", path, "1.1", response.status_code
        )
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET {path} HTTP/1.1", response.status_code, 10
        )
        logging.getLogger("uvicorn.error").warning("Invalid HTTP request received: %s", path)
    logging.getLogger("celery.app.trace").info("Task x[1] succeeded: %r", {"phone": phone, "id": number})
    logging.getLogger("core.registry").warning("lookup %s", number)
    try:
        raise ValueError(f"bad number {number} {phone}")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: %s?phone=%s", URL, phone)
    output = log_output.getvalue()
    assert "uvicorn.access" in output and "django.request" in output and "celery.app.trace" in output
    assert leaks(output, [number, phone, number[6:14] + number[14:]]) == []
    assert f"{number[:4]}**********{number[-4:]}" in output and f"{phone[:3]}****{phone[-4:]}" in output


def test_query_strings_are_masked_whatever_their_encoding():
    number, phone = "340202198407081234", "13912345678"
    for line, hidden in (
        (f'"GET /r/?id_number={number}&page_size=2 HTTP/1.1" 400', number),
        (f'"GET /r/?phone=%2B86%20{phone} HTTP/1.1" 400', phone),
        (f'"GET /r/?q={phone[:3]}-{phone[3:7]}-{phone[7:]} HTTP/1.1" 400', phone[3:]),
        ('"GET /r/?q=0553-1234567 HTTP/1.1" 400', "1234567"),
        (f'"GET /r/?id_number={number[:15]} HTTP/1.1" 400', number[:15]),
        ('"GET /r/?id_number=E12345678 HTTP/1.1" 400', "12345678"),
    ):
        masked = mask_query_strings(line)
        assert hidden not in masked and "GET /r/?" in masked, masked
    kept = '"GET /r/?q=%E5%BC%A0%E4%B8%89&region=12&ordering=-id HTTP/1.1" 200'
    assert mask_query_strings(kept) == kept


@pytest.mark.e2e
def test_a_real_uvicorn_access_log_holds_no_identity_number(tmp_path):
    from tests.e2e.processes import BIN, ROOT, environment, free_port, get_json, running, wait_until

    env = environment(DATABASE_URL=f"sqlite:///{tmp_path / 'logs.sqlite3'}", REDIS_URL=None, DJANGO_ENV=None)
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    number, phone = "340202198407081234", "13912345678"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "uvicorn.log"
    command = [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, env, log):
        wait_until(lambda: get_json(f"{base}/healthz")[0] == 200, timeout=60, what="uvicorn", log=log)
        for path in (
            f"/api/v1/registry/residents/?id_number={number}",
            f"/api/v1/registry/residents/?phone={phone}&q={number}",
            f"/healthz?phone=%2B86{phone}",
            f"/admin/registry/resident/?q={number}",
            f"/nowhere/{number}/?phone={phone}",
        ):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"{base}{path}", timeout=10).read()
        body = f'{{"id_number": "{number}"}}'.encode()
        request = urllib.request.Request(
            f"{base}/api/v1/registry/residents/search/",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10).read()
        wait_until(lambda: "search/" in log.read_text(), timeout=10, what="the access log", log=log)
    output = log.read_text()
    assert "/api/v1/registry/residents/?id_number=3402**********1234" in output, output[-2000:]
    assert leaks(output, [number, phone]) == []
