"""schemathesis against /api/schema/ for every role: no input answers 500, every response
matches the schema (body and documented status). Bounded for CI: a fixed seed and a few examples
an operation (FUZZ_EXAMPLES, FUZZ_SEED; `make drills` runs more). The token endpoint is not
fuzzed: random sign-ins would lock the sample accounts (lockout) and prove nothing new.

Requests go in-process through Django's WSGI handler, inside the test's transaction; each case
is undone by a savepoint when it fails, so one failure does not poison the rest.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import checks

from core.accounts.tokens import issue_tokens

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
SEED = int(os.environ.get("FUZZ_SEED", "13"))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.status_code_conformance]
NOT_FUZZED = {
    "POST /api/v1/accounts/token/",  # lockout: a fixed account list is never signed in at random
}
# The sample people of tests/world.py: worker, grid lead, street, district, a bound resident, anonymous.
ROLES = ["community_worker", "lead", "street_staff", "district_staff", "resident_user", None]


@pytest.fixture
def wsgi_app(settings):
    """Django's handler, keeping the test's connection (as django.test.Client does)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.HOTLINE_SECRET = "fuzz-hotline-secret"  # the hotline's webhooks live (unsigned: refused)
    settings.SCENARIO_FEED_SECRET = "fuzz-feed-secret"  # so are the scenarios' feeds
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(case, headers):
    point = transaction.savepoint()
    try:
        response = case.call(headers=headers)
    finally:
        transaction.savepoint_rollback(point)
    return response


def fuzz(app, headers: dict) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in NOT_FUZZED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @seed(SEED)
        def run(case):
            response = _call(case, headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except (Exception, BaseExceptionGroup) as failure:  # each operation's failure is collected
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
    return failures


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_fuzz_the_api_as(role, world, wsgi_app):
    headers = {}
    if role is not None:
        token = issue_tokens(getattr(world, role), second_factor=True)["access"]
        headers = {"Authorization": f"Bearer {token}"}
    failures = fuzz(wsgi_app, headers)
    assert not failures, "\n\n".join(failures)
