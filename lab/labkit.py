"""Shared machinery of lab/vigil-lab: a live timeline, VIP watchers and the scenario drivers.

A driver builds the seed's hosts with tests/topo/lib, starts the chosen daemon on each node with
the scenario's keepalived.conf files, drives the steps, and checks each expected outcome with
the event-driven waits (never sleeps). It returns the list of failed checks; empty means PASS.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

LAB_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(LAB_DIR, "..", "tests", "topo"))

from lib.awaits import (WaitTimeout, wait_for_address, wait_for_file,  # noqa: E402
                        wait_for_listener, wait_for_neighbor, wait_for_ping)
from lib.netns import Namespace, namespace_pids as netns_pids  # noqa: E402
from lib.topology import Pair, Topology, pair  # noqa: E402

STEP_TIMEOUT = 15  # seconds; Master_Down_Interval with advert_int 1 is about 3.6 s


class Timeline:
    """Prints timestamped lines relative to the start, from any thread."""

    def __init__(self, out=sys.stdout, quiet: bool = False) -> None:
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.out = out
        self.quiet = quiet

    def mute(self) -> None:
        """Stops printing (tear-down's own VIP moves are not part of the story)."""
        self.quiet = True

    def __call__(self, msg: str) -> None:
        with self.lock:
            if self.quiet:
                return
            try:
                print(f"[{time.monotonic() - self.t0:7.2f}s] {msg}", file=self.out, flush=True)
            except BrokenPipeError:  # e.g. piped into `head`: keep running, stop printing
                self.quiet = True
                self.out = open(os.devnull, "w")


class VipWatcher:
    """Prints every add/removal of the watched addresses on a node, as netlink reports it."""

    def __init__(self, ns: Namespace, name: str, vips: list[str], timeline: Timeline) -> None:
        self.ns, self.name, self.vips, self.timeline = ns, name, vips, timeline
        self.events: list[tuple[str, bool]] = []  # (vip, added)
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(["ip", "-n", ns.name, "-o", "monitor", "address"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            m = re.search(r"inet6? ([0-9a-f.:]+)/", line)
            if m and m.group(1) in self.vips:
                gone = line.startswith("Deleted")
                self.timeline(f"{self.name}: VIP {m.group(1)} {'removed' if gone else 'added'}")
                with self.cond:
                    self.events.append((m.group(1), not gone))
                    self.cond.notify_all()

    def mark(self) -> int:
        with self.cond:
            return len(self.events)

    def wait_added(self, vip: str, since: int, timeout: float) -> None:
        """Waits for the VIP to have been added after event index `since` (even if it has
        gone again since: a short stay still counts)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while (vip, True) not in self.events[since:]:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WaitTimeout(f"{vip} was not added on {self.name} within {timeout}s")
                self.cond.wait(left)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.thread.join(timeout=5)


@dataclass
class Lab:
    """One running scenario: topology, daemons, timeline and the verdict's failed checks."""
    scenario: "Scenario"
    impl: str
    topo: Topology
    timeline: Timeline
    hosts: Pair
    routers: dict = field(default_factory=dict)
    watchers: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    follower: object = None

    def node(self, name: str) -> Namespace:
        return getattr(self.hosts, name)

    def where(self, vip: str) -> str:
        holders = [n for n in ("node1", "node2") if self.node(n).has_address("eth0", vip)]
        return "+".join(holders) or "nobody"

    def status(self) -> str:
        parts = [f"{vip} on {self.where(vip)}" for vip in self.scenario.vips]
        if self.follower:
            ok, lost = self.follower.counts()
            parts.append(f"client ping ok={ok} lost={lost}")
        return "; ".join(parts)

    def step(self, msg: str) -> None:
        self.timeline(f"== {msg}")

    def expect(self, what: str, check: Callable[[], object]) -> bool:
        """Runs one bounded wait; records a failure instead of raising."""
        try:
            check()
            self.timeline(f"ok   {what}  [{self.status()}]")
            return True
        except (WaitTimeout, AssertionError, RuntimeError) as e:
            self.timeline(f"FAIL {what}: {e}")
            self.failures.append(what)
            return False

    def expect_vip(self, vip: str, owner: str, other: str) -> bool:
        o, x = self.node(owner), self.node(other)
        return self.expect(f"{vip} on {owner} only", lambda: (
            wait_for_address(o, "eth0", vip, timeout=STEP_TIMEOUT),
            wait_for_address(x, "eth0", vip, present=False, timeout=STEP_TIMEOUT)))

    def expect_client_follows(self, vip: str, owner: str) -> bool:
        mac = self.node(owner).mac("eth0")
        return self.expect(f"client reaches {vip} and its ARP entry points to {owner} ({mac})",
                           lambda: (wait_for_ping(self.hosts.client, vip, timeout=STEP_TIMEOUT),
                                    wait_for_neighbor(self.hosts.client, vip, mac,
                                                      timeout=STEP_TIMEOUT)))

    def start(self, name: str) -> None:
        self.step(f"start {self.impl} on {name}")
        self.routers[name].start()

    def start_master_first(self, vip: str) -> None:
        """Starts node1, waits until it holds `vip`, then starts node2. Starting both at the
        same instant races two equal-length Master_Down timers (state MASTER still waits one in
        keepalived and vigil), which can hand the VIP to node2 for a moment; the seed starts
        node1 first too."""
        self.start("node1")
        self.expect(f"{vip} on node1", lambda: wait_for_address(self.node("node1"), "eth0", vip,
                                                                timeout=STEP_TIMEOUT))
        self.start("node2")

    def stop(self, name: str) -> None:
        self.step(f"stop {self.impl} on {name} (SIGTERM)")
        self.routers[name].stop()

    def follow(self, vip: str) -> None:
        def on_ping(ts: float, seq: int, ok: bool, state={"ok": None}) -> None:
            if state["ok"] is not ok:
                if state["ok"] is not None:
                    self.timeline(f"client: ping {vip} {'answered again' if ok else 'LOST'}"
                                  f" (seq {seq})")
                state["ok"] = ok
        self.follower = self.topo.ping_follower(self.hosts.client, vip, on_event=on_ping).start()
        self.timeline(f"client: pinging {vip} every 50 ms")


@dataclass
class Scenario:
    key: str
    title: str
    directory: str | None
    summary: str
    vips: list[str] = field(default_factory=list)
    driver: Callable[[Lab], None] | None = None
    # Daemons that can run it here, and the `vigild --version` feature it needs beyond VRRP.
    impls: tuple[str, ...] = ("vigil", "keepalived")
    feature: str | None = None
    why_not: str = ""  # why an implementation missing from `impls` cannot run it here

    @property
    def available(self) -> bool:
        return self.driver is not None


def node_config(lab_dir: str, scenario: Scenario, node: str, etc_dir: str) -> str:
    """The scenario's config text for a node, with /etc/keepalived/ pointing at the node's own
    copy of the scenario directory (both nodes share one filesystem in the lab). Other files of
    the scenario (scripts, nginx.conf) are copied there with the same substitution."""
    src = os.path.join(LAB_DIR, scenario.directory)
    os.makedirs(etc_dir, exist_ok=True)
    prefix = etc_dir.rstrip("/") + "/"
    for entry in os.listdir(src):
        if re.fullmatch(r"node\d+\.conf", entry):
            continue
        dst = os.path.join(etc_dir, entry)
        shutil.copy2(os.path.join(src, entry), dst)
        with open(dst) as f:
            text = f.read()
        with open(dst, "w") as f:
            f.write(text.replace("/etc/keepalived/", prefix))
    with open(os.path.join(src, f"{node}.conf")) as f:
        return f.read().replace("/etc/keepalived/", prefix)


# --- drivers ------------------------------------------------------------------------------

def drive_s1(lab: Lab) -> None:
    vip = lab.scenario.vips[0]
    lab.start_master_first(vip)
    lab.expect_vip(vip, "node1", "node2")
    lab.follow(vip)
    lab.expect_client_follows(vip, "node1")
    lab.stop("node1")
    lab.expect_vip(vip, "node2", "node1")
    lab.expect_client_follows(vip, "node2")
    lab.start("node1")
    lab.expect_vip(vip, "node1", "node2")
    lab.expect_client_follows(vip, "node1")


def drive_s2(lab: Lab) -> None:
    vip1, vip2 = lab.scenario.vips
    lab.start("node1")
    lab.start("node2")
    lab.expect_vip(vip1, "node1", "node2")
    lab.expect_vip(vip2, "node2", "node1")
    lab.follow(vip1)
    lab.stop("node1")
    lab.expect_vip(vip1, "node2", "node1")
    lab.expect_vip(vip2, "node2", "node1")
    lab.expect_client_follows(vip1, "node2")
    lab.start("node1")
    lab.expect_vip(vip1, "node1", "node2")
    lab.expect_vip(vip2, "node2", "node1")
    lab.expect_client_follows(vip1, "node1")


def drive_s4(lab: Lab) -> None:
    vip = lab.scenario.vips[0]
    down = os.path.join(lab.topo.workdir, "node1-etc", "down")
    lab.start_master_first(vip)
    lab.expect_vip(vip, "node1", "node2")
    lab.follow(vip)
    lab.step(f"create {down} on node1 (chk_down fails, priority 100-10=90 < 99)")
    open(down, "w").close()
    lab.expect_vip(vip, "node2", "node1")
    lab.expect_client_follows(vip, "node2")
    lab.step(f"remove {down} (priority back to 100, node1 preempts)")
    os.unlink(down)
    lab.expect_vip(vip, "node1", "node2")
    lab.expect_client_follows(vip, "node1")


class LineSink:
    """A process in a namespace whose output lines can be awaited (like Router.wait_log)."""

    def __init__(self, ns: Namespace, argv: list[str], timeline: Timeline, name: str,
                 narrate: Callable[[str], str | None]) -> None:
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.timeline, self.name, self.narrate = timeline, name, narrate
        self.proc = subprocess.Popen(ns.cmd(argv), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            said = self.narrate(line)
            if said:
                self.timeline(f"{self.name}: {said}")
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def wait(self, regex: str, timeout: float, since: int = 0) -> None:
        pattern = re.compile(regex)
        deadline = time.monotonic() + timeout
        with self.cond:
            while not any(pattern.search(line) for line in self.lines[since:]):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WaitTimeout(f"{self.name}: nothing matching /{regex}/ in {timeout}s")
                self.cond.wait(left)

    def mark(self) -> int:
        with self.cond:
            return len(self.lines)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.thread.join(timeout=5)


def drive_s3(lab: Lab) -> None:
    vip = lab.scenario.vips[0]
    client = lab.hosts.client

    def subject(line: str) -> str | None:
        m = re.search(r"Subject: ([^'\"]*)", line)
        return f"mail received: {m.group(1)}" if m else None
    # Python 3.11's smtpd prints every message it receives: the lab's mail server.
    mail = lab.topo._own(LineSink(client, ["python3", "-W", "ignore", "-u", "-m", "smtpd", "-n",
                                           "-c", "DebuggingServer", "192.0.2.10:25"],
                                  lab.timeline, "client smtp", subject))
    lab.expect("client: SMTP sink listening on 192.0.2.10:25",
               lambda: wait_for_listener(client, 25, STEP_TIMEOUT))
    logs = {n: os.path.join(lab.topo.workdir, f"{n}-etc", "notify.log") for n in ("node1", "node2")}

    def notified(node: str, state: str):
        return lambda: wait_for_file(logs[node], lambda t: f"to be {state}," in t.splitlines()[-1]
                                     if t else False, timeout=STEP_TIMEOUT)

    def mailed(router_id: str, state: str, since: int):
        return lambda: mail.wait(rf"Subject: \[{router_id}\] VRRP Instance VI_1 - Entering "
                                 rf"{state} state", STEP_TIMEOUT, since)
    m0 = mail.mark()
    lab.start_master_first(vip)
    lab.expect_vip(vip, "node1", "node2")
    lab.expect("node1's notify_master ran", notified("node1", "master"))
    lab.expect("node2's notify_backup ran", notified("node2", "backup"))
    lab.expect("mail: node1 entering MASTER", mailed("node1", "MASTER", m0))
    m1 = mail.mark()
    lab.stop("node1")
    lab.expect_vip(vip, "node2", "node1")
    lab.expect("node2's notify_master ran", notified("node2", "master"))
    lab.expect("mail: node2 entering MASTER", mailed("node2", "MASTER", m1))
    m2 = mail.mark()
    lab.start("node1")
    lab.expect_vip(vip, "node1", "node2")
    lab.expect("node2's notify_backup ran", notified("node2", "backup"))
    lab.expect("mail: node1 entering MASTER", mailed("node1", "MASTER", m2))
    lab.expect("mail: node2 entering BACKUP", mailed("node2", "BACKUP", m2))


def kill_named(ns: Namespace, comm: str) -> int:
    """SIGKILLs every process called `comm` in the namespace (like `killall -9`, one node only)."""
    killed = 0
    for pid in netns_pids(ns.name):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != comm:
                    continue
            os.kill(pid, 9)
            killed += 1
        except (FileNotFoundError, ProcessLookupError):
            pass
    return killed


def curl_ok(client: Namespace, url: str, timeout: float) -> str:
    """Fetches url from the client until one answer comes (each try bounded to 2 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        res = client.exec(["curl", "-sf", "-m", "2", url], check=False, timeout=10)
        if res.returncode == 0 and res.stdout.strip():
            return res.stdout.strip()
    raise WaitTimeout(f"no HTTP answer from {url} within {timeout}s")


def drive_s6(lab: Lab) -> None:
    vip = lab.scenario.vips[0]
    topo = lab.topo
    lan2 = topo.lan("web")
    for node, n in (("node1", 1), ("node2", 2)):
        lan2.attach(lab.node(node), "eth1", (f"198.51.100.{n}/24",))
    lab.timeline("upstream LAN 198.51.100.0/24: web1 .11, web2 .12 (python http.server :8080)")
    servers = {}
    for name, n in (("web1", 11), ("web2", 12)):
        docroot = os.path.join(topo.workdir, name)
        os.makedirs(docroot, exist_ok=True)
        with open(os.path.join(docroot, "index.html"), "w") as f:
            f.write(f"{name}\n")
        web = topo.host(name, lan2, (f"198.51.100.{n}/24",))
        servers[name] = topo._own(LineSink(
            web, ["python3", "-u", "-m", "http.server", "8080", "--bind", f"198.51.100.{n}",
                  "-d", docroot], lab.timeline, name, lambda line: None))
    for name, server in servers.items():
        # nginx marks an upstream dead for 10 s after one refused connection: wait until ready.
        lab.expect(f"{name} serving", lambda: server.wait(r"Serving HTTP", STEP_TIMEOUT))
    for node in ("node1", "node2"):
        etc = os.path.join(topo.workdir, f"{node}-etc")
        os.makedirs(os.path.join(etc, "tmp"), exist_ok=True)
        lab.node(node).exec(["nginx", "-c", f"{etc}/nginx.conf", "-p", etc])
        lab.timeline(f"{node}: nginx started (reverse proxy to web1, web2)")
    lab.start_master_first(vip)
    lab.expect_vip(vip, "node1", "node2")
    lab.expect(f"client gets a page through http://{vip}/",
               lambda: lab.timeline(f"client: http://{vip}/ -> "
                                    f"{curl_ok(lab.hosts.client, f'http://{vip}/', STEP_TIMEOUT)}"))
    mark = lab.watchers["node2"].mark()
    lab.step("kill nginx on node1 (chk_nginx fails: 100-5=95 < 99)")
    kill_named(lab.node("node1"), "nginx")
    lab.expect(f"{vip} moved to node2",
               lambda: lab.watchers["node2"].wait_added(vip, mark, STEP_TIMEOUT))
    lab.expect("node1's notify script restarted nginx",
               lambda: wait_for_file(os.path.join(topo.workdir, "node1-etc", "notify.log"),
                                     lambda t: "nginx restarted" in t, timeout=STEP_TIMEOUT))
    lab.expect_vip(vip, "node1", "node2")
    lab.expect(f"client still gets a page through http://{vip}/",
               lambda: curl_ok(lab.hosts.client, f"http://{vip}/", STEP_TIMEOUT))


class WebServer:
    """A python http.server on port 80 in a namespace, serving one page that names its host."""

    def __init__(self, lab: Lab, ns: Namespace, name: str, body: str) -> None:
        self.lab, self.ns, self.name = lab, ns, name
        self.docroot = os.path.join(lab.topo.workdir, f"www-{name}")
        os.makedirs(self.docroot, exist_ok=True)
        with open(os.path.join(self.docroot, "index.html"), "w") as f:
            f.write(body + "\n")
        self.sink: LineSink | None = None

    def start(self) -> None:
        self.sink = LineSink(self.ns, ["python3", "-u", "-m", "http.server", "80", "-d",
                                       self.docroot], self.lab.timeline, self.name,
                             lambda line: None)
        self.lab.expect(f"{self.name}: web server listening on :80",
                        lambda: wait_for_listener(self.ns, 80, STEP_TIMEOUT))

    def stop(self) -> None:
        if self.sink:
            self.lab.step(f"stop the web server on {self.name}")
            self.sink.close()
            self.sink = None

    def close(self) -> None:
        if self.sink:
            self.sink.close()


def fetch(client: Namespace, url: str) -> str | None:
    """One bounded HTTP GET from the client; the page's text, or None when it failed."""
    res = client.exec(["curl", "-sf", "-m", "2", url], check=False, timeout=10)
    return res.stdout.strip() if res.returncode == 0 and res.stdout.strip() else None


def wait_pages(client: Namespace, url: str, want: set[str], timeout: float,
               streak: int = 0) -> list[str]:
    """Fetches until every page in `want` was served; with `streak`, until that many answers
    in a row came only from `want` (a removed server must stay out). Returns the answers."""
    seen: list[str] = []
    run = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = fetch(client, url)
        seen.append(page or "(failed)")
        run = run + 1 if page in want else 0
        if want <= set(seen[-max(streak, 1) * 4:]) and run >= max(streak, 1):
            return seen
    raise WaitTimeout(f"{url}: wanted {sorted(want)}"
                      f"{f' ({streak} in a row)' if streak else ''}, last answers {seen[-8:]}")


class LvsLogFollower:
    """Puts a daemon's load-balancer log lines (a real server added to or removed from the pool,
    quorum lost or gained, the sorry server in or out) on the timeline as they are logged."""

    PATTERN = re.compile(r"((?:Adding|Removing) (?:service|sorry server|alive servers).*"
                         r"|(?:Lost|Gained) quorum.*|Starting with quorum down.*"
                         r"|data plane \(.*)$")

    def __init__(self, router, name: str, timeline: Timeline) -> None:
        self.router, self.name, self.timeline = router, name, timeline
        self.closed = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        r, idx = self.router, 0
        while not self.closed:
            with r._cond:
                if idx >= len(r.lines):
                    r._cond.wait(0.5)
                new, idx = r.lines[idx:], len(r.lines)
            for line in new:
                m = self.PATTERN.search(line.rstrip())
                if m:
                    self.timeline(f"{self.name}: {m.group(1)}")

    def close(self) -> None:
        self.closed = True
        self.thread.join(timeout=2)


def drive_s5(lab: Lab) -> None:
    vip = lab.scenario.vips[0]
    topo, client = lab.topo, lab.hosts.client
    for node in ("node1", "node2"):
        topo._own(LvsLogFollower(lab.routers[node], node, lab.timeline))
    url = f"http://{vip}/"
    setup = os.path.join(LAB_DIR, lab.scenario.directory, "rs-setup.sh")
    web = {}
    for name, n in (("rs1", 21), ("rs2", 22)):
        ns = topo.host(name, lab.hosts.lan, (f"192.0.2.{n}/24",))
        ns.exec(["sh", setup, vip])
        lab.timeline(f"{name} 192.0.2.{n}: VIP {vip} on lo, arp_ignore=1 arp_announce=2")
        web[name] = topo._own(WebServer(lab, ns, name, name))
    for node in ("node1", "node2"):
        web[node] = topo._own(WebServer(lab, lab.node(node), f"{node}-sorry",
                                        f"sorry from {node}"))
    for server in web.values():
        server.start()

    def answers(want: set[str], streak: int = 0):
        def check() -> None:
            got = wait_pages(client, url, want, STEP_TIMEOUT, streak)
            lab.timeline(f"client: {url} -> {', '.join(got[-6:])}")
        return check

    lab.start_master_first(vip)
    lab.expect_vip(vip, "node1", "node2")
    lab.expect("client's requests are spread over rs1 and rs2", answers({"rs1", "rs2"}))
    web["rs1"].stop()
    lab.expect("rs1 leaves the pool: only rs2 answers", answers({"rs2"}, streak=6))
    web["rs1"].start()
    lab.expect("rs1 is back in the pool", answers({"rs1", "rs2"}))
    lab.stop("node1")
    lab.expect_vip(vip, "node2", "node1")
    lab.expect("service continues through node2", answers({"rs1", "rs2"}))
    web["rs1"].stop()
    web["rs2"].stop()
    lab.expect("both real servers down: node2's sorry server answers",
               answers({"sorry from node2"}, streak=3))
    lab.start("node1")
    lab.expect_vip(vip, "node1", "node2")
    lab.expect("node1 took the VIP back: its sorry server answers",
               answers({"sorry from node1"}, streak=3))
    web["rs1"].start()
    lab.expect("one real server is back: the sorry server goes offline", answers({"rs1"}, streak=6))


SCENARIOS = [
    Scenario("S1", "single master", "s1-single-master",
             "node1 MASTER 100, node2 BACKUP 99, VIP 192.0.2.100; stop node1 -> VIP and the "
             "client's ARP move to node2; start node1 -> it preempts back",
             ["192.0.2.100"], drive_s1),
    Scenario("S2", "dual master", "s2-dual-master",
             "VI_1 (192.0.2.100) master on node1, VI_2 (192.0.2.101) master on node2; stop "
             "node1 -> node2 holds both; start node1 -> each node has its own again",
             ["192.0.2.100", "192.0.2.101"], drive_s2),
    Scenario("S3", "notify scripts + smtp_alert", "s3-notify-smtp",
             "S1 plus notify_master/backup/fault scripts and smtp_alert: every transition runs "
             "notify.sh and mails the client's SMTP server (192.0.2.10)",
             ["192.0.2.100"], drive_s3),
    Scenario("S4", "dynamic priority (track script)", "s4-dynamic-priority",
             "chk_down fails while a `down` file exists, weight -10: VIP moves to node2 and "
             "comes back when the file is removed",
             ["192.0.2.100"], drive_s4),
    Scenario("S5", "LVS-DR director pair", "s5-lvs-dr",
             "two directors (VRRP, VIP 192.0.2.100) program the same LVS-DR service (nftables "
             "data plane) over rs1/rs2 with HTTP_GET checks: a dead real server leaves the pool, "
             "both dead -> the director's sorry server answers, the master director stopped -> "
             "node2 serves", ["192.0.2.100"], drive_s5, impls=("vigil",), feature="lvs-nft",
             why_not="keepalived needs IPVS, which this kernel lacks (CONFIG_IP_VS off)"),
    Scenario("S6", "nginx reverse-proxy pair", "s6-nginx-pair",
             "nginx on both nodes proxies to web1/web2; chk_nginx (weight -5) tracks it: nginx "
             "killed on node1 -> VIP moves to node2, the notify script restarts nginx, node1 "
             "takes the VIP back", ["192.0.2.100"], drive_s6),
]


def find(key: str) -> Scenario | None:
    return next((s for s in SCENARIOS if s.key.lower() == key.lower()), None)


def run_scenario(scenario: Scenario, impl: str, workdir: str, timeline: Timeline) -> list[str]:
    """Builds, drives and tears down one scenario; returns the failed checks."""
    from lib.routers import router_class
    with Topology(workdir) as topo:
        timeline(f"building hosts node1, node2, client on LAN 192.0.2.0/24")
        hosts = pair(topo)
        lab = Lab(scenario, impl, topo, timeline, hosts)
        for node in ("node1", "node2"):
            text = node_config(LAB_DIR, scenario, node, os.path.join(workdir, f"{node}-etc"))
            lab.routers[node] = topo.router(impl, lab.node(node), text, node)
            lab.watchers[node] = topo._own(VipWatcher(lab.node(node), node, scenario.vips,
                                                      timeline))
        timeline(f"logs: {workdir}/node*-{router_class(impl).impl}/daemon.log")
        scenario.driver(lab)
        if lab.follower:
            ok, lost = lab.follower.counts()
            timeline(f"client ping totals: ok={ok} lost={lost}, longest gap "
                     f"{lab.follower.longest_outage():.2f}s")
        timeline.mute()
        return lab.failures
