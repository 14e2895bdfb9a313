"""Bounded, event-driven waits on kernel state inside a namespace.

Each wait starts `ip -n NS -o monitor OBJECT` first, then checks the current state, then re-checks
whenever the monitor reports an event. Because `ip monitor` gives no sign of when its netlink
subscription is active, the state is also re-checked every RECHECK seconds; that closes the
start-up race without relying on a guessed sleep. Every wait has a deadline and raises
`WaitTimeout` describing what was expected and what was seen.
"""
from __future__ import annotations

import ctypes
import os
import re
import select
import subprocess
import time
from typing import Callable

from .netns import Namespace

RECHECK = 0.2


class WaitTimeout(AssertionError):
    pass


def wait_on_monitor(ns: Namespace, objects: list[str], predicate: Callable[[], bool],
                    timeout: float, what: str, seen: Callable[[], str] = lambda: "") -> float:
    """Waits until predicate() is true, woken by netlink events; returns the seconds waited."""
    start = time.monotonic()
    deadline = start + timeout
    mon = subprocess.Popen(["ip", "-n", ns.name, "-o", "monitor", *objects],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        fd = mon.stdout.fileno()
        os.set_blocking(fd, False)
        while True:
            if predicate():
                return time.monotonic() - start
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(f"timed out after {timeout}s waiting for {what}; now: {seen()}")
            ready, _, _ = select.select([fd], [], [], min(left, RECHECK))
            if ready:
                try:
                    if os.read(fd, 65536) == b"" and mon.poll() is not None:
                        raise RuntimeError(f"ip monitor in {ns.name} exited")
                except BlockingIOError:
                    pass
    finally:
        mon.kill()
        mon.wait()


def wait_for_address(ns: Namespace, ifname: str | None, ip: str, present: bool = True,
                     timeout: float = 10) -> float:
    """Waits until `ip` is (or, with present=False, is no longer) on ns/ifname."""
    return wait_on_monitor(
        ns, ["address"], lambda: ns.has_address(ifname, ip) == present, timeout,
        f"{ip} {'on' if present else 'gone from'} {ns.role}/{ifname or '*'}",
        lambda: ", ".join(ns.addresses(ifname)))


def link_state(ns: Namespace, ifname: str) -> str:
    out = ns.ip("-o", "link", "show", "dev", ifname, check=False).stdout
    m = re.search(r"state (\S+)", out)
    return m.group(1) if m else "ABSENT"


def wait_for_link(ns: Namespace, ifname: str, up: bool = True, timeout: float = 10) -> float:
    """Waits until the link's operational state is (not) UP."""
    return wait_on_monitor(ns, ["link"], lambda: (link_state(ns, ifname) == "UP") == up, timeout,
                           f"{ns.role}/{ifname} {'UP' if up else 'not UP'}",
                           lambda: link_state(ns, ifname))


def neighbor_mac(ns: Namespace, ip: str) -> str | None:
    """The link-layer address ns has cached for ip (ARP or NDP), or None."""
    out = ns.ip("neigh", "show", "to", ip, check=False).stdout
    m = re.search(r"lladdr ([0-9a-f:]{17})", out)
    return m.group(1) if m else None


def wait_for_neighbor(ns: Namespace, ip: str, mac: str, timeout: float = 10) -> float:
    """Waits until ns's neighbor cache maps ip to mac (e.g. after a gratuitous ARP)."""
    return wait_on_monitor(ns, ["neigh"], lambda: neighbor_mac(ns, ip) == mac.lower(), timeout,
                           f"{ns.role} neighbor {ip} -> {mac}", lambda: str(neighbor_mac(ns, ip)))


def ping_once(ns: Namespace, ip: str, timeout: float = 2) -> bool:
    argv = ["ping", "-n", "-c", "1", "-W", str(max(1, int(timeout))), ip]
    return ns.exec(argv, check=False, timeout=timeout + 5).returncode == 0


def wait_for_ping(ns: Namespace, ip: str, timeout: float = 10) -> float:
    """Pings until one answer arrives (each ping is itself bounded by its -W timeout)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if ping_once(ns, ip, timeout=1):
            return time.monotonic() - start
    raise WaitTimeout(f"no ping answer from {ip} in {ns.role} within {timeout}s")


# --- files (notify scripts write them): inotify through libc, no polling -------------------
_IN_MODIFY, _IN_CLOSE_WRITE, _IN_CREATE, _IN_MOVED_TO = 0x2, 0x8, 0x100, 0x80
_libc = ctypes.CDLL(None, use_errno=True)


def wait_for_file(path: str, predicate: Callable[[str], bool], timeout: float = 10,
                  what: str | None = None) -> str:
    """Waits until the file exists and predicate(its text) holds; returns the text."""
    def text() -> str:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    fd = _libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1")
    try:
        mask = _IN_MODIFY | _IN_CLOSE_WRITE | _IN_CREATE | _IN_MOVED_TO
        if _libc.inotify_add_watch(fd, os.path.dirname(os.path.abspath(path)).encode(), mask) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")
        deadline = time.monotonic() + timeout
        while True:
            content = text()
            if predicate(content):
                return content
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(f"timed out after {timeout}s waiting for {what or path}; "
                                  f"content: {content!r}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    os.read(fd, 65536)
                except BlockingIOError:
                    pass
    finally:
        os.close(fd)


def wait_for_listener(ns: Namespace, port: int, timeout: float = 10) -> float:
    """Waits until a TCP socket listens on `port` in ns. Sockets have no netlink event stream
    that `ip monitor` offers, so this re-reads `ss` every 0.1 s up to the deadline."""
    start = time.monotonic()
    while True:
        out = ns.exec(["ss", "-Hltn", f"sport = :{port}"], check=False).stdout
        if out.strip():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise WaitTimeout(f"nothing listens on TCP port {port} in {ns.role} after {timeout}s")
        time.sleep(0.1)
