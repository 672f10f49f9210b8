"""The database drills (issue 13), on real processes and real dumps.

1. Backup and restore, as docs/operations.md ("Backup and restore") says: `pg_dump` of a database
   holding residents, events and audit rows (the audit log's monthly partitions included) restored
   into an empty database gives every table back, row for row (counts and checksums), and the
   platform reads the restored register (the encrypted ID numbers decrypt with the site's keys).
2. A full dump holds no plaintext ID number, birth date from an ID or phone: personal data is
   encrypted at rest, not only masked on output, and numbers typed into free text (a note, an
   event's title and description) are stored masked.
3. PostgreSQL restarted under load: a web process serving reads and writes against a private
   server that is stopped and started again answers every request 2xx or 503 with Retry-After in
   the one error shape (never a 500 or a traceback), serves again without any process restarted,
   and every write it accepted (201) is there afterwards.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import date

import pytest

from core.accounts.tokens import issue_tokens
from core.registry.models import Resident
from tests.core.notices.e2e_stack import database_url_of_the_test_database, stack_environment, web
from tests.core.registry.factories import resident
from tests.e2e import postgres_tools as pg
from tests.e2e.processes import BIN, ROOT, environment
from tests.helpers import client_for
from tests.world import id_number, mobile

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

RESIDENTS = "/api/v1/registry/residents/"


def _register(world, count: int = 12) -> list[tuple[str, str]]:
    """Residents with ID numbers and phones (their creation and one reveal: audit rows)."""
    people = []
    for index in range(count):
        number, phone = id_number(date(1950 + index, 3, 4 + index)), mobile()
        resident(
            grid=world.grid_a1,
            actor=world.community_worker,
            name=f"演练{index}",
            document_number=number,
            mobile=phone,
        )
        people.append((number, phone))
    first = Resident.objects.order_by("id").first()
    client = client_for(world.community_worker)
    revealed = client.post(f"{RESIDENTS}{first.pk}/reveal/", {"purpose": "演练核查"}, format="json")
    assert revealed.status_code == 200, revealed.content
    return people


def _typed_into_free_text(world) -> list[tuple[str, str]]:
    """ID numbers and phones typed into free text through the API: a resident's note, an
    event's title and description (stored masked, core/api/validators.py)."""
    client = client_for(world.community_worker)
    typed = [(id_number(date(1971 + n, 5, 6 + n)), mobile()) for n in range(3)]
    first = Resident.objects.order_by("id").first()
    noted = client.patch(
        f"{RESIDENTS}{first.pk}/", {"note": "家属{} 电话{}".format(*typed[0])}, format="json"
    )
    assert noted.status_code == 200, noted.content
    title, description = "报告人{} {}".format(*typed[1]), "身份证{}，手机{}".format(*typed[2])
    body = {
        "type": "workflow.general_request",
        "grid": world.grid_a1.pk,
        "title": title,
        "description": description,
    }
    reported = client.post("/api/v1/events/", body, format="json")
    assert reported.status_code == 201, reported.content
    return typed


def test_backup_restores_every_row_and_a_dump_holds_no_plaintext(world, settings, tmp_path):
    people = _register(world)
    typed = _typed_into_free_text(world)
    source = database_url_of_the_test_database(settings)
    names = pg.tables(source)
    assert any(name.startswith("audit_auditevent_y") for name in names), names  # the monthly partitions

    backup = pg.dump(source, tmp_path / "backup.dump")
    restored_name = f"{settings.DATABASES['default']['NAME']}_restored"
    server = source.rsplit("/", 1)[0] + "/postgres"
    restored = pg.create_database(server, restored_name)
    try:
        pg.restore(backup, restored)
        assert pg.tables(restored) == names
        before, after = pg.fingerprint(source, names), pg.fingerprint(restored, names)
        assert after == before
        assert before["registry_resident"][0] == Resident.objects.count() >= len(people)
        assert sum(count for name, (count, _) in before.items() if name.startswith("audit_auditevent")) > 0

        # The platform reads the restored register: the ID numbers decrypt with the site's keys.
        read = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c",
             "from core.registry.models import Resident;"
             "print(sorted(r.document_number_encrypted for r in Resident.objects.all()))"],
            cwd=ROOT, env=environment(DATABASE_URL=restored), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert read.returncode == 0, read.stderr[-2000:]
        expected = sorted(r.document_number_encrypted for r in Resident.objects.all())
        assert read.stdout.strip().splitlines()[-1] == str(expected)
    finally:
        pg.drop_database(server, restored_name)

    text = pg.dump(source, tmp_path / "plain.sql", plain=True).read_text()
    assert "registry_resident" in text and "演练0" in text  # the dump is whole, names included
    for number, phone in people + typed:
        assert number not in text
        assert number[6:14] not in text  # the birth date an ID number carries
        assert phone not in text


def _call(port: int, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept-Language", "zh-hans")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return (
                response.status,
                json.loads(response.read() or b"{}"),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"raw": raw[:300].decode(errors="replace")}
        return error.code, body, {k.lower(): v for k, v in error.headers.items()}
    except (urllib.error.URLError, OSError) as error:  # nobody answering: the process is gone
        return 0, {"raw": str(error)}, {}


class Load:
    """Workers reading the resident list and registering residents until told to stop."""

    def __init__(self, port: int, token: str, region: int, threads: int = 4) -> None:
        self.port, self.token, self.region = port, token, region
        self.answers: list[tuple[float, float, str, int, dict, dict]] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._work, args=(n,), daemon=True) for n in range(threads)]

    def _work(self, number: int) -> None:
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            began = time.monotonic()
            if sequence % 2:
                kind, answer = "read", _call(self.port, self.token, "GET", RESIDENTS)
            else:
                born = date(1960 + number, 1 + sequence % 12, 1 + sequence % 28)
                payload = {"name": f"压测{number}-{sequence}", "document_number": id_number(born),
                           "region": self.region}  # fmt: skip
                kind, answer = "write", _call(self.port, self.token, "POST", RESIDENTS, payload)
            with self._lock:
                self.answers.append((began, time.monotonic(), kind, *answer))

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=120)


def test_postgresql_restarted_under_load(world, settings, tmp_path):
    _register(world, count=3)
    token = issue_tokens(world.community_worker, second_factor=False)["access"]
    backup = pg.dump(database_url_of_the_test_database(settings), tmp_path / "start.dump")
    server = pg.PrivatePostgres()
    try:
        server.init()
        server.start()
        database = pg.create_database(server.url, "drill")
        pg.restore(backup, database)
        with pg.psycopg.connect(database) as conn:
            registered_before = conn.execute("SELECT count(*) FROM registry_resident").fetchone()[0]
        env = stack_environment(settings, settings.REDIS_URL)
        env.update(DATABASE_URL=database, DATABASE_POOL_TIMEOUT="30")
        log = tmp_path / "web.log"
        with web(env, log) as port:
            with Load(port, token, world.grid_a1.pk) as load:
                time.sleep(3)
                down_at = time.monotonic()
                server.stop()
                time.sleep(3)  # the outage
                server.start()
                up_at = time.monotonic()
                time.sleep(6)
            after = [a for a in load.answers if a[0] > up_at + 3]
            outage = [a for a in load.answers if a[1] >= down_at and a[0] <= up_at]

            tally = Counter((a[2], a[3]) for a in load.answers)
            slowest = max(a[1] - a[0] for a in load.answers)
            print(f"drill: {len(load.answers)} requests, {dict(tally)}, slowest {slowest:.1f} s")
            statuses = {a[3] for a in load.answers}
            assert statuses <= {200, 201, 503}, [a[3:5] for a in load.answers if a[3] not in (200, 201, 503)]
            for _, _, _, status, body, headers in load.answers:
                if status == 503:
                    assert body.get("error", {}).get("code") == "service_unavailable", body
                    assert int(headers.get("retry-after", "0")) > 0, headers
            # The outage was met (a request refused or held until the server came back) ...
            assert outage and any(a[3] == 503 or a[1] > up_at for a in outage)
            # ... and the same process serves again (a process gone would answer nothing: 0 above).
            assert {a[3] for a in after} <= {200, 201} and {a[2] for a in after} == {"read", "write"}

            # Every accepted write is there; nothing refused was written.
            accepted = {a[4]["id"] for a in load.answers if a[3] == 201}
            refused = sum(1 for a in load.answers if a[2] == "write" and a[3] == 503)
            assert accepted
            with pg.psycopg.connect(database) as conn:
                stored = {row[0] for row in conn.execute("SELECT id FROM registry_resident").fetchall()}
            assert accepted <= stored
            # A refused write may only have been stored if its commit met the shutdown itself.
            assert len(stored) - registered_before - len(accepted) <= refused
        text = log.read_text()
        assert "Traceback" not in text, text[-3000:]
    finally:
        server.remove()
