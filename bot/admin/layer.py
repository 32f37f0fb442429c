"""Wires the admin features onto a running bot: the file watcher and the command interceptor."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.admin.commands import AdminCommands, Disagreements, FetchFile
from bot.admin.reload import Reloader
from bot.admin.watcher import Watcher
from bot.bundle import KnowledgeHolder
from bot.channel import FileSource
from bot.config import Settings
from bot.dialogue.replies import Reply
from bot.processor import Channel
from bot.storage.base import OutboxItem, Store

log = logging.getLogger(__name__)


@dataclass
class AdminLayer:
    reloader: Reloader
    watcher: Watcher
    commands: AdminCommands
    """The processor's interceptor: the runtime hands it to the Processor it builds."""

    async def stop(self) -> None:
        await self.watcher.stop()


class ChannelNotifier:
    """Sends admins a message outside any update (not stored: a notice, not a reply).

    Deliveries go one at a time: they all use update id 0, which a channel may key retries on.
    """

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self._lock = asyncio.Lock()

    async def __call__(self, chat_id: int, text: str) -> None:
        item = OutboxItem(
            update_id=0,
            user_id=chat_id,
            chat_id=chat_id,
            replies=[Reply(text).to_record()],
            meta={},
        )
        async with self._lock:
            await self.channel.deliver(item)


def start_admin(
    settings: Settings,
    knowledge: KnowledgeHolder,
    store: Store,
    channel: Channel,
    *,
    fetch_file: FetchFile | None = None,
    disagreements: Disagreements | None = None,
    interval: float | None = None,
) -> AdminLayer:
    """Start watching KNOWLEDGE_DIR and make the admin commands (for the processor to put
    before the engine). Given only what it uses: the knowledge it reloads, the store it reads
    and backs up from, the channel it notifies admins through. `fetch_file` defaults to the
    channel's own `fetch_file` when it has one (Telegram does; the terminal does not).
    `disagreements` reads the emergency detector's recent rules-vs-learned disagreements."""
    fetch = fetch_file or (channel.fetch_file if isinstance(channel, FileSource) else None)
    reloader = Reloader(knowledge, settings.admin_ids, ChannelNotifier(channel))
    watcher = Watcher(reloader) if interval is None else Watcher(reloader, interval=interval)
    commands = AdminCommands(
        settings.admin_ids,
        reloader,
        store,
        fetch_file=fetch,
        retention_days=settings.retention_days,
        disagreements=disagreements,
    )
    watcher.start()
    if not settings.admin_ids:
        log.info("no BOT_ADMIN_IDS set: admin commands and uploads are off")
    log.info("watching %s for knowledge changes", settings.knowledge_dir)
    return AdminLayer(reloader, watcher, commands)
