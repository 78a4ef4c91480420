"""A throw-away PostgreSQL server for the tests: Debian's binaries, a temporary folder, a Unix
socket only (no TCP listener), stopped and removed at the end of the test session.

    server = PgServer.start()         # or None, with `PgServer.unavailable()` saying why
    conninfo = server.new_database()  # an empty database of its own for one test
    server.stop()

`initdb` refuses to run as root, so as root the server runs as the `postgres` user that
Debian's `postgresql` package creates (`runuser -u postgres`), in a folder under /tmp that
user owns; as any other user it runs as that user. Authentication is `trust` on the socket:
the folder is 0700, so only its owner (and root) reach it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

#: Where Debian puts each major version's server binaries.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"
_STOP_TIMEOUT_S = 60


def server_bin() -> Path | None:
    """The folder of the newest PostgreSQL server binaries here (initdb, pg_ctl), or None."""
    found = [Path(p) for p in glob.glob(DEBIAN_BINARIES) if (Path(p) / "initdb").exists()]
    if found:
        return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable() -> str | None:
    """Why no throw-away server can be started here (None if one can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]' installs it)"
    if server_bin() is None:
        return ("no PostgreSQL server binaries (initdb, pg_ctl) found under "
                f"{DEBIAN_BINARIES} or on PATH: apt-get install postgresql")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root, and there is no '{SERVER_USER}' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root, and runuser is missing (util-linux)"
    return None


def url(conninfo: str) -> str:
    """A server's keyword conninfo (`host=… dbname=… user=…`) as the `postgresql://` address
    a user gives `--store`, on the same socket."""
    words = dict(part.split("=", 1) for part in conninfo.split())
    return f"postgresql:///{words['dbname']}?host={words['host']}&user={words['user']}"


class PgServer:
    """One running server in its own temporary folder."""

    def __init__(self, root: Path, bin_dir: Path, as_user: str | None) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root
        self.bin = bin_dir
        self._as_user = as_user

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_user is not None:
            command = ["runuser", "-u", self._as_user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False,
                               timeout=120, cwd=self.root)

    @classmethod
    def start(cls) -> PgServer:
        """initdb and start a server; raises RuntimeError with the server's output if not."""
        bin_dir = server_bin()
        assert bin_dir is not None, unavailable()
        as_user = SERVER_USER if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="sdm-pg-"))
        if as_user is not None:
            entry = pwd.getpwnam(as_user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        os.chmod(root, 0o700)
        server = cls(root, bin_dir, as_user)
        try:
            server._initdb_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _initdb_and_start(self) -> None:
        done = self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        # Unix socket only: no TCP listener at all. fsync off: a test server's data need not
        # survive a power cut (the tests of the store's own durability are SQLite's).
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
                   "-c fsync=off -c synchronous_commit=on -c full_page_writes=off "
                   "-c max_connections=100 -c shared_buffers=32MB")
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                         "-o", options, "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.root / "server.log")
            raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n"
                               f"{log.read_text() if log.exists() else ''}")

    def conninfo(self, dbname: str = "postgres") -> str:
        """A libpq keyword string for `dbname` on this server's socket."""
        return f"host={self.socket_dir} dbname={dbname} user=postgres"

    def new_database(self) -> str:
        """Create an empty database; its conninfo."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.conninfo(name)

    def drop_database(self, conninfo: str) -> None:
        """Drop a database `new_database` made (its connections are ended first)."""
        import psycopg

        name = conninfo.split("dbname=")[1].split()[0]
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def add_role(self, conninfo: str, units: tuple[str, ...] = (), *,
                 auditor: bool = False) -> str:
        """A new login role of the app (`sdm_user`, or `sdm_auditor` with `auditor`), member
        of `units` in the store at `conninfo` (migrated already); its own conninfo there."""
        import psycopg

        name = f"r_{uuid.uuid4().hex[:12]}"
        group = "sdm_auditor" if auditor else "sdm_user"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE ROLE "{name}" LOGIN IN ROLE {group}')
            for unit in units:
                conn.execute("INSERT INTO unit_members (role, unit) VALUES (%s, %s)",
                             (name, unit))
        return conninfo.replace("user=postgres", f"user={name}")

    def require_password(self, role: str, password: str) -> None:
        """Give `role` a password and make the server ask it for one (scram-sha-256) on the
        socket; every other role keeps `trust`."""
        import psycopg

        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {role} scram-sha-256\n" + hba.read_text())
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f"ALTER ROLE \"{role}\" PASSWORD '{password}'")
            conn.execute("SELECT pg_reload_conf()")

    def restart(self) -> None:
        """Restart the server (`pg_ctl restart -m fast`): every connection is cut."""
        # -l: the server's output to its log, not to the pipe this waits on (it would wait
        # for the server to end).
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                         "-m", "fast", "-w", "-t", "60", "restart")
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed:\n{done.stdout}\n{done.stderr}")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w",
                          "-t", str(_STOP_TIMEOUT_S), "stop")
        shutil.rmtree(self.root, ignore_errors=True)
