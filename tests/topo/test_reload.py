"""SIGHUP reload without flapping: vigild on node1 (master), keepalived or vigild on node2.

An unchanged file changes nothing (no address event, no notify, no lost ping); a priority
change moves the VIP and back; a removed instance leaves and the peer takes its VIP; an added
instance starts and takes its VIP; an invalid file is reported with file:line:col and the
running configuration stays."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time

import pytest

from lib.awaits import WaitTimeout, wait_for_address, wait_for_file
from lib.kaconf import Instance, VrrpScript, render_config
from lib.pairs import assert_master
from lib.routers import Vigil

VIP = "192.0.2.100"
VIP2 = "192.0.2.101"
FAST = dict(version=3, advert_int=0.5)
RELOADED = r"configuration reloaded"
KEPT = r"keeping the running configuration"


@pytest.fixture(params=["keepalived", "vigil"], ids=lambda p: f"vigil-{p}")
def peer(request):
    from conftest import VIGIL_READY, VIGIL_WHY
    if not VIGIL_READY:
        pytest.skip(VIGIL_WHY)
    return request.param


def notify_script(directory: str, node: str) -> tuple[str, str]:
    script = os.path.join(directory, f"notify-{node}.sh")
    out = os.path.join(directory, f"notify-{node}.log")
    with open(script, "w") as f:
        f.write(f'#!/bin/sh\necho "$@" >> "{out}"\n')
    os.chmod(script, 0o755)
    return script, out


def start(topo, p, peer, a: list[Instance], b: list[Instance]):
    ra = topo.router("vigil", p.node1, render_config(a, "nodeA"), "node1").start()
    rb = topo.router(peer, p.node2, render_config(b, "nodeB"), "node2").start()
    return ra, rb


def reload_with(router, instances: list[Instance] | None = None, text: str | None = None,
                expect: str = RELOADED) -> None:
    if text is None:
        text = render_config(instances, "nodeA")
    router.write_config(text)
    mark = router.mark()
    router.reload()
    router.wait_log(expect, timeout=10, since=mark)


class AddressWatcher:
    """`ip -o monitor address` in a namespace, every line kept. sync() adds and removes a
    marker address and waits for both events: after it, every earlier kernel event has been
    read (netlink delivers in order), and the watcher is known to be subscribed."""

    MARKER = "198.51.100.250/32"

    def __init__(self, ns) -> None:
        self.ns = ns
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(["ip", "-n", ns.name, "-o", "monitor", "address"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        self.syncs = 0

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def _wait(self, predicate, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WaitTimeout(f"address monitor: no {what}; seen: {self.lines[-10:]}")
                self.cond.wait(min(left, 0.2))

    def sync(self, timeout: float = 10) -> None:
        self.syncs += 1
        marker_seen = lambda deleted: lambda: any(  # noqa: E731
            "198.51.100.250" in ln and ln.startswith("Deleted") == deleted for ln in self.lines)
        deadline = time.monotonic() + timeout
        # The subscription may not be live yet on the first call: repeat the add until seen.
        while True:
            self.ns.ip("addr", "replace", self.MARKER, "dev", "lo")
            try:
                self._wait(marker_seen(False), 0.5, "marker address added")
                break
            except WaitTimeout:
                if time.monotonic() > deadline:
                    raise
        self.ns.ip("addr", "del", self.MARKER, "dev", "lo")
        self._wait(marker_seen(True), timeout, "marker address deleted")
        with self.cond:
            self.lines = [ln for ln in self.lines if "198.51.100.250" not in ln]

    def text(self) -> str:
        with self.cond:
            return "".join(self.lines)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.thread.join(timeout=5)


class Answers:
    """Counts ping answers from a PingFollower callback; waits for a number of them."""

    def __init__(self) -> None:
        self.ok = 0
        self.cond = threading.Condition()

    def __call__(self, _t: float, _seq: int, ok: bool) -> None:
        with self.cond:
            if ok:
                self.ok += 1
            self.cond.notify_all()

    def wait_more(self, n: int, timeout: float = 15) -> None:
        with self.cond:
            target = self.ok + n
            if not self.cond.wait_for(lambda: self.ok >= target, timeout):
                raise WaitTimeout(f"only {self.ok} ping answers, wanted {target}")


def test_unchanged_reload_keeps_vip_without_events(topo, lan_pair, peer, tmp_path):
    p = lan_pair
    script, log = notify_script(str(tmp_path), "node1")
    a = [Instance(priority=150, notify=script, **FAST)]
    ra, _ = start(topo, p, peer, a, [Instance(priority=100, **FAST)])
    assert_master(p.node1, p.node2, VIP)
    wait_for_file(log, lambda t: "INSTANCE VI_1 MASTER 150" in t, what="MASTER notify")
    notified = open(log).read()

    watcher = AddressWatcher(p.node1)
    answers = Answers()
    pinger = topo.ping_follower(p.client, VIP, on_event=answers).start()
    try:
        watcher.sync()
        answers.wait_more(5)
        for _ in range(2):  # twice: the second reload starts from a reloaded config
            reload_with(ra, a)
            answers.wait_more(10)
        watcher.sync()
    finally:
        pinger.stop()
        watcher.stop()
    assert VIP not in watcher.text(), f"VIP address events on reload:\n{watcher.text()}"
    _, lost = pinger.counts()
    assert lost == 0
    assert open(log).read() == notified, "a notify script ran on an unchanged reload"
    assert "Entering" not in "".join(ra.lines[ra.lines.index(next(
        ln for ln in ra.lines if "reloading configuration" in ln)):])
    assert p.node1.has_address("eth0", VIP)


def test_priority_change_moves_vip_and_back(topo, lan_pair, peer):
    p = lan_pair
    ra, _ = start(topo, p, peer, [Instance(priority=150, **FAST)], [Instance(priority=100, **FAST)])
    assert_master(p.node1, p.node2, VIP)
    reload_with(ra, [Instance(priority=50, **FAST)])
    assert_master(p.node2, p.node1, VIP)
    reload_with(ra, [Instance(priority=150, **FAST)])
    assert_master(p.node1, p.node2, VIP)


def test_removed_instance_leaves_and_peer_takes_it(topo, lan_pair, peer, tmp_path):
    p = lan_pair
    script, log = notify_script(str(tmp_path), "node1")
    stops = str(tmp_path / "stops.log")
    stop_scripts = {}
    for name in ("VI_1", "VI_2"):
        stop_scripts[name] = str(tmp_path / f"stop-{name}.sh")
        with open(stop_scripts[name], "w") as f:
            f.write(f'#!/bin/sh\necho "stop {name}" >> "{stops}"\n')
        os.chmod(stop_scripts[name], 0o755)
    vi1 = Instance(priority=150, notify_stop=stop_scripts["VI_1"], **FAST)
    # keepalived 2.2.7 tells `notify` FAULT for an instance a reload deletes (DELETED with
    # notify_deleted, which vigil's parser does not read yet); notify_stop does not run.
    # use_vmac: the reload that removes VI_2 deletes its VMAC (not only the stop does).
    vi2 = Instance(name="VI_2", vrid=52, priority=150, vips=[f"{VIP2}/24"], notify=script,
                   notify_stop=stop_scripts["VI_2"], extra=["use_vmac"], **FAST)
    ra, _ = start(topo, p, peer, [vi1, vi2],
                  [Instance(priority=100, **FAST),
                   Instance(name="VI_2", vrid=52, priority=100, vips=[f"{VIP2}/24"], **FAST)])
    assert_master(p.node1, p.node2, VIP)
    wait_for_address(p.node1, "vrrp.52", VIP2)  # on VI_2's VMAC
    wait_for_address(p.node2, "eth0", VIP2, present=False)
    watcher = AddressWatcher(p.node1)
    try:
        watcher.sync()
        reload_with(ra, [vi1])
        # Deleted during the reload, before "configuration reloaded" was logged.
        assert p.node1.exec(["ip", "link", "show", "vrrp.52"], check=False).returncode != 0
        assert_master(p.node2, p.node1, VIP2)
        text = wait_for_file(log, lambda t: "INSTANCE VI_2 FAULT 150" in t,
                             what="VI_2 FAULT notify")
        watcher.sync()
    finally:
        watcher.stop()
    assert "STOP" not in text
    # The instance that stayed never lost its address.
    assert "Deleted" not in "".join(ln for ln in watcher.text().splitlines(True) if VIP + "/" in ln)
    assert p.node1.has_address("eth0", VIP)
    # notify_stop scripts do run on shutdown; VI_2's did not run when it was deleted.
    ra.stop()
    stopped = wait_for_file(stops, lambda t: "stop VI_1" in t, what="VI_1 notify_stop")
    assert "stop VI_2" not in stopped


def test_vip_list_change_touches_only_the_difference(topo, lan_pair, peer, tmp_path):
    p = lan_pair
    script, log = notify_script(str(tmp_path), "node1")
    VIP3 = "192.0.2.102"
    one = [Instance(priority=150, notify=script, **FAST)]
    two = [Instance(priority=150, notify=script, vips=[f"{VIP}/24", f"{VIP3}/24"], **FAST)]
    ra, _ = start(topo, p, peer, one, [Instance(priority=100, **FAST)])
    assert_master(p.node1, p.node2, VIP)
    wait_for_file(log, lambda t: "INSTANCE VI_1 MASTER 150" in t, what="MASTER notify")
    notified = open(log).read()
    watcher = AddressWatcher(p.node1)
    try:
        watcher.sync()
        reload_with(ra, two)
        wait_for_address(p.node1, "eth0", VIP3)
        reload_with(ra, one)
        wait_for_address(p.node1, "eth0", VIP3, present=False)
        watcher.sync()
    finally:
        watcher.stop()
    events = watcher.text()
    assert VIP + "/" not in events, f"the unchanged VIP saw events:\n{events}"
    assert VIP3 + "/" in events
    assert p.node1.has_address("eth0", VIP)
    assert open(log).read() == notified


def test_added_instance_starts_and_takes_its_vip(topo, lan_pair, peer):
    p = lan_pair
    vi1 = Instance(priority=150, **FAST)
    ra, _ = start(topo, p, peer, [vi1],
                  [Instance(priority=100, **FAST),
                   Instance(name="VI_2", vrid=52, priority=100, vips=[f"{VIP2}/24"], **FAST)])
    assert_master(p.node1, p.node2, VIP)
    wait_for_address(p.node2, "eth0", VIP2, timeout=15)
    reload_with(ra, [vi1, Instance(name="VI_2", vrid=52, priority=150, vips=[f"{VIP2}/24"],
                                   **FAST)])
    assert_master(p.node1, p.node2, VIP2)
    assert p.node1.has_address("eth0", VIP)


def test_unchanged_tracker_keeps_its_state(topo, lan_pair, peer, tmp_path):
    """A failing vrrp_script (fall 3) holds node1 below node2. Were the reload to restart it,
    it would count as up again for three runs and node1 would take the VIP back."""
    p = lan_pair
    runs = str(tmp_path / "runs.log")
    check = str(tmp_path / "check.sh")
    with open(check, "w") as f:
        f.write(f'#!/bin/sh\necho run >> "{runs}"\nexit 1\n')
    os.chmod(check, 0o755)
    scripts = [VrrpScript("chk", check, interval=1, weight=-100, fall=3, rise=1)]
    a = [Instance(priority=150, track_scripts=["chk"], **FAST)]
    text = render_config(a, "nodeA", scripts=scripts)
    ra = topo.router("vigil", p.node1, text, "node1").start()
    topo.router(peer, p.node2, render_config([Instance(priority=100, **FAST)], "nodeB"),
                "node2").start()
    ra.wait_log(r"VRRP_Script\(chk\) failed", timeout=20)
    assert_master(p.node2, p.node1, VIP)
    watcher = AddressWatcher(p.node2)
    try:
        watcher.sync()
        before = open(runs).read().count("run")
        reload_with(ra, text=text)
        # Long enough for a restarted tracker to have counted as up, and for node1 (then 150)
        # to have preempted: three more runs and node2's master-down interval.
        wait_for_file(runs, lambda t: t.count("run") >= before + 4, timeout=20,
                      what="four more script runs")
        watcher.sync()
    finally:
        watcher.stop()
    assert VIP not in watcher.text(), f"VIP moved on reload:\n{watcher.text()}"
    assert p.node2.has_address("eth0", VIP)


def sync_group(*members: str) -> str:
    return "vrrp_sync_group G1 {\n    group {\n" + "".join(f"        {m}\n" for m in members) + \
        "    }\n}\n"


def test_sync_group_members_come_and_go_without_moving_the_others(topo, lan_pair, peer):
    p = lan_pair
    vi1 = Instance(priority=150, **FAST)
    vi2 = Instance(name="VI_2", vrid=52, priority=150, vips=[f"{VIP2}/24"], **FAST)
    ra, _ = start(topo, p, peer, [vi1], [Instance(priority=100, **FAST)])
    ra.write_config(render_config([vi1], "nodeA") + sync_group("VI_1"))
    assert_master(p.node1, p.node2, VIP)
    watcher = AddressWatcher(p.node1)
    try:
        watcher.sync()
        reload_with(ra, text=render_config([vi1], "nodeA") + sync_group("VI_1"))
        # A new member joins the Master group: it becomes Master with it.
        reload_with(ra, text=render_config([vi1, vi2], "nodeA") + sync_group("VI_1", "VI_2"))
        wait_for_address(p.node1, "eth0", VIP2)
        # The member leaves again (removed from config and group): the other stays Master.
        reload_with(ra, text=render_config([vi1], "nodeA") + sync_group("VI_1"))
        wait_for_address(p.node1, "eth0", VIP2, present=False)
        watcher.sync()
    finally:
        watcher.stop()
    assert VIP + "/" not in watcher.text(), watcher.text()
    assert p.node1.has_address("eth0", VIP)


def test_invalid_file_keeps_running_config(topo, lan_pair, peer):
    p = lan_pair
    a = [Instance(priority=150, **FAST)]
    ra, _ = start(topo, p, peer, a, [Instance(priority=100, **FAST)])
    assert_master(p.node1, p.node2, VIP)
    bad = render_config([Instance(priority=50, **FAST)], "nodeA").replace("priority 50",
                                                                         "priorty 50")
    mark = ra.mark()
    reload_with(ra, text=bad, expect=KEPT)
    text = "".join(ra.lines[mark:])
    assert f"{ra.config_path}:" in text and "priorty" in text, text
    assert re.search(re.escape(ra.config_path) + r":\d+:\d+", text), text
    assert ra.running
    assert p.node1.has_address("eth0", VIP)
    # The running configuration (priority 150) is still in force: a later valid reload that
    # changes nothing keeps the VIP, and node2 never took it.
    reload_with(ra, a)
    assert_master(p.node1, p.node2, VIP, timeout=5)


class NotifyingVigil(Vigil):
    """vigild with NOTIFY_SOCKET set, as systemd starts a Type=notify service."""

    notify_socket = ""

    def argv(self) -> list[str]:
        return ["env", f"NOTIFY_SOCKET={self.notify_socket}", *super().argv()]


def receive_until(sock: socket.socket, predicate, timeout: float = 15) -> list[str]:
    """Datagrams from the notify socket up to and including the first one matching."""
    got = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise WaitTimeout(f"no matching sd_notify message; got {got}")
        sock.settimeout(left)
        try:
            msg = sock.recv(4096).decode()
        except socket.timeout:
            continue
        got.append(msg)
        if predicate(msg):
            return got


def test_systemd_sees_reloading_then_ready(topo, lan_pair, tmp_path):
    from conftest import VIGIL_READY, VIGIL_WHY
    if not VIGIL_READY:
        pytest.skip(VIGIL_WHY)
    p = lan_pair
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    try:
        ra = NotifyingVigil(p.node1, render_config([Instance(priority=150, **FAST)], "nodeA"),
                            topo.workdir, "node1")
        ra.notify_socket = path
        topo._own(ra)
        ra.start()
        receive_until(sock, lambda m: "READY=1" in m.splitlines())
        # An invalid file: no RELOADING (systemd would otherwise wait for a READY that means
        # nothing new), only a status line saying the reload failed.
        bad = render_config([Instance(priority=50, **FAST)], "nodeA").replace("priority", "priorty")
        reload_with(ra, text=bad, expect=KEPT)
        got = receive_until(sock, lambda m: m.startswith("STATUS="))
        assert "failed" in got[-1] and not any("RELOADING=1" in m for m in got), got
        # A valid one: RELOADING=1 with the reload's start time, then READY=1.
        reload_with(ra, [Instance(priority=120, **FAST)])
        got = receive_until(sock, lambda m: "READY=1" in m.splitlines())
        reloading = [m for m in got if "RELOADING=1" in m.splitlines()]
        assert reloading, got
        assert re.search(r"^MONOTONIC_USEC=\d+$", reloading[0], re.M), reloading[0]
        assert got.index(reloading[0]) < len(got) - 1  # READY=1 came after it
    finally:
        sock.close()


def test_dump_conf_logs_the_effective_configuration(topo, lan_pair):
    """keepalived's -d: the configuration in the log at start (vigil: its JSON form)."""
    from conftest import VIGIL_READY, VIGIL_WHY
    if not VIGIL_READY:
        pytest.skip(VIGIL_WHY)
    text = render_config([Instance(priority=150, **FAST)], "nodeA")
    ra = topo.router("vigil", lan_pair.node1, text, "node1", extra_args=("-d",)).start()
    ra.wait_log(r'config: +"virtual_router_id": 51')
    ra.wait_log(r'config: +"priority": 150')
