"""Wires the core together for any channel: store, knowledge, engine, processor."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.admin.commands import ADMIN_COMMANDS
from bot.admin.layer import AdminLayer, start_admin
from bot.bundle import KnowledgeHolder
from bot.config import Settings
from bot.dialogue.commands import CommandRegistry
from bot.dialogue.engine import ENGINE_COMMANDS, Engine
from bot.metrics import MeteredStore, Metrics
from bot.processor import Channel, Processor
from bot.storage import open_store
from bot.storage.base import Store

log = logging.getLogger(__name__)

COMMANDS = CommandRegistry((*ENGINE_COMMANDS, *ADMIN_COMMANDS))
"""Every command, everyone's then the admins': what the channels' menus list."""


@dataclass
class Runtime:
    settings: Settings
    store: Store
    knowledge: KnowledgeHolder
    engine: Engine
    processor: Processor
    metrics: Metrics
    admin: AdminLayer | None = None

    async def render_metrics(self) -> bytes:
        return await self.metrics.render(self.store.outbox_depth)


async def open_runtime(
    settings: Settings, channel: Channel, metrics: Metrics | None = None
) -> Runtime:
    """Load knowledge first (a broken knowledge dir should stop start-up, with file and line),
    then open the store, start the admin layer (file watcher, admin commands) and replay
    anything a previous run left unfinished."""
    knowledge = KnowledgeHolder.load(settings.knowledge_dir)
    metrics = metrics or Metrics()
    backend = open_store(settings.database_url, retention_days=settings.retention_days)
    store: Store = MeteredStore(backend, metrics)
    await store.open()
    admin: AdminLayer | None = None
    try:
        await store.purge()
        engine = Engine(default_region=settings.region)
        admin = start_admin(
            settings,
            knowledge,
            store,
            channel,
            disagreements=lambda: tuple(engine.detector.disagreements),
        )
        # admin commands go first, replayed updates included
        processor = Processor(store, engine, knowledge, channel, interceptors=(admin.commands,))
        runtime = Runtime(settings, store, knowledge, engine, processor, metrics, admin)
        await processor.start()
    except BaseException:
        if admin is not None:
            await admin.stop()
        await store.close()
        raise
    return runtime


async def close_runtime(runtime: Runtime, drain_seconds: float = 15.0) -> None:
    """Finish what is in hand, but don't hang on a channel that is down: what is left stays
    in the inbox/outbox and is picked up on the next start."""
    if runtime.admin is not None:
        await runtime.admin.stop()
    try:
        await asyncio.wait_for(runtime.processor.join(), drain_seconds)
    except TimeoutError:
        log.warning("stopped with work still queued; it resumes on the next start")
    await runtime.processor.stop()
    await runtime.store.close()
