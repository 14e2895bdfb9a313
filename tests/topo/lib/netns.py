"""Network namespaces and LANs that never touch the host namespace.

Every namespace is named `vgl-<run>-<role>-<random>`; a registry removes them on teardown, at
interpreter exit and on SIGTERM, and `sweep_stale()` removes left-overs of earlier runs that
crashed (namespaces older than this process, with their processes killed first).
"""
from __future__ import annotations

import atexit
import ipaddress
import os
import re
import secrets
import signal
import subprocess
import threading
import time

PREFIX = "vgl-"
NETNS_DIR = "/run/netns"
# Only documentation ranges may ever be configured (DEVELOPERS.md).
ALLOWED_NETS = [ipaddress.ip_network(n) for n in
                ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
_START_TIME = time.time()


def run(cmd: list[str], check: bool = True, timeout: float = 20, **kw) -> subprocess.CompletedProcess:
    """Runs a short command, captures its output, raises with stderr on failure."""
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
    return res


def check_documentation_address(addr: str) -> None:
    """Refuses any address outside the documentation ranges (network safety rule)."""
    iface = ipaddress.ip_interface(addr)
    if not any(iface.ip in net for net in ALLOWED_NETS):
        raise ValueError(f"{addr} is not in a documentation range")


class _Registry:
    """Every namespace created in this process, for cleanup on any kind of exit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.names: list[str] = []
        # The creating process's pid is part of every name, so a sweeper can tell namespaces
        # of a live parallel run (pid alive) from those of a crashed one.
        self.run_id = str(os.getpid())

    def add(self, name: str) -> None:
        with self.lock:
            self.names.append(name)

    def remove(self, name: str) -> None:
        with self.lock:
            if name in self.names:
                self.names.remove(name)

    def cleanup_all(self) -> None:
        with self.lock:
            names = list(reversed(self.names))
            self.names.clear()
        for name in names:
            delete_namespace(name)


REGISTRY = _Registry()
atexit.register(REGISTRY.cleanup_all)


def _on_sigterm(signum, frame):  # pragma: no cover - exercised only on external kill
    REGISTRY.cleanup_all()
    raise SystemExit(128 + signum)


if threading.current_thread() is threading.main_thread():
    try:
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:
        pass


def namespace_pids(name: str) -> list[int]:
    res = run(["ip", "netns", "pids", name], check=False)
    return [int(p) for p in res.stdout.split() if p.isdigit()]


def delete_namespace(name: str) -> None:
    """Kills every process in the namespace, then deletes it. Never raises."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = namespace_pids(name)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if sig == signal.SIGTERM:
            _wait_pids_gone(pids, 2.0)
    run(["ip", "netns", "del", name], check=False)


def _wait_pids_gone(pids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            # Not our children, so no waitpid: a bounded poll is the only portable way.
            time.sleep(0.02)


_OURS = re.compile(r"^vgl-(\d+)-[a-z0-9]+-[0-9a-f]{6}$")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def sweep_stale() -> list[str]:
    """Deletes this harness's namespaces left by runs that died (creator pid gone), if they
    are older than this process. Other `vgl-` names belong to other tools and are left alone."""
    removed = []
    if not os.path.isdir(NETNS_DIR):
        return removed
    for entry in os.listdir(NETNS_DIR):
        m = _OURS.match(entry)
        if not m or entry in REGISTRY.names or _pid_alive(int(m.group(1))):
            continue
        try:
            mtime = os.stat(os.path.join(NETNS_DIR, entry)).st_mtime
        except FileNotFoundError:
            continue
        if mtime < _START_TIME - 1:
            delete_namespace(entry)
            removed.append(entry)
    return removed


class Namespace:
    """One network namespace with loopback up; `exec()` runs commands inside it."""

    def __init__(self, role: str, sysctls: dict[str, str] | None = None) -> None:
        role = re.sub(r"[^a-z0-9]", "", role.lower())[:8] or "ns"
        self.role = role
        self.name = f"{PREFIX}{REGISTRY.run_id}-{role}-{secrets.token_hex(3)}"
        run(["ip", "netns", "add", self.name])
        REGISTRY.add(self.name)
        self.closed = False
        run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        # Test links must be usable at once: no IPv6 duplicate address detection delay.
        base = {"net.ipv6.conf.all.accept_dad": "0", "net.ipv6.conf.default.accept_dad": "0",
                "net.ipv6.conf.default.dad_transmits": "0"}
        base.update(sysctls or {})
        self.exec(["sysctl", "-q", "-w", *(f"{k}={v}" for k, v in base.items())])

    def __repr__(self) -> str:
        return f"Namespace({self.name})"

    def cmd(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]

    def exec(self, argv: list[str], check: bool = True, timeout: float = 20) -> subprocess.CompletedProcess:
        return run(self.cmd(argv), check=check, timeout=timeout)

    def ip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(["ip", "-n", self.name, *args], check=check)

    def sysctl(self, key: str, value: str) -> None:
        self.exec(["sysctl", "-q", "-w", f"{key}={value}"])

    def add_address(self, ifname: str, addr: str) -> None:
        check_documentation_address(addr)
        extra = ["nodad"] if ":" in addr else []
        self.ip("addr", "add", addr, "dev", ifname, *extra)

    def mac(self, ifname: str) -> str:
        out = self.ip("-o", "link", "show", "dev", ifname).stdout
        m = re.search(r"link/ether ([0-9a-f:]{17})", out)
        if not m:
            raise RuntimeError(f"no MAC on {self.name}/{ifname}: {out}")
        return m.group(1)

    def addresses(self, ifname: str | None = None) -> list[str]:
        """Addresses (without prefix length) currently on the interface, or on all of them."""
        args = ["-o", "addr", "show"] + (["dev", ifname] if ifname else [])
        out = self.ip(*args, check=False).stdout
        return [m.group(1) for m in re.finditer(r"\binet6? ([0-9a-f.:]+)/\d+", out)]

    def has_address(self, ifname: str | None, ip: str) -> bool:
        want = ipaddress.ip_address(ip.split("/")[0])
        return any(ipaddress.ip_address(a) == want for a in self.addresses(ifname))

    def link_set(self, ifname: str, up: bool) -> None:
        self.ip("link", "set", ifname, "up" if up else "down")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            delete_namespace(self.name)
            REGISTRY.remove(self.name)


class Lan:
    """A bridge inside its own "switch" namespace; hosts attach through veth pairs created there."""

    def __init__(self, name: str = "lan") -> None:
        self.switch = Namespace(f"sw{name}", sysctls={"net.ipv6.conf.all.disable_ipv6": "1",
                                                       "net.ipv6.conf.default.disable_ipv6": "1"})
        self.bridge = "br0"
        self.ports: dict[str, tuple[Namespace, str]] = {}
        sw = self.switch
        sw.ip("link", "add", self.bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0",
              "mcast_snooping", "0")
        sw.link_set(self.bridge, True)

    def attach(self, host: Namespace, ifname: str = "eth0", addrs: tuple[str, ...] = ()) -> str:
        """Connects host to the LAN as `ifname` with the given addresses; returns the switch port."""
        port = f"p{len(self.ports)}"
        sw = self.switch
        sw.ip("link", "add", port, "type", "veth", "peer", "name", ifname, "netns", host.name)
        sw.ip("link", "set", port, "master", self.bridge)
        sw.link_set(port, True)
        for addr in addrs:
            host.add_address(ifname, addr)
        host.link_set(ifname, True)
        self.ports[port] = (host, ifname)
        return port

    def close(self) -> None:
        self.switch.close()
