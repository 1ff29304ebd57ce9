"""A throwaway PostgreSQL cluster that a test may stop and start (never the shared CI server).

initdb/pg_ctl come from /usr/lib/postgresql/*/bin (newest) or PATH. PostgreSQL refuses to run
as root, so as root every command runs through `runuser -u postgres --` in a folder that user
owns. The server listens on a free port on 127.0.0.1 only, with fsync off (a test cluster).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text


def find_pg_bin() -> Path | None:
    """Return the folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path))

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=version)
    candidates = [Path(p).parent for p in reversed(found)]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def missing_reason() -> str | None:
    """Explain why a throwaway cluster cannot be made here, or return None when it can."""
    if find_pg_bin() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' user to run the server"
        if shutil.which("runuser") is None:
            return "running as root but runuser is missing"
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """initdb + pg_ctl start/stop on a private folder and port; `url` names its database."""

    def __init__(self, database: str = "assistant") -> None:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise RuntimeError(missing_reason() or "PostgreSQL not found")
        self.bin = bin_dir
        self.port = free_port()
        self.database = database
        self.folder = Path(tempfile.mkdtemp(prefix="pg-throwaway-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.running = False
        self._as_root = os.geteuid() == 0
        if self._as_root:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the cluster's test database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, cwd=self.folder, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")

    def create(self) -> ThrowawayPostgres:
        """initdb, start, and create the test database."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.start()
        admin = create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres",
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.database}"'))
        admin.dispose()
        return self

    def start(self) -> float:
        """Start the server and wait until it accepts connections; return the seconds it took."""
        started = time.monotonic()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
            "-c full_page_writes=off"
        )
        data, log = str(self.data), str(self.log)
        self._run("pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start")
        self.running = True
        return time.monotonic() - started

    def stop(self, mode: str = "immediate") -> float:
        """Stop the server (`immediate`: like a crash, open connections just die)."""
        started = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self.running = False
        return time.monotonic() - started

    def destroy(self) -> None:
        """Stop the server if it runs and delete the cluster's folder."""
        try:
            if self.running:
                self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
