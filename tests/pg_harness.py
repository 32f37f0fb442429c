"""A real PostgreSQL for tests: TEST_DATABASE_URL when set, else a throwaway cluster.

The throwaway cluster lives in a temp folder, listens on 127.0.0.1 on a free port, trusts
local connections and skips fsync (tests, not durability). initdb refuses to run as root, so
as root the server runs as the `postgres` user (or `nobody`). Each test gets fresh databases
from `fresh_database`, so tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

NO_SERVER = (
    "PostgreSQL tests skipped: no server binaries (initdb, pg_ctl) found and "
    "TEST_DATABASE_URL is not set"
)


@dataclass(frozen=True)
class PgServer:
    url: str
    """A URL to a database the tests may CREATE DATABASE from."""

    def url_for(self, database: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{database}"))


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: PG_BIN, the Debian layout, or the PATH."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else "")
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> tuple[list[str], int, int]:
    """Command prefix, uid and gid to run the server with (initdb refuses root)."""
    if os.geteuid() != 0:
        return [], os.geteuid(), os.getegid()
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            user = pwd.getpwnam(name)
            prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}"]
            return [*prefix, "--clear-groups", "--"], user.pw_uid, user.pw_gid
    raise RuntimeError("running as root and there is no postgres or nobody user")


@contextlib.contextmanager
def throwaway_cluster(bin_dir: Path) -> Iterator[PgServer]:
    prefix, uid, gid = _run_as()
    root = Path(tempfile.mkdtemp(prefix="bot-pg-"))
    os.chown(root, uid, gid)
    data, log = root / "data", root / "server.log"
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    run = {"check": True, "env": env, "capture_output": True, "cwd": root}
    try:
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--no-sync"],
            **run,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log),
             "-o", options, "-w", "-t", "60", "start"],
            **run,
        )  # fmt: skip
        try:
            yield PgServer(f"postgresql://postgres@127.0.0.1:{port}/postgres")
        finally:
            subprocess.run(
                [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                env=env,
                capture_output=True,
                cwd=root,
                check=False,
            )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace")[-2000:]
        server_log = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"could not start PostgreSQL: {detail}\n{server_log}") from exc
    finally:
        shutil.rmtree(root, ignore_errors=True)


def database_name(key: str) -> str:
    """A valid, stable database name for any key (e.g. a test's temp folder)."""
    return "t_" + hashlib.sha1(key.encode()).hexdigest()[:20]


async def fresh_database(server: PgServer, key: str, *, keep: bool = False) -> str:
    """URL of a database named after `key`: created empty, or (keep=True) reused if there."""
    name = database_name(key)
    admin = await asyncpg.connect(server.url)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and not keep:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not keep:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return server.url_for(name)
