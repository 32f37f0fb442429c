"""Fixtures shared across test modules: small knowledge folders, the Bot API emulator, a
PostgreSQL server."""

from __future__ import annotations

import os
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from botapi_emulator import TOKEN, BotApiEmulator
from pg_harness import NO_SERVER, PgServer, find_bin_dir, throwaway_cluster
from telegram import Bot

GOOD_ENTRIES = """\
entries:
  - id: tea
    title: Is tea good for you
    questions:
      - is green tea healthy
      - does tea have caffeine
      - should I drink tea when sick
    answer: Tea has some caffeine and is fine in moderation.
    source:
      url: https://example.org/tea
      reference: "[1] tea study (example.org)"
    related: [sleep]
  - id: sleep
    title: How much sleep
    questions:
      - how many hours should I sleep
      - why do we dream
    answer: Most adults need seven to nine hours.
    source:
      url: https://example.org/sleep
"""

GOOD_SYNONYMS = """\
synonyms:
  tea: [cuppa, brew]
  sleep: [kip, nap]
"""


def write_files(directory: Path, files: dict[str, str]) -> Path:
    """Write each name -> YAML text (dedented) into `directory`; returns the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


@pytest.fixture
def good_kb_dir(tmp_path: Path) -> Path:
    """A small, valid knowledge folder: two entries and a synonyms file."""
    return write_files(
        tmp_path / "knowledge", {"facts.yaml": GOOD_ENTRIES, "synonyms.yaml": GOOD_SYNONYMS}
    )


@pytest.fixture
async def api() -> AsyncIterator[BotApiEmulator]:
    """Our Bot API emulator on 127.0.0.1, on a free port."""
    emulator = BotApiEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[Bot]:
    """A real python-telegram-bot client pointed at the emulator through base_url."""
    async with Bot(TOKEN, base_url=api.base_url) as client:
        yield client


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the whole run (see tests/pg_harness.py); skipped with one
    reason only where neither TEST_DATABASE_URL nor server binaries exist."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield PgServer(url)
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(NO_SERVER)
    with throwaway_cluster(bin_dir) as server:
        yield server
