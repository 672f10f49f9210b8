"""The load drill's locustfile (bench/load/) kept working: a few community workers, residents and
district staff for a few seconds against the Procfile's stack, and not one request fails. The
longer run with the figures is `python -m bench.load` (docs/BENCHMARKS.md, "Load drill")."""

from __future__ import annotations

import pytest

from bench.load.__main__ import drill_environment, manage, prepare_accounts, run_locust, server_errors, stack
from tests.core.notices.e2e_stack import database_url_of_the_test_database

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_a_short_load_run_has_no_failed_request_and_no_server_error(settings, tmp_path):
    env = drill_environment(
        database_url_of_the_test_database(settings),
        settings.REDIS_URL,
        WEB_CONCURRENCY="1",
        WORKER_CONCURRENCY="1",
    )
    manage(env, "seed_demo", "--residents", "100")
    accounts = tmp_path / "accounts.json"
    prepare_accounts(env, workers=3, districts=1, residents=3, accounts=accounts)
    log = tmp_path / "stack.log"
    with stack(env, log) as port:
        code, lines, failures = run_locust(
            port, accounts, workers=3, residents=3, districts=1, run_time=15, spawn_rate=7, folder=tmp_path
        )
        errors = server_errors(log)
    names = {line.name for line in lines}
    total = next(line for line in lines if line.name == "Aggregated")
    assert total.failures == 0, failures
    assert code == 0, (tmp_path / "locust.log").read_text()[-3000:]
    assert errors == []
    # Each kind of user signed in and worked: staff by password (district staff with the code),
    # residents by the WeChat login, district staff on the dashboards.
    assert {"POST /api/v1/accounts/token/", "POST /api/v1/accounts/wechat/login/"} <= names
    assert "GET /api/v1/dashboards/{id}/ (district)" in names
    assert "GET /api/v1/registry/residents/" in names
    assert total.requests > 7 + 7  # more than each user's sign-in and first request
