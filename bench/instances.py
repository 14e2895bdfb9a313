#!/usr/bin/env python3
"""CPU and memory of one daemon running many VRRP instances, vigil against keepalived.

One namespace with IFACES interfaces (each on its own bridge LAN, nobody else on it), N
instances spread over them (VRID 1..250 per interface), every instance MASTER with one VIP and
advert_int 1 s, so the daemon sends N adverts per second and runs N timers. After every VIP is
present and the gratuitous ARP bursts are over (garp_master_delay 5 s, so a further SETTLE
seconds), the daemon's CPU time (utime + stime of all its processes, from /proc) is sampled over
a window, and its resident memory (VmRSS and Pss summed over its processes) read at the end.
Usage (root):
    bench/instances.py [--instances 1000] [--window 30] [--settle 10] [--build DIR]
                       [--only vigil|keepalived] [--wrap 'heaptrack -o FILE']
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "topo"))
from lib.kaconf import Instance, render_config  # noqa: E402
from lib.netns import Lan, Namespace, namespace_pids  # noqa: E402
from lib.routers import Keepalived, Vigil  # noqa: E402

PER_IFACE = 250
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Documentation ranges only: interface k takes its VIPs from RANGES[k % 3], VRID as last byte.
RANGES = ["192.0.2.{}", "198.51.100.{}", "203.0.113.{}"]


def instances(n):
    out = []
    for i in range(n):
        iface, vrid = divmod(i, PER_IFACE)
        vip = RANGES[iface % len(RANGES)].format(vrid + 1)
        out.append(Instance(name=f"VI_{i}", interface=f"eth{iface}", vrid=vrid + 1,
                            state="MASTER", priority=100, advert_int=1,
                            vips=[f"{vip}/32"]))
    return out


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (after pid, comm)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total / CLK_TCK


def proc_field_kib(pids, path, field):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/{path}") as f:
                for line in f:
                    if line.startswith(field):
                        total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def rss_kib(pids):
    return proc_field_kib(pids, "status", "VmRSS:")


def pss_kib(pids):
    """Proportional set size: pages shared between the daemon's own processes (the binary and
    its libraries, mapped by parent and workers alike) count once in the sum, as they take
    memory once. RSS counts them in every process."""
    return proc_field_kib(pids, "smaps_rollup", "Pss:")


def daemon_pids(ns, names):
    """The daemon's processes in the namespace (not the tcpdump/ip helpers), by executable:
    vigild, its workers vigild-vrrp and vigild-check, or keepalived."""
    out = []
    for pid in namespace_pids(ns.name):
        try:
            if os.path.basename(os.readlink(f"/proc/{pid}/exe")) in names:
                out.append(pid)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return out


def vip_count(ns):
    res = ns.exec(["ip", "-o", "-4", "addr", "show"], check=False)
    return sum(1 for line in res.stdout.splitlines() if "/32 " in line)


def wrapped(cls, prefix):
    """The router class with its daemon started under `prefix` (e.g. heaptrack)."""
    class Wrapped(cls):
        def argv(self):
            return [*prefix, *super().argv()]
    Wrapped.__name__ = cls.__name__
    return Wrapped


def run(impl_cls, names, n, window, settle_extra, workdir, wrapper=False):
    ifaces = (n + PER_IFACE - 1) // PER_IFACE
    lans, ns = [], Namespace("many")
    try:
        for k in range(ifaces):
            lan = Lan(f"l{k}")
            lans.append(lan)
            lan.attach(ns, f"eth{k}", (f"{RANGES[k % 3].format(254 - k // 3)}/24",))
        text = render_config(instances(n), "bench")
        d = impl_cls(ns, text, workdir, impl_cls.__name__.lower()).start()
        try:
            t0 = time.monotonic()
            # All VIPs up: every instance became master (Master_Down_Interval ~3.6 s). Re-read
            # every 0.5 s with a bound; this is a benchmark harness, not a test.
            while vip_count(ns) < n:
                if time.monotonic() - t0 > 120:
                    raise RuntimeError(f"only {vip_count(ns)} of {n} VIPs after 120 s")
                time.sleep(0.5)
            settle = time.monotonic() - t0
            time.sleep(settle_extra)
            pids = daemon_pids(ns, names)
            c0, w0 = cpu_seconds(pids), time.monotonic()
            time.sleep(window)
            c1, w1 = cpu_seconds(pids), time.monotonic()
            if wrapper:
                # SIGTERM to the daemon itself (not the wrapper), so a profiler writes its data.
                rss, pss = rss_kib(pids), pss_kib(pids)
                for pid in pids:
                    os.kill(pid, 15)
                d.proc.wait(timeout=60)
                return {"settle_s": settle, "cpu_pct": 100 * (c1 - c0) / (w1 - w0),
                        "rss_mib": rss / 1024, "pss_mib": pss / 1024, "procs": len(pids)}
            return {"settle_s": settle, "cpu_pct": 100 * (c1 - c0) / (w1 - w0),
                    "rss_mib": rss_kib(pids) / 1024, "pss_mib": pss_kib(pids) / 1024,
                    "procs": len(pids)}
        finally:
            d.stop()
    finally:
        ns.close()
        for lan in lans:
            lan.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=1000)
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--settle", type=float, default=10,
                    help="seconds to wait after the last VIP appeared (GARP bursts)")
    ap.add_argument("--build", help="vigil build directory (default $VIGIL_BUILD or build/)")
    ap.add_argument("--only", choices=("vigil", "keepalived"),
                    help="measure one daemon (e.g. while iterating on vigil)")
    ap.add_argument("--wrap", help="start vigild under this command, e.g. 'heaptrack -o FILE' "
                    "(its CPU and RSS figures then include the wrapper's cost)")
    args = ap.parse_args()
    if args.build:
        os.environ["VIGIL_BUILD"] = os.path.abspath(args.build)
    workdir = tempfile.mkdtemp(prefix="vigil-bench-")
    rows = {}
    for label, cls, names in (("vigil", Vigil, {"vigild", "vigild-vrrp", "vigild-check"}),
                              ("keepalived", Keepalived, {"keepalived"})):
        if args.only and label != args.only:
            continue
        if label == "vigil" and args.wrap:
            cls = wrapped(cls, args.wrap.split())
        rows[label] = run(cls, names, args.instances, args.window, args.settle, workdir,
                          wrapper=label == "vigil" and bool(args.wrap))
        r = rows[label]
        print(f"{label:10s} {args.instances} instances: all masters after {r['settle_s']:.1f} s, "
              f"CPU {r['cpu_pct']:.2f}% of one core over {args.window:g} s, "
              f"RSS {r['rss_mib']:.1f} MiB (PSS {r['pss_mib']:.1f} MiB) in {r['procs']} "
              "process(es)", flush=True)
    if len(rows) < 2:
        return
    v, k = rows["vigil"], rows["keepalived"]
    print(f"vigil/keepalived: CPU {v['cpu_pct'] / max(k['cpu_pct'], 1e-9):.2f} (target <= 0.2), "
          f"RSS {v['rss_mib'] / k['rss_mib']:.2f}, PSS {v['pss_mib'] / k['pss_mib']:.2f} "
          "(target <= 1.0)")


if __name__ == "__main__":
    main()
