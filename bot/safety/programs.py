"""Compiled regular-expression programs kept between starts, so an unchanged pattern is not
compiled again.

Python's regex compiler is written in Python: the detectors' ~330 patterns (many of them long
alternations of word families) took about 0.7 s of every start, half the detector's build.
What it produces is a list of integers (the program `_sre` runs), a function of the pattern
text, the flags and the interpreter alone. Each program is kept in `bot.data.parse_cache`
under a digest of the interpreter's version and the regex engine's magic number, looked up by
its exact pattern text: an edited pattern is another text, so it is compiled (and a bad one
raises `re.error`, reported as `file:line` by the loaders) exactly as without the cache.
`_sre` validates every program it is given; anything unexpected (another Python, a damaged
or missing record, no cache folder) means "compile as usual". With each program go the literals
one of which every match contains (`prefilter.required`, read off the parse the compile makes
anyway), so the detectors can skip a pattern whose literals a text lacks.

A pattern compiled here (a cold start: no cache folder yet, another Python, an edited rule) is
parsed by `bot.data.quick_parse` (the engine's own tree, built from whole tokens; anything
unusual goes to `re._parser`) and coded by the engine's `re._compiler`, so a bad pattern raises
the engine's own `re.error`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
import sys
import zlib
from array import array
from pathlib import Path
from typing import Any

from bot.data import parse_cache, prefilter, quick_parse
from bot.data.gc_pause import without_gc
from bot.data.prefilter import Literals, required

try:  # the engine's internals: without them, patterns are simply compiled as usual
    import _sre  # type: ignore[import-not-found]
    from re import _compiler  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python implementation
    _sre = None

log = logging.getLogger(__name__)
_FORMAT = "regex-programs-2"
_READERS = (Path(prefilter.__file__), Path(quick_parse.__file__))
_CODE = "I" if array("I").itemsize == getattr(_sre, "CODESIZE", 4) else "L"


@functools.cache
def _store_key() -> str:
    """The interpreter, the regex engine and the code that parses a pattern and reads its
    literals."""
    engine = f"{sys.version}|{getattr(_sre, 'MAGIC', '')}|{getattr(_sre, 'CODESIZE', '')}"
    digest = hashlib.sha256(f"{_FORMAT}|{engine}".encode())
    for reader in _READERS:
        digest.update(reader.read_bytes())
    return digest.hexdigest()


class Programs:
    """Patterns compiled this run and programs known from earlier runs (by pattern text)."""

    def __init__(self) -> None:
        self._known: dict[str, list[Any]] | None = None
        self._used: dict[str, list[Any]] = {}
        self._missed = False
        self._literals: dict[str, Literals] = {}

    def compile(self, pattern: str) -> re.Pattern[str]:
        """`re.compile(pattern)`, from a kept program when this pattern compiled before (in
        an earlier run, or in this one: two detectors share many cues)."""
        if _sre is None:
            return re.compile(pattern)
        entry = self._used.get(pattern) or self._loaded().get(pattern)
        if entry is not None:
            regex = _revive(pattern, entry)
            if regex is not None:
                self._used[pattern] = entry
                self._literals[pattern] = _literals(entry)
                return regex
        try:
            return self._compile(pattern)
        except (AttributeError, TypeError) as error:  # the engine's internals differ here
            log.debug("regex programs not kept (%s)", error)
            return re.compile(pattern)

    @without_gc
    def _compile(self, pattern: str) -> re.Pattern[str]:
        """What `re._compiler.compile` does, keeping the program (a bad pattern raises).

        The collector is paused meanwhile: a big pattern's parse tree is tens of thousands of
        acyclic nodes, freed as soon as its program is made, that the collector would
        otherwise scan again and again (about 6% of a cold start)."""
        parsed = quick_parse.parse(pattern)  # `_parser.parse(pattern, 0)`, faster
        code = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        flags = parsed.state.flags
        groups = parsed.state.groups - 1
        regex: re.Pattern[str] = _sre.compile(
            pattern, flags, code, groups, groupindex, tuple(indexgroup)
        )
        packed = base64.b64encode(zlib.compress(array(_CODE, code).tobytes(), 1)).decode()
        literals = required(parsed)
        self._literals[pattern] = literals
        kept = None if literals is None else sorted(literals)
        self._used[pattern] = [flags, groups, groupindex, indexgroup, packed, kept]
        self._missed = True
        return regex

    def patterns(self) -> list[str]:
        """Every pattern compiled (or revived) through these programs in this process."""
        return list(self._used)

    def literals(self, regex: re.Pattern[str]) -> Literals:
        """The literals one of which every match of `regex` contains (`prefilter.required`),
        read when it was compiled here; None when unknown (then it is always searched)."""
        return self._literals.get(regex.pattern)

    def _loaded(self) -> dict[str, list[Any]]:
        if self._known is None:
            found = parse_cache.read(_store_key(), lambda obj: obj)
            self._known = found if isinstance(found, dict) else {}
        return self._known

    def save(self) -> None:
        """Keep the programs when one had to be compiled this run (with the earlier ones:
        another entry point may use other patterns)."""
        if self._missed and _sre is not None:
            parse_cache.write(_store_key(), {**self._loaded(), **self._used})
            self._known, self._missed = {**self._loaded(), **self._used}, False


def _literals(entry: list[Any]) -> Literals:
    kept = entry[5]
    if isinstance(kept, list) and all(isinstance(k, str) for k in kept):
        return frozenset(kept)
    return None


def _revive(pattern: str, entry: list[Any]) -> re.Pattern[str] | None:
    try:
        flags, groups, groupindex, indexgroup, packed, _ = entry
        code = array(_CODE, zlib.decompress(base64.b64decode(packed))).tolist()
        regex: re.Pattern[str] = _sre.compile(
            pattern, flags, code, groups, groupindex, tuple(indexgroup)
        )
    except (TypeError, ValueError, RuntimeError, zlib.error) as error:  # damaged: compile
        log.debug("kept regex program not usable (%s)", error)
        return None
    return regex


PROGRAMS = Programs()
"""The process's programs: the detectors compile through it and save it once built."""


def compile_regex(pattern: str) -> re.Pattern[str]:
    """`re.compile(pattern)` (no flags) through the kept programs."""
    return PROGRAMS.compile(pattern)
