"""VRRP router processes (keepalived or vigild) run inside a namespace, with the same interface.

Both get the keepalived command line `-n -l -D -f CONF -p/-r/-c PIDFILES`, with every file in a
private work directory so that nothing clashes with /run or with a host keepalived. Output goes
through a reader thread into a log file and an in-memory list, so `wait_log()` wakes on each
new line instead of polling the file.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time

from .netns import Namespace

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
IMPLEMENTATIONS = ("keepalived", "vigil")


def build_dir() -> str:
    return os.path.abspath(os.environ.get("VIGIL_BUILD", os.path.join(REPO_ROOT, "build")))


def vigild_path() -> str:
    return os.path.join(build_dir(), "vigild")


def keepalived_path() -> str:
    return shutil.which("keepalived") or "/usr/sbin/keepalived"


def vigil_features() -> set[str]:
    """The words of the `features:` line `vigild --version` prints (empty when not built)."""
    path = vigild_path()
    if not os.access(path, os.X_OK):
        return set()
    try:
        res = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    m = re.search(r"^features:(.*)$", res.stdout, re.MULTILINE)
    return set(m.group(1).split()) if m else set()


def vigil_vrrp_ready() -> tuple[bool, str]:
    """(ready, why). vigild counts as VRRP-capable when `vigild --version` prints the word
    "vrrp" (the agreed form is a line `features: vrrp ...`)."""
    path = vigild_path()
    if not os.access(path, os.X_OK):
        return False, f"{path} not built"
    try:
        res = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"vigild --version failed: {e}"
    if res.returncode == 0 and re.search(r"\bvrrp\b", res.stdout, re.IGNORECASE):
        return True, ""
    return False, "vigild has no VRRP runtime yet"


class Router:
    """A daemon in a namespace. Subclasses only say which binary to run."""

    impl = "?"

    def __init__(self, ns: Namespace, config_text: str, workdir: str, name: str | None = None,
                 extra_args: tuple[str, ...] = ()) -> None:
        self.ns = ns
        self.name = name or ns.role
        self.workdir = os.path.join(workdir, f"{self.name}-{self.impl}")
        os.makedirs(self.workdir, exist_ok=True)
        self.config_path = os.path.join(self.workdir, "keepalived.conf")
        self.log_path = os.path.join(self.workdir, "daemon.log")
        self.extra_args = tuple(extra_args)
        self.proc: subprocess.Popen | None = None
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None
        self.starts = 0
        self.write_config(config_text)

    def write_config(self, text: str) -> None:
        with open(self.config_path, "w") as f:
            f.write(text)

    def binary(self) -> str:
        raise NotImplementedError

    def argv(self) -> list[str]:
        w = self.workdir
        return [self.binary(), "-n", "-l", "-D", "-f", self.config_path,
                "-p", f"{w}/main.pid", "-r", f"{w}/vrrp.pid", "-c", f"{w}/checkers.pid",
                *self.extra_args]

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> "Router":
        if self.running:
            raise RuntimeError(f"{self.name} already running")
        self.starts += 1
        with self._cond:
            self.lines.append(f"===== start #{self.starts}: {' '.join(self.argv())}\n")
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(self.ns.cmd(self.argv()), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        self._reader = threading.Thread(target=self._read, args=(self.proc, log), daemon=True)
        self._reader.start()
        return self

    def _read(self, proc: subprocess.Popen, log) -> None:
        with log:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace")
                log.write(line)
                log.flush()
                with self._cond:
                    self.lines.append(line)
                    self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _signal(self, sig: int, timeout: float, group: bool) -> int | None:
        if not self.proc:
            return None
        if self.proc.poll() is None:
            try:
                # SIGTERM goes to the main process only (keepalived's unit has KillMode=process:
                # the parent stops its children so they can send their priority-0 adverts).
                (os.killpg if group else os.kill)(self.proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            rc = self.proc.wait(timeout=5)
        if self._reader:
            self._reader.join(timeout=5)
        return rc

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, as `systemctl stop` would; waits for exit (SIGKILL after timeout)."""
        return self._signal(signal.SIGTERM, timeout, group=False)

    def kill(self) -> int | None:
        """SIGKILL to the whole process group: no goodbye advert, VIPs left behind."""
        return self._signal(signal.SIGKILL, 5, group=True)

    def reload(self) -> None:
        if self.running:
            os.kill(self.proc.pid, signal.SIGHUP)

    def log_text(self) -> str:
        with self._cond:
            return "".join(self.lines)

    def wait_log(self, regex: str, timeout: float = 10, since: int = 0) -> re.Match:
        """Waits for a log line matching regex (searching from line index `since`)."""
        pattern = re.compile(regex)
        deadline = time.monotonic() + timeout
        idx = since
        with self._cond:
            while True:
                while idx < len(self.lines):
                    m = pattern.search(self.lines[idx])
                    idx += 1
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    tail = "".join(self.lines[-15:])
                    raise AssertionError(f"{self.name}: no log line /{regex}/ within {timeout}s;"
                                         f" last lines:\n{tail}")
                self._cond.wait(left)

    def mark(self) -> int:
        """Current log position, for wait_log(since=...)."""
        with self._cond:
            return len(self.lines)

    def close(self) -> None:
        """Tear-down: SIGKILL, since the namespace goes away with any VIP left behind and a
        graceful keepalived shutdown takes seconds."""
        if self.running:
            self.kill()


class Keepalived(Router):
    impl = "keepalived"

    def binary(self) -> str:
        return keepalived_path()


class Vigil(Router):
    impl = "vigil"

    def binary(self) -> str:
        return vigild_path()

    @property
    def control_socket(self) -> str:
        """Each daemon's own control socket: the default /run/vigil/vigild.ctl would be one
        path for every vigild of parallel tests (each binds it, the last one wins)."""
        return os.path.join(self.workdir, "vigild.ctl")

    def argv(self) -> list[str]:
        return super().argv() + ["--control-socket", self.control_socket]


def router_class(impl: str) -> type[Router]:
    return {"keepalived": Keepalived, "vigil": Vigil}[impl]
