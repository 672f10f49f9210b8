"""schemathesis against /api/schema/ for every role: no input answers 500, every response
matches the schema (body and documented status), an operation that declares authentication
refuses a request without it or with a forged one (`ignored_auth`), and input that violates the
schema is refused with 4xx, never accepted (`negative_data_rejection`). A deleted resource is gone
(`use_after_free`, stateful: the registry's contacts, the one collection with DELETE).

Bounded for CI: a fixed seed and a few examples an operation (FUZZ_EXAMPLES, FUZZ_SEED; `make
drills` runs more). Schema-violating input is generated for the roles whose requests reach the
input's validation on the most operations (NEGATIVE_ROLES: the community worker and the resident;
the others' reach a subset or meet 401/403 first), FUZZ_NEGATIVE_EXAMPLES an operation (half of
FUZZ_EXAMPLES, at least one). `ignored_auth` is the same for every role: it probes each operation
once, on the worker's first accepted request, and anonymous's requests need no probe. The schema
is generated once a run. The token endpoint is not fuzzed: random sign-ins would lock the sample
accounts (lockout) and prove nothing new.

Requests go in-process through Django's WSGI handler, inside the test's transaction; each case
(with the probes its checks send) is undone by a savepoint, so one case does not change the next.
"""

from __future__ import annotations

import copy
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from core.accounts.tokens import issue_tokens
from core.registry.services_contacts import contact_add
from tests.world import mobile

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
NEGATIVE_EXAMPLES = int(os.environ.get("FUZZ_NEGATIVE_EXAMPLES", str(max(1, EXAMPLES // 2))))
SEED = int(os.environ.get("FUZZ_SEED", "13"))
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", str(5 * EXAMPLES)))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.status_code_conformance]
NEGATIVE_CHECKS = [checks.not_a_server_error, checks.negative_data_rejection]
NOT_FUZZED = {
    "POST /api/v1/accounts/token/",  # lockout: a fixed account list is never signed in at random
}
# The sample people of tests/world.py: worker, grid lead, street, district, a bound resident, anonymous.
ROLES = ["community_worker", "lead", "street_staff", "district_staff", "resident_user", None]
# Those whose requests reach the input's validation on most operations (the lead's are the worker's).
NEGATIVE_ROLES = {"community_worker", "resident_user"}
# Authentication is the same for every role: probed for one signed-in role (and anonymous's own
# requests show an operation that answers without it, with no probe).
AUTH_PROBE_ROLES = {"community_worker", None}
SCHEMA_PATH = "/api/schema/?format=json"
_raw_schema: dict = {}


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


def load_schema(app):
    """The API's schema, generated once a run (the same for every role) and read for this app."""
    if not _raw_schema:
        _raw_schema.update(schemathesis.openapi.from_wsgi(SCHEMA_PATH, app).raw_schema)
    schema = schemathesis.openapi.from_dict(copy.deepcopy(_raw_schema))
    schema.app, schema.location = app, SCHEMA_PATH
    return schema


def _call(case, headers, checks) -> int:
    """Send the case and run the checks (their probes too) inside a savepoint undone after."""
    point = transaction.savepoint()
    try:
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)
    finally:
        transaction.savepoint_rollback(point)
    return response.status_code


def _run(operation, mode: GenerationMode, examples: int, case_checks) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(SEED)
    def run(case):
        case_checks(case)

    run()


def fuzz(app, headers: dict, *, negative: bool, probe_auth: bool) -> list[str]:
    schema = load_schema(app)
    failures: list[str] = []
    # Operations whose authentication ignored_auth has probed (all of them when not probing).
    auth_confirmed: set[str] = set() if probe_auth else {op.ok().label for op in schema.get_all_operations()}

    def positive(case):
        label = case.operation.label
        probe = label not in auth_confirmed
        status = _call(case, headers, [*CHECKS, checks.ignored_auth] if probe else CHECKS)
        if probe and 200 <= status < 300:
            auth_confirmed.add(label)

    def rejected(case):
        _call(case, headers, NEGATIVE_CHECKS)

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in NOT_FUZZED:
            continue
        try:
            _run(operation, GenerationMode.POSITIVE, EXAMPLES, positive)
        except (Exception, BaseExceptionGroup) as failure:  # each operation's failure is collected
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
        if not negative:
            continue
        try:
            _run(operation, GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, rejected)
        except Unsatisfiable:
            pass  # nothing in the request to get wrong (no parameter, no body)
        except (Exception, BaseExceptionGroup) as failure:
            failures.append(f"{operation.label} (schema-violating input): {str(failure)[:1500]}")
    return failures


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_fuzz_the_api_as(role, world, wsgi_app):
    headers = {}
    if role is not None:
        token = issue_tokens(getattr(world, role), second_factor=True)["access"]
        headers = {"Authorization": f"Bearer {token}"}
    failures = fuzz(wsgi_app, headers, negative=role in NEGATIVE_ROLES, probe_auth=role in AUTH_PROBE_ROLES)
    assert not failures, "\n\n".join(failures)


# A deleted resource is gone ------------------------------------------------------------------

# The registry's contacts, the one collection with DELETE: read from the list, deleted, read again.
STATEFUL_PATHS = r"^/api/v1/registry/contacts/(\{id\}/)?$"
STATEFUL_CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.use_after_free,
]


def test_a_deleted_contact_is_gone(world, wsgi_app):
    worker = world.community_worker
    for name in ("王亲", "李亲", "张亲"):
        contact_add(
            actor=worker,
            resident=world.applicant,
            data={"kind": "emergency", "name": name, "relation": "兄", "phone": mobile()},
        )
    headers = {"Authorization": f"Bearer {issue_tokens(worker, second_factor=True)['access']}"}
    schema = load_schema(wsgi_app)
    sent: list[tuple[str, str, int]] = []

    class Scenarios(schema.include(path_regex=STATEFUL_PATHS).as_state_machine()):
        def setup(self):
            self.scenario = transaction.savepoint()  # each scenario starts from the same contacts

        def teardown(self):
            transaction.savepoint_rollback(self.scenario)

        def call(self, case, **kwargs):
            point = transaction.savepoint()
            response = case.call(headers=headers)
            # A step's writes stay for the next step; a failed one is undone so the rest can run.
            (transaction.savepoint_rollback if response.status_code >= 500 else transaction.savepoint_commit)(
                point
            )
            sent.append((case.method.upper(), case.formatted_path, response.status_code))
            return response

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=STATEFUL_CHECKS, headers=headers, recorder=self.recorder)

    Scenarios.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=5,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    deleted = {path for method, path, status in sent if method == "DELETE" and status == 204}
    read_again = [path for method, path, _ in sent if method in {"GET", "PATCH"} and path in deleted]
    assert read_again, f"no scenario read a deleted contact again: {sent}"
