"""The YAML parse cache: a big unchanged file is read back, never a stale one, errors unchanged.

Each test points YAML_CACHE_DIR at its own folder and caches every size, so the small files
written here go through the same path as a 2.6 MB knowledge base.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import GOOD_ENTRIES, write_files

from bot.bundle import KnowledgeHolder
from bot.data import parse_cache
from bot.data.gc_pause import gc_paused
from bot.data.yaml_lines import (
    LineMap,
    LineSeq,
    load_with_lines,
    parse_composed,
    parse_with_lines,
)
from bot.knowledge.loader import load_knowledge, validate_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(parse_cache.ENV, str(folder))
    monkeypatch.setattr(parse_cache, "MIN_CHARS", 0)
    return folder


def _same(a: object, b: object) -> None:
    """Equal values, types, and every line and repeated key."""
    assert type(a) is type(b)
    if isinstance(a, LineMap) and isinstance(b, LineMap):
        assert list(a) == list(b)
        assert (a.line, a.key_lines, a.value_lines, a.duplicates) == (
            b.line,
            b.key_lines,
            b.value_lines,
            b.duplicates,
        )
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, LineSeq) and isinstance(b, LineSeq):
        assert (a.line, a.item_lines, len(a)) == (b.line, b.item_lines, len(b))
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


MIXED = """\
top:
  1: one
  "1": string one
  flag: yes
  ~: nothing
  ratio: 0.5
  list:
    - a
    -
    - [x, 2]
  a: first
  a: second
"""


def test_a_cached_parse_gives_back_every_value_type_line_and_repeated_key(cache: Path) -> None:
    first = load_with_lines(MIXED)
    assert len(list(cache.glob("*.json"))) == 1
    again = load_with_lines(MIXED)
    _same(again, parse_with_lines(MIXED))
    _same(again, first)
    top = again["top"]
    assert top[1] == "one" and top["1"] == "string one" and top["flag"] is True
    assert top[None] == "nothing" and top["ratio"] == 0.5 and top["list"][1] is None
    assert top.duplicates == [("a", 11, 12)]


def test_a_value_json_cannot_carry_is_parsed_every_time(cache: Path) -> None:
    text = "when: 2024-05-01\n"
    data = load_with_lines(text)
    assert str(data["when"]) == "2024-05-01"
    assert not list(cache.glob("*.json"))


def test_an_edited_file_is_never_served_from_the_cache(cache: Path, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "kb", {"facts.yaml": GOOD_ENTRIES})
    assert load_knowledge(folder).entries["tea"].answer.startswith("Tea has some caffeine")
    edited = GOOD_ENTRIES.replace("Tea has some caffeine", "Tea has a little caffeine")
    (folder / "facts.yaml").write_text(edited, encoding="utf-8")
    assert load_knowledge(folder).entries["tea"].answer.startswith("Tea has a little caffeine")
    (folder / "facts.yaml").write_text(GOOD_ENTRIES, encoding="utf-8")  # edited back
    assert load_knowledge(folder).entries["tea"].answer.startswith("Tea has some caffeine")


def test_problems_keep_their_file_and_line_when_the_parse_comes_from_the_cache(
    cache: Path, tmp_path: Path
) -> None:
    broken = GOOD_ENTRIES.replace(
        "    title: Is tea good for you\n", "    title: Tea\n    tilte: x\n"
    )
    folder = write_files(tmp_path / "kb", {"facts.yaml": broken})
    parsed = validate_knowledge(folder)
    assert list(cache.glob("*.json"))
    cached = validate_knowledge(folder)
    assert cached == parsed
    assert any(p.line == 4 and "unknown field 'tilte'" in p.message for p in cached)


def test_a_syntax_error_is_the_parsers_own_and_is_not_cached(cache: Path) -> None:
    text = "entries:\n  - id: tea\n    title: [unclosed\n"
    for _ in range(2):
        with pytest.raises(yaml.YAMLError):
            load_with_lines(text)
    assert not list(cache.glob("*.json"))


def test_a_damaged_cache_file_is_parsed_again_and_replaced(cache: Path) -> None:
    load_with_lines(MIXED)
    (stored,) = cache.glob("*.json")
    stored.write_text('{"key": "', encoding="utf-8")
    _same(load_with_lines(MIXED), parse_with_lines(MIXED))
    _same(load_with_lines(MIXED), parse_with_lines(MIXED))
    assert stored.read_text(encoding="utf-8").startswith('{"key"')
    assert len(stored.read_text(encoding="utf-8")) > 20


def test_a_cache_that_cannot_be_written_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(parse_cache.ENV, str(blocked / "yaml"))
    monkeypatch.setattr(parse_cache, "MIN_CHARS", 0)
    _same(load_with_lines(MIXED), parse_with_lines(MIXED))


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parse_cache.ENV, "off")
    monkeypatch.setattr(parse_cache, "MIN_CHARS", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_with_lines(MIXED)
    assert not list(tmp_path.rglob("*.json"))


def test_old_parses_are_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_cache, "KEEP", 3)
    for n in range(6):
        load_with_lines(f"n: {n}\nlist: [a]\n")
    assert len(list(cache.glob("*.json"))) == 3


def test_a_live_reload_serves_the_edited_answer(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    holder = KnowledgeHolder.load(folder)
    article = folder / "article.yaml"
    text = article.read_text(encoding="utf-8")
    entry = holder.current.kb.entries["heat-treatment"]
    edited = text.replace(
        "      Heat — from a heat pack", "      EDITED Heat — from a heat pack", 1
    )
    assert edited != text
    article.write_text(edited, encoding="utf-8")
    assert holder.reload() == []
    assert holder.current.kb.entries["heat-treatment"].answer.startswith("EDITED ")
    article.write_text(text, encoding="utf-8")
    assert holder.reload() == []
    assert holder.current.kb.entries["heat-treatment"].answer == entry.answer


def test_loading_leaves_the_garbage_collector_as_it_found_it(good_kb_dir: Path) -> None:
    assert gc.isenabled()
    load_knowledge(good_kb_dir)
    with pytest.raises(yaml.YAMLError):
        load_with_lines("a: [unclosed\n")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            load_knowledge(good_kb_dir)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _outcome(read: Callable[[str], object], text: str) -> tuple[object, ...]:
    try:
        return ("value", read(text))
    except Exception as error:  # the error a person would see: its kind, words and place
        mark = getattr(error, "problem_mark", None)
        return ("error", type(error).__name__, str(error), mark and (mark.line, mark.column))


TRICKY = (
    MIXED,
    "",
    "# a comment only\n",
    "---\n",
    "a: 1\n---\nb: 2\n",
    "a: &x 1\nb: *x\n",
    "base: &b {a: 1}\nc:\n  <<: *b\n  d: 2\n",
    "? [a, b]\n: 1\n",
    "= : 1\n",
    "a: !!str 1\nb: !!int '3'\nc: ! 12\n",
    "a: 2024-13-45\nb: [\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\n",
    "a: !!python/object:os.system x\n",
    "a: !custom bar\n",
    "a: 0o17\nb: 1_000\nc: .inf\nd: ''\ne:\n",
    "- a\n- b: c\n  d: e\n- - x\n  - y\n",
    "a: |\n  multi\n  line\nb: >\n  folded\n",
    "a: b: c\n",
    "a:\n  - x\n - y\n",
    "%YAML 1.1\n---\na: 1\n...\n",
)


@pytest.mark.parametrize("text", TRICKY)
def test_the_event_reader_gives_what_the_composer_gives(text: str) -> None:
    """parse_with_lines reads the parser's events and hands anything unusual (anchors, merge
    keys, complex keys, errors) to the composer: values, types, lines, repeated keys and
    errors are the composer's either way."""
    mine, theirs = _outcome(parse_with_lines, text), _outcome(parse_composed, text)
    assert mine[0] == theirs[0]
    if mine[0] == "value":
        _same(mine[1], theirs[1])
    else:
        assert mine == theirs


def test_the_knowledge_files_read_the_same_by_events_as_by_the_composer() -> None:
    for path in sorted(KNOWLEDGE.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        _same(parse_with_lines(text), parse_composed(text))
