"""The load drill's users: community workers, residents and district staff, as they use the API.

Run by `python -m bench.load` (which starts the stack, seeds it and makes the accounts), or by
hand against a stack seeded with `seed_demo` and `python -m bench.load.prepare accounts.json`:

    LOAD_ACCOUNTS=accounts.json locust -f bench/load/locustfile.py --headless \
        --host http://127.0.0.1:8000 -t 60s

Each locust user signs in once (a worker with its password, district staff with the password and
the authenticator code, a resident through the WeChat mini-program login) with an account of its
own from LOAD_ACCOUNTS, so no account is locked and no TOTP code is used twice. Every answer other
than the one expected is a failure: any 5xx and any 4xx the user did not ask for. Requests are
named by route (`{id}` for ids), so the stats give one line per endpoint.

LOAD_WORKERS, LOAD_RESIDENTS, LOAD_DISTRICTS: how many users of each kind (default: one per
account in the file).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import struct
import time
from pathlib import Path

from locust import HttpUser, between, events, task

API = "/api/v1"
ACCOUNTS = json.loads(Path(os.environ.get("LOAD_ACCOUNTS", "var/load-accounts.json")).read_text())
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗唐"
REPORTS = ("楼道灯不亮", "垃圾未清运", "井盖松动", "绿化带杂草", "电动车楼道充电", "噪音扰民", "路面积水")


def totp(hex_key: str, *, step: int = 30, digits: int = 6) -> str:
    """The current code of an authenticator (RFC 6238, SHA-1), as django-otp checks it."""
    counter = int(time.time() // step)
    mac = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def _count(variable: str, kind: str) -> int:
    return int(os.environ.get(variable) or len(ACCOUNTS[kind]))


_next_account = {kind: itertools.count() for kind in ("workers", "residents", "districts")}


def take(kind: str) -> dict:
    """The next account of this kind: one per locust user."""
    index = next(_next_account[kind])
    if index >= len(ACCOUNTS[kind]):
        raise RuntimeError(f"more {kind} than accounts in LOAD_ACCOUNTS ({len(ACCOUNTS[kind])})")
    return ACCOUNTS[kind][index]


class ApiUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def sign_in(self, path: str, body: dict) -> None:
        """Sign in once. The sign-in endpoints allow 20 (WeChat: 60) a minute from one address, and
        every locust user comes from loopback: a 429 is waited out as a client would, and counted
        on a line of its own so a run shows it."""
        for _attempt in range(10):
            with self.client.post(
                f"{API}{path}", json=body, name=f"{API}{path}", catch_response=True
            ) as response:
                if response.status_code == 429:
                    response.success()
                    events.request.fire(
                        request_type="POST",
                        name=f"{API}{path} (throttled, waited)",
                        response_time=0,
                        response_length=0,
                        exception=None,
                        context={},
                    )
                    retry_after = float(response.headers.get("Retry-After") or 5)
                else:
                    if response.status_code not in (200, 201):
                        response.failure(f"sign-in {response.status_code}: {response.text[:200]}")
                        raise RuntimeError(f"cannot sign in: {response.status_code}")
                    self.client.headers["Authorization"] = f"Bearer {response.json()['access']}"
                    return
            time.sleep(min(retry_after, 30))
        raise RuntimeError("sign-in still throttled after 10 attempts")

    def get(self, path: str, name: str | None = None, **kwargs) -> dict | None:
        with self.client.get(f"{API}{path}", name=f"{API}{name or path}", catch_response=True, **kwargs) as r:
            return self._json(r, 200)

    def post(self, path: str, body: dict, name: str | None = None, expect=(200, 201)) -> dict | None:
        with self.client.post(
            f"{API}{path}", json=body, name=f"{API}{name or path}", catch_response=True
        ) as r:
            return self._json(r, *expect)

    @staticmethod
    def _json(response, *expected: int) -> dict | None:
        if response.status_code not in expected:
            response.failure(f"{response.status_code}: {response.text[:300]}")
            return None
        try:
            return response.json()
        except ValueError:
            response.failure("not JSON")
            return None


class CommunityWorker(ApiUser):
    """A community worker at the desk: the register of the community, its events and the day's list."""

    weight = 5

    def on_start(self) -> None:
        account = take("workers")
        self.sign_in("/accounts/token/", {"username": account["username"], "password": ACCOUNTS["password"]})
        me = self.get("/accounts/me/") or {}
        self.user_id = me.get("id")
        self.resident_ids: list[int] = []
        self.house_ids: list[int] = []
        self.my_events: list[int] = []
        self.list_residents()

    @task(5)
    def list_residents(self) -> None:
        page = self.get("/registry/residents/?limit=20", name="/registry/residents/")
        if page:
            self.resident_ids = [r["id"] for r in page["results"]] or self.resident_ids
            self.house_ids = [r["house"] for r in page["results"] if r.get("house")] or self.house_ids

    @task(3)
    def search_residents(self) -> None:
        self.post(
            "/registry/residents/search/?limit=20",
            {"q": random.choice(SURNAMES)},
            name="/registry/residents/search/",
            expect=(200,),
        )

    @task(4)
    def open_resident(self) -> None:
        if self.resident_ids:
            self.get(
                f"/registry/residents/{random.choice(self.resident_ids)}/", name="/registry/residents/{id}/"
            )

    @task(4)
    def list_events(self) -> None:
        self.get("/events/?limit=20", name="/events/")

    @task(1)
    def report_event(self) -> None:
        if not self.house_ids:
            return
        body = {
            "type": "workflow.general_request",
            "title": f"{random.choice(REPORTS)}（{random.randint(1, 99999)}）",
            "house": random.choice(self.house_ids),
        }
        created = self.post("/events/", body)
        if created:
            self.my_events.append(created["id"])

    @task(2)
    def move_an_event_on(self) -> None:
        """Take one of the events this worker reported a step further (accept, assign to self,
        start, resolve): only its own, so two workers never race for the same step."""
        if not self.my_events:
            return
        event_id = self.my_events[0]
        event = self.get(f"/events/{event_id}/", name="/events/{id}/")
        if event is None:
            return
        allowed = event.get("allowed_actions") or []
        for action, extra in (
            ("accept", {}),
            ("assign", {"assignee": self.user_id}),
            ("start", {}),
            ("resolve", {"note": "已处理"}),
        ):
            if action in allowed:
                self.post(
                    f"/events/{event_id}/transition/",
                    {"action": action, **extra},
                    name="/events/{id}/transition/",
                )
                return
        self.my_events.pop(0)  # nothing more for a worker to do with it

    @task(2)
    def open_work(self) -> None:
        self.get("/accounts/me/today/")

    @task(2)
    def notices(self) -> None:
        self.get("/notices/?limit=20", name="/notices/")
        self.get("/notices/unread-count/")


class Resident(ApiUser):
    """A resident in the mini-program: their own profile, applications and reports, notices."""

    weight = 4

    def on_start(self) -> None:
        account = take("residents")
        self.sign_in("/accounts/wechat/login/", {"code": account["code"]})
        self.my_events: list[int] = []

    @task(2)
    def profile(self) -> None:
        self.get("/accounts/me/")

    @task(2)
    def applications(self) -> None:
        page = self.get("/affairs/applications/?limit=20", name="/affairs/applications/")
        if page and page["results"]:
            application = random.choice(page["results"])
            self.get(f"/affairs/applications/{application['id']}/", name="/affairs/applications/{id}/")

    @task(1)
    def service_items(self) -> None:
        self.get("/affairs/items/")

    @task(2)
    def my_events_list(self) -> None:
        self.get("/events/?limit=20", name="/events/")
        if self.my_events:
            self.get(f"/events/{random.choice(self.my_events)}/", name="/events/{id}/")

    @task(1)
    def report(self) -> None:
        body = {
            "type": "workflow.general_request",
            "title": f"{random.choice(REPORTS)}（{random.randint(1, 99999)}）",
        }
        created = self.post("/events/", body)
        if created:
            self.my_events.append(created["id"])

    @task(2)
    def notices(self) -> None:
        self.get("/notices/?limit=20", name="/notices/")
        self.get("/notices/unread-count/")


class DistrictStaff(ApiUser):
    """District civil-affairs staff on the dashboards: the district, then down to a street and a
    community."""

    weight = 1

    def on_start(self) -> None:
        account = take("districts")
        body = {
            "username": account["username"],
            "password": ACCOUNTS["password"],
            "otp_code": totp(account["totp_key"]),
        }
        self.sign_in("/accounts/token/", body)
        self.district = account["district"]
        self.streets: list[int] = []

    @task(3)
    def district_dashboard(self) -> None:
        board = self.get(f"/dashboards/{self.district}/", name="/dashboards/{id}/ (district)")
        if board:
            self.streets = [child["region"]["id"] for child in board["children"]]

    @task(1)
    def district_map(self) -> None:
        self.get(f"/dashboards/{self.district}/map/", name="/dashboards/{id}/map/")

    @task(1)
    def district_series(self) -> None:
        self.get(f"/dashboards/{self.district}/series/", name="/dashboards/{id}/series/")

    @task(2)
    def drill_down(self) -> None:
        if not self.streets:
            return
        street = self.get(f"/dashboards/{random.choice(self.streets)}/", name="/dashboards/{id}/ (street)")
        if street and street["children"]:
            community = random.choice(street["children"])["region"]["id"]
            self.get(f"/dashboards/{community}/", name="/dashboards/{id}/ (community)")


CommunityWorker.fixed_count = _count("LOAD_WORKERS", "workers")
Resident.fixed_count = _count("LOAD_RESIDENTS", "residents")
DistrictStaff.fixed_count = _count("LOAD_DISTRICTS", "districts")
