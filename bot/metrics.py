"""Prometheus metrics for one bot process, exposed as text at GET /metrics.

Counted from the outside of the core: `MeteredStore` wraps the store (an update is received
when the inbox takes it, handled when its commit lands; the commit says what kind of reply
went out), and `count_rate_limits` hooks the HTTP client that talks to Telegram. Each process
has its own registry; Prometheus adds instances up.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import httpx
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.storage.base import Commit, InboxItem, Store

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_IN_FLIGHT_MAX = 10_000
"""Receive times kept for latency; past this the oldest are dropped (never grows unbounded)."""


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.received = Counter(
            "bot_updates_received", "Updates accepted into the inbox (duplicates not counted)",
            registry=r,
        )  # fmt: skip
        self.handled = Counter(
            "bot_updates_handled", "Updates whose state and replies were committed", registry=r
        )
        self.latency = Histogram(
            "bot_update_handling_seconds",
            "From accepting an update to committing its replies, in this process",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.replies = Counter(
            "bot_question_replies",
            "Replies to questions: answer (a knowledge entry), hedge (not known, close topics "
            "offered), refusal (not known, nothing close)",
            ["kind"],
            registry=r,
        )
        self.emergencies = Counter(
            "bot_emergencies", "Replies that told someone to get emergency help", registry=r
        )
        self.outbox_depth = Gauge(
            "bot_outbox_depth", "Committed replies waiting for delivery (whole database)",
            registry=r,
        )  # fmt: skip
        self.rate_limited = Counter(
            "bot_telegram_rate_limited", "HTTP 429 answers from the Bot API", registry=r
        )
        for kind in ("answer", "hedge", "refusal"):
            self.replies.labels(kind)  # present at 0 before the first one

    def count_commit(self, commit: Commit) -> None:
        self.handled.inc()
        if commit.questions_answered:
            self.replies.labels("answer").inc(commit.questions_answered)
        offered = any(
            str(button.get("data", "")).startswith("a:")
            for reply in commit.replies
            for row in reply.get("buttons", [])
            for button in (row if isinstance(row, list) else [row])
        )
        for _ in commit.unanswered:
            self.replies.labels("hedge" if offered else "refusal").inc()
        self.emergencies.inc(sum(1 for reply in commit.replies if reply.get("emergency")))

    async def render(self, outbox_depth: Callable[[], Awaitable[int]] | None = None) -> bytes:
        """The text exposition; the outbox depth is read fresh when a reader is given."""
        if outbox_depth is not None:
            self.outbox_depth.set(await outbox_depth())
        return generate_latest(self.registry)


def count_rate_limits(metrics: Metrics) -> dict[str, Any]:
    """httpx client options that count 429s (pass as HTTPXRequest(httpx_kwargs=...))."""

    async def on_response(response: httpx.Response) -> None:
        if response.status_code == 429:
            metrics.rate_limited.inc()

    return {"event_hooks": {"response": [on_response]}}


class MeteredStore:
    """A Store that counts what passes through it; everything else goes straight through."""

    def __init__(self, store: Store, metrics: Metrics) -> None:
        self.inner = store
        self.metrics = metrics
        self._received_at: OrderedDict[int, float] = OrderedDict()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def enqueue(self, item: InboxItem) -> bool:
        fresh = await self.inner.enqueue(item)
        if fresh:
            self.metrics.received.inc()
            self._received_at[item.update_id] = time.monotonic()
            while len(self._received_at) > _IN_FLIGHT_MAX:
                self._received_at.popitem(last=False)
        return fresh

    async def commit(self, commit: Commit) -> bool:
        return self._landed(commit, await self.inner.commit(commit))

    async def forget_and_reply(self, commit: Commit) -> bool:
        return self._landed(commit, await self.inner.forget_and_reply(commit))

    async def discard(self, update_id: int) -> None:
        self._received_at.pop(update_id, None)
        await self.inner.discard(update_id)

    def _landed(self, commit: Commit, ok: bool) -> bool:
        if ok:
            self.metrics.count_commit(commit)
            started = self._received_at.pop(commit.update_id, None)
            if started is not None:
                self.metrics.latency.observe(time.monotonic() - started)
        return ok


if TYPE_CHECKING:  # mypy proves the wrapper is a Store

    def _conforms(store: Store) -> Store:
        return MeteredStore(store, Metrics())
