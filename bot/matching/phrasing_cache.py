"""Every phrasing's compared forms (normalised, canonical, content stems), kept beside the YAML
parse cache so that a restart with unchanged knowledge does not make them again.

At 50,000 phrasings making them (normalise, drop fillers, apply synonyms, stem) is about half
of the matcher's build; reading them back is a tenth of that. The key is a digest of
everything they are made from: each phrasing in order, the fillers, the synonyms, and the
source of the code that makes them (bot/text.py, bot/knowledge/model.py and the matcher's
module). Any edit to one of these is another key, so stale forms are never served; a missing,
unreadable or damaged record means "not cached" and the forms are made as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from bot.data import parse_cache

Forms = tuple[list[list[str]], list[list[str]], list[list[tuple[str, ...]]]]
"""Per entry, per phrasing: the normalised text, the canonical text, its content stems."""
FORMAT = "phrasing-forms-1"


def _code_digest(modules: Sequence[str]) -> str:
    sources = [Path(m).read_bytes() for m in modules]
    return parse_cache.key(b"\0".join(sources).decode("utf-8", "surrogateescape"), FORMAT)


def key(groups: Sequence[Sequence[str]], made_by: Sequence[str], modules: Sequence[str]) -> str:
    """The digest of the phrasings (`groups`, one per entry), what shapes them (`made_by`:
    fillers, synonyms) and the code that makes their forms (`modules`, source files)."""
    shape = json.dumps(
        [_code_digest(modules), list(made_by), groups], separators=(",", ":"), check_circular=False
    )
    return parse_cache.key(shape, FORMAT)


def forms(
    groups: Sequence[Sequence[str]],
    made_by: Sequence[str],
    modules: Sequence[str],
    make: Callable[[], Forms],
) -> Forms:
    """The forms of `groups`' phrasings: read back when cached under their key, else made by
    `make` (and cached when the phrasings are many enough to be worth it)."""
    if parse_cache.folder() is None or sum(map(len, groups)) < MIN_PHRASINGS:
        return make()
    try:
        digest = key(groups, made_by, modules)
    except (OSError, ValueError):  # a source file not readable: make them, cache nothing
        return make()
    cached = _valid(parse_cache.read(digest, lambda obj: obj), groups)
    if cached is not None:
        return cached
    made = make()
    plain, texts, stems = made
    lines = [_lines(plain), _lines(texts), _lines([[" ".join(s) for s in g] for g in stems])]
    phrasings = sum(map(len, groups))
    if all(line.count("\n") == phrasings - 1 for line in lines):  # one line each, as read
        parse_cache.write(digest, lines)
    return made


MIN_PHRASINGS = 5_000
"""Fewer are made in a tenth of a second: caching them would only add files."""


def _lines(groups: list[list[str]]) -> str:
    """One line per phrasing (no form holds a line break: each is words and spaces), so the
    record is three strings, about ten times cheaper to write and read than nested lists."""
    return "\n".join(chain.from_iterable(groups))


def _regrouped(value: Any, sizes: list[int]) -> list[list[str]] | None:
    if not isinstance(value, str):
        return None
    flat = value.split("\n")
    if len(flat) != sum(sizes):
        return None
    out, at = [], 0
    for size in sizes:
        out.append(flat[at : at + size])
        at += size
    return out


def _valid(value: Any, groups: Sequence[Sequence[str]]) -> Forms | None:
    """The cached record as forms, or None when it is not the shape `groups` needs."""
    if not (isinstance(value, list) and len(value) == 3):
        return None
    sizes = [len(g) for g in groups]
    plain, texts, stems = (_regrouped(v, sizes) for v in value)
    if plain is None or texts is None or stems is None:
        return None
    return plain, texts, [[tuple(s.split()) for s in group] for group in stems]
