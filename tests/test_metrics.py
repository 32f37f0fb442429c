"""GET /metrics on a running bot, read back with prometheus_client's own parser."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from botapi_emulator import BotApiEmulator
from prometheus_client.parser import text_string_to_metric_families
from test_telegram_e2e import EMERGENCY_TEXT, KNOWLEDGE, free_port, quick_sleep, settings_for

from bot.metrics import Metrics
from bot.runtime import Runtime, close_runtime, open_runtime
from bot.telegram.app import connect, make_bot, serve
from bot.telegram.channel import TelegramChannel

ALICE, BOB, CAROL = 2001, 2002, 2003


@asynccontextmanager
async def bot_serving(api: BotApiEmulator, db: Path, **more: Any) -> AsyncIterator[Runtime]:
    settings = settings_for(api, db, **more)
    metrics = Metrics()
    bot = make_bot(settings, metrics)
    stop = asyncio.Event()
    assert await connect(bot, stop)
    runtime = await open_runtime(settings, TelegramChannel(bot, sleep=quick_sleep), metrics)
    task = asyncio.create_task(serve(bot, runtime, stop))
    try:
        yield runtime
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await close_runtime(runtime)
        await bot.shutdown()


async def scrape(url: str) -> dict[str, float]:
    """Every sample as name{labels} -> value, parsed the way Prometheus would."""
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def a_question_the_bot_knows() -> str:
    import yaml

    for path in sorted(KNOWLEDGE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries", []) if isinstance(data, dict) else []:
            if entry.get("questions"):
                return str(entry["questions"][0])
    raise AssertionError("no knowledge entry with questions")


async def test_webhook_metrics_count_what_people_saw(api: BotApiEmulator, tmp_path: Path) -> None:
    port = free_port()
    webhook = {
        "webhook_url": f"http://127.0.0.1:{port}/hook",
        "webhook_port": port,
        "webhook_secret": "s3cret",
        "webhook_path": "/hook",
    }
    async with bot_serving(api, tmp_path / "bot.sqlite3", **webhook) as runtime:
        await api.wait_until(lambda: api.webhook is not None)
        api.fail("sendMessage", times=1, status=429, retry_after=1)
        api.send_text(ALICE, a_question_the_bot_knows())
        api.send_text(BOB, "zxqv wibble frobnicate")
        api.send_text(CAROL, EMERGENCY_TEXT)
        for person in (ALICE, BOB, CAROL):
            await api.wait_for_messages(person, 1)
        await runtime.processor.join()
        samples = await scrape(f"http://127.0.0.1:{port}/metrics")

    assert samples["bot_updates_received_total"] == 3
    assert samples["bot_updates_handled_total"] == 3
    assert samples["bot_update_handling_seconds_count"] == 3
    assert samples["bot_update_handling_seconds_bucket{le=+Inf}"] == 3
    assert samples["bot_question_replies_total{kind=answer}"] == 1
    not_known = (
        samples["bot_question_replies_total{kind=hedge}"]
        + samples["bot_question_replies_total{kind=refusal}"]
    )
    assert not_known == 1
    assert samples["bot_emergencies_total"] == 1
    assert samples["bot_telegram_rate_limited_total"] == 1
    assert samples["bot_outbox_depth"] == 0


async def test_polling_mode_serves_health_and_metrics_on_a_side_port(
    api: BotApiEmulator, tmp_path: Path
) -> None:
    port = free_port()
    async with bot_serving(api, tmp_path / "bot.sqlite3", metrics_port=port) as runtime:
        api.send_text(ALICE, "/start")
        await api.wait_for_messages(ALICE, 1)
        await runtime.processor.join()
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        samples = await scrape(f"http://127.0.0.1:{port}/metrics")
    assert health.json() == {"ok": True}
    assert samples["bot_updates_handled_total"] == 1
    assert samples["bot_question_replies_total{kind=answer}"] == 0
