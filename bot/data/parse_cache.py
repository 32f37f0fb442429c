"""A folder of parsed YAML, keyed by a digest of the text, so a big unchanged file is not
parsed again at every start.

The key is the SHA-256 of the text itself (with a format tag), never a path or a time: an
edit, however small and by whatever route (live reload, upload, restore), is another key,
so stale knowledge cannot be served. Values are JSON, which can only ever make plain data.
Every failure (no home, a read-only disk, a full one, a damaged file) means "not cached":
the caller parses as if there were no cache.

The folder is `YAML_CACHE_DIR` when set ("off" turns the cache off), else
`$XDG_CACHE_HOME/sore-back-bot/yaml`, else `~/.cache/sore-back-bot/yaml`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MIN_CHARS = 256 * 1024
"""Smaller texts parse in a few milliseconds: caching them would only add files."""
KEEP = 16
"""At most this many cached parses are kept; the least recently used go first."""
ENV = "YAML_CACHE_DIR"


def folder() -> Path | None:
    """Where parses are cached, or None when the cache is off."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() in {"off", "0", "no", "false"}:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home directory to be found
        return None
    return root / "sore-back-bot" / "yaml"


def key(text: str, tag: str) -> str:
    return hashlib.sha256(f"{tag}\n".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()


def read(digest: str, object_hook: Callable[[dict[str, Any]], Any]) -> Any | None:
    """The cached value under `digest`, or None (absent, unreadable or damaged).

    `object_hook` turns each JSON object into what it stands for, innermost first (as in
    json.loads); it must return objects it does not know unchanged.
    """
    where = folder()
    if where is None:
        return None
    path = where / f"{digest}.json"
    try:
        record = json.loads(path.read_bytes(), object_hook=object_hook)
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    if not isinstance(record, dict) or record.get("key") != digest or "value" not in record:
        return None
    return record["value"]


def write(digest: str, value: Any) -> None:
    """Store `value` (plain JSON data) under `digest`; silently does nothing on any failure."""
    where = folder()
    if where is None:
        return
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        payload = json.dumps(  # a tree of plain values: no cycle to look for
            {"key": digest, "value": value}, separators=(",", ":"), check_circular=False
        )
        handle, temporary = tempfile.mkstemp(dir=where, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(temporary, where / f"{digest}.json")  # readers never see half a file
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(where)
    except (OSError, ValueError) as error:
        log.debug("YAML parse cache not written (%s)", error)


def _prune(where: Path) -> None:
    cached = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[KEEP:]:
        old.unlink(missing_ok=True)
