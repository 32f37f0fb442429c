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
    shape = json.dumps([_code_digest(modules), list(made_by), groups], separators=(",", ":"))
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
    parse_cache.write(digest, [plain, texts, stems])
    return made


MIN_PHRASINGS = 5_000
"""Fewer are made in a tenth of a second: caching them would only add files."""


def _valid(value: Any, groups: Sequence[Sequence[str]]) -> Forms | None:
    """The cached record as forms, or None when it is not the shape `groups` needs."""
    if not (isinstance(value, list) and len(value) == 3):
        return None
    plain, texts, stems = value
    sizes = [len(g) for g in groups]
    try:
        if any([len(g) for g in part] != sizes for part in (plain, texts, stems)):
            return None
        return plain, texts, [[tuple(s) for s in group] for group in stems]
    except TypeError:  # not lists of lists
        return None
