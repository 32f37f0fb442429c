"""`python -m bot run` with a token: connect, register commands, poll or serve a webhook.

Shutdown on SIGINT/SIGTERM is orderly: stop taking updates, let the processor finish and
deliver what it has, close the store. A hard kill loses nothing either: updates are
acknowledged only once stored, and undelivered replies are re-sent on the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterable

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.channel import Receiver
from bot.config import Settings
from bot.metrics import Metrics, count_rate_limits
from bot.runtime import COMMANDS, Runtime, close_runtime, open_runtime
from bot.telegram.channel import TelegramChannel
from bot.telegram.leader import LeaderPolling
from bot.telegram.menus import register_menus
from bot.telegram.pacing import Pacer
from bot.telegram.poller import Poller
from bot.telegram.retry import retry_after_seconds
from bot.telegram.status import StatusServer
from bot.telegram.webhook import WebhookServer

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
POLL_TIMEOUT = 25
SEND_TIMEOUT = 60.0
"""Seconds a send may take to be written and answered. Telegram may have delivered a message
whose answer never came (no idempotent send: the retry shows it twice), so this is far
longer than Telegram's slowest answer under load: giving up early is what doubles replies.
The outbox lease is renewed meanwhile, so no other instance takes the reply over."""


def make_bot(settings: Settings, metrics: Metrics | None = None) -> Bot:
    """Two connection pools: sends must never queue behind the long poll. Sends are paced to
    Telegram's flood limits (`pacing`). With `metrics`, Telegram's 429 answers are counted."""
    assert settings.token is not None
    hooks = count_rate_limits(metrics) if metrics is not None else None
    return ExtBot(
        settings.token.get(),
        base_url=settings.base_url or DEFAULT_BASE_URL,
        base_file_url=file_base_url(settings.base_url or DEFAULT_BASE_URL),
        request=HTTPXRequest(
            connection_pool_size=64,
            read_timeout=SEND_TIMEOUT,
            write_timeout=SEND_TIMEOUT,
            pool_timeout=10.0,
            httpx_kwargs=hooks,
        ),
        get_updates_request=HTTPXRequest(
            connection_pool_size=1, read_timeout=10.0, pool_timeout=10.0, httpx_kwargs=hooks
        ),
        rate_limiter=Pacer(),
    )


def file_base_url(base_url: str) -> str:
    """Where documents are downloaded: `<server>/file/bot<token>/<path>` next to the API's
    `<server>/bot<token>/<method>` (Telegram's layout, and a self-hosted server's)."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url


async def connect(bot: Bot, stop: asyncio.Event, max_delay: float = 60.0) -> bool:
    """getMe until it works (Telegram may be unreachable at boot); InvalidToken is fatal.
    False if asked to stop first."""
    delay = 1.0
    while not stop.is_set():
        try:
            await bot.initialize()
            return True
        except InvalidToken:
            raise
        except RetryAfter as exc:
            delay = retry_after_seconds(exc)
        except NetworkError as exc:
            logger.warning("cannot reach Telegram (%s); retrying in %gs", exc.message, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, max_delay)
    return False


async def register_commands(bot: Bot, admin_ids: Iterable[int] = ()) -> None:
    """The "/" menus in Telegram's apps: everyone's, and each admin's own."""
    await register_menus(bot, COMMANDS, admin_ids)


async def run_telegram(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or until `stop` is set, for tests)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    metrics = Metrics()
    bot = make_bot(settings, metrics)
    try:
        if not await connect(bot, stop):
            return
        logger.info("connected as @%s", bot.username)
        await register_commands(bot, settings.admin_ids)
        runtime = await open_runtime(settings, TelegramChannel(bot), metrics)
        try:
            await serve(bot, runtime, stop)
        finally:
            await close_runtime(runtime)
    finally:
        await bot.shutdown()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def serve(bot: Bot, runtime: Runtime, stop: asyncio.Event) -> None:
    settings = runtime.settings
    if settings.webhook_url is None:
        await poll(bot, runtime, stop)
        return
    assert settings.webhook_secret is not None
    server: Receiver = WebhookServer(
        bot,
        runtime.processor,
        bot.username,
        secret=settings.webhook_secret,
        path=settings.webhook_path,
        health=lambda: store_healthy(runtime),
        metrics=runtime.render_metrics,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url=settings.webhook_url,
    )
    await server.run(stop)


async def poll(bot: Bot, runtime: Runtime, stop: asyncio.Event) -> None:
    """Long polling, by whichever instance holds the polling lease; health and metrics on
    BOT_METRICS_PORT when it is set."""
    settings = runtime.settings
    status: StatusServer | None = None
    if settings.metrics_port is not None:
        status = StatusServer(lambda: store_healthy(runtime), runtime.render_metrics)
        await status.start(settings.metrics_listen, settings.metrics_port)

    async def poll_updates(stop_polling: asyncio.Event) -> None:
        await bot.delete_webhook(drop_pending_updates=False)  # getUpdates refuses otherwise
        logger.info("long polling for updates")
        poller: Receiver = Poller(bot, runtime.processor, bot.username, timeout=POLL_TIMEOUT)
        await poller.run(stop_polling)

    try:
        await LeaderPolling(runtime.store, poll_updates).run(stop)
    finally:
        if status is not None:
            await status.stop()


async def store_healthy(runtime: Runtime) -> bool:
    """The store answers a cheap read within two seconds."""
    try:
        await asyncio.wait_for(runtime.store.load(0), 2.0)
    except Exception as exc:
        logger.warning("store unhealthy: %r", exc)
        return False
    return True
