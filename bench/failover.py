#!/usr/bin/env python3
"""Failover time, vigil against keepalived, in the same namespaces (issue: VRRP engine).

For each implementation (both nodes run it) and each way of losing the master (SIGTERM: the
master sends priority 0, the backup waits Skew_Time; link cut: the backup waits
Master_Down_Interval), measures on the backup's wire (tcpdump, kernel timestamps) the time
from the last advert heard from the master to the backup's first gratuitous ARP, and reports
it against the protocol's own bound. Usage (root):
    bench/failover.py [--runs N] [--build DIR] [--case "0.01 s" ...] [--rt-priority P]
--rt-priority gives both implementations keepalived's `vrrp_rt_priority P` (real-time
scheduling of the VRRP process), for a machine whose cores are busy with other work.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "topo"))
from lib.awaits import wait_for_address  # noqa: E402
from lib.kaconf import Instance, render_config  # noqa: E402
from lib.netns import Lan, Namespace  # noqa: E402
from lib.routers import Keepalived, Vigil  # noqa: E402

VIP = "192.0.2.100"
CASES = [  # (label, version, advert_int seconds)
    ("v2 advert 1 s", 2, 1.0),
    ("v3 advert 0.1 s", 3, 0.1),
    ("v3 advert 0.01 s", 3, 0.01),
]


def bound(version, advert, prio, how):
    skew = (256 - prio) / 256 * (1.0 if version == 2 else advert)
    return skew if how == "sigterm" else 3 * advert + skew


def one_run(impl_cls, version, advert, how, work, global_extra=()):
    # A directory of its own per run: the previous run's processes were killed with SIGKILL, and
    # a killed child stays a zombie until init reaps it; its pid file in a shared directory made
    # keepalived (and vigild before d7ac4dd) refuse to start ("no stable start").
    workdir = tempfile.mkdtemp(dir=work)
    lan = Lan()
    n1, n2 = Namespace("node1"), Namespace("node2")
    try:
        lan.attach(n1, "eth0", ("192.0.2.1/24",))
        lan.attach(n2, "eth0", ("192.0.2.2/24",))
        kw = dict(version=version, advert_int=advert, vips=[f"{VIP}/24"])
        a = impl_cls(n1, render_config([Instance(state="MASTER", priority=100, **kw)], "n1",
                                       global_extra=global_extra), workdir, "node1").start()
        b = impl_cls(n2, render_config([Instance(state="BACKUP", priority=99, **kw)], "n2",
                                       global_extra=global_extra), workdir, "node2").start()
        try:
            wait_for_address(n1, "eth0", VIP, timeout=20)
            wait_for_address(n2, "eth0", VIP, present=False, timeout=20)
        except AssertionError as e:
            print(f"# {impl_cls.__name__}: no stable start ({e}); run skipped", file=sys.stderr)
            a.kill()
            b.kill()
            return None
        td = subprocess.Popen(n2.cmd(["tcpdump", "-l", "-n", "-tt", "--immediate-mode", "-i",
                                      "eth0", "ip proto 112 or arp"]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait until tcpdump sees adverts, so the capture is live before the failure.
        last_advert, garp = None, None
        deadline = time.monotonic() + 10
        while last_advert is None and time.monotonic() < deadline:
            if select.select([td.stdout], [], [], 1)[0]:
                line = td.stdout.readline()
                if "192.0.2.1 > 224.0.0.18" in line:
                    last_advert = float(line.split()[0])
        if how == "sigterm":
            a.stop()
        else:
            n1.link_set("eth0", False)
        deadline = time.monotonic() + 20
        while garp is None and time.monotonic() < deadline:
            if not select.select([td.stdout], [], [], 1)[0]:
                continue
            line = td.stdout.readline()
            t = float(line.split()[0]) if line[:1].isdigit() else None
            if "192.0.2.1 > 224.0.0.18" in line:
                last_advert = t
            elif re.search(rf"who-has {re.escape(VIP)}\b.*tell {re.escape(VIP)}\b", line):
                garp = t
        td.terminate()
        a.kill()
        b.kill()
        if last_advert is None or garp is None:
            return None
        return garp - last_advert
    finally:
        n1.close()
        n2.close()
        lan.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--case", action="append", help="only cases whose label contains this")
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--rt-priority", type=int, help="vrrp_rt_priority for both implementations")
    args = ap.parse_args()
    extra = [f"vrrp_rt_priority {args.rt_priority}"] if args.rt_priority else []
    os.environ["VIGIL_BUILD"] = os.path.abspath(args.build)
    work = tempfile.mkdtemp(prefix="vigil-bench-")
    print("| case | how | bound (s) | vigil median (s) | vigil / bound | keepalived median (s) | vigil / keepalived |")
    print("|---|---|---|---|---|---|---|")
    for label, version, advert in CASES:
        if args.case and not any(c in label for c in args.case):
            continue
        for how in ("sigterm", "linkcut"):
            res = {}
            for name, cls in (("vigil", Vigil), ("keepalived", Keepalived)):
                vals = [v for v in (one_run(cls, version, advert, how, work, extra)
                                    for _ in range(args.runs)) if v is not None]
                res[name] = sorted(vals)[len(vals) // 2] if vals else float("nan")
            b = bound(version, advert, 99, how)
            print(f"| {label} | {how} | {b:.4f} | {res['vigil']:.4f} | {res['vigil'] / b:.3f} "
                  f"| {res['keepalived']:.4f} | {res['vigil'] / res['keepalived']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
