"""Admins update the knowledge: live reload, upload/backup/rollback, the review loop, /stats.

Everything runs through the real runtime (SQLite file, Processor, engine) with a copy of
knowledge/ and a channel that just collects what would be sent; no Telegram.
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from chat_driver import KNOWLEDGE_DIR
from ruamel.yaml import YAML

from bot.admin.cli import export_unanswered
from bot.admin.files import BACKUP_DIR
from bot.admin.layer import AdminLayer
from bot.admin.review import review_key
from bot.config import Settings
from bot.dialogue import texts
from bot.dialogue.incoming import Incoming
from bot.dialogue.replies import Reply
from bot.knowledge.model import Entry
from bot.runtime import Runtime, close_runtime, open_runtime
from bot.storage.base import Commit, OutboxItem

ADMIN, OTHER_ADMIN, PERSON = 100, 101, 555
LIVE_WITHIN = 30.0
"""A guard against a reload that never happens, not a speed goal: on a loaded machine a reload
can take seconds. How fast an edit goes live is measured in `bench/reload.py`."""


class Collecting:
    """The channel: records deliveries; serves uploaded documents by file id."""

    def __init__(self) -> None:
        self.items: list[OutboxItem] = []
        self.files: dict[str, bytes] = {}
        self.fetched: list[str] = []

    async def deliver(self, item: OutboxItem) -> None:
        self.items.append(item)

    async def fetch_file(self, file_id: str) -> bytes:
        self.fetched.append(file_id)
        return self.files[file_id]

    def texts_to(self, chat_id: int) -> list[str]:
        return [r["text"] for i in self.items if i.chat_id == chat_id for r in i.replies]


class Bot:
    """One running bot with the admin layer, driven like a chat."""

    def __init__(self, runtime: Runtime, channel: Collecting, layer: AdminLayer) -> None:
        self.runtime = runtime
        self.channel = channel
        self.layer = layer
        self._ids = itertools.count(1)

    @property
    def kdir(self) -> Path:
        return self.runtime.settings.knowledge_dir

    async def send(self, incoming: Incoming, meta: dict[str, object] | None = None) -> list[Reply]:
        update_id = next(self._ids)
        await self.runtime.processor.submit(update_id, incoming, dict(meta or {}))
        await self.runtime.processor.join()
        return [
            Reply.from_record(r)
            for item in self.channel.items
            if item.update_id == update_id
            for r in item.replies
        ]

    async def say(self, user: int, text: str) -> list[Reply]:
        return await self.send(Incoming(user, user, text=text))

    async def press(self, user: int, data: str) -> list[Reply]:
        return await self.send(Incoming(user, user, kind="button", button=data))

    async def upload(self, user: int, name: str, data: bytes) -> list[Reply]:
        file_id = f"file-{len(self.channel.files)}"
        self.channel.files[file_id] = data
        incoming = Incoming(user, user, kind="document", file_name=name, file_id=file_id)
        return await self.send(incoming)

    def entry(self, entry_id: str) -> Entry:
        entry = self.runtime.knowledge.current.kb.get(entry_id)
        assert entry is not None, entry_id
        return entry


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    kdir = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, kdir, ignore=shutil.ignore_patterns(".*"))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/bot.sqlite3",
        admin_ids=frozenset({ADMIN, OTHER_ADMIN}),
        knowledge_dir=kdir,
    )
    channel = Collecting()
    runtime = await open_runtime(settings, channel)
    layer = runtime.admin
    assert layer is not None  # open_runtime starts the admin layer
    try:
        yield Bot(runtime, channel, layer)
    finally:
        await close_runtime(runtime)


def joined(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def with_answer(source: str, entry_id: str, answer: str) -> str:
    """The file text with one entry's answer replaced (layout aside, a real admin edit)."""
    rt = YAML()
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    doc = rt.load(source)
    for entry in doc["entries"]:
        if entry["id"] == entry_id:
            entry["answer"] = answer
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()


def with_duplicate_id(source: str, entry_id: str, victim: str) -> tuple[str, int]:
    """Give entry `victim` the id `entry_id`; returns the text and the 1-based line changed."""
    lines = source.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.strip() == f"- id: {victim}":
            lines[number] = line.replace(victim, entry_id)
            return "".join(lines), number + 1
    raise AssertionError(f"no entry {victim}")


async def until(predicate: Callable[[], Awaitable[bool]]) -> None:
    """Poll what a user would see until it holds; LIVE_WITHIN is the only timing asserted."""
    async with asyncio.timeout(LIVE_WITHIN):
        while not await predicate():  # noqa: ASYNC110 - polling what the user sees is the test
            await asyncio.sleep(0.05)


def rename_in_check(path: str, old: str, new: str) -> None:
    """Rename a check question (and routes to it) in the check file."""
    triage = Path(path)
    triage.write_text(_rename_question(triage.read_text("utf-8"), old, new), "utf-8")


TOPIC = "back-pain-when-sick"
NEIGHBOUR = "neuroimmune-synapse"


# -- 1. live reload ------------------------------------------------------------------------
async def test_a_good_edit_is_answered_without_a_restart(bot: Bot) -> None:
    entry = bot.entry(TOPIC)
    question = entry.questions[0]
    assert entry.answer[:40] in joined(await bot.say(PERSON, question))
    path = bot.kdir / Path(entry.file).name
    new_answer = "Edited by an admin: the immune system talks to the brain, and the back feels it."
    path.write_text(with_answer(path.read_text(encoding="utf-8"), TOPIC, new_answer), "utf-8")

    async def answered_anew() -> bool:
        return new_answer in joined(await bot.say(PERSON, question))

    await until(answered_anew)
    assert not any(t.startswith("⚠️") for t in bot.channel.texts_to(ADMIN))


async def test_a_broken_edit_is_refused_with_file_and_line_while_answers_keep_flowing(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    entry = bot.entry(TOPIC)
    path = bot.kdir / Path(entry.file).name
    good = path.read_text(encoding="utf-8")
    broken, line = with_duplicate_id(good, TOPIC, NEIGHBOUR)
    path.write_text(broken, encoding="utf-8")
    where = f"{path.name}:{line}"

    async def admins_told() -> bool:
        return all(any(where in t for t in bot.channel.texts_to(a)) for a in (ADMIN, OTHER_ADMIN))

    await until(admins_told)
    assert any(where in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert not any(where in t for t in bot.channel.texts_to(PERSON))
    # People keep the previous knowledge, both entries included.
    assert entry.answer[:40] in joined(await bot.say(PERSON, entry.questions[0]))
    assert bot.entry(NEIGHBOUR).answer[:40] in joined(
        await bot.say(PERSON, bot.entry(NEIGHBOUR).questions[0])
    )
    # The same broken content is not tried or reported again.
    told = len(bot.channel.texts_to(ADMIN))
    assert not await bot.layer.watcher.check()
    assert len(bot.channel.texts_to(ADMIN)) == told
    # Fixing it is picked up like any edit.
    fixed = with_answer(good, TOPIC, "Fixed answer after a broken save.")
    path.write_text(fixed, encoding="utf-8")

    async def fixed_live() -> bool:
        return "Fixed answer after a broken save." in joined(
            await bot.say(PERSON, entry.questions[0])
        )

    await until(fixed_live)


async def test_reload_command_reports_problems_to_the_sender_and_the_other_admins(
    bot: Bot,
) -> None:
    await bot.layer.watcher.stop()  # only /reload picks the change up in this test
    entry = bot.entry(TOPIC)
    path = bot.kdir / Path(entry.file).name
    good = path.read_text(encoding="utf-8")
    broken, line = with_duplicate_id(good, TOPIC, NEIGHBOUR)
    path.write_text(broken, encoding="utf-8")
    reply = joined(await bot.say(ADMIN, "/reload"))
    assert f"{path.name}:{line}" in reply and "refused" in reply
    assert sum(f"{path.name}:{line}" in t for t in bot.channel.texts_to(OTHER_ADMIN)) == 1
    assert sum(f"{path.name}:{line}" in t for t in bot.channel.texts_to(ADMIN)) == 1
    path.write_text(with_answer(good, TOPIC, "Reloaded by command."), encoding="utf-8")
    assert "updated" in joined(await bot.say(ADMIN, "/reload"))
    assert "Reloaded by command." in joined(await bot.say(PERSON, entry.questions[0]))


def _rename_question(source: str, old: str, new: str) -> str:
    assert f"- id: {old}\n" in source
    return source.replace(f"- id: {old}\n", f"- id: {new}\n").replace(
        f"next: {old}\n", f"next: {new}\n"
    )


def _check_buttons(replies: list[Reply]) -> dict[str, str]:
    return {b.label: b.data for r in replies for row in r.buttons for b in row}


async def test_a_check_in_progress_survives_a_compatible_check_edit(bot: Bot) -> None:
    await bot.layer.watcher.stop()
    await bot.say(PERSON, "/check")
    replies = await bot.press(PERSON, _check_buttons(await bot.say(PERSON, "/check"))["Me"])
    current = next(r.triage.question for r in replies if r.triage)
    later = bot.runtime.knowledge.current.triage.order[-1]
    assert later != current
    rename_in_check(bot.runtime.knowledge.current.triage.file, later, f"{later}_v2")
    assert "updated" in joined(await bot.say(ADMIN, "/reload"))
    after = await bot.press(PERSON, _check_buttons(replies)["No"])
    assert any(r.triage is not None for r in after), joined(after)
    assert texts.CHECK_UPDATED not in joined(after)


async def test_a_check_in_progress_restarts_when_its_question_is_gone(bot: Bot) -> None:
    await bot.layer.watcher.stop()
    replies = await bot.press(PERSON, _check_buttons(await bot.say(PERSON, "/check"))["Me"])
    current = next(r.triage.question for r in replies if r.triage)
    rename_in_check(bot.runtime.knowledge.current.triage.file, current, f"{current}_v2")
    assert "updated" in joined(await bot.say(ADMIN, "/reload"))
    after = await bot.say(PERSON, "no")
    assert texts.CHECK_UPDATED in joined(after)
    first = bot.runtime.knowledge.current.triage.order[0]
    assert [r.triage.question for r in after if r.triage] == [first]


async def test_a_check_button_pressed_after_its_question_is_gone_restarts_the_check(
    bot: Bot,
) -> None:
    await bot.layer.watcher.stop()
    replies = await bot.press(PERSON, _check_buttons(await bot.say(PERSON, "/check"))["Me"])
    current = next(r.triage.question for r in replies if r.triage)
    rename_in_check(bot.runtime.knowledge.current.triage.file, current, f"{current}_v2")
    assert "updated" in joined(await bot.say(ADMIN, "/reload"))
    after = await bot.press(PERSON, _check_buttons(replies)["No"])
    assert texts.CHECK_UPDATED in joined(after)
    first = bot.runtime.knowledge.current.triage.order[0]
    assert [r.triage.question for r in after if r.triage] == [first]


# -- 2. upload, backup, rollback -----------------------------------------------------------
def _backups(kdir: Path) -> list[Path]:
    folder = kdir / BACKUP_DIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


async def test_upload_backs_up_applies_and_rollback_restores(bot: Bot) -> None:
    entry = bot.entry(TOPIC)
    name = Path(entry.file).name
    path = bot.kdir / name
    original = path.read_bytes()
    edited = with_answer(original.decode(), TOPIC, "Uploaded answer.").encode()

    reply = joined(await bot.upload(ADMIN, name, edited))
    assert "saved" in reply and "live" in reply
    assert path.read_bytes() == edited
    assert [b.read_bytes() for b in _backups(bot.kdir)] == [original]
    assert "Uploaded answer." in joined(await bot.say(PERSON, entry.questions[0]))

    reply = joined(await bot.say(ADMIN, "/rollback"))
    assert "restored" in reply
    assert path.read_bytes() == original
    assert entry.answer[:40] in joined(await bot.say(PERSON, entry.questions[0]))
    # What the rollback replaced is kept too, but a second rollback goes further back: none.
    assert any(b.read_bytes() == edited for b in _backups(bot.kdir))
    assert "no backup" in joined(await bot.say(ADMIN, "/rollback"))
    assert path.read_bytes() == original


async def test_an_invalid_upload_is_refused_with_file_and_line_and_nothing_is_written(
    bot: Bot,
) -> None:
    entry = bot.entry(TOPIC)
    name = Path(entry.file).name
    path = bot.kdir / name
    original = path.read_bytes()
    broken, line = with_duplicate_id(original.decode(), TOPIC, NEIGHBOUR)
    reply = joined(await bot.upload(ADMIN, name, broken.encode()))
    assert f"{name}:{line}" in reply and "refused" in reply
    assert path.read_bytes() == original
    assert _backups(bot.kdir) == []
    assert sorted(p.name for p in bot.kdir.iterdir()) == sorted(
        p.name for p in KNOWLEDGE_DIR.glob("*") if not p.name.startswith(".")
    )
    bad_yaml = joined(await bot.upload(ADMIN, name, b"entries:\n  - id: [unclosed\n"))
    assert f"{name}:" in bad_yaml and "refused" in bad_yaml
    assert path.read_bytes() == original


@pytest.mark.parametrize(
    ("file_name", "data", "says"),
    [
        ("../article.yaml", b"entries: []\n", "not a plain file name"),
        ("notes.txt", b"hello\n", "not a .yaml file"),
        ("article.yaml", b"\xff\xfe\x00bad", "not UTF-8"),
        ("big.yaml", b"#" * 1_000_001, "limit"),
    ],
)
async def test_uploads_that_are_not_knowledge_yaml_are_refused(
    bot: Bot, file_name: str, data: bytes, says: str
) -> None:
    before = {p.name: p.read_bytes() for p in bot.kdir.glob("*.yaml")}
    reply = joined(await bot.upload(ADMIN, file_name, data))
    assert says in reply and "refused" in reply
    assert {p.name: p.read_bytes() for p in bot.kdir.glob("*.yaml")} == before
    assert not (bot.kdir.parent / "article.yaml").exists()


async def test_a_new_file_upload_adds_entries_and_rollback_removes_it(bot: Bot) -> None:
    source = bot.entry(TOPIC).source.url
    extra = (
        "# extra facts\n"
        "entries:\n"
        "  - id: test-extra-fact\n"
        "    title: Zebra crossings\n"
        "    questions:\n"
        "      - do zebras get sore backs when they have the flu\n"
        "      - zebra back pain flu\n"
        "    answer: A test fact about zebras.\n"
        "    source:\n"
        f"      url: {source}\n"
    ).encode()
    assert "saved" in joined(await bot.upload(ADMIN, "extra.yml", extra))
    assert (bot.kdir / "extra.yaml").read_bytes() == extra
    assert "A test fact about zebras." in joined(
        await bot.say(PERSON, "do zebras get sore backs when they have the flu")
    )
    assert "removed" in joined(await bot.say(ADMIN, "/rollback extra.yaml"))
    assert not (bot.kdir / "extra.yaml").exists()
    assert bot.runtime.knowledge.current.kb.get("test-extra-fact") is None


# -- 3. review loop ------------------------------------------------------------------------
UNANSWERED = [
    "should I do yoga for my back when ill",
    "Should I do yoga for my back when I'm ill?",
    "should i do yoga for my back when ill please",
    "what is the capital of france",
]


def _review_buttons(replies: list[Reply]) -> list[tuple[str, str]]:
    return [(b.label, b.data) for r in replies for row in r.buttons for b in row]


async def _ask_unanswered(bot: Bot) -> None:
    for question in UNANSWERED:
        replies = await bot.say(PERSON, question)
        assert texts.DONT_KNOW in joined(replies), (question, joined(replies))


async def test_review_groups_alike_questions_most_frequent_first(bot: Bot) -> None:
    await _ask_unanswered(bot)
    [reply] = await bot.say(ADMIN, "/unanswered")
    lines = [line for line in reply.text.splitlines() if line[:2] in ("1.", "2.")]
    assert "yoga" in lines[0] and "×3" in lines[0]
    assert "france" in lines[1]
    assert len(reply.buttons) == 2
    assert all(len(data.encode()) <= 64 for _, data in _review_buttons([reply]))


async def test_adding_a_phrasing_writes_it_back_keeping_comments_and_answers_it(
    bot: Bot,
) -> None:
    await _ask_unanswered(bot)
    [listing] = await bot.say(ADMIN, "/unanswered")
    data = next(d for lb, d in _review_buttons([listing]) if lb.startswith("➕ 1"))
    entry_id = data.rsplit(":", 1)[1]
    entry = bot.entry(entry_id)
    path = bot.kdir / Path(entry.file).name
    before = path.read_text(encoding="utf-8").splitlines()

    replies = await bot.press(ADMIN, data)
    assert "Added" in joined(replies), joined(replies)
    after = path.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert len(after) == len(before) + 1 and len(added) == 1
    assert "yoga" in added[0]
    assert [line for line in after if line.lstrip().startswith("#")] == [
        line for line in before if line.lstrip().startswith("#")
    ]
    assert [line for line in after if line != added[0]] == before
    # Live at once, and the group has left the review list.
    answer = joined(await bot.say(PERSON, UNANSWERED[0]))
    assert bot.entry(entry_id).answer[:40] in answer
    [again] = await bot.say(ADMIN, "/unanswered")
    assert "yoga" not in again.text and "france" in again.text
    # The same wording cannot be added under a second entry.
    other = next(e for e in bot.runtime.knowledge.current.kb.entries if e != entry_id)
    await bot.runtime.store.commit(
        Commit(
            update_id=9999,
            user_id=777,
            chat_id=777,
            expected_version=0,
            state={},
            replies=[],
            unanswered=[(UNANSWERED[0], 10.0)],
        )
    )
    # The key of the wording stored again (the first listing's key named whichever of the
    # three yoga wordings led its group, and that depends on the clock's second).
    key = review_key(UNANSWERED[0])
    refused = joined(await bot.press(ADMIN, f"ad:a:{key}:{other}"))
    assert "Not added" in refused and entry.title in refused
    assert path.read_text(encoding="utf-8").splitlines() == after


async def test_dismiss_removes_a_group_from_the_review_list(bot: Bot) -> None:
    await _ask_unanswered(bot)
    [listing] = await bot.say(ADMIN, "/unanswered")
    dismiss = next(d for lb, d in _review_buttons([listing]) if lb == "✖ 2")
    replies = await bot.press(ADMIN, dismiss)
    assert "france" not in joined(replies) and "yoga" in joined(replies)
    stored = [q.text for q in await bot.runtime.store.unanswered()]
    assert "what is the capital of france" not in stored and len(stored) == 3


async def test_marking_off_topic_writes_the_scope_file_and_declines_alike_ones(
    bot: Bot,
) -> None:
    await _ask_unanswered(bot)
    [listing] = await bot.say(ADMIN, "/unanswered")
    mark = next(d for lb, d in _review_buttons([listing]) if lb == "🚫 2")
    path = bot.kdir / "scope.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    replies = await bot.press(ADMIN, mark)
    assert "Marked off-topic" in joined(replies), joined(replies)
    after = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [
        "  off_topic_questions:",
        "    - what is the capital of france",
    ]
    assert [line for line in after if line.lstrip().startswith("#")] == [
        line for line in before if line.lstrip().startswith("#")
    ]
    scope = bot.runtime.knowledge.current.kb.scope
    assert scope.off_topic_questions == ("what is the capital of france",)
    assert "france" not in joined(replies[1:])
    assert "restored" in joined(await bot.say(ADMIN, "/rollback"))
    assert path.read_text(encoding="utf-8").splitlines() == before


async def test_rollback_undoes_an_added_phrasing(bot: Bot) -> None:
    await _ask_unanswered(bot)
    [listing] = await bot.say(ADMIN, "/unanswered")
    data = next(d for lb, d in _review_buttons([listing]) if lb.startswith("➕ 1"))
    path = bot.kdir / Path(bot.entry(data.rsplit(":", 1)[1]).file).name
    original = path.read_bytes()
    await bot.press(ADMIN, data)
    assert path.read_bytes() != original
    assert "restored" in joined(await bot.say(ADMIN, "/rollback"))
    assert path.read_bytes() == original


async def test_unanswered_exports_from_the_command_line(bot: Bot) -> None:
    await _ask_unanswered(bot)
    out = io.StringIO()
    code = await asyncio.to_thread(export_unanswered, bot.runtime.settings, True, out)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [int(r["count"]) for r in rows] == [3, 1]
    assert "yoga" in rows[0]["question"] and rows[0]["suggested_id"]
    assert "france" in rows[1]["question"]
    plain = io.StringIO()
    await asyncio.to_thread(export_unanswered, bot.runtime.settings, False, plain)
    assert "×3" in plain.getvalue()


# -- 4. /stats -----------------------------------------------------------------------------
async def test_stats_counts_without_anything_personal(bot: Bot) -> None:
    entry = bot.entry(TOPIC)
    await bot.say(PERSON, entry.questions[0])
    await bot.say(PERSON, "what is the capital of france")
    await bot.say(PERSON + 1, entry.questions[1])
    text = joined(await bot.say(ADMIN, "/stats"))
    assert "People: 2" in text
    assert "Questions: 3, answered 2 (67%)" in text
    assert "france" not in text and str(PERSON) not in text


# -- 4b. /disagreements --------------------------------------------------------------------
SAFETY_MESSAGES = (
    "gcs dropped from 15 to 11 overnight",
    "kernig positive and febrile",
    "cant feel my bum when i wipe",
    "been giving my things away and writing letters to everyone",
    "how long does back pain last with the flu?",
)


async def test_disagreements_lists_what_the_two_detectors_judged_apart(bot: Bot) -> None:
    assert "No disagreements" in joined(await bot.say(ADMIN, "/disagreements"))
    detector = bot.runtime.processor.engine.detector
    assert detector.learned is not None
    apart = []
    for message in SAFETY_MESSAGES:
        await bot.say(PERSON, message)
        rules = detector.detect_rules(message)
        if bool(rules) != bool(detector.learned.detect(message) & detector.codes):
            apart.append((message, "rules only" if rules else "learned only"))
    assert apart, "the messages should include at least one the detectors judge apart"
    text = joined(await bot.say(ADMIN, "/disagreements"))
    for message, side in apart:
        assert f"{side} (" in text and f"“{message}”" in text
    shown = sorted((m for m in SAFETY_MESSAGES if f"“{m}”" in text), key=text.index)
    assert shown == [m for m, _ in reversed(apart)]  # newest first, agreements left out
    assert str(PERSON) not in text


# -- 5. only admins ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "command", ["/reload", "/rollback", "/unanswered", "/stats", "/admin", "/disagreements"]
)
async def test_a_non_admin_gets_the_unknown_command_reply_and_is_logged(
    bot: Bot, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.say(PERSON, "hello")
    unknown = joined(await bot.say(PERSON, "/nosuchcommand"))
    assert joined(await bot.say(PERSON, command)) == unknown
    assert any(
        str(PERSON) in r.getMessage() and command[1:] in r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING
    )


async def test_a_non_admin_upload_is_read_as_any_file_and_never_fetched(bot: Bot) -> None:
    await bot.say(PERSON, "hello")
    name = Path(bot.entry(TOPIC).file).name
    before = (bot.kdir / name).read_bytes()
    reply = joined(await bot.upload(PERSON, name, b"entries: []\n"))
    assert reply == texts.NOT_TEXT
    assert bot.channel.fetched == []
    assert (bot.kdir / name).read_bytes() == before


async def test_a_non_admin_review_button_is_refused_like_any_unknown_button(bot: Bot) -> None:
    await _ask_unanswered(bot)
    [listing] = await bot.say(ADMIN, "/unanswered")
    dismiss = next(d for lb, d in _review_buttons([listing]) if lb.startswith("✖"))
    reply = joined(await bot.press(PERSON, dismiss))
    assert texts.FORGED_BUTTON in reply
    assert len(await bot.runtime.store.unanswered()) == len(UNANSWERED)


async def test_admin_commands_are_refused_in_groups(bot: Bot) -> None:
    reply = joined(await bot.send(Incoming(ADMIN, -42, text="/stats", private=False)))
    assert "People:" not in reply
