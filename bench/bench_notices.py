"""Live notices at a street's size: one notice to the community workers of a street, each connected
by websocket, time until the last one has it; against a bare `websockets` server (bench/bare_ws.py)
broadcasting the same frame from one Redis PUBLISH, in the same run, rounds interleaved.

    BENCH_REDIS_URL=redis://127.0.0.1:6379/11 \
        python -m bench.run --residents 100000 --only bench.bench_notices
    BENCH_NOTICE_CLIENTS=1000 …      # fewer clients (5,000 by default)

Services mode only: PostgreSQL (the runner's database) and Redis (the runner passes REDIS_URL:
BENCH_REDIS_URL, by default the local Redis's db 11). One uvicorn process serves config.asgi, as in
production.
Clients are asyncio + `websockets`, in two processes. The first connect takes a ticket over HTTP
with a JWT and authenticates the websocket with it (the ticket path); the reconnect storm sends
the access token itself as the first message with the client's last cursor, as a mobile client
does, and the ready message carries what it missed (BENCH_NOTICE_STORM=ticket: the old client,
a ticket and a REST catch-up). A client whose connect fails tries again after a back-off with
full jitter (0.5 s doubling up to 30 s, a random share of it), as real clients do.

Measured and judged:
- time to the last client, ours against the bare server: at most 3×;
- connecting every client (ticket, websocket, ready) with no error, no push missed, and never
  more PostgreSQL connections than PostgreSQL's default 100 (sampled from pg_stat_activity);
- a reconnect storm: every client drops, notices are sent while they are away, and every client
  reconnects at once; each must get every missed notice (in the ready message, or over REST,
  GET /api/v1/notices/?since=<its last cursor>) with no connect failing for good;
- server memory per connection (RSS), ours against the bare server (reported);
- the web process's CPU per operation, each run one at a time on its own (reported): a ticket,
  a REST catch-up, a connect with a ticket, a connect with the token carrying the missed notices.

The benchmark's people (staff users named lvbench_…, community workers of the street with the
most communities) are created at the start and deleted at the end with their notices.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from bench.harness import Result, cli, result_of

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "lvbench_"
TITLE = "lvbench notice"
CLIENT_PROCESSES = 2
COLLECT_TIMEOUT = 60.0
# A failed connect is tried again after a random share of a doubling back-off ("full jitter").
BACKOFF_FIRST, BACKOFF_MOST, ATTEMPTS = 0.5, 30.0, 10


# the client side (python -m bench.bench_notices --client; commands on stdin, answers on stdout) ----


class Client:
    def __init__(self, token: str) -> None:
        self.token = token
        self.ours = None
        self.bare = None
        self.last_cursor = 0
        self.seen: set[int] = set()


async def http(port: int, method: str, path: str, token: str, timeout: float = 1800) -> tuple[int, bytes]:
    async def call():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(
                (
                    f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n"
                ).encode()
            )
            data = await reader.read()
        finally:
            writer.close()
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        if any(line.lower() == b"transfer-encoding: chunked" for line in lines[1:]):
            decoded, rest = b"", body
            while rest:
                size_line, _, rest = rest.partition(b"\r\n")
                size = int(size_line, 16)
                if size == 0:
                    break
                decoded, rest = decoded + rest[:size], rest[size + 2 :]
            body = decoded
        return status, body

    return await asyncio.wait_for(call(), timeout)


class ClientProcess:
    def __init__(self, tokens: list[str], web_port: int, bare_port: int) -> None:
        self.clients = [Client(token) for token in tokens]
        self.web_port, self.bare_port = web_port, bare_port
        self.received: dict[int, list[float]] = {}
        self.readers: set[asyncio.Task] = set()

    def _record(self, client: Client, text: str) -> None:
        data = json.loads(text)
        if data.get("type") == "notice":
            self.received.setdefault(data["id"], []).append(time.time())
            client.seen.add(data["id"])
            if data.get("cursor"):
                client.last_cursor = max(client.last_cursor, data["cursor"])

    async def _read(self, client: Client, ws) -> None:
        try:
            async for text in ws:
                self._record(client, text)
        except Exception:  # noqa: S110 - a closed connection ends its reader
            pass

    def _reader(self, client: Client, ws) -> None:
        task = asyncio.ensure_future(self._read(client, ws))
        self.readers.add(task)
        task.add_done_callback(self.readers.discard)

    async def connect_ours(self, client: Client, catch_up: bool = False, auth: str = "ticket") -> dict:
        """auth "ticket": a ticket over REST, then the websocket, then (catch_up) REST from the
        last cursor. auth "token": the access token and the last cursor as the first message; the
        ready message carries the missed notices (REST only for more than it holds)."""
        from websockets.asyncio.client import connect

        if auth == "ticket":
            status, body = await http(self.web_port, "POST", "/api/v1/notices/ws-ticket/", client.token)
            if status != 201:
                raise RuntimeError(f"ws-ticket answered {status}: {body[:120]!r}")
            message = {"type": "auth", "ticket": json.loads(body)["ticket"]}
        else:
            message = {"type": "auth", "token": client.token}
            if catch_up:
                message["since"] = client.last_cursor
        origin = f"http://127.0.0.1:{self.web_port}"
        ws = await connect(
            f"ws://127.0.0.1:{self.web_port}/ws/notices/",
            origin=origin,
            open_timeout=1800,
            ping_interval=None,
            max_queue=None,
        )
        try:
            await ws.send(json.dumps(message))
            ready = json.loads(await asyncio.wait_for(ws.recv(), 1800))
        except BaseException:
            await ws.close()
            raise
        if ready.get("type") != "ready":
            await ws.close()
            raise RuntimeError(f"not ready: {ready}")
        client.ours = ws
        self._reader(client, ws)
        listed: list[int] = []
        rest_calls = 0
        for notice in ready.get("missed", ()):
            listed.append(notice["id"])
            client.last_cursor = max(client.last_cursor, notice["cursor"])
        behind = ready.get("has_more") if "missed" in ready else ready["latest_cursor"] > client.last_cursor
        if catch_up and behind:
            since = client.last_cursor
            while True:
                rest_calls += 1
                status, body = await http(
                    self.web_port, "GET", f"/api/v1/notices/?since={since}&limit=200", client.token
                )
                if status != 200:
                    raise RuntimeError(f"catch-up answered {status}: {body[:120]!r}")
                page = json.loads(body)
                listed.extend(n["id"] for n in page["results"])
                for notice in page["results"]:
                    client.last_cursor = max(client.last_cursor, notice["cursor"])
                if not page["has_more"] or page["next_cursor"] is None:
                    break
                since = page["next_cursor"]
        return {"listed": listed, "rest_calls": rest_calls}

    async def connect_bare(self, client: Client) -> dict:
        from websockets.asyncio.client import connect

        ws = await connect(
            f"ws://127.0.0.1:{self.bare_port}/", open_timeout=1800, ping_interval=None, max_queue=None
        )
        client.bare = ws
        self._reader(client, ws)
        return {}

    async def connect(
        self,
        target: str,
        concurrency: int,
        catch_up: bool = False,
        missed=(),
        auth: str = "ticket",
        retry: bool = False,
    ) -> dict:
        semaphore = asyncio.Semaphore(concurrency or len(self.clients))
        errors: list[str] = []
        failures: list[str] = []
        caught_up = rest_calls = 0

        async def attempt(client: Client) -> None:
            nonlocal caught_up, rest_calls
            async with semaphore:
                if target == "ours":
                    outcome = await self.connect_ours(client, catch_up=catch_up, auth=auth)
                    rest_calls += outcome["rest_calls"]
                    if catch_up and set(missed) <= set(outcome["listed"]) | client.seen:
                        caught_up += 1
                else:
                    await self.connect_bare(client)

        async def one(client: Client):
            for tried in range(1, (ATTEMPTS if retry else 1) + 1):
                try:
                    await attempt(client)
                    return
                except Exception as exc:
                    failures.append(f"{type(exc).__name__}: {exc}"[:200])
                    if tried == (ATTEMPTS if retry else 1):
                        errors.append(failures[-1])
                        return
                # Full jitter: a random share of a doubling back-off, so retries spread out.
                await asyncio.sleep(random.uniform(0, min(BACKOFF_MOST, BACKOFF_FIRST * 2 ** (tried - 1))))

        started = time.time()
        await asyncio.gather(*(one(client) for client in self.clients))
        return {
            "seconds": time.time() - started,
            "errors": len(errors),
            "error_samples": sorted(set(errors))[:5],
            "failed_attempts": len(failures),
            "failure_samples": sorted(set(failures))[:5],
            "caught_up": caught_up,
            "rest_calls": rest_calls,
        }

    async def cost(self, op: str, count: int, since: int) -> dict:
        """`op` `count` times, one at a time, with the first clients (the parent reads the web
        process's CPU around it): "ticket", "rest_catch_up", "ticket_connect" (ticket, websocket,
        ready), "token_connect" (token and `since`, the ready message carrying the missed)."""
        from websockets.asyncio.client import connect

        done = 0
        for index in range(count):
            client = self.clients[index % len(self.clients)]
            if op == "ticket":
                status, _ = await http(self.web_port, "POST", "/api/v1/notices/ws-ticket/", client.token)
                assert status == 201, status
            elif op == "rest_catch_up":
                status, body = await http(
                    self.web_port, "GET", f"/api/v1/notices/?since={since}&limit=200", client.token
                )
                assert status == 200 and json.loads(body)["results"], status
            else:
                if op == "ticket_connect":
                    status, body = await http(
                        self.web_port, "POST", "/api/v1/notices/ws-ticket/", client.token
                    )
                    message = {"type": "auth", "ticket": json.loads(body)["ticket"]}
                else:
                    message = {"type": "auth", "token": client.token, "since": since}
                async with connect(
                    f"ws://127.0.0.1:{self.web_port}/ws/notices/",
                    origin=f"http://127.0.0.1:{self.web_port}",
                    ping_interval=None,
                ) as ws:
                    await ws.send(json.dumps(message))
                    ready = json.loads(await ws.recv())
                    assert ready["type"] == "ready", ready
                    assert op != "token_connect" or ready["missed"], ready
            done += 1
        return {"done": done}

    async def close(self, target: str) -> dict:
        sockets = [getattr(c, target) for c in self.clients if getattr(c, target) is not None]
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        for client in self.clients:
            setattr(client, target, None)
        return {"closed": len(sockets)}

    async def collect(self, marker: int, target: str, timeout: float) -> dict:
        expected = sum(getattr(c, target) is not None for c in self.clients)
        deadline = time.time() + timeout
        while len(self.received.get(marker, ())) < expected and time.time() < deadline:
            await asyncio.sleep(0.005)
        times = self.received.get(marker, [])
        return {"received": len(times), "expected": expected, "last": max(times) if times else None}

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        print(json.dumps({"ready": True}), flush=True)
        while line := await reader.readline():
            command = json.loads(line)
            name = command.pop("cmd")
            if name == "quit":
                break
            answer = await getattr(self, name)(**command)
            print(json.dumps(answer), flush=True)


def client_main() -> None:
    tokens_file, web_port, bare_port = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    tokens = json.loads(Path(tokens_file).read_text())
    asyncio.run(ClientProcess(tokens, web_port, bare_port).serve())


# the parent side ------------------------------------------------------------------------------


class Clients:
    """The client processes, commanded together; answers are merged."""

    def __init__(self, tokens: list[str], web_port: int, bare_port: int, env: dict) -> None:
        self.processes = []
        self.files = []
        share = -(-len(tokens) // CLIENT_PROCESSES)
        for index in range(CLIENT_PROCESSES):
            handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
            json.dump(tokens[index * share : (index + 1) * share], handle)
            handle.close()
            self.files.append(handle.name)
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench.bench_notices",
                    "--client",
                    handle.name,
                    str(web_port),
                    str(bare_port),
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            self.processes.append(process)
        for process in self.processes:
            json.loads(process.stdout.readline())

    def command(self, **command) -> list[dict]:
        for process in self.processes:
            process.stdin.write(json.dumps(command) + "\n")
            process.stdin.flush()
        return [json.loads(process.stdout.readline()) for process in self.processes]

    def stop(self) -> None:
        for process in self.processes:
            try:
                process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                process.stdin.flush()
                process.wait(timeout=30)
            except Exception:
                process.kill()
        for name in self.files:
            os.unlink(name)


def merged(answers: list[dict]) -> dict:
    return {
        "seconds": max(a["seconds"] for a in answers),
        "errors": sum(a["errors"] for a in answers),
        "error_samples": [s for a in answers for s in a["error_samples"]][:5],
        "failed_attempts": sum(a["failed_attempts"] for a in answers),
        "failure_samples": [s for a in answers for s in a["failure_samples"]][:5],
        "caught_up": sum(a["caught_up"] for a in answers),
        "rest_calls": sum(a["rest_calls"] for a in answers),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench_notices: the server on port {port} exited ({process.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"bench_notices: nothing listens on port {port} after {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class ConnectionSampler(threading.Thread):
    """The most connections PostgreSQL held to the benchmark's database (pg_stat_activity)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.most = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg
        from django.db import connection

        given = connection.settings_dict
        conninfo = psycopg.conninfo.make_conninfo(
            host=given["HOST"], port=given["PORT"] or 5432, dbname=given["NAME"], user=given["USER"]
        )
        if given.get("PASSWORD"):
            conninfo = psycopg.conninfo.make_conninfo(conninfo, password=given["PASSWORD"])
        with psycopg.connect(conninfo, autocommit=True) as own:
            while not self.stop.is_set():
                (count,) = own.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                ).fetchone()
                self.most = max(self.most, count)
                time.sleep(0.01)


def make_people(count: int):
    """`count` community workers of the street with the most communities; their access tokens."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import AccessToken

    from core.accounts.authentication import EPOCH_CLAIM, MFA_CLAIM
    from core.accounts.models import RoleAssignment, User
    from core.accounts.roles import Role
    from core.regions.models import Region

    street = (
        Region.objects.filter(level=Region.Level.STREET)
        .annotate(communities=Count("children"))
        .order_by("-communities", "id")
        .first()
    )
    communities = list(Region.objects.filter(parent=street, level=Region.Level.COMMUNITY).order_by("id"))
    password = make_password(None)
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=f"{PREFIX}{index}",
                    is_staff=True,
                    password=password,
                    password_changed_at=now,
                    region=communities[index % len(communities)],
                    region_path=communities[index % len(communities)].path,
                )
                for index in range(count)
            ],
            batch_size=1000,
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user=user,
                    role=Role.COMMUNITY_WORKER,
                    region=user.region,
                    region_path=user.region.path,
                    starts_on=timezone.localdate() - timedelta(days=1),
                )
                for user in users
            ],
            batch_size=1000,
        )
    tokens = []
    for user in users:
        token = AccessToken.for_user(user)
        token[EPOCH_CLAIM] = user.token_epoch
        token[MFA_CLAIM] = False
        # Valid for the whole run (a real client refreshes its 15-minute token; the storm at
        # 5,000 clients on a loaded machine outlasted it).
        token.set_exp(lifetime=timedelta(hours=3))
        tokens.append(str(token))
    return street, len(communities), tokens


def clean_up() -> None:
    from core.accounts.models import RoleAssignment, User
    from core.notices.models import Notice
    from core.outbox.models import OutboxMessage

    notice_ids = list(Notice.objects.filter(title__startswith=TITLE).values_list("pk", flat=True))
    OutboxMessage.objects.filter(
        idempotency_key__in=[f"notice:{pk}:{part}" for pk in notice_ids for part in ("push", "fan_out")]
    ).delete()
    Notice.objects.filter(pk__in=notice_ids).delete()
    RoleAssignment.objects.filter(user__username__startswith=PREFIX).delete()
    User.objects.filter(username__startswith=PREFIX).delete()


def run(ctx) -> list[Result]:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        sys.exit(
            "bench_notices needs Redis: set BENCH_REDIS_URL=redis://127.0.0.1:6379/<db> "
            "(bench.run passes it on as REDIS_URL; run alone, set REDIS_URL)"
        )
    from bench._django import machine, setup

    setup(vacuum=False)
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "bench_notices needs PostgreSQL: set DATABASE_URL=postgres://… (or run it through bench.run)"
        )
    import redis

    from core.accounts.roles import Role
    from core.notices.fanout import encode_frame, notice_payload
    from core.notices.services import notify

    count = int(os.environ.get("BENCH_NOTICE_CLIENTS", "5000"))
    rounds = 3 if ctx.quick else 6
    clean_up()
    street, communities, tokens = make_people(count)
    print(
        f"{count:,} community workers of {street.name} ({communities} communities); {machine()}", flush=True
    )

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING"}
    web_port, bare_port = free_port(), free_port()
    channel = f"bench.bare.{os.getpid()}"
    web = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
            "--port", str(web_port), "--no-access-log", "--log-level", "warning", "--backlog", "8192",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    bare = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.bare_ws",
            "--port",
            str(bare_port),
            "--redis",
            redis_url,
            "--channel",
            channel,
        ],
        cwd=ROOT,
        env=env,
    )
    sampler = ConnectionSampler()
    sampler.start()
    clients = None
    publisher = redis.Redis.from_url(redis_url)
    results: list[Result] = []
    try:
        wait_for_port(web_port, web)
        wait_for_port(bare_port, bare)
        clients = Clients(tokens, web_port, bare_port, env)
        # Warm the web process (imports, first requests) before measuring its memory.
        asyncio.run(http(web_port, "GET", "/api/v1/notices/unread-count/", tokens[0]))
        web_before, bare_before = rss_kib(web.pid), rss_kib(bare.pid)

        cpu = cpu_seconds(web.pid)
        connected_ours = merged(clients.command(cmd="connect", target="ours", concurrency=100))
        web_cpu_ms = 1000 * (cpu_seconds(web.pid) - cpu) / count
        cpu = cpu_seconds(bare.pid)
        connected_bare = merged(clients.command(cmd="connect", target="bare", concurrency=500))
        bare_cpu_ms = 1000 * (cpu_seconds(bare.pid) - cpu) / count
        time.sleep(1)
        web_per = (rss_kib(web.pid) - web_before) / count
        bare_per = (rss_kib(bare.pid) - bare_before) / count
        print(
            f"connected: ours {connected_ours['seconds']:.1f} s, {connected_ours['errors']} errors"
            f" {connected_ours['error_samples']}; bare {connected_bare['seconds']:.1f} s,"
            f" {connected_bare['errors']} errors; memory per connection: ours {web_per:.1f} KiB,"
            f" bare {bare_per:.1f} KiB; server CPU per connect: ours {web_cpu_ms:.1f} ms (ticket request,"
            f" websocket, auth), bare {bare_cpu_ms:.2f} ms",
            flush=True,
        )

        ours_times: list[float] = []
        bare_times: list[float] = []
        drops = {"ours": 0, "bare": 0}
        frame_template = None
        for index in range(rounds):
            for side in ("ours", "bare") if index % 2 == 0 else ("bare", "ours"):
                if side == "ours":
                    started = time.time()
                    notice = notify(
                        kind="notices.system",
                        title=f"{TITLE} {index}",
                        body="A notice to every community worker of the street.",
                        region=street,
                        role=Role.COMMUNITY_WORKER,
                    )
                    marker = notice.pk
                    if frame_template is None:
                        notice.refresh_from_db()
                        frame_template = notice_payload(notice)
                else:
                    marker = -(index + 1)
                    payload = dict(
                        frame_template or {"type": "notice", "title": TITLE}, id=marker, cursor=None
                    )
                    started = time.time()
                    publisher.publish(channel, encode_frame(payload))
                answers = clients.command(cmd="collect", marker=marker, target=side, timeout=COLLECT_TIMEOUT)
                received = sum(a["received"] for a in answers)
                expected = sum(a["expected"] for a in answers)
                last = max((a["last"] for a in answers if a["last"]), default=started + COLLECT_TIMEOUT)
                drops[side] += expected - received
                (ours_times if side == "ours" else bare_times).append(last - started)
                print(f"  round {index} {side}: {received}/{expected} in {last - started:.3f} s", flush=True)

        note = (
            f"{count:,} clients; drops: ours {drops['ours']}, bare {drops['bare']}; memory per connection:"
            f" ours {web_per:.1f} KiB, bare {bare_per:.1f} KiB; load {os.getloadavg()[0]:.1f}"
        )
        results.append(
            result_of(
                f"live notice to {count:,} workers of a street: time to the last client",
                "platform (uvicorn, channels_redis)",
                "bare websockets + Redis PUBLISH",
                ours_times,
                bare_times,
                target=at_most_3(),
                note=note,
            )
        )
        print(results[-1].line(), flush=True)

        connect = result_of(
            f"connect {count:,} clients (ticket, websocket, ready): no error, no drop, PostgreSQL ≤ 100",
            "platform",
            "bare",
            [connected_ours["seconds"]],
            [connected_bare["seconds"]],
            note=(
                f"connect errors: ours {connected_ours['errors']} {connected_ours['error_samples']},"
                f" bare {connected_bare['errors']}; drops ours {drops['ours']}; most PostgreSQL connections"
                f" {sampler.most} (max_connections {max_connections()}); server CPU per connect: ours"
                f" {web_cpu_ms:.1f} ms, bare {bare_cpu_ms:.2f} ms"
            ),
        )
        connect.passed = connected_ours["errors"] == 0 and drops["ours"] == 0 and sampler.most < 100
        results.append(connect)
        print(connect.line(), flush=True)

        # The reconnect storm: everyone drops; notices are sent while they are away; everyone
        # reconnects at once and catches up (the token path: in the ready message).
        storm_auth = os.environ.get("BENCH_NOTICE_STORM", "token")
        clients.command(cmd="close", target="ours")
        time.sleep(2)
        web_closed = rss_kib(web.pid)
        missed = [
            notify(
                kind="notices.system", title=f"{TITLE} away {n}", region=street, role=Role.COMMUNITY_WORKER
            ).pk
            for n in range(3)
        ]
        cpu = cpu_seconds(web.pid)
        storm = merged(
            clients.command(
                cmd="connect",
                target="ours",
                concurrency=0,
                catch_up=True,
                missed=missed,
                auth=storm_auth,
                retry=True,
            )
        )
        storm_cpu_ms = 1000 * (cpu_seconds(web.pid) - cpu) / count
        time.sleep(1)
        # Again, with the process's heap warmed by the first connections' requests.
        web_per_again = (rss_kib(web.pid) - web_closed) / count
        clients.command(cmd="close", target="bare")
        bare_storm = merged(clients.command(cmd="connect", target="bare", concurrency=0))
        how = (
            "token + cursor in the first message, missed notices in ready"
            if storm_auth == "token"
            else "ticket, websocket, REST catch-up"
        )
        storm_result = result_of(
            f"reconnect storm of {count:,} clients with catch-up: no error, every missed notice listed",
            f"platform ({how})",
            "bare (websocket only)",
            [storm["seconds"]],
            [bare_storm["seconds"]],
            note=(
                f"errors {storm['errors']} {storm['error_samples']};"
                f" failed attempts retried after a back-off {storm['failed_attempts']}"
                f" {storm['failure_samples'][:2]};"
                f" caught up {storm['caught_up']:,}/{count:,}; REST catch-up calls {storm['rest_calls']:,};"
                f" most PostgreSQL connections {sampler.most};"
                f" server CPU per reconnect {storm_cpu_ms:.1f} ms;"
                f" memory per connection once warm: {web_per_again:.1f} KiB; load {os.getloadavg()[0]:.1f}"
            ),
        )
        storm_result.passed = storm["errors"] == 0 and storm["caught_up"] == count and sampler.most < 100
        results.append(storm_result)
        print(storm_result.line(), flush=True)

        # What each step costs the web process, one at a time (two clients at once, one a process).
        from core.notices.models import Notice

        since = Notice.objects.get(pk=missed[0]).cursor - 1
        per_process = 50 if ctx.quick else 100
        costs = {}
        for op in ("ticket", "rest_catch_up", "ticket_connect", "token_connect"):
            cpu = cpu_seconds(web.pid)
            done = sum(a["done"] for a in clients.command(cmd="cost", op=op, count=per_process, since=since))
            costs[op] = 1000 * (cpu_seconds(web.pid) - cpu) / done
        print(
            "web process CPU per operation, one at a time: "
            + ", ".join(f"{op} {ms:.1f} ms" for op, ms in costs.items())
            + f"; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        reconnect = result_of(
            "one reconnect with catch-up, web process CPU: token + cursor (ready carries the missed)"
            " vs ticket + websocket + REST catch-up",
            "token",
            "ticket + REST",
            [costs["token_connect"] / 1000],
            [(costs["ticket_connect"] + costs["rest_catch_up"]) / 1000],
            note=", ".join(f"{op} {ms:.1f} ms" for op, ms in costs.items()),
        )
        results.append(reconnect)
        print(reconnect.line(), flush=True)
    finally:
        sampler.stop.set()
        if clients is not None:
            clients.stop()
        for process in (web, bare):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        clean_up()
    return results


def at_most_3():
    from bench.harness import at_most

    return at_most(3)


def max_connections() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client_main()
    else:
        cli(run)
