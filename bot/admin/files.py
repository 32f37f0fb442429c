"""File plumbing for admin changes: names, dry runs, timestamped backups, atomic writes.

All functions here block (disk I/O, YAML parsing); async callers run them in a thread.
Backups live in KNOWLEDGE_DIR/.backups, which the loader never reads (it reads only top-level
*.yaml); temp files end in `.tmp` for the same reason.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.bundle import load_bundle
from bot.knowledge.model import DataError, Problem

BACKUP_DIR = ".backups"
MAX_FILE_BYTES = 1_000_000
_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_BACKUP = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{12}Z)\.(?P<kind>yaml|new|undone\.yaml)$")

Changes = dict[str, bytes | None]
"""File name -> new content (None deletes the file)."""


class Refused(Exception):
    """A change that must not be applied; the message is for the admin."""


def target_name(file_name: str | None) -> str:
    """The KNOWLEDGE_DIR file an upload replaces: a plain name ending in .yaml (.yml accepted)."""
    if not file_name:
        raise Refused("The file has no name; send it as `something.yaml`.")
    if any(c in file_name for c in "/\\\x00") or file_name.startswith("."):
        raise Refused(f"'{file_name[:60]}' is not a plain file name.")
    stem, dot, suffix = file_name.rpartition(".")
    if not dot or suffix.lower() not in ("yaml", "yml"):
        raise Refused(f"'{file_name[:60]}' is not a .yaml file; I only accept knowledge YAML.")
    if not _STEM.match(stem):
        raise Refused(
            f"'{file_name[:60]}': use letters, digits, '-', '_' or '.' in the name (max 80)."
        )
    return f"{stem}.yaml"


def check_content(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise Refused(f"The file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"The file is not UTF-8 text (byte {exc.start}).") from None


def dry_run(directory: Path, changes: Changes) -> list[Problem]:
    """Every problem the knowledge would have with `changes` applied, touching nothing."""
    with tempfile.TemporaryDirectory(prefix="kb-dry-run-") as tmp:
        trial = Path(tmp)
        for path in sorted(directory.glob("*.yaml")):
            shutil.copyfile(path, trial / path.name)
        for name, data in changes.items():
            if data is None:
                (trial / name).unlink(missing_ok=True)
            else:
                (trial / name).write_bytes(data)
        try:
            load_bundle(trial)
        except DataError as exc:
            return [_relocate(p, trial, directory) for p in exc.problems]
        except Exception as exc:  # a loader crash on odd input refuses the change, no more
            return [Problem(str(directory), 0, f"the files could not be loaded: {exc!r}")]
    return []


def _relocate(problem: Problem, trial: Path, directory: Path) -> Problem:
    """Point a problem found in the dry-run copy at the real file."""
    if problem.file.startswith(str(trial)):
        return Problem(
            str(directory) + problem.file[len(str(trial)) :], problem.line, problem.message
        )
    return problem


def write_atomic(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply(directory: Path, changes: Changes) -> None:
    for name, data in changes.items():
        if data is None:
            (directory / name).unlink(missing_ok=True)
        else:
            write_atomic(directory / name, data)


@dataclass(frozen=True)
class Backup:
    path: Path
    name: str
    """The knowledge file it restores."""
    stamp: str
    kind: str
    """`yaml` (a previous version), `new` (the file did not exist), `undone.yaml` (what a
    rollback replaced: kept for safety, never picked by the next rollback)."""

    @property
    def when(self) -> str:
        at = datetime.strptime(self.stamp, _STAMP_FORMAT)
        return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime(_STAMP_FORMAT)


def back_up(
    directory: Path, name: str, *, undone: bool = False, now: datetime | None = None
) -> Backup:
    """Keep the current version of `name` (or a marker that it did not exist)."""
    folder = directory / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    source = directory / name
    stem = name.removesuffix(".yaml")
    when = stamp(now)
    if not source.exists():
        kind = "new"
        target = folder / f"{stem}.{when}.new"
        target.write_bytes(b"")
    else:
        kind = "undone.yaml" if undone else "yaml"
        target = folder / f"{stem}.{when}.{kind}"
        shutil.copyfile(source, target)
    return Backup(target, name, when, kind)


def backups(directory: Path, name: str | None = None) -> list[Backup]:
    """Restorable backups (of `name`, or of any file), newest first."""
    folder = directory / BACKUP_DIR
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _BACKUP.match(path.name)
        if match is None or match["kind"] == "undone.yaml":
            continue
        target = f"{match['stem']}.yaml"
        if name is None or target == name:
            found.append(Backup(path, target, match["stamp"], match["kind"]))
    return sorted(found, key=lambda b: (b.stamp, b.name), reverse=True)


def restored_content(backup: Backup) -> bytes | None:
    return None if backup.kind == "new" else backup.path.read_bytes()
