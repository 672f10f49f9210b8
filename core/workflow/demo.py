"""Demo events for `manage.py seed_demo` (a DemoData contribution): at a city's scale, residents'
requests (居民诉求) and grid patrols' reports over the past two years, each with the history the
engine keeps (reported → accepted → assigned → in progress → resolved → closed, some rejected,
escalated, waiting or reopened on the way), so that the event lists and the benchmarks
(bench/bench_domain_lists.py) hold what a city's platform holds: about one event per resident.

Below CITY_SCALE residents (the default demo of 2,000) nothing is made: the small demo's events
are its applications', made through the services by affairs.demo.

Set-based and memory-bounded: events are laid out in time order a batch at a time, written with
the bulk writer (COPY on PostgreSQL), then their transitions; nothing is held beyond one batch
but the ids of the city's houses by grid. Ids follow time, as they do in a running platform.
Deterministic for the demo's seed (times are relative to the moment it runs).
"""

from __future__ import annotations

import random
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Jsonb

from core.extensions.demo import DemoScale
from core.imports.bulk import allocate_ids, insert_rows
from core.regions.models import Region
from core.workflow.models import Event, EventTransition
from core.workflow.states import State

# From this many residents on, the demo is a city's and the event lists are filled.
CITY_SCALE = 50_000
EVENTS_PER_RESIDENT = 1  # one event per resident over two years: 1,000,000 at a million
HISTORY_DAYS = 730
BATCH = 20_000
GENERAL_REQUEST = "workflow.general_request"
SEED = 2021

# What residents and grid workers report most, as 居民诉求 (title, description).
TOPICS = (
    ("路灯不亮", "小区道路路灯夜间不亮，行人出行不便。"),
    ("楼道堆放杂物", "楼道内堆放纸箱、旧家具，堵塞通道，存在消防隐患。"),
    ("下水道堵塞", "单元下水道堵塞，污水外溢。"),
    ("夜间噪音扰民", "夜间施工或娱乐噪音，影响居民休息。"),
    ("垃圾清运不及时", "垃圾桶已满未及时清运，异味明显。"),
    ("违章搭建", "发现私自搭建构筑物，请核查处理。"),
    ("电梯故障", "电梯运行异常，停靠不准，请尽快维修。"),
    ("绿化带破损", "绿化带被踩踏、毁坏，需补植。"),
    ("流浪犬扰民", "小区内流浪犬较多，存在伤人风险。"),
    ("屋顶漏水", "顶楼住户反映雨天屋顶渗漏。"),
    ("路面坑洼", "小区道路路面破损、坑洼积水。"),
    ("占道经营", "商户占用人行道经营，影响通行。"),
    ("邻里纠纷", "邻里之间因琐事发生纠纷，请求调解。"),
    ("外墙脱落隐患", "楼体外墙瓷砖松动，有坠落风险。"),
    ("消防通道堵塞", "车辆长期占用消防通道。"),
    ("电动车楼道充电", "居民在楼道内为电动自行车充电。"),
    ("窨井盖缺失", "道路窨井盖缺失，存在安全隐患。"),
    ("供水水压不足", "高层住户用水高峰期水压不足。"),
    ("油烟扰民", "底商餐饮油烟直排，影响楼上住户。"),
    ("健身器材损坏", "小区健身器材损坏，存在安全隐患。"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PRIORITIES = ((Event.Priority.NORMAL, 80), (Event.Priority.HIGH, 10), (Event.Priority.LOW, 8), ("urgent", 2))
HOUR = timedelta(hours=1)


@dataclass
class Grid:
    id: int
    path: str
    community_id: int
    houses: array = field(default_factory=lambda: array("q"))


@dataclass
class EventsMade:
    events: int = 0
    transitions: int = 0
    states: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        rate = (self.events + self.transitions) / self.seconds if self.seconds else 0
        open_count = sum(n for s, n in self.states.items() if s not in (State.CLOSED, State.REJECTED))
        return (
            f"Demo events: {self.events:,} over {HISTORY_DAYS} days with {self.transitions:,} transitions "
            f"({self.states.get(State.CLOSED, 0):,} closed, {self.states.get(State.REJECTED, 0):,} rejected, "
            f"{open_count:,} open); {self.seconds:.1f}s, {rate:,.0f} rows/s"
        )


def seed_events(city: Region, *, scale: DemoScale) -> str:
    """The DemoData loader: one event per resident at a city's scale, once."""
    if scale.residents < CITY_SCALE:
        return ""
    if Event.objects.filter(type=GENERAL_REQUEST, region_path__startswith=city.path).exists():
        return ""
    made = write_events(city, count=scale.per(EVENTS_PER_RESIDENT), seed=SEED)
    return made.summary() if made.events else ""


def load_grids(city: Region) -> list[Grid]:
    """The city's grids with the ids of their houses (the only thing held for the whole run:
    eight bytes a house)."""
    from core.registry.models import House

    grids = {
        pk: Grid(pk, path, parent_id)
        for pk, path, parent_id in Region.objects.filter(level=Region.Level.GRID, path__startswith=city.path)
        .order_by("id")
        .values_list("id", "path", "parent_id")
    }
    houses = House.objects.filter(region_path__startswith=city.path).order_by().values_list("region_id", "id")
    for region_id, house_id in houses.iterator(chunk_size=20_000):
        grid = grids.get(region_id)
        if grid is not None:
            grid.houses.append(house_id)
    return list(grids.values())


def write_events(city: Region, *, count: int, seed: int, now: datetime | None = None) -> EventsMade:
    """Write `count` events spread evenly over the city's grids and the past HISTORY_DAYS days,
    in time order, with their transitions."""
    started = time.perf_counter()
    made = EventsMade()
    grids = load_grids(city)
    if not grids or count <= 0:
        return made
    now = now or timezone.now()
    rng = random.Random(f"{seed}:events")  # noqa: S311 - synthetic demo data
    lead = _demo_lead(grids)
    batch: list[tuple[dict, list[dict]]] = []
    for event, history in _events(rng, grids, count, now, lead):
        batch.append((event, history))
        if len(batch) >= BATCH:
            _write(batch, made)
            batch = []
    _write(batch, made)
    made.seconds = time.perf_counter() - started
    return made


def _demo_lead(grids: list[Grid]) -> dict[int, int]:
    """The demo grid lead's id at the grids where they hold their role (their events are theirs)."""
    from core.accounts.models import RoleAssignment

    paths = {g.path: g.id for g in grids}
    rows = RoleAssignment.objects.filter(user__username="gridlead").values_list("region__path", "user_id")
    return {paths[path]: user_id for path, user_id in rows if path in paths}


def _write(batch: list[tuple[dict, list[dict]]], made: EventsMade) -> None:
    if not batch:
        return
    ids = write_rows(Event, [event for event, _history in batch], ids=True)
    transitions = []
    for event_id, (event, history) in zip(ids, batch, strict=True):
        for row in history:
            row["event_id"] = event_id
            transitions.append(row)
        made.states[event["state"]] = made.states.get(event["state"], 0) + 1
    write_rows(EventTransition, transitions, ids=False)
    made.events += len(ids)
    made.transitions += len(transitions)


def write_rows(model, rows: list[dict], *, ids: bool) -> list[int]:
    """The bulk writer's lean twin for generated rows that need no conversion (no personal data,
    values psycopg dumps as they are): COPY of plain tuples on PostgreSQL, the table's sequence
    numbering the rows (`ids`: taken first and returned, as the bulk writer does). Elsewhere the
    bulk writer itself."""
    if connection.vendor != "postgresql":
        return _insert_keeping_times(model, rows)
    fields = [f for f in model._meta.concrete_fields if ids or not f.primary_key]
    now = timezone.now()
    defaults = []
    for f in fields:
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = now if stamped else f.get_default()
        defaults.append(Jsonb(default) if isinstance(default, dict | list) else default)
    names = [f.attname for f in fields]
    json_names = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    pks = allocate_ids(model, len(rows), connection) if ids else []
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    missing = object()
    with connection.cursor() as wrapper:
        raw = wrapper.cursor
        with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            for index, row in enumerate(rows):
                values = []
                for name, default in zip(names, defaults, strict=True):
                    value = row.get(name, missing)
                    if value is missing:
                        value = default
                    elif name in json_names:
                        value = Jsonb(value)
                    values.append(value)
                if ids:
                    values[0] = pks[index]
                copy.write_row(values)
    return pks


def _insert_keeping_times(model, rows: list[dict]) -> list[int]:
    """bulk_create stamps auto_now(_add) fields itself: keep the generated past times instead."""
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    flags = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    now = timezone.now()
    rows = [{**{f.attname: now for f in stamped}, **row} for row in rows]
    try:
        for f in stamped:
            f.auto_now = f.auto_now_add = False
        return insert_rows(model, rows)
    finally:
        for f, auto_now, auto_now_add in flags:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _weighted(rng: random.Random, choices) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _events(rng, grids: list[Grid], count: int, now: datetime, lead: dict) -> Iterator[tuple[dict, list]]:
    first = now - timedelta(days=HISTORY_DAYS)
    span = (now - first).total_seconds()
    for index in range(count):
        # In time order, a little jitter inside each event's own slot.
        created = first + timedelta(seconds=span * (index + rng.random()) / count)
        grid = grids[rng.randrange(len(grids))]
        title, description = TOPICS[rng.randrange(len(TOPICS))]
        patrol = rng.random() < 0.35
        house = None
        if grid.houses and rng.random() < 0.7:
            house = grid.houses[rng.randrange(len(grid.houses))]
        event = {
            "type": GENERAL_REQUEST,
            "domain": "management",
            "source": Event.Source.PATROL if patrol else Event.Source.RESIDENT,
            "priority": _weighted(rng, PRIORITIES),
            "title": title,
            "description": description,
            "form_data": {} if patrol else {"contact_time": rng.choice(("工作日白天", "晚上", "随时"))},
            "house_id": house,
            "region_id": grid.id,
            "region_path": grid.path,
            "reporter_name": "" if patrol else f"{rng.choice(SURNAMES)}{rng.choice(('先生', '女士'))}",
            "assignee_id": lead.get(grid.id),
            "created_at": created,
        }
        history = _history(rng, event, grid, created, now)
        event["updated_at"] = history[-1]["created_at"]
        yield event, history


def _history(rng, event: dict, grid: Grid, created: datetime, now: datetime) -> list[dict]:
    """The steps the event has taken by `now`, setting its state and clock fields on the way."""
    steps: list[tuple[str, str, str, str]] = [("report", "", State.REPORTED, "")]
    if rng.random() < 0.04:
        steps.append(("reject", State.REPORTED, State.REJECTED, "不属于受理范围，已告知反映人。"))
    else:
        steps.append(("accept", State.REPORTED, State.ACCEPTED, ""))
        if rng.random() < 0.06:
            steps += [
                ("escalate", State.ACCEPTED, State.ESCALATED, ""),
                ("take_over", State.ESCALATED, State.ASSIGNED, ""),
            ]
        else:
            steps.append(("assign", State.ACCEPTED, State.ASSIGNED, ""))
        steps.append(("start", State.ASSIGNED, State.IN_PROGRESS, ""))
        if rng.random() < 0.1:
            steps += [
                ("wait", State.IN_PROGRESS, State.WAITING, "等待产权单位配合。"),
                ("resume", State.WAITING, State.IN_PROGRESS, ""),
            ]
        steps += [
            ("resolve", State.IN_PROGRESS, State.RESOLVED, "已现场处置完毕。"),
            ("close", State.RESOLVED, State.CLOSED, ""),
        ]
        if rng.random() < 0.02:
            steps += [
                ("reopen", State.CLOSED, State.REOPENED, "反映人表示问题仍未解决。"),
                ("assign", State.REOPENED, State.ASSIGNED, ""),
                ("start", State.ASSIGNED, State.IN_PROGRESS, ""),
                ("resolve", State.IN_PROGRESS, State.RESOLVED, "已再次处置。"),
                ("close", State.RESOLVED, State.CLOSED, ""),
            ]
    history, moment = [], created
    event.update(state=State.REPORTED, escalation_level=0, waited_working_days=0)
    for number, (action, from_state, to_state, note) in enumerate(steps):
        if number:
            moment += _delay(rng, action)
            if moment > now:
                break
        history.append(
            {
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "note": note,
                "data": {},
                "actor_id": None if action in ("report", "escalate", "close") else event["assignee_id"],
                "created_at": moment,
            }
        )
        _apply(event, action, to_state, moment, grid, rng)
    if event["state"] not in (State.CLOSED, State.REJECTED, State.RESOLVED, State.WAITING):
        event["next_escalation_at"] = event.get("deadline")
    return history


# How long after the previous step each one comes (hours, low and high).
DELAYS = {
    "reject": (1, 24),
    "accept": (0.2, 24),
    "assign": (0.1, 8),
    "escalate": (24, 120),
    "take_over": (1, 24),
    "start": (0.5, 48),
    "wait": (2, 48),
    "resume": (24, 120),
    "resolve": (2, 96),
    "close": (24, 72),
    "reopen": (24, 240),
}


def _delay(rng, action: str) -> timedelta:
    low, high = DELAYS[action]
    return HOUR * rng.uniform(low, high)


def _apply(event: dict, action: str, to_state: str, moment: datetime, grid: Grid, rng) -> None:
    event["state"] = to_state
    if action == "accept":
        event["accepted_at"] = moment
        event["deadline"] = moment + timedelta(days=7)  # five working days, about
    elif action == "escalate":
        event["escalation_level"] = 1
        event["escalated_to_id"] = grid.community_id
    elif action == "wait":
        event["paused_at"] = moment
    elif action == "resume":
        event["paused_at"] = None
        event["waited_working_days"] = rng.randint(1, 4)
    elif action == "resolve":
        event["resolved_at"] = moment
    elif action == "close":
        event["closed_at"] = moment
        if event["source"] == Event.Source.RESIDENT and rng.random() < 0.6:
            event["satisfaction"] = rng.choices((5, 4, 3, 2, 1), weights=(60, 25, 9, 4, 2))[0]
    elif action == "reopen":
        event["resolved_at"] = event["closed_at"] = None
        event["satisfaction"] = None
