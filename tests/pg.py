"""A throwaway PostgreSQL server for the tests, started from the machine's PostgreSQL binaries.

The server refuses to run as root, so when the tests run as root it is started as the `postgres`
system user. A missing server is a failure, never a skip: `make test` installs it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for c in reversed(candidates):
        if Path(c, "initdb").exists():
            return Path(c)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError("PostgreSQL server binaries not found: run `make test` (it installs them) or "
                       "`apt-get install postgresql`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    root: Path
    port: int
    bin: Path
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        try:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


# Speed over durability for throwaway test databases; the benchmarks pass durable=True.
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def start(*, durable: bool = False) -> PgServer:
    """durable=True keeps PostgreSQL's own defaults (fsync, synchronous commit, full page writes):
    a commit is on disk when it returns, as in production."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="probation-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root and runuser is missing: cannot start PostgreSQL as postgres")
        shutil.chown(root, user="postgres", group="postgres")
        as_user = [runuser, "-u", "postgres", "--"]
    os.chmod(root, 0o700)
    server = PgServer(root=root, port=_free_port(), bin=bin_dir, as_user=as_user)
    data = root / "data"
    server.run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
               "--no-sync", "--locale=C")
    chosen = {**({} if durable else FAST), "max_connections": "200"}
    opts = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 " + " ".join(
        f"-c {k}={v}" for k, v in chosen.items())
    for attempt in range(3):
        try:
            server.run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-t", "60",
                       "-l", str(root / "log"), "start")
            break
        except subprocess.CalledProcessError:
            if attempt == 2:
                log = (root / "log").read_text() if (root / "log").exists() else ""
                raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None
            server.port = _free_port()
            opts = opts.replace(opts.split()[1], str(server.port), 1)
            time.sleep(1)
    return server
