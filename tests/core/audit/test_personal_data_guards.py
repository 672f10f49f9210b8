"""Personal data stays out of logs, Celery task arguments and caches."""

from __future__ import annotations

import logging

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.test import RequestFactory

from core.accounts.celery_guard import PersonalDataInTaskArguments, check_task_arguments
from core.api.viewsets import no_store
from core.audit.logging import ScrubPersonalDataFilter, scrub


def test_scrub_masks_id_numbers_and_mobiles_but_not_other_numbers():
    text = (
        "resident 34020219800101123X phone 13912345678 +86 13912345678 "
        "order 202611290001234567890 code 123456"
    )
    scrubbed = scrub(text)
    assert "34020219800101123X" not in scrubbed and "3402**********123X" in scrubbed
    assert "13912345678" not in scrubbed and "139****5678" in scrubbed
    assert "202611290001234567890" in scrubbed and "123456" in scrubbed


def test_the_logging_filter_scrubs_message_arguments_and_tracebacks():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "looked up %s by %s", ("340202198001011234", "13912345678"), None
    )
    try:
        raise ValueError("bad id 340202198001011234")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert ScrubPersonalDataFilter().filter(record)
    output = logging.Formatter().format(record)
    assert "340202198001011234" not in output and "13912345678" not in output
    assert "3402**********1234" in output


def test_the_configured_handlers_carry_the_filter():
    from django.conf import settings

    assert "personal_data" in settings.LOGGING["handlers"]["console"]["filters"]


@shared_task(name="tests.audit.echo")
def echo(value):
    return value


def test_task_arguments_that_look_personal_are_refused(settings):
    settings.CELERY_REFUSE_PERSONAL_DATA = True
    with pytest.raises(PersonalDataInTaskArguments):
        echo.delay("340202198001011234")
    with pytest.raises(PersonalDataInTaskArguments):
        echo.apply_async(kwargs={"value": {"phone": "13912345678"}})
    check_task_arguments("tests.audit.echo", [42, "a note"], {"resident_id": 7})  # primary keys pass


def test_every_task_of_the_app_is_guarded():
    from config.celery import app
    from core.accounts.celery_guard import GuardedTask

    assert isinstance(echo, GuardedTask) and issubclass(app.Task, GuardedTask)


def test_no_store_decorator():
    @no_store
    def view(request):
        return HttpResponse("x")

    response = view(RequestFactory().get("/"))
    assert response["Cache-Control"].startswith("no-store") and response["Pragma"] == "no-cache"
