"""The event state machine: which action moves an event from which states to which, and who acts.

reported → accepted → assigned → in_progress → resolved → closed, with rejected, reopened,
escalated and waiting (the SLA clock pauses while waiting).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")


class Actor(models.TextChoices):
    """Who may take an action, relative to the event."""

    HANDLER = "handler", _("a worker in charge of the event's place")
    ASSIGNEE = "assignee", _("the assigned worker")
    SUPERVISOR = "supervisor", _("a supervisor above the event's place")
    REPORTER = "reporter", _("the person who reported it")
    SYSTEM = "system", _("the platform")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    note_required: bool = False


def _t(action, sources, target, actors, note_required=False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors), note_required)


S, A = State, Actor
WORKING = {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED, S.ESCALATED}
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("accept", {S.REPORTED}, S.ACCEPTED, {A.HANDLER, A.ASSIGNEE, A.SUPERVISOR}),
        _t("reject", {S.REPORTED, S.ACCEPTED}, S.REJECTED, {A.HANDLER, A.ASSIGNEE, A.SUPERVISOR}, True),
        # Not from escalated: only a supervisor of the escalated level takes it back (take_over).
        _t(
            "assign",
            {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED},
            S.ASSIGNED,
            {A.HANDLER, A.SUPERVISOR},
        ),
        _t("take_over", {S.ESCALATED}, S.ASSIGNED, {A.SUPERVISOR}),
        _t("start", {S.ASSIGNED}, S.IN_PROGRESS, {A.ASSIGNEE}),
        _t("wait", {S.IN_PROGRESS}, S.WAITING, {A.ASSIGNEE}, True),
        _t("resume", {S.WAITING}, S.IN_PROGRESS, {A.ASSIGNEE, A.SUPERVISOR, A.SYSTEM}),
        _t("resolve", {S.IN_PROGRESS}, S.RESOLVED, {A.ASSIGNEE}, True),
        _t("close", {S.RESOLVED}, S.CLOSED, {A.REPORTER, A.SUPERVISOR, A.SYSTEM}),
        _t("reopen", {S.RESOLVED, S.CLOSED}, S.REOPENED, {A.REPORTER, A.SUPERVISOR}, True),
        # From reported only where a deadline came from outside (a hotline ticket's runs from
        # its receipt, accepted or not); other events get their next escalation at acceptance.
        _t("escalate", WORKING | {S.REPORTED}, S.ESCALATED, {A.SYSTEM}),
    )
}
OPEN_STATES = frozenset(set(State.values) - {S.CLOSED, S.REJECTED})
ESCALATABLE_STATES = frozenset(WORKING | {S.REPORTED})
FINAL_STATES = frozenset({S.CLOSED, S.REJECTED})


def allowed_actions(state: str) -> list[str]:
    """Actions a person (not the platform) can take from this state."""
    return sorted(a for a, t in TRANSITIONS.items() if state in t.sources and t.actors - {Actor.SYSTEM})
