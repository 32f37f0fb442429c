"""Webhook mode: secret checked on every request, 200 only once the update is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest
from botapi_emulator import BOT_USERNAME, TOKEN, BotApiEmulator
from telegram import Bot

from bot.dialogue.incoming import Incoming
from bot.storage.base import StoreUnavailable
from bot.telegram.webhook import SECRET_HEADER, WebhookServer

SECRET = "a-secret_123"
PATH = "/telegram/hook"


class Recorder:
    """Stands in for the processor: remembers what was submitted, or fails like a dead store."""

    def __init__(self) -> None:
        self.submitted: list[tuple[int, Incoming]] = []
        self.quarantined: list[tuple[int | None, str]] = []
        self.broken = False

    async def submit(self, update_id: int, incoming: Incoming, origin: Mapping[str, Any]) -> bool:
        if self.broken:
            raise StoreUnavailable("database is locked")
        self.submitted.append((update_id, incoming))
        return True

    async def quarantine(
        self, update_id: int | None, user_id: int | None, raw: str, reason: str
    ) -> None:
        if self.broken:
            raise StoreUnavailable("database is locked")
        self.quarantined.append((update_id, reason))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def server(api: BotApiEmulator, recorder: Recorder) -> AsyncIterator[WebhookServer]:
    async def healthy() -> bool:
        return not recorder.broken

    async with Bot(TOKEN, base_url=api.base_url) as bot:
        hook = WebhookServer(bot, recorder, BOT_USERNAME, secret=SECRET, path=PATH, health=healthy)
        await hook.start("127.0.0.1", 0)
        yield hook
        await hook.stop()


def url(server: WebhookServer, path: str = PATH) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


UPDATE = {
    "update_id": 77,
    "message": {
        "message_id": 1,
        "date": 1700000000,
        "chat": {"id": 9, "type": "private", "first_name": "P"},
        "from": {"id": 9, "is_bot": False, "first_name": "P"},
        "text": "why does my back hurt?",
    },
}


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
async def test_requests_without_the_secret_are_refused(
    server: WebhookServer, recorder: Recorder, secret: str | None
) -> None:
    headers = {} if secret is None else {SECRET_HEADER: secret}
    async with httpx.AsyncClient() as client:
        response = await client.post(url(server), json=UPDATE, headers=headers)
    assert response.status_code == 403
    assert recorder.submitted == []


async def test_an_update_is_submitted_before_the_200(
    server: WebhookServer, recorder: Recorder
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(url(server), json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert recorder.submitted == [(77, Incoming(9, 9, "text", text="why does my back hurt?"))]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
async def test_a_body_that_is_not_an_update_is_a_400(
    server: WebhookServer, recorder: Recorder, body: bytes
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(url(server), content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    assert recorder.submitted == []


async def test_a_poison_update_is_quarantined_and_answered_200(
    server: WebhookServer, recorder: Recorder
) -> None:
    poison = {"update_id": 78, "message": [1, 2]}
    async with httpx.AsyncClient() as client:
        response = await client.post(url(server), json=poison, headers={SECRET_HEADER: SECRET})
        again = await client.post(url(server), json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200  # Telegram must not send it again and again
    assert [update_id for update_id, _ in recorder.quarantined] == [78]
    assert again.status_code == 200 and [i for i, _ in recorder.submitted] == [77]


async def test_a_store_failure_makes_telegram_retry_and_health_says_so(
    server: WebhookServer, recorder: Recorder
) -> None:
    recorder.broken = True
    async with httpx.AsyncClient() as client:
        response = await client.post(url(server), json=UPDATE, headers={SECRET_HEADER: SECRET})
        health = await client.get(url(server, "/healthz"))
        recorder.broken = False
        healthy = await client.get(url(server, "/healthz"))
    assert response.status_code == 503
    assert health.status_code == 503 and health.json() == {"ok": False}
    assert healthy.status_code == 200 and healthy.json() == {"ok": True}


async def test_telegram_pushes_updates_with_the_secret_after_registration(
    server: WebhookServer, recorder: Recorder, api: BotApiEmulator
) -> None:
    await server.register(url(server))
    assert api.webhook == {"url": url(server), "secret_token": SECRET}
    api.send_text(5, "hello")
    api.channel_post(-100500, "a post")  # taken (200) but not submitted
    api.send_text(6, "/help")
    await api.wait_until(lambda: api.pending_updates == 0)
    assert [(i.user_id, i.text) for _, i in recorder.submitted] == [(5, "hello"), (6, "/help")]
