"""Send pacing in front of the outbox: stay inside Telegram's flood limits instead of hitting
them (about 30 messages a second per bot, 20 a minute per group).

`Pacer` is a python-telegram-bot rate limiter (`ExtBot(rate_limiter=Pacer())`). Every call
that names a chat waits for a free slot in two sliding windows: the bot's (30 per second) and,
for a group, the group's (20 per minute). A slot stays taken until its call has come back,
and only then starts its window, so however late a request reaches Telegram, no window of
Telegram's can ever hold more than the limit. Calls without a chat (getUpdates, answering a
button press) are not held.

Who goes first when calls wait: the delivery that started first. A delivery (one update's
replies, see `one_delivery`) keeps the ticket it got when it started, so under a burst each
person's replies go out together, in arrival order, and people are served first come, first
served; a group that has used its minute does not hold up anyone else. Nothing is retried
here (python-telegram-bot's AIORateLimiter retries; ours leaves that to the channel and the
outbox).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from telegram.ext import BaseRateLimiter

JSONDict = dict[str, Any]
P = ParamSpec("P")
R = TypeVar("R")

_tickets = itertools.count()
_delivery: contextvars.ContextVar[int | None] = contextvars.ContextVar("delivery", default=None)


def one_delivery(func: Callable[P, Awaitable[R]]) -> Callable[P, Coroutine[Any, Any, R]]:
    """Mark a coroutine (a channel's `deliver`) as one delivery: its calls share one place in
    the queue, taken when it starts."""

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _delivery.set(next(_tickets))
        try:
            return await func(*args, **kwargs)
        finally:
            _delivery.reset(token)

    return wrapper


@dataclass(frozen=True)
class Limit:
    calls: int
    seconds: float


BOT_LIMIT = Limit(30, 1.0)
GROUP_LIMIT = Limit(20, 60.0)
MAX_IDLE_GROUPS = 1000
"""Group windows kept before the idle ones (nothing in flight or in the last minute) go."""


@dataclass
class _Window:
    """Calls in flight plus when recent ones came back: the sliding window of one limit."""

    limit: Limit
    in_flight: int = 0
    done: deque[float] = field(default_factory=deque)

    def idle(self, now: float) -> bool:
        """Nothing in flight and nothing in the window: forgetting it changes nothing."""
        self.free_at(now)
        return self.in_flight == 0 and not self.done

    def free_at(self, now: float) -> float:
        """When the next call may start: `now` if there is room, else later (inf: when a call
        in flight comes back)."""
        while self.done and self.done[0] <= now - self.limit.seconds:
            self.done.popleft()
        if self.in_flight + len(self.done) < self.limit.calls:
            return now
        if self.done:
            return self.done[0] + self.limit.seconds
        return float("inf")


@dataclass(order=True)
class _Waiter:
    ticket: int
    seq: int
    group: int | str | None = field(compare=False)
    granted: asyncio.Future[None] = field(compare=False)


class Pacer(BaseRateLimiter[None]):
    def __init__(self, bot: Limit = BOT_LIMIT, group: Limit = GROUP_LIMIT) -> None:
        self.bot_limit = bot
        self.group_limit = group
        self._bot = _Window(bot)
        self._groups: dict[int | str, _Window] = {}
        self._waiting: list[_Waiter] = []
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat = data.get("chat_id")
        if chat is None:
            return await callback(*args, **kwargs)
        group = _group_of(chat)
        await self._slot(group)
        try:
            return await callback(*args, **kwargs)
        finally:
            self._release(group)

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiting if not w.granted.done())

    # -- internals ---------------------------------------------------------------------------
    async def _slot(self, group: int | str | None) -> None:
        ticket = _delivery.get()
        waiter = _Waiter(
            next(_tickets) if ticket is None else ticket,
            next(self._seq),
            group,
            asyncio.get_running_loop().create_future(),
        )
        self._waiting.append(waiter)
        self._waiting.sort()
        self._grant()
        try:
            await waiter.granted
        except asyncio.CancelledError:
            if waiter.granted.done() and not waiter.granted.cancelled():
                self._release(group)  # granted, then cancelled before the call
            else:
                self._waiting.remove(waiter)
            raise

    def _window(self, group: int | str) -> _Window:
        window = self._groups.get(group)
        if window is None:
            window = self._groups[group] = _Window(self.group_limit)
        return window

    def _grant(self) -> None:
        """Start every waiting call that fits now, oldest ticket first; time the next look."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        next_look = float("inf")
        for waiter in list(self._waiting):
            if waiter.granted.done():  # cancelled while waiting
                self._waiting.remove(waiter)
                continue
            bot_free = self._bot.free_at(now)
            if bot_free > now:
                next_look = min(next_look, bot_free)
                break
            if waiter.group is not None:
                group_free = self._window(waiter.group).free_at(now)
                if group_free > now:
                    next_look = min(next_look, group_free)
                    continue
                self._window(waiter.group).in_flight += 1
            self._bot.in_flight += 1
            self._waiting.remove(waiter)
            waiter.granted.set_result(None)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if next_look != float("inf") and self._waiting:
            self._timer = loop.call_at(next_look, self._grant)

    def _release(self, group: int | str | None) -> None:
        now = asyncio.get_running_loop().time()
        for window in (self._bot, self._window(group) if group is not None else None):
            if window is not None:
                window.in_flight -= 1
                window.done.append(now)
        if len(self._groups) > MAX_IDLE_GROUPS:
            self._groups = {k: w for k, w in self._groups.items() if not w.idle(now)}
        self._grant()


def _group_of(chat: object) -> int | str | None:
    """The chat's key if it is a group or channel (negative id or @name), else None."""
    if isinstance(chat, str):
        try:
            chat = int(chat)
        except ValueError:
            return chat
    return chat if isinstance(chat, int) and chat < 0 else None
