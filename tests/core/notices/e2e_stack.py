"""Processes and clients for the notices end-to-end tests (tests/e2e/test_notices_*.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import websockets
from django.db import connection

from tests.e2e.processes import BIN, ROOT, environment, free_port, running, wait_until

WORKER_QUEUES = "default,notices,outbox"


def database_url_of_the_test_database(settings) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"


def stack_environment(settings, redis_url: str):
    return environment(
        DATABASE_URL=database_url_of_the_test_database(settings), REDIS_URL=redis_url, LOG_LEVEL="INFO"
    )


@contextlib.contextmanager
def web(env: dict, log: Path) -> Iterator[int]:
    port = free_port()
    command = [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, env, log):
        wait_until(
            lambda: http_json("GET", f"http://127.0.0.1:{port}/healthz")[0] == 200,
            timeout=60,
            what="web",
            log=log,
        )
        yield port


@contextlib.contextmanager
def worker(env: dict, log: Path) -> Iterator[None]:
    command = [
        str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO", f"--queues={WORKER_QUEUES}",
        "--pool=solo", "--without-gossip", "--without-mingle", "--include=tests.core.notices.e2e_tasks",
    ]  # fmt: skip
    with running(command, env, log):
        wait_until(lambda: "ready" in log.read_text(), timeout=60, what="the worker", log=log)
        yield


@contextlib.contextmanager
def beat(env: dict, log: Path, schedule: Path) -> Iterator[None]:
    command = [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO", f"--schedule={schedule}"]
    with running(command, env, log):
        yield


class PrivateRedis:
    """A redis-server of the test's own on a spare port: stopped and started by the drill, never
    the shared one. Append-only with fsync on every write, so a kill loses nothing accepted."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        log = (self.directory / "redis.log").open("a")
        options = "--bind 127.0.0.1 --save '' --appendonly yes --appendfsync always"
        command = [binary, "--port", str(self.port), *shlex.split(options), "--dir", str(self.directory)]
        self.process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self.answers, timeout=20, what="the private redis-server")

    def answers(self) -> bool:
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False
        finally:
            client.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


def http_json(method: str, url: str, *, token: str | None = None, timeout: float = 5) -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body or b"{}")
        except ValueError:
            return error.code, {"raw": body[:200].decode(errors="replace")}


class NoticeClient:
    """A websocket client like the front end's: ticket over REST with a JWT, the ticket as the first
    message, and on a dropped connection: reconnect and catch up from the last cursor over REST."""

    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/ws/notices/"
        self.token = token
        self.live: list[dict] = []  # pushes as received
        self.caught_up: list[dict] = []  # fetched over REST after a reconnect
        self.last_cursor = 0
        self.reconnects = 0

    @property
    def seen(self) -> dict[int, dict]:
        return {n["id"]: n for n in self.live + self.caught_up}

    async def connect(self):
        status, body = await asyncio.to_thread(
            http_json, "POST", f"{self.base}/api/v1/notices/ws-ticket/", token=self.token
        )
        if status != 201:
            raise ConnectionError(f"no ticket: {status} {body}")
        ws = await websockets.connect(self.ws_url, origin=self.base, open_timeout=5)
        await ws.send(json.dumps({"type": "auth", "ticket": body["ticket"]}))
        ready = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        assert ready["type"] == "ready", ready
        return ws

    async def catch_up(self) -> None:
        while True:
            url = f"{self.base}/api/v1/notices/?since={self.last_cursor}&limit=100"
            status, page = await asyncio.to_thread(http_json, "GET", url, token=self.token)
            assert status == 200, page
            self.caught_up += page["results"]
            for notice in page["results"]:
                self.last_cursor = max(self.last_cursor, notice["cursor"])
            if not page["has_more"]:
                return

    async def run(self, stop) -> None:
        """Receive until `stop` (a threading.Event) is set; reconnect and catch up whenever the
        connection drops."""
        while not stop.is_set():
            try:
                ws = await self.connect()
            except Exception:
                await asyncio.sleep(0.5)
                continue
            try:
                if self.last_cursor or self.reconnects:
                    await self.catch_up()
                while not stop.is_set():
                    try:
                        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.5))
                    except TimeoutError:
                        continue
                    if message.get("type") == "notice":
                        self.live.append(message)
                        self.last_cursor = max(self.last_cursor, message["cursor"])
            except websockets.ConnectionClosed:
                self.reconnects += 1
            finally:
                await ws.close()


def run_producer(env: dict, user_id: int, phase: str, count: int) -> list[float]:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.core.notices.e2e_produce", str(user_id), phase, str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])["durations"]


def wait_for(check, *, timeout: float, what: str, logs: list[Path] = ()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-2000:]}" for log in logs if log.exists())
    raise AssertionError(f"timed out waiting for {what}\n{tails}")
