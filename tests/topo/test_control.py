"""Operating vigild: vigilctl against the control socket (status, maintenance priority offset),
Prometheus /metrics scraped with curl inside the namespace (parsed by prometheus_client), sd_notify READY=1 / STATUS= on a
NOTIFY_SOCKET the test owns, and keepalived's SIGUSR1 / SIGUSR2 / JSON dump files."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import VIGIL_READY, VIGIL_WHY
from lib.awaits import wait_for_file, wait_for_listener
from lib.kaconf import Instance, render_config
from lib.pairs import assert_master
from lib.routers import Vigil, build_dir

pytestmark = pytest.mark.skipif(not VIGIL_READY, reason=VIGIL_WHY)

VIP = "192.0.2.100"
FAST = dict(version=3, advert_int=0.5)
METRICS_PORT = 9650
# Bounded re-checks for state that has no event stream (a status reply, a scrape): how long
# to keep asking, and how often.
SETTLE = 15
RECHECK = 0.2


def vigilctl() -> str:
    return os.path.join(build_dir(), "vigilctl")


class ControlledVigil(Vigil):
    """vigild with its dump files in its work directory (next to the control socket every Vigil
    has there), vigilctl helpers and, optionally, a NOTIFY_SOCKET (passed through env(1) so the
    daemon keeps the namespace's pid)."""

    def __init__(self, *args, notify_socket: str | None = None,
                 watchdog_usec: int | None = None, **kw) -> None:
        super().__init__(*args, **kw)
        self.notify_socket = notify_socket
        self.watchdog_usec = watchdog_usec

    def argv(self) -> list[str]:
        argv = super().argv() + ["--dump-dir", self.workdir]
        if self.notify_socket:
            env = [f"NOTIFY_SOCKET={self.notify_socket}"]
            if self.watchdog_usec:
                env.append(f"WATCHDOG_USEC={self.watchdog_usec}")  # as systemd's WatchdogSec=
            argv = ["env", *env] + argv
        return argv

    def ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        res = subprocess.run([vigilctl(), "--socket", self.control_socket, *args],
                             capture_output=True, text=True, timeout=20)
        if check and res.returncode != 0:
            raise AssertionError(f"vigilctl {' '.join(args)} failed ({res.returncode}): "
                                 f"{res.stderr}{res.stdout}")
        return res

    def status(self) -> dict:
        return json.loads(self.ctl("status", "--json").stdout)

    def instance(self, name: str = "VI_1") -> dict:
        return next(i for i in self.status()["instances"] if i["name"] == name)

    def wait_instance(self, predicate, name: str = "VI_1", timeout: float = SETTLE) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                inst = self.instance(name)
            except AssertionError:
                inst = None  # the socket is not up yet
            if inst is not None and predicate(inst):
                return inst
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {name} never matched; last status {inst}")
            time.sleep(RECHECK)


def start(topo, ns, name: str, instances: list[Instance], global_extra=(), **kw) -> ControlledVigil:
    text = render_config(instances, name, global_extra=list(global_extra))
    r = topo._own(ControlledVigil(ns, text, topo.workdir, name, **kw))
    r.start()
    r.wait_log(r"control socket listening", timeout=SETTLE)
    return r


# --- Prometheus text ----------------------------------------------------------------------
def parse_metrics(text: str) -> list[tuple[str, dict, float]]:
    """(name, labels, value) per sample, parsed by Prometheus' reference Python parser (which
    raises on a malformed line), plus what it lets through: a family declared twice, a
    histogram whose buckets are not cumulative or whose +Inf bucket is not its count."""
    out = []
    seen: set[str] = set()
    for fam in text_string_to_metric_families(text):
        assert fam.name not in seen, f"family {fam.name} declared twice"
        seen.add(fam.name)
        assert fam.type in ("counter", "gauge", "histogram"), (fam.name, fam.type)
        if fam.type == "histogram":
            series: dict[tuple, list] = {}
            for smp in fam.samples:
                if smp.name.endswith("_bucket"):
                    key = tuple(sorted((k, v) for k, v in smp.labels.items() if k != "le"))
                    series.setdefault(key, []).append((float(smp.labels["le"]), smp.value))
            counts = {tuple(sorted(smp.labels.items())): smp.value
                      for smp in fam.samples if smp.name.endswith("_count")}
            for key, buckets in series.items():
                values = [v for _, v in sorted(buckets)]
                assert values == sorted(values), f"{fam.name}{key}: buckets not cumulative"
                assert sorted(buckets)[-1][0] == float("inf") and values[-1] == counts[key], key
        out += [(smp.name, dict(smp.labels), float(smp.value)) for smp in fam.samples]
    return out


def scrape(ns) -> list[tuple[str, dict, float]]:
    res = ns.exec(["curl", "-sS", "--max-time", "5", f"http://127.0.0.1:{METRICS_PORT}/metrics"])
    return parse_metrics(res.stdout)


def metric(samples, name: str, **labels) -> float:
    for n, l, v in samples:
        if n == name and all(l.get(k) == val for k, val in labels.items()):
            return v
    raise AssertionError(f"no sample {name}{labels}")


def wait_metric(ns, name: str, value: float, timeout: float = SETTLE, **labels) -> None:
    deadline = time.monotonic() + timeout
    while True:
        got = metric(scrape(ns), name, **labels)
        if got == value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{name}{labels} is {got}, expected {value}")
        time.sleep(RECHECK)


def test_status_priority_offset_and_metrics(topo, lan_pair):
    p = lan_pair
    r1 = start(topo, p.node1, "node1", [Instance(state="MASTER", priority=100, **FAST)],
               global_extra=[f"vigil_metrics_listen 127.0.0.1:{METRICS_PORT}"])
    r2 = start(topo, p.node2, "node2", [Instance(state="BACKUP", priority=99, **FAST)])
    assert_master(p.node1, p.node2, VIP)

    a = r1.wait_instance(lambda i: i["state"] == "MASTER")
    assert a["priority"] == {"base": 100, "effective": 100, "offset": 0}
    assert a["master"]["address"] == p.addr4(1)
    assert a["addresses"] == [f"{VIP}/24"] and a["addresses_held"] is True
    assert a["last_transition"]["to"] == "MASTER"
    b = r2.wait_instance(lambda i: i["state"] == "BACKUP" and i["master"]["address"])
    assert b["master"]["address"] == p.addr4(1)
    assert b["master"]["priority"] == 100
    assert b["priority"]["effective"] == 99
    assert b["counters"]["adverts_received"] > 0

    table = r1.ctl("status").stdout
    assert re.search(r"^VI_1\s+MASTER\s+100/100\s+192\.0\.2\.1\s+192\.0\.2\.100/24", table, re.M), table

    wait_for_listener(p.node1, METRICS_PORT)
    samples = scrape(p.node1)
    assert metric(samples, "vigil_vrrp_state", instance="VI_1", state="MASTER") == 1
    assert metric(samples, "vigil_vrrp_priority", instance="VI_1") == 100
    assert metric(samples, "vigil_vrrp_adverts_sent_total", instance="VI_1") > 0

    # Maintenance: node1 drops to 40 < 99, node2 takes over; 0 gives node1 its VIP back.
    out = r1.ctl("instance", "VI_1", "priority-offset", "-60").stdout
    assert "effective priority 40" in out, out
    assert_master(p.node2, p.node1, VIP)
    wait_metric(p.node1, "vigil_vrrp_state", 0, instance="VI_1", state="MASTER")
    assert metric(scrape(p.node1), "vigil_vrrp_state", instance="VI_1", state="BACKUP") == 1
    assert metric(scrape(p.node1), "vigil_vrrp_priority", instance="VI_1") == 40
    assert metric(scrape(p.node1), "vigil_vrrp_priority_offset", instance="VI_1") == -60
    a = r1.wait_instance(lambda i: i["state"] == "BACKUP")
    assert a["master"]["address"] == p.addr4(2)

    r1.ctl("instance", "VI_1", "priority-offset", "0")
    assert_master(p.node1, p.node2, VIP)
    wait_metric(p.node1, "vigil_vrrp_state", 1, instance="VI_1", state="MASTER")
    assert metric(scrape(p.node1), "vigil_vrrp_transitions_total", instance="VI_1") >= 4

    # Errors are replies with a message and a non-zero exit, never a dead daemon.
    bad = r1.ctl("instance", "NO_SUCH", "priority-offset", "-1", check=False)
    assert bad.returncode == 1 and "no vrrp_instance" in bad.stderr
    assert r1.running and r1.instance()["state"] == "MASTER"


def test_vigilctl_without_daemon_or_permission(topo, lan_pair, tmp_path):
    missing = subprocess.run([vigilctl(), "--socket", str(tmp_path / "absent.ctl"), "status"],
                             capture_output=True, text=True, timeout=20)
    assert missing.returncode == 3
    assert "not running" in missing.stderr

    r1 = start(topo, lan_pair.node1, "node1", [Instance(state="MASTER", priority=100, **FAST)])
    mode = stat.S_IMODE(os.stat(r1.control_socket).st_mode)
    assert mode == 0o660
    # An unprivileged user outside the socket's group is turned away (by the file mode, or by
    # SO_PEERCRED if it got that far) with a clear message and its own exit code.
    denied = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                             vigilctl(), "--socket", r1.control_socket, "status"],
                            capture_output=True, text=True, timeout=20)
    assert denied.returncode == 4, denied.stderr
    assert "permission denied" in denied.stderr


def test_sd_notify_and_dump_signals(topo, lan_pair, tmp_path):
    notify_path = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    try:
        r1 = start(topo, lan_pair.node1, "node1",
                   [Instance(state="MASTER", priority=100, **FAST)], notify_socket=notify_path,
                   watchdog_usec=500_000)
        messages: list[str] = []

        def wait_message(pattern: str, timeout: float = SETTLE) -> str:
            deadline = time.monotonic() + timeout
            rx = re.compile(pattern, re.M)
            while True:
                for m in messages:
                    if rx.search(m):
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no sd_notify message /{pattern}/; got {messages}")
                listener.settimeout(left)
                try:
                    messages.append(listener.recv(4096).decode())
                except socket.timeout:
                    pass

        wait_message(r"^READY=1$")
        wait_message(r"^STATUS=1 instance: 1 master, 0 backup$")
        wait_message(r"^WATCHDOG=1$")

        data = os.path.join(r1.workdir, "keepalived.data")
        os.kill(r1.proc.pid, signal.SIGUSR1)
        text = wait_for_file(data, lambda t: "VRRP Instance = VI_1" in t)
        assert "------< VRRP Topology >------" in text
        assert "   State = MASTER" in text
        assert stat.S_IMODE(os.stat(data).st_mode) == 0o600

        stats = os.path.join(r1.workdir, "keepalived.stats")
        os.kill(r1.proc.pid, signal.SIGUSR2)
        text = wait_for_file(stats, lambda t: "Became master: 1" in t)
        assert re.search(r"^    Sent: [1-9]", text, re.M), text

        # STATS_CLEAR (keepalived's SIGRTMAX-1): the stats file as they were, then the counters
        # start again from zero; the instance stays master, so no transition counts anew.
        assert r1.instance()["counters"]["became_master"] == 1
        os.unlink(stats)
        clear_sig = int(subprocess.run([r1.binary(), "--signum=STATS_CLEAR"],
                                       capture_output=True, text=True, check=True).stdout)
        mark = r1.mark()
        os.kill(r1.proc.pid, clear_sig)
        text = wait_for_file(stats, lambda t: "Became master: 1" in t)
        r1.wait_log(r"vrrp: VRRP statistics cleared", since=mark)
        counters = r1.instance()["counters"]
        assert counters["became_master"] == 0 and counters["transitions"] == 0, counters
        os.unlink(stats)
        os.kill(r1.proc.pid, signal.SIGUSR2)
        text = wait_for_file(stats, lambda t: "Became master: 0" in t)
        assert r1.instance()["state"] == "MASTER"

        jpath = os.path.join(r1.workdir, "keepalived.json")
        json_sig = int(subprocess.run([r1.binary(), "--signum=JSON"], capture_output=True,
                                      text=True, check=True).stdout)
        os.kill(r1.proc.pid, json_sig)
        text = wait_for_file(jpath, lambda t: t.endswith("\n"))
        dump = json.loads(text)
        assert dump[0]["data"]["iname"] == "VI_1" and dump[0]["data"]["state"] == 2
        assert r1.running
    finally:
        listener.close()


def test_reload_through_vigilctl(topo, lan_pair):
    r1 = start(topo, lan_pair.node1, "node1", [Instance(state="MASTER", priority=100, **FAST)])
    r1.wait_instance(lambda i: i["state"] == "MASTER")
    r1.write_config("vrrp_instance VI_1 {\n    virtual_router_id 999\n}\n")
    bad = r1.ctl("reload", check=False)
    assert bad.returncode == 1, bad.stdout
    assert "running configuration kept" in bad.stderr
    assert r1.instance()["state"] == "MASTER"

    r1.write_config(render_config([Instance(state="MASTER", priority=120, **FAST)], "node1"))
    ok = r1.ctl("reload")
    assert "reloaded" in ok.stdout
    inst = r1.wait_instance(lambda i: i["priority"]["base"] == 120)
    assert inst["state"] == "MASTER"
