"""Durable, exactly-once, per-person-ordered handling of updates, whatever the channel.

An update is written to the store's inbox before it is acknowledged; one worker per person,
holding the store's lock on that person (across processes with PostgreSQL), handles that
person's updates strictly in update order (different people run in parallel); the new
state, the replies and the update id are committed in one transaction; replies are then
delivered and only then crossed off. After a crash, `start()` replays what was accepted but not
committed and re-sends what was committed but not delivered.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.dialogue import texts
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.dialogue.privacy import format_user_data
from bot.dialogue.replies import Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.knowledge.bundle import KnowledgeHolder
from bot.storage.base import Commit, InboxItem, OutboxItem, Store, StoreUnavailable

log = logging.getLogger(__name__)

COMMIT_ATTEMPTS = 3


class DeliveryDeferred(Exception):
    """A channel could not deliver yet (network, rate limit); the outbox keeps the replies."""


class Channel(Protocol):
    async def deliver(self, item: OutboxItem) -> None: ...


Interceptor = Callable[[Incoming, dict[str, Any], ConversationState], Awaitable[Turn | None]]


class Processor:
    def __init__(
        self,
        store: Store,
        engine: Engine,
        knowledge: KnowledgeHolder,
        channel: Channel,
        *,
        retry_delay: float = 1.0,
    ) -> None:
        self.store = store
        self.engine = engine
        self.knowledge = knowledge
        self.channel = channel
        self.retry_delay = retry_delay
        self.interceptors: list[Interceptor] = []
        """Async callables (incoming, meta) -> Turn | None that may take an update first
        (the admin layer); None passes it on to the engine."""
        self._queues: dict[int, deque[InboxItem]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._redelivery: asyncio.Task[None] | None = None
        self._stopping = False

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Re-send committed replies, then replay accepted updates, oldest first."""
        for out in await self.store.undelivered():
            await self._deliver(out)
        for item in await self.store.pending():
            self._schedule(item)

    async def join(self) -> None:
        """Wait until every submitted update is handled and delivered (tests, shutdown)."""
        while True:
            busy = [t for t in self._workers.values() if not t.done()]
            if self._redelivery is not None and not self._redelivery.done():
                busy.append(self._redelivery)
            if not busy:
                return
            await asyncio.gather(*busy, return_exceptions=True)

    async def stop(self) -> None:
        self._stopping = True
        tasks = list(self._workers.values())
        if self._redelivery is not None:
            tasks.append(self._redelivery)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- intake --------------------------------------------------------------------------
    async def submit(self, update_id: int, incoming: Incoming, meta: dict[str, Any]) -> bool:
        """Persist the update, then queue it. False for an update seen before.

        If the store cannot take it, the person is told to try again: the update is
        acknowledged rather than retried forever (no crash loop).
        """
        item = to_inbox(update_id, incoming, meta)
        try:
            fresh = await self.store.enqueue(item)
        except StoreUnavailable as exc:
            log.error("update %s not accepted: %s", update_id, exc)
            await self._apologise(update_id, incoming, meta)
            return True
        if not fresh:
            log.info("update %s is a duplicate; ignored", update_id)
            return False
        self._schedule(item)
        return True

    def _schedule(self, item: InboxItem) -> None:
        queue = self._queues.setdefault(item.user_id, deque())
        queue.append(item)
        worker = self._workers.get(item.user_id)
        if worker is None or worker.done():
            self._workers[item.user_id] = asyncio.create_task(
                self._work(item.user_id), name=f"user-worker-{item.user_id}"
            )

    async def _work(self, user_id: int) -> None:
        """Under the person's lock (which other processes on the same database respect too),
        handle every update of theirs the inbox holds, oldest first, whichever instance
        accepted it. The in-process queue only says there is work. While the store is
        unavailable the updates stay in the inbox and this retries with a growing pause."""
        queue = self._queues[user_id]
        delay, again = self.retry_delay, False
        try:
            while queue or again:
                queue.clear()
                try:
                    async with self.store.person_lock(user_id):
                        for item in await self.store.pending_for(user_id):
                            await self._handle_safely(item)
                    delay, again = self.retry_delay, False
                except StoreUnavailable as exc:
                    log.error("updates of user %s wait for the store: %s", user_id, exc)
                    again = not self._stopping
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            if not queue:
                self._queues.pop(user_id, None)
                self._workers.pop(user_id, None)

    async def _handle_safely(self, item: InboxItem) -> None:
        try:
            await self._handle(item)
        except StoreUnavailable as exc:
            log.error("update %s: store unavailable: %s", item.update_id, exc)
            incoming = Incoming.from_json(item.payload["incoming"])
            await self._apologise(item.update_id, incoming, item.payload.get("meta", {}))
        except Exception:
            log.exception("update %s failed; discarded", item.update_id)
            incoming = Incoming.from_json(item.payload["incoming"])
            await self._apologise(item.update_id, incoming, item.payload.get("meta", {}))
            await self._discard(item.update_id)

    # -- one update ----------------------------------------------------------------------
    async def _handle(self, item: InboxItem) -> None:
        incoming = Incoming.from_json(item.payload["incoming"])
        meta = dict(item.payload.get("meta", {}))
        for attempt in range(COMMIT_ATTEMPTS):
            stored = await self.store.load(incoming.user_id)
            state = ConversationState.from_json(stored.state)
            turn = await self._turn(incoming, meta, state)
            if "mydata" in turn.actions:
                data = await self.store.user_data(incoming.user_id)
                turn.replies.append(Reply(format_user_data(data)))
            meta["notice"] = turn.notice
            meta["stale"] = turn.stale
            replies = [r.to_record() for r in turn.replies]
            commit = Commit(
                update_id=item.update_id,
                user_id=incoming.user_id,
                chat_id=incoming.chat_id,
                expected_version=stored.version,
                state=turn.state.to_json(),
                replies=replies,
                meta=meta,
                region=turn.state.region,
                history=turn.history,
                unanswered=turn.unanswered,
                feedback=turn.feedback,
                outcomes=turn.outcomes,
                questions_asked=turn.asked,
                questions_answered=turn.answered,
            )
            forget = "forget" in turn.actions
            save = self.store.forget_and_reply if forget else self.store.commit
            if await save(commit):
                out = OutboxItem(item.update_id, incoming.user_id, incoming.chat_id, replies, meta)
                await self._deliver(out)
                return
            if await self.store.was_committed(item.update_id):
                log.info("update %s was already handled; skipped", item.update_id)
                return
            log.info("update %s: state moved on, retrying (%d)", item.update_id, attempt + 1)
        log.warning("update %s dropped after %d refused commits", item.update_id, COMMIT_ATTEMPTS)

    async def _turn(
        self, incoming: Incoming, meta: dict[str, Any], state: ConversationState
    ) -> Turn:
        for intercept in self.interceptors:
            turn = await intercept(incoming, meta, state)
            if turn is not None:
                return turn
        return self.engine.handle(incoming, state, self.knowledge.current)

    # -- delivery ------------------------------------------------------------------------
    async def _deliver(self, out: OutboxItem) -> None:
        try:
            await self.channel.deliver(out)
        except DeliveryDeferred as exc:
            log.warning("update %s: delivery deferred: %s", out.update_id, exc)
            self._retry_later()
            return
        await self.store.mark_delivered(out.update_id)

    def _retry_later(self) -> None:
        if self._stopping or (self._redelivery is not None and not self._redelivery.done()):
            return
        self._redelivery = asyncio.create_task(self._redeliver(), name="redelivery")

    async def _redeliver(self) -> None:
        delay = self.retry_delay
        while not self._stopping:
            await asyncio.sleep(delay)
            pending = await self.store.undelivered()
            if not pending:
                return
            for out in pending:
                try:
                    await self.channel.deliver(out)
                except DeliveryDeferred:
                    break
                await self.store.mark_delivered(out.update_id)
            delay = min(delay * 2, 60.0)

    async def _discard(self, update_id: int) -> None:
        try:
            await self.store.discard(update_id)
        except StoreUnavailable as exc:
            log.error("could not discard update %s: %s", update_id, exc)

    async def _apologise(self, update_id: int, incoming: Incoming, meta: dict[str, Any]) -> None:
        """Best effort, not stored: the store is the thing that failed."""
        notice_meta = {**meta, "notice": texts.STORE_DOWN}
        out = OutboxItem(
            update_id,
            incoming.user_id,
            incoming.chat_id,
            [Reply(texts.STORE_DOWN).to_record()],
            notice_meta,
        )
        try:
            await self.channel.deliver(out)
        except Exception:
            log.exception("could not tell user about update %s failing", update_id)


def to_inbox(update_id: int, incoming: Incoming, meta: dict[str, Any]) -> InboxItem:
    payload = {"incoming": incoming.to_json(), "meta": meta}
    return InboxItem(update_id=update_id, user_id=incoming.user_id, payload=payload)
