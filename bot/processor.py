"""Durable, exactly-once, per-person-ordered handling of updates, whatever the channel.

An update is written to the store's inbox before it is acknowledged; one worker per person,
holding the store's lock on that person (across processes with PostgreSQL), handles that
person's updates strictly in update order, whichever instance accepted them (different people
run in parallel); the new state, the replies and the update id are committed in one
transaction.

Delivery is one state machine per person: a sender task claims the person's oldest
undelivered reply (a lease in the store, so no other sender touches it, in this process or
another; renewed while the delivery runs, however long), delivers it, and only then crosses it
off and claims the next. A delivery that may
pass later (network, 5xx, 409, 401, a junk body, flood control) is retried by the same sender
after a backoff, or after exactly the wait Telegram asked for; the person's later replies wait
behind it. One that can never pass (blocked, chat not found) is dropped by the channel with a
log line. After a crash, `start()` replays what was accepted but not committed and hands what
was committed but not delivered to the senders, in the background (start-up never waits on
Telegram); a periodic sweep does the same for what another, dead, instance left behind.

A send that went out but got no answer may have been delivered (the Bot API has no
idempotent send): it is sent again, at least once rather than lost, and logged as such.
The one gap left: a crash after Telegram accepted a message but before it was crossed off
sends that message again (on the next start, or by another instance once the lease ran out).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import re
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from bot.bundle import KnowledgeHolder
from bot.channel import SCRUB_AFTER, DeliveryDeferred, DeliveryHints, Sender
from bot.dialogue import texts
from bot.dialogue.engine import Engine
from bot.dialogue.incoming import Incoming
from bot.dialogue.privacy import format_user_data
from bot.dialogue.replies import Reply
from bot.dialogue.state import ConversationState
from bot.dialogue.turn import Turn
from bot.storage.base import Commit, InboxItem, OutboxItem, Store, StoreUnavailable

log = logging.getLogger(__name__)

COMMIT_ATTEMPTS = 3
SAFETY_LOAD_WAIT = 15.0
"""Seconds a message waits, at most, for the detector's neighbour signal while it loads at
start-up (about 1 s): a crisis only it catches ("i'm on the train tracks") must not be missed
because it came first. Waited in a thread, once; a failed load does not wait."""
MAX_ANALYSED_TEXT = 4096
"""Characters of one message the core reads (Telegram's own limit for a message); longer
text from any channel is cut here, so no text path's work grows past this."""
MAX_DEAD_LETTER = 65_536
"""Characters of a quarantined update's raw JSON that are kept."""
SWEEP_SECONDS = 5.0
"""How often replies nobody is sending (a lease that ran out) and updates nobody is handling
(accepted by an instance that died) are looked for."""
_SURROGATES = re.compile("[\ud800-\udfff]")
_INT64 = range(-(2**63), 2**63)


class LeaseLost(Exception):
    """Another instance took over a reply while this one was delivering it."""


class Unreadable(ValueError):
    """An update whose content the core cannot take (ids that are not 64-bit integers)."""


def clean_text(text: str) -> str:
    """Lone UTF-16 surrogates (invalid JSON escapes, undecodable terminal bytes) become
    U+FFFD, so the text can be stored, logged and sent."""
    return _SURROGATES.sub("\ufffd", text)


def clean_json(value: Any) -> Any:
    """clean_text applied to every string in parsed JSON (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if isinstance(value, dict):
        return {clean_json(k): clean_json(v) for k, v in value.items()}
    return value


def bounded(incoming: Incoming) -> Incoming:
    """The message as the core reads it: valid text, at most MAX_ANALYSED_TEXT characters."""
    for name in ("user_id", "chat_id"):
        value = getattr(incoming, name)
        if isinstance(value, bool) or not isinstance(value, int) or value not in _INT64:
            raise Unreadable(f"{name} is not a 64-bit integer")
    if incoming.text is None:
        return incoming
    text = clean_text(incoming.text[:MAX_ANALYSED_TEXT])
    return incoming if text == incoming.text else dataclasses.replace(incoming, text=text)


Channel = Sender
"""What the processor delivers to (the sending side of the channel contract)."""

Interceptor = Callable[[Incoming, ConversationState], Awaitable[Turn | None]]


class Processor:
    def __init__(
        self,
        store: Store,
        engine: Engine,
        knowledge: KnowledgeHolder,
        channel: Channel,
        *,
        interceptors: Sequence[Interceptor] = (),
        retry_delay: float = 1.0,
        max_retry_delay: float = 8.0,
        lease_seconds: float = 45.0,
        owner: str | None = None,
    ) -> None:
        """`retry_delay` doubles per failed delivery up to `max_retry_delay` (kept short, so
        replies follow soon after an outage ends). `owner` names this process in delivery
        leases: unique per live process (instances sharing a database must never share one),
        so a reply that a killed process had claimed goes to another after `lease_seconds`."""
        self.store = store
        self.engine = engine
        self.knowledge = knowledge
        self.channel = channel
        self.retry_delay = retry_delay
        self.max_retry_delay = max(max_retry_delay, retry_delay)
        self.lease_seconds = lease_seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self.interceptors = tuple(interceptors)
        """Async callables (incoming, state) -> Turn | None that may take an update
        first (the admin commands), in order; None passes it on to the engine."""
        self._queues: dict[int, deque[InboxItem]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._senders: dict[int, asyncio.Task[None]] = {}
        self._wanted: set[int] = set()
        """People with a reply committed since their sender last looked."""
        self._sweeper: asyncio.Task[None] | None = None
        self._stopping = False

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Hand undelivered replies to their senders and replay accepted updates, oldest
        first; neither waits for Telegram."""
        for user_id in dict.fromkeys(out.user_id for out in await self.store.undelivered()):
            self._kick(user_id)
        for item in await self.store.pending():
            self._schedule(item)
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep(), name="delivery-sweep")

    async def join(self) -> None:
        """Wait until every submitted update is handled and delivered (tests, shutdown)."""
        while True:
            busy = [t for t in (*self._workers.values(), *self._senders.values()) if not t.done()]
            if not busy:
                return
            await asyncio.gather(*busy, return_exceptions=True)

    async def stop(self) -> None:
        self._stopping = True
        tasks = [*self._workers.values(), *self._senders.values()]
        if self._sweeper is not None:
            tasks.append(self._sweeper)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- intake --------------------------------------------------------------------------
    async def submit(self, update_id: int, incoming: Incoming, origin: Mapping[str, Any]) -> bool:
        """Persist the update (with the channel's `origin`, handed back at delivery), then
        queue it. False for an update seen before.

        If the store cannot take it, the person is told to try again: the update is
        acknowledged rather than retried forever (no crash loop). Raises Unreadable for an
        update the core cannot take (the caller quarantines it).
        """
        item = to_inbox(update_id, incoming, origin)
        try:
            fresh = await self.store.enqueue(item)
        except StoreUnavailable as exc:
            log.error("update %s not accepted: %s", update_id, exc)
            await self._apologise(update_id, incoming, origin)
            return True
        if not fresh:
            log.info("update %s is a duplicate; ignored", update_id)
            return False
        self._schedule(item)
        return True

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        """Keep an update that cannot be read or stored as a dead letter (admins see the
        count in /stats); logged once, by id and reason, never with its text. Raises
        StoreUnavailable if even that fails (the caller must not acknowledge it then)."""
        update_id = update_id if isinstance(update_id, int) and update_id in _INT64 else None
        user_id = user_id if isinstance(user_id, int) and user_id in _INT64 else None
        await self.store.quarantine(update_id, user_id, clean_text(raw[:MAX_DEAD_LETTER]), reason)
        log.warning("update %s quarantined: %s", update_id, reason)

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
            await self._apologise(item.update_id, incoming, _origin(item))
        except Exception:
            log.exception("update %s failed; discarded", item.update_id)
            incoming = Incoming.from_json(item.payload["incoming"])
            await self._apologise(item.update_id, incoming, _origin(item))
            await self._discard(item.update_id)

    # -- one update ----------------------------------------------------------------------
    async def _handle(self, item: InboxItem) -> None:
        incoming = bounded(Incoming.from_json(item.payload["incoming"]))
        origin = _origin(item)
        for attempt in range(COMMIT_ATTEMPTS):
            stored = await self.store.load(incoming.user_id)
            state = ConversationState.from_json(stored.state)
            turn = await self._turn(incoming, state)
            if "mydata" in turn.actions:
                data = await self.store.user_data(incoming.user_id)
                turn.replies.append(Reply(format_user_data(data)))
            hints = DeliveryHints(private=incoming.private, notice=turn.notice, stale=turn.stale)
            meta = {**origin, **hints.to_meta()}
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
            if forget:
                meta[SCRUB_AFTER] = True  # the confirmation's row holds the id: scrub again
            save = self.store.forget_and_reply if forget else self.store.commit
            if await save(commit):
                self._kick(incoming.user_id)
                return
            if await self.store.was_committed(item.update_id):
                log.info("update %s was already handled; skipped", item.update_id)
                return
            log.info("update %s: state moved on, retrying (%d)", item.update_id, attempt + 1)
        log.warning("update %s dropped after %d refused commits", item.update_id, COMMIT_ATTEMPTS)

    async def _turn(self, incoming: Incoming, state: ConversationState) -> Turn:
        for intercept in self.interceptors:
            turn = await intercept(incoming, state)
            if turn is not None:
                return turn
        await self._safety_loaded()
        return self.engine.handle(incoming, state, self.knowledge.current)

    async def _safety_loaded(self) -> None:
        """The detector whole before the first message is judged (SAFETY_LOAD_WAIT)."""
        signal = self.engine.detector.neighbours
        if signal is not None and not signal.settled:
            await asyncio.to_thread(signal.wait, SAFETY_LOAD_WAIT)

    # -- delivery ------------------------------------------------------------------------
    def _kick(self, user_id: int) -> None:
        """Make sure someone is sending this person's replies."""
        self._wanted.add(user_id)
        sender = self._senders.get(user_id)
        if self._stopping or (sender is not None and not sender.done()):
            return
        self._senders[user_id] = asyncio.create_task(
            self._send_all(user_id), name=f"sender-{user_id}"
        )

    async def _send_all(self, user_id: int) -> None:
        """One person's replies, oldest first: the next is claimed only once the earlier
        one is delivered or dropped."""
        delay, failures = self.retry_delay, 0
        try:
            while not self._stopping:
                self._wanted.discard(user_id)
                out = await self.store.claim_reply(user_id, self.owner, self.lease_seconds)
                if out is None:
                    if user_id in self._wanted:
                        continue
                    return
                wait = await self._attempt(out, delay, failures)
                if wait is None:
                    delay, failures = self.retry_delay, 0
                    continue
                # keep the lease through the wait, then try the same reply again
                await self.store.claim_reply(user_id, self.owner, wait + self.lease_seconds)
                await asyncio.sleep(wait)
                delay, failures = min(delay * 2, self.max_retry_delay), failures + 1
        except StoreUnavailable as exc:
            log.error("replies to user %s wait for the store: %s", user_id, exc)
        except LeaseLost:
            pass  # another instance sends this person's replies now
        finally:
            if self._senders.get(user_id) is asyncio.current_task():
                self._senders.pop(user_id, None)

    async def _deliver_leased(self, out: OutboxItem) -> None:
        """Deliver, renewing the lease on the reply meanwhile: a delivery may wait (pacing,
        flood control, a slow answer) longer than one lease, and a lease that ran out
        mid-send would let another instance send the same reply too. If the lease is lost
        all the same (this instance cut off from the database that long), the delivery is
        abandoned: the instance that took the reply over sends it. Raises LeaseLost then."""
        delivering = asyncio.create_task(self.channel.deliver(out), name=f"send-{out.update_id}")
        renewing = asyncio.create_task(self._renew(out), name=f"lease-{out.update_id}")
        try:
            await asyncio.wait({delivering, renewing}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            renewing.cancel()
            if not delivering.done():  # the lease was lost, or this sender is stopping
                delivering.cancel()
            await asyncio.gather(renewing, delivering, return_exceptions=True)
        if delivering.cancelled():
            raise LeaseLost(out.update_id)
        delivering.result()

    async def _renew(self, out: OutboxItem) -> None:
        """Every third of a lease, claim the reply again (a claim by its owner renews it);
        returns once the lease is found lost."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                held = await self.store.claim_reply(out.user_id, self.owner, self.lease_seconds)
            except Exception as exc:  # the send goes on; the next renewal may pass
                log.warning("update %s: lease not renewed: %r", out.update_id, exc)
                continue
            if held is None or held.update_id != out.update_id:
                log.error(
                    "update %s: lease lost while sending; left to its new owner", out.update_id
                )
                return

    async def _attempt(self, out: OutboxItem, delay: float, failures: int) -> float | None:
        """Deliver one reply: None once it is done with (sent, or dropped as undeliverable),
        else the seconds to wait before trying it again."""
        try:
            await self._deliver_leased(out)
        except LeaseLost:
            raise
        except DeliveryDeferred as exc:
            wait = exc.retry_after if exc.retry_after is not None else delay
            if exc.maybe_sent:  # no idempotent send in the Bot API: at least once, not lost
                log.warning(
                    "update %s: may have been delivered already (%s); sending again in %gs",
                    out.update_id,
                    exc,
                    wait,
                )
            else:
                level = logging.WARNING if failures == 0 else logging.INFO
                log.log(level, "update %s: delivery deferred %gs: %s", out.update_id, wait, exc)
            return wait
        except Exception as exc:  # a reply that can never go out must not block the rest
            kind = type(exc).__name__
            log.error("update %s: reply dropped, it cannot be delivered (%s)", out.update_id, kind)
        await self._cross_off(out.update_id)
        if out.meta.get(SCRUB_AFTER):
            await self.store.scrub()
        return None

    async def _cross_off(self, update_id: int) -> None:
        """Mark a sent reply delivered, waiting out a store hiccup: giving up here would
        send the reply again."""
        delay = self.retry_delay
        while True:
            try:
                await self.store.mark_delivered(update_id)
                return
            except StoreUnavailable as exc:
                if self._stopping:
                    raise
                log.warning("update %s: sent, not yet crossed off: %s", update_id, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_retry_delay)

    async def _sweep(self) -> None:
        """Now and then, give senders to replies nobody is sending (e.g. a sender that
        stopped while the store was unavailable) and workers to updates nobody is handling
        (accepted by another instance that then died)."""
        while not self._stopping:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                undelivered = await self.store.undelivered()
                waiting = await self.store.pending()
            except StoreUnavailable:
                continue
            for user_id in dict.fromkeys(out.user_id for out in undelivered):
                self._kick(user_id)
            for item in waiting:
                worker = self._workers.get(item.user_id)
                if worker is None or worker.done():
                    self._schedule(item)

    async def _discard(self, update_id: int) -> None:
        try:
            await self.store.discard(update_id)
        except StoreUnavailable as exc:
            log.error("could not discard update %s: %s", update_id, exc)

    async def _apologise(
        self, update_id: int, incoming: Incoming, origin: Mapping[str, Any]
    ) -> None:
        """Best effort, not stored: the store is the thing that failed."""
        hints = DeliveryHints(private=incoming.private, notice=texts.STORE_DOWN)
        out = OutboxItem(
            update_id,
            incoming.user_id,
            incoming.chat_id,
            [Reply(texts.STORE_DOWN).to_record()],
            {**origin, **hints.to_meta()},
        )
        try:
            await self.channel.deliver(out)
        except Exception:
            log.exception("could not tell user about update %s failing", update_id)


def to_inbox(update_id: int, incoming: Incoming, origin: Mapping[str, Any]) -> InboxItem:
    """The stored form of an update; the channel's origin is kept under "meta"."""
    incoming = bounded(incoming)
    payload = {"incoming": incoming.to_json(), "meta": clean_json(dict(origin))}
    return InboxItem(update_id=update_id, user_id=incoming.user_id, payload=payload)


def _origin(item: InboxItem) -> dict[str, Any]:
    """The channel's origin stored with an update."""
    origin = item.payload.get("meta", {})
    return origin if isinstance(origin, dict) else {}
