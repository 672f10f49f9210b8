"""The incremental-update hook: a change to a metric's source marks its node changed, and the
summary of that node is refreshed after commit by a task enqueued through the outbox.

Refreshes are coalesced per community (or per node, above the communities): every change to a
community within one window of DASHBOARD_REFRESH_WINDOW_SECONDS enqueues the same idempotency
key, so one task refreshes the community once, shortly after the window closes. A window of 0
refreshes after each commit (tests, demos). A write that sends no signals (a bulk import, a
queryset update) calls `mark_changed(paths)` itself.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_init, post_save

from core.dashboards import metrics as declared_metrics
from core.outbox.coalesce import first_in_transaction
from core.outbox.services import enqueue_task
from core.regions.paths import ancestor_ids, community_id

REFRESH_TASK = "dashboards.refresh_node"
_LOADED_PATH = "_dashboards_loaded_path"


def refresh_target(path: str) -> int | None:
    """The node whose refresh covers a change at `path`: its community, or the node itself when
    it lies above the communities."""
    ids = ancestor_ids(path)
    return community_id(path) or (ids[-1] if ids else None)


# While a load holds changes back (`held_back`), the places it changed, instead of one refresh
# enqueued per saved row.
_held: ContextVar[set[str] | None] = ContextVar("dashboards_held_back", default=None)


@contextmanager
def held_back(*, mark_at_end: bool = True) -> Iterator[set[str]]:
    """Gather the changes made within instead of marking each saved row (an outbox message per
    row, each refreshed after commit); at the end mark each place once, or not at all when the
    caller rebuilds every summary itself (`manage.py seed_demo`). Yields the places gathered."""
    if _held.get() is not None:  # already held by an outer load: it decides
        yield _held.get()
        return
    paths: set[str] = set()
    token = _held.set(paths)
    try:
        yield paths
    finally:
        _held.reset(token)
    if mark_at_end:
        mark_changed(paths)


def mark_changed(paths: Iterable[str]) -> None:
    """Refresh the summaries of these places after the current transaction commits.

    Once per node and transaction: a transaction that saves many rows of one community (a loop
    of saves, a bulk change) enqueues its refresh once, not once per row."""
    held = _held.get()
    if held is not None:
        held.update(path for path in paths if path)
        return
    window = settings.DASHBOARD_REFRESH_WINDOW_SECONDS
    for node_id in sorted({refresh_target(path) for path in paths if path} - {None}):
        if not first_in_transaction(f"{REFRESH_TASK}:{node_id}"):
            continue
        if window <= 0:
            enqueue_task(
                REFRESH_TASK, args=[node_id], idempotency_key=f"{REFRESH_TASK}:{node_id}:{uuid.uuid4().hex}"
            )
        else:
            now = time.time()
            index = math.floor(now / window)
            enqueue_task(
                REFRESH_TASK,
                args=[node_id],
                idempotency_key=f"{REFRESH_TASK}:{node_id}:{index}",
                # A second after the window closes: changes committed within it are all read.
                countdown=min((index + 1) * window - now + 1, settings.OUTBOX_MAX_COUNTDOWN_SECONDS),
            )


def _source(spec: str) -> tuple[type, tuple[str, ...]]:
    """ "app_label.Model" (a placed model) or "app_label.Model:relation.region_path"."""
    label, _sep, chain = spec.partition(":")
    return apps.get_model(label), tuple((chain or "region_path").split("."))


def _path_of(instance, chain: tuple[str, ...]) -> str | None:
    value = instance
    for name in chain:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def sources() -> dict[type, tuple[tuple[str, ...], ...]]:
    """Each declared source model and the attribute chains that lead to its region paths (a row
    may count at two places: a service record where the service was done and where its member
    reported, "party_building.ServiceRecord:report.region_path")."""
    found: dict[type, set[tuple[str, ...]]] = {}
    for metric in declared_metrics.summarised():
        for spec in metric.sources:
            model, chain = _source(spec)
            found.setdefault(model, set()).add(chain)
    return {model: tuple(sorted(chains)) for model, chains in found.items()}


_sources: dict[type, tuple[tuple[str, ...], ...]] | None = None
_generation = -1


def _chains_of(model) -> tuple[tuple[str, ...], ...] | None:
    """Read once all apps have declared their metrics (a domain may load after core)."""
    global _sources, _generation
    from core.extensions.registry import registry

    if _sources is None or _generation != registry.generation:
        if not apps.ready:
            return None
        _sources, _generation = sources(), registry.generation
    return _sources.get(model)


def _loaded_paths(instance, chains) -> list:
    # Only the row's own columns: following a relation here would cost a query per row loaded.
    return [instance.__dict__.get(chain[0]) for chain in chains if len(chain) == 1]


def _remember(sender, instance, **kwargs) -> None:
    chains = _chains_of(sender)
    if chains:
        instance.__dict__[_LOADED_PATH] = _loaded_paths(instance, chains)


def _changed(sender, instance, **kwargs) -> None:
    chains = _chains_of(sender)
    if not chains:
        return
    before = instance.__dict__.get(_LOADED_PATH) or []
    mark_changed([p for p in (*(_path_of(instance, chain) for chain in chains), *before) if p])
    instance.__dict__[_LOADED_PATH] = _loaded_paths(instance, chains)


def connect_sources() -> None:
    """Listen to saves and deletes; only the declared sources' (looked up per model, once the
    registry is complete) mark their node changed. A placed model also remembers the path it
    was loaded with, so a row moved to another node refreshes both."""
    post_init.connect(_remember, weak=False, dispatch_uid="dashboards.remember_path")
    post_save.connect(_changed, weak=False, dispatch_uid="dashboards.changed_on_save")
    post_delete.connect(_changed, weak=False, dispatch_uid="dashboards.changed_on_delete")
