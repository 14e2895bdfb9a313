#!/usr/bin/env python3
"""Flood of hostile VRRP adverts at a vigil master (issue 7), with Debian's keepalived as the
backup, in namespaces: bench/tools/vrrp_flood sends RATE frames/s for SECONDS from an attacker
on the LAN, a round-robin mix of priority-254 adverts with a wrong password (auth_failure), a
bad checksum (bad_checksum) and another VRID (the router-wide vrid_errors). Reports what
was sent, what vigild counted per reason, what the kernel dropped at vigild's socket (its
receive buffer full), vigild's CPU seconds during the flood, and whether anything changed:
the master must stay master, its VIP never removed, the backup never takes it.
The backup is keepalived by default or vigild (`--backup vigil`). The result judges vigil: the
master keeps its role and its VIP, and a vigild backup never takes the VIP; a keepalived
backup taking it is reported (keepalived logs every bad advert and falls behind its socket).
Usage (root): bench/flood.py [--build DIR] [--rate 100000] [--seconds 5] [--backup vigil]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "topo"))
from lib.awaits import wait_for_address  # noqa: E402
from lib.hostile import advert_v2, frame  # noqa: E402
from lib.kaconf import Instance, render_config  # noqa: E402
from lib.netns import Lan, Namespace  # noqa: E402
from lib.routers import Keepalived, Vigil  # noqa: E402

VIP, PASSWORD, ATTACKER = "192.0.2.100", "secret1", "192.0.2.10"


class ControlledVigil(Vigil):
    def status(self, vigilctl):
        out = subprocess.run([vigilctl, "--socket", self.control_socket, "status", "--json"],
                             capture_output=True, text=True, timeout=30, check=True)
        return json.loads(out.stdout)

    def instance(self, vigilctl):
        return self.status(vigilctl)["instances"][0]


def session_cpu_seconds(sid: int) -> float:
    """User + system CPU of every process in vigild's session (the daemon and any workers)."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def raw_socket_drops(ns: Namespace) -> int:
    """Frames the kernel dropped at raw sockets in the namespace (receive buffer full)."""
    lines = ns.exec(["cat", "/proc/net/raw"]).stdout.splitlines()[1:]
    return sum(int(line.split()[-1]) for line in lines if line.strip())


class VipWatch:
    """`ip monitor address` on one node: counts the VIP's deletions (node1) or additions (node2)."""

    def __init__(self, ns: Namespace, prefix: str):
        self.hits = 0
        self.proc = subprocess.Popen(["ip", "-n", ns.name, "-o", "monitor", "address"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.prefix = prefix
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if f" {VIP}/" in line and line.startswith(self.prefix):
                self.hits += 1

    def close(self):
        self.proc.kill()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--rate", type=float, default=100_000)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--backup", choices=("keepalived", "vigil"), default="keepalived")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.environ["VIGIL_BUILD"] = build
    sender = os.path.join(build, "bench", "vrrp_flood")
    vigilctl = os.path.join(build, "vigilctl")
    for path in (sender, vigilctl):
        if not os.access(path, os.X_OK):
            sys.exit(f"{path} not built (cmake -DVIGIL_BENCH=ON)")

    lan = Lan()
    n1, n2, att = Namespace("node1"), Namespace("node2"), Namespace("attacker")
    owned = []
    try:
        lan.attach(n1, "eth0", ("192.0.2.1/24",))
        lan.attach(n2, "eth0", ("192.0.2.2/24",))
        lan.attach(att, "eth0", (f"{ATTACKER}/24",))
        work = tempfile.mkdtemp(prefix="vigil-flood-")
        inst = dict(vrid=51, advert_int=1, auth_pass=PASSWORD, vips=[f"{VIP}/24"])
        master = ControlledVigil(n1, render_config([Instance(state="MASTER", priority=100, **inst)],
                                                   "n1"), work, "node1").start()
        owned.append(master)
        master.wait_log(r"control socket listening", timeout=20)
        peer = ControlledVigil if args.backup == "vigil" else Keepalived
        backup = peer(n2, render_config([Instance(state="BACKUP", priority=50, **inst)], "n2"),
                      work, "node2").start()
        owned.append(backup)
        wait_for_address(n1, "eth0", VIP, timeout=20)
        deadline = time.monotonic() + 20
        while master.instance(vigilctl)["state"] != "MASTER":
            assert time.monotonic() < deadline, "vigild never became master"
            time.sleep(0.2)
        removed, taken = VipWatch(n1, "Deleted"), VipWatch(n2, "")
        owned += [removed, taken]

        mac = att.mac("eth0")
        bad = dict(src=ATTACKER, priority=254, vips=[VIP])
        frames = [frame(advert_v2(vrid=51, password="letmein", **bad), mac),
                  frame(advert_v2(vrid=51, password=PASSWORD, chksum=0x1234, **bad), mac),
                  frame(advert_v2(vrid=52, password=PASSWORD, **bad), mac)]
        before = master.instance(vigilctl)["counters"]
        vrid0 = master.status(vigilctl)["counters"]["vrid_errors"]
        drops0 = raw_socket_drops(n1)
        cpu0 = session_cpu_seconds(master.proc.pid)
        res = att.exec([sender, "eth0", str(args.rate), str(args.seconds),
                        *(f.hex() for f in frames)], timeout=args.seconds * 10 + 30)
        sent = dict(kv.split("=") for kv in res.stdout.split())
        # Counters are read until they stop moving (vigild drains its socket after the flood).
        last, stable_since = None, time.monotonic()
        while time.monotonic() - stable_since < 1.0:
            c = master.instance(vigilctl)["counters"]
            if c != last:
                last, stable_since = c, time.monotonic()
            time.sleep(0.2)
        cpu = session_cpu_seconds(master.proc.pid) - cpu0
        after = master.instance(vigilctl)
        c = after["counters"]
        delta = {k: c["discards"][k] - before["discards"].get(k, 0) for k in c["discards"]}
        delta = {k: v for k, v in delta.items() if v}
        other = master.status(vigilctl)["counters"]["vrid_errors"] - vrid0
        counted = sum(delta.values()) + other
        drops = raw_socket_drops(n1) - drops0
        print(f"sent {sent['sent']} frames in {float(sent['seconds']):.2f} s "
              f"({float(sent['rate']):,.0f} frames/s)")
        print(f"counted by vigild: {counted} ({delta}, vrid_errors {other}); "
              f"dropped by the kernel at raw sockets in node1: {drops}")
        print(f"vigild CPU during the flood: {cpu:.2f} s"
              + (f" ({cpu / counted * 1e6:.1f} us per counted frame)" if counted else ""))
        print(f"state {after['state']}, VIP removals on the master {removed.hits}, "
              f"VIP events on the {args.backup} backup {taken.hits}, "
              f"backup holds the VIP: {n2.has_address('eth0', VIP)}")
        backup_held = taken.hits == 0 or args.backup == "keepalived"
        ok = (after["state"] == "MASTER" and removed.hits == 0 and backup_held
              and n1.has_address("eth0", VIP) and counted > 0)
        print("result:", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        for o in reversed(owned):
            (o.kill if hasattr(o, "kill") else o.close)()
        for ns in (att, n2, n1):
            ns.close()
        lan.close()


if __name__ == "__main__":
    sys.exit(main())
