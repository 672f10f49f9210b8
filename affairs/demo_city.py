"""Applications at a city's scale for `manage.py seed_demo` (called by affairs.demo): about one
application for every twenty residents (50,000 at a million), spread over the built-in items,
the past two years and every stage, each carried by its event with the history the services
would have written (report, intake, investigation, review, publicity, confirmation; some
rejected, withdrawn or returned for materials on the way) and its declared members.

Set-based and memory-bounded: households are sampled in one pass over their ids, then written a
batch at a time by COPY (core.workflow.demo.write_rows; the bulk writer elsewhere): events,
their transitions, the applications and their members. What is held for the whole run is one small tuple per
application. Ids follow time, as they do in a running platform. Benefits are not made here (the
service-made demo applications of the demo community have theirs).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from affairs.contributions import APPLICATION
from affairs.models import Application, ApplicationMember, ServiceItem
from affairs.models.applications import Stage
from core.regions.models import Region
from core.registry.models import Household, Resident
from core.workflow.demo import write_rows
from core.workflow.models import Event, EventTransition
from core.workflow.states import State

RESIDENTS_PER_APPLICATION = 20  # 5% of residents: 50,000 at a million
HISTORY_DAYS = 730
BATCH = 5_000
# How often each built-in item is applied for (code, weight); items not installed are skipped.
ITEM_WEIGHTS = (
    ("dibao", 40),
    ("temporary", 20),
    ("longevity", 10),
    ("disability_living", 10),
    ("tekun", 8),
    ("disability_care", 8),
    ("orphan", 2),
    ("unattended_child", 2),
)
DAY = timedelta(days=1)


@dataclass
class ApplicationsMade:
    applications: int = 0
    rows: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0
        shown = ", ".join(f"{n:,} {stage}" for stage, n in sorted(self.stages.items(), key=lambda kv: -kv[1]))
        return (
            f"City-scale applications: {self.applications:,} ({shown}) with their events, history and "
            f"members; {self.rows:,} rows in {self.seconds:.1f}s, {rate:,.0f} rows/s"
        )


def write_applications(
    city: Region, *, count: int, seed: int, now: datetime | None = None
) -> ApplicationsMade:
    started = time.perf_counter()
    made = ApplicationsMade()
    items = {item.code: item for item in ServiceItem.objects.filter(code__in=[c for c, _w in ITEM_WEIGHTS])}
    weights = [(items[code], weight) for code, weight in ITEM_WEIGHTS if code in items]
    if count <= 0 or not weights:
        return made
    rng = random.Random(f"{seed}:applications")  # noqa: S311 - synthetic demo data
    households = _sample_households(city, count)
    rng.shuffle(households)  # households are clustered by place; their applications are not
    now = now or timezone.now()
    first = now - timedelta(days=HISTORY_DAYS)
    span = (now - first).total_seconds()
    total = len(households)
    for start in range(0, total, BATCH):
        chunk = households[start : start + BATCH]
        moments = [
            first + timedelta(seconds=span * (start + i + rng.random()) / total) for i in range(len(chunk))
        ]
        _write(rng, chunk, moments, weights, now, made)
    made.seconds = time.perf_counter() - started
    return made


def _sample_households(city: Region, count: int) -> list[tuple]:
    """Every k-th household of the city that has a householder and no application yet."""
    households = (
        Household.objects.filter(region_path__startswith=city.path, householder__isnull=False)
        .exclude(pk__in=Application.objects.values("household_id"))
        .order_by("id")
        .values_list("id", "householder_id", "house_id", "region_id", "region_path")
    )
    available = households.count()
    step = max(1, available // count) if count else 1
    sample = []
    for index, row in enumerate(households.iterator(chunk_size=20_000)):
        if index % step == 0:
            sample.append(row)
            if len(sample) == count:
                break
    return sample


def _write(rng, chunk, moments, weights, now, made: ApplicationsMade) -> None:
    members: dict[int, list[int]] = {}
    living = Resident.objects.filter(
        household_id__in=[row[0] for row in chunk], status=Resident.Status.ACTIVE
    ).values_list("household_id", "id")
    for household_id, resident_id in living:
        members.setdefault(household_id, []).append(resident_id)
    events, histories, applications = [], [], []
    for (household_id, householder_id, house_id, region_id, path), moment in zip(chunk, moments, strict=True):
        item = rng.choices([i for i, _w in weights], weights=[w for _i, w in weights])[0]
        event = {
            "type": APPLICATION.key,
            "domain": APPLICATION.domain,
            "source": Event.Source.DOMAIN,
            "priority": Event.Priority.NORMAL,
            "title": item.name[:200],
            "house_id": house_id,
            "region_id": region_id,
            "region_path": path,
            "sla_working_days": item.time_limit_working_days,
            "created_at": moment,
        }
        application = {
            "item_id": item.pk,
            "household_id": household_id,
            "applicant_id": householder_id,
            "region_id": region_id,
            "region_path": path,
            "applied_on": timezone.localtime(moment).date(),
            "channel": rng.choice((Application.Channel.COUNTER, Application.Channel.ONLINE)),
            "created_at": moment,
            "_members": members.get(household_id) or [householder_id],
        }
        history = _history(rng, item, event, application, moment, now)
        event["updated_at"] = application["updated_at"] = history[-1]["created_at"]
        events.append(event)
        histories.append(history)
        applications.append(application)
    event_ids = write_rows(Event, events, ids=True)
    transitions = []
    for event_id, history, application in zip(event_ids, histories, applications, strict=True):
        application["event_id"] = event_id
        for row in history:
            row["event_id"] = event_id
            transitions.append(row)
    write_rows(EventTransition, transitions, ids=False)
    application_ids = write_rows(Application, applications, ids=True)
    member_rows = [
        {
            "application_id": application_id,
            "resident_id": resident_id,
            "monthly_income": Decimal(rng.randrange(0, 1500, 50)),
            "able_to_work": rng.random() < 0.3,
        }
        for application_id, application in zip(application_ids, applications, strict=True)
        for resident_id in application["_members"]
    ]
    write_rows(ApplicationMember, member_rows, ids=False)
    for application in applications:
        made.stages[application["stage"]] = made.stages.get(application["stage"], 0) + 1
    made.applications += len(application_ids)
    made.rows += len(events) + len(transitions) + len(application_ids) + len(member_rows)


def _history(rng, item, event: dict, application: dict, moment: datetime, now: datetime) -> list[dict]:
    """The steps the application has taken by `now` (as affairs.steps records them on its event)."""
    steps = [("report", Stage.SUBMITTED, State.REPORTED, "", 0)]
    if rng.random() < 0.04:
        steps.append(
            ("return", Stage.SUBMITTED, State.REPORTED, "请补齐：近六个月银行流水", rng.uniform(0.5, 3))
        )
        steps.append(("supplement", Stage.SUBMITTED, State.REPORTED, "", rng.uniform(1, 10)))
    steps.append(("intake", Stage.INVESTIGATION, State.IN_PROGRESS, "", rng.uniform(0.1, 3)))
    steps.append(("investigate", Stage.REVIEW, State.IN_PROGRESS, "入户调查：情况属实", rng.uniform(1, 7)))
    reviewed = Stage.PUBLICITY if item.publicity_days else Stage.CONFIRMATION
    steps.append(("review", reviewed, State.IN_PROGRESS, "", rng.uniform(1, 7)))
    if item.publicity_days:
        steps.append(("end_publicity", Stage.CONFIRMATION, State.IN_PROGRESS, "", item.publicity_days))
    steps.append(("confirm", Stage.APPROVED, State.CLOSED, "同意", rng.uniform(0.5, 5)))
    ending = rng.random()
    if ending < 0.10:  # rejected at some step after intake
        at = rng.randrange(2, len(steps) - 1)
        steps[at:] = [("reject", Stage.REJECTED, State.REJECTED, "家庭收入超过标准", rng.uniform(1, 7))]
    elif ending < 0.13:  # withdrawn by the applicant
        at = rng.randrange(1, len(steps) - 1)
        steps[at:] = [("withdraw", Stage.WITHDRAWN, State.CLOSED, "申请人撤回", rng.uniform(1, 7))]
    history, when = [], moment
    stage, state = Stage.SUBMITTED, State.REPORTED
    for number, (action, to_stage, to_state, note, days) in enumerate(steps):
        when += DAY * days
        if number and when > now:
            break
        history.append(
            {
                "action": action,
                "from_state": "" if number == 0 else state,
                "to_state": to_state,
                "note": note,
                "data": {} if number == 0 else {"from_stage": stage},
                "actor_id": None,
                "created_at": when,
            }
        )
        stage, state = to_stage, to_state
        _apply(rng, item, event, application, action, when)
    event["state"], application["stage"] = state, stage
    return history


def _apply(rng, item, event: dict, application: dict, action: str, when: datetime) -> None:
    if action == "intake":
        event["accepted_at"] = when
        event["deadline"] = when + DAY * (item.time_limit_working_days * 7 // 5)
        event["next_escalation_at"] = event["deadline"]
    elif action == "return":
        application["missing"] = ["近六个月银行流水"]
        application["returned_from"] = Stage.SUBMITTED
        application["returned_at"] = when
    elif action == "supplement":
        application["missing"] = []
    elif action == "review" and item.publicity_days:
        application["publicity_starts_on"] = timezone.localtime(when).date()
        application["publicity_ends_on"] = application["publicity_starts_on"] + DAY * (
            item.publicity_days - 1
        )
    elif action in ("confirm", "reject", "withdraw"):
        event["closed_at"] = when if action != "reject" else None
        event["next_escalation_at"] = None
        application["decided_at"] = when
        application["decision_note"] = {"confirm": "同意", "reject": "家庭收入超过标准"}.get(action, "")
        if action == "confirm" and item.code in ("dibao", "tekun"):
            application["monthly_amount"] = Decimal(rng.randrange(300, 900, 10))
        if event.get("accepted_at"):
            days = (when - event["accepted_at"]).days * 5 // 7
            application["working_days_taken"] = days
            application["on_time"] = days <= item.time_limit_working_days
