#!/usr/bin/env python3
"""vigild's LVS side at scale: checker CPU, failure-to-data-plane latency, reload time.

Two namespaces on one LAN: `director` (192.0.2.1, runs vigild -C --lb nft) and `rs`
(192.0.2.2), which holds every real-server address at once (`ip route add local
198.51.100.0/24 dev lo`) so that a few wildcard listeners answer for thousands of real servers:
a Python accept-and-close loop for TCP_CHECK, nginx for HTTP_GET. Cases:

  tcp   10,000 real servers (40 virtual servers x 250) with TCP_CHECK, delay_loop 1 s:
        vigild's CPU (utime+stime from /proc over a window; target <= 0.5 core)
  http  2,000 real servers (8 x 250) with HTTP_GET against nginx, delay_loop 1 s: CPU
  death the tcp configuration (delay_loop 5 s) at --log-level debug; one real server at a time is made to
        refuse connections (an nft `reject with tcp reset` rule in rs); latency = the debug
        line "checker down at T1 us" to the next "committed at T2 us" (both CLOCK_MONOTONIC;
        target <= 5 ms)
  reload 2,277 virtual servers / 37,205 real servers (bench/conf_load.cpp's shape, NAT,
        TCP_CHECK delay_loop 60); SIGHUP with one real server added; time from the signal
        (taken just before it) to the data plane's commit (target <= 0.2 s); CPU of vigild and
        its workers; --timeline prints each reload's log lines in ms after the signal

Usage (root): bench/lvs.py [--case tcp|http|death|reload|all] [--window 20] [--build DIR]
                           [--reloads N] [--timeline]
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "topo"))
from lib.netns import Lan, Namespace  # noqa: E402
from lib.routers import Vigil  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")

LISTENER = r"""
import os, resource, selectors, socket, sys, time
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
sel = selectors.EpollSelector()
count_file, ports = sys.argv[1], sys.argv[2:]
for p in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(p)))
    s.listen(4096)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
print("listening", flush=True)
n, last = 0, time.monotonic()
while True:
    if time.monotonic() - last >= 0.5:  # accepted connections so far, for the check rate
        last = time.monotonic()
        with open(count_file + ".tmp", "w") as f:
            f.write(str(n))
        os.rename(count_file + ".tmp", count_file)
    for key, _ in sel.select(0.5):
        while True:
            try:
                c, _ = key.fileobj.accept()
            except BlockingIOError:
                break
            c.close()
            n += 1
"""

NGINX = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
worker_rlimit_nofile 65536;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    server {{
{listens}
        root {dir}/www;
    }}
}}
"""


def read_count(path):
    try:
        with open(path) as f:
            return int(f.read() or 0)
    except FileNotFoundError:
        return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_cpu(pid):
    """{pid: utime+stime} of vigild and its workers (the supervisor's children)."""
    out = {pid: cpu_seconds(pid)}
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for child in f.read().split():
                out[int(child)] = cpu_seconds(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def tree_rss_mib(pid):
    """[(pid, VmRSS in MiB)] of vigild and its workers."""
    out = []
    for p in tree_cpu(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                kb = next(int(x.split()[1]) for x in f if x.startswith("VmRSS:"))
            out.append((p, kb / 1024))
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            pass
    return out


def cpu_delta(before, after):
    return sum(after[p] - before.get(p, 0) for p in after)


STAGES = re.compile(r"reloading configuration|received signal|prepar(ing|ed) reload|"
                    r"configuration reloaded|LVS|applied in|is (in)?valid")


class Setup:
    def __init__(self):
        self.lan = Lan("lb")
        self.director = Namespace("director")
        self.rs = Namespace("rs")
        self.lan.attach(self.director, "eth0", ("192.0.2.1/24",))
        self.lan.attach(self.rs, "eth0", ("192.0.2.2/24",))
        self.director.ip("route", "add", "198.51.100.0/24", "via", "192.0.2.2")
        self.rs.ip("route", "add", "local", "198.51.100.0/24", "dev", "lo")
        self.rs.exec(["sysctl", "-q", "-w", "net.core.somaxconn=4096",
                      "net.ipv4.tcp_max_syn_backlog=8192"])
        self.director.exec(["sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=10000 65000",
                            "net.ipv4.tcp_tw_reuse=1"])
        self.procs = []

    def spawn(self, ns, argv, ready=None):
        p = subprocess.Popen(ns.cmd(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True, text=True)
        self.procs.append(p)
        if ready:
            line = p.stdout.readline()
            if ready not in line:
                raise RuntimeError(f"{argv[0]}: {line}")
        return p

    def close(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        self.director.close()
        self.rs.close()
        self.lan.close()


def conf(vss, check, delay_loop=1):
    """vss: [(vip, port, [(rs_addr, rs_port), ...])]"""
    out = ["global_defs {\n    router_id bench\n}\n"]
    for vip, port, rss in vss:
        out.append(f"virtual_server {vip} {port} {{\n    delay_loop {delay_loop}\n"
                   "    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n")
        for a, p in rss:
            out.append(f"    real_server {a} {p} {{\n        weight 1\n        {check}\n    }}\n")
        out.append("}\n")
    return "".join(out)


def rs_grid(n_vs, per_vs, base_port):
    return [(f"203.0.113.{k + 1}", 80,
             [(f"198.51.100.{i + 1}", base_port + k) for i in range(per_vs)])
            for k in range(n_vs)]


TCP = "TCP_CHECK {\n            connect_timeout 1\n            retry 1\n        }"


def start_vigil(s, workdir, text, level="info"):
    v = Vigil(s.director, text, workdir, "vigil",
              extra_args=("-C", "--lb", "nft", "--log-level", level))
    v.start()
    v.wait_log(r"LVS: \d+ virtual server", timeout=120)
    return v


def measure_cpu(v, settle, window):
    time.sleep(settle)
    # The checkers run in vigild's checker worker (its pid file is -c), not in the parent.
    with open(os.path.join(v.workdir, "checkers.pid")) as f:
        pid = int(f.read().split()[0])
    c0, w0 = cpu_seconds(pid), time.monotonic()
    time.sleep(window)
    c1, w1 = cpu_seconds(pid), time.monotonic()
    return (c1 - c0) / (w1 - w0)


def case_tcp(args, workdir):
    s = Setup()
    try:
        count = os.path.join(workdir, "accepted")
        s.spawn(s.rs, ["python3", "-c", LISTENER, count, *[str(8000 + k) for k in range(40)]],
                "listening")
        v = start_vigil(s, workdir, conf(rs_grid(40, 250, 8000), TCP))
        try:
            time.sleep(args.settle)
            a0, t0 = read_count(count), time.monotonic()
            core = measure_cpu(v, 0, args.window)
            rate = (read_count(count) - a0) / (time.monotonic() - t0)
            down = len(re.findall(r"Removing service", v.log_text()))
            print(f"tcp: 10,000 TCP_CHECK at delay_loop 1 s: vigild CPU {core:.3f} core over "
                  f"{args.window:g} s (target <= 0.5); {rate:.0f} checks/s reached the "
                  f"listeners; real servers removed: {down}", flush=True)
        finally:
            v.stop()
    finally:
        s.close()


def case_http(args, workdir):
    s = Setup()
    try:
        ndir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(ndir, "www"), exist_ok=True)
        os.chmod(workdir, 0o755)
        os.chmod(ndir, 0o755)
        with open(os.path.join(ndir, "www", "index.html"), "w") as f:
            f.write("<html>status: ok</html>\n")
        listens = "\n".join(f"        listen {8000 + k} reuseport backlog=4096;" for k in range(8))
        with open(os.path.join(ndir, "nginx.conf"), "w") as f:
            f.write(NGINX.format(dir=ndir, listens=listens))
        s.spawn(s.rs, ["nginx", "-p", ndir, "-c", os.path.join(ndir, "nginx.conf")])
        s.rs.exec(["sh", "-c", "for i in $(seq 100); do ss -ltn | grep -q :8007 && exit 0; "
                               "sleep 0.1; done; exit 1"])
        http = ("HTTP_GET {\n            url {\n                path /index.html\n"
                "                status_code 200\n            }\n            connect_timeout 2\n"
                "            retry 1\n        }")
        v = start_vigil(s, workdir, conf(rs_grid(8, 250, 8000), http))
        try:
            core = measure_cpu(v, args.settle, args.window)
            down = len(re.findall(r"Removing service", v.log_text()))
            print(f"http: 2,000 HTTP_GET at delay_loop 1 s: vigild CPU {core:.3f} core over "
                  f"{args.window:g} s; real servers removed: {down}", flush=True)
        finally:
            v.stop()
    finally:
        s.close()


APPLIED = (r"applied in (\d+) us \(render\+diff (\d+) us, kernel (\d+) us\), "
           r"committed at (\d+) us")


def commit_after(v, t1_us, since, timeout=10):
    """The first data-plane commit at or after monotonic t1_us, from log line `since` on (the
    commit can follow the checker's line within the same read, so no mark taken after it)."""
    deadline = time.monotonic() + timeout
    idx = since
    while True:
        lines = v.lines[idx:]
        idx += len(lines)
        for line in lines:
            m = re.search(APPLIED, line)
            if m and int(m.group(4)) >= t1_us:
                return m
        if time.monotonic() > deadline:
            raise AssertionError(f"no data-plane commit after {t1_us} us within {timeout} s")
        time.sleep(0.01)


def case_death(args, workdir):
    s = Setup()
    try:
        s.spawn(s.rs, ["python3", "-c", LISTENER, os.path.join(workdir, "accepted"),
                       *[str(8000 + k) for k in range(40)]], "listening")
        s.rs.exec(["nft", "add table inet bench; add chain inet bench in "
                   "{ type filter hook input priority 0; }"])
        tcp0 = TCP.replace("retry 1", "retry 0")
        # delay_loop 5 s: the Python listener keeps up, so no other real server flaps.
        v = start_vigil(s, workdir, conf(rs_grid(40, 250, 8000), tcp0, delay_loop=5), "debug")
        try:
            time.sleep(args.settle)
            lat = []
            for k in range(args.deaths):
                addr, port = f"198.51.100.{k + 1}", 8000 + k
                mark = v.mark()
                s.rs.exec(["nft", f"add rule inet bench in ip daddr {addr} tcp dport {port} "
                                  "reject with tcp reset"])
                who = re.escape(f"[{addr}]:tcp:{port}")
                try:
                    m1 = v.wait_log(rf"TCP_CHECK {who}: checker down at (\d+) us", 20, mark)
                except AssertionError:  # already down (flapped under load): no transition
                    continue
                m3 = commit_after(v, int(m1.group(1)), mark)
                lat.append((int(m3.group(4)) - int(m1.group(1)), int(m3.group(2)),
                            int(m3.group(3))))
            lat.sort()
            tot = [x[0] / 1000 for x in lat]
            print(f"death: {len(lat)} real servers (of 10,000) killed one by one: checker down -> "
                  f"nft committed: median {tot[len(tot) // 2]:.2f} ms, max {max(tot):.2f} ms "
                  f"(target <= 5 ms); render+diff median {lat[len(lat) // 2][1] / 1000:.2f} ms, "
                  f"kernel median {lat[len(lat) // 2][2] / 1000:.2f} ms", flush=True)
        finally:
            v.stop()
    finally:
        s.close()


def reload_conf(extra_rs=False):
    """2,277 virtual servers / 37,205 real servers as bench/conf_load.cpp, NAT."""
    vss = []
    for a in range(1, 100):
        for port in range(1000, 1023):
            if a == 99 and port == 1022:
                continue
            vss.append((f"203.0.113.{a}", port, [(f"198.51.100.{r}", port) for r in range(1, 17)]))
    vss.append(("203.0.113.99", 1022, [("198.51.100.1", r) for r in range(1, 790)]))
    if extra_rs:
        vss[0][2].append(("198.51.100.17", 1000))
    assert len(vss) == 2277 and sum(len(x[2]) for x in vss) == 37205 + int(extra_rs)
    tcp = "TCP_CHECK {\n            connect_timeout 3\n        }"
    return conf(vss, tcp, delay_loop=60)


def case_reload(args, workdir):
    s = Setup()
    try:
        ports = [str(p) for p in list(range(1, 790)) + list(range(1000, 1023))]
        s.spawn(s.rs, ["python3", "-c", LISTENER, os.path.join(workdir, "accepted"), *ports],
                "listening")
        t0 = time.monotonic()
        v = start_vigil(s, workdir, reload_conf(), "debug")
        try:
            m = v.wait_log(r"committed at (\d+) us", 120)
            print(f"reload: start with 2,277 VS / 37,205 RS: first commit "
                  f"{time.monotonic() - t0:.2f} s after exec", flush=True)
            time.sleep(args.settle)
            rss = ", ".join(f"{r:.1f}" for _, r in tree_rss_mib(v.proc.pid))
            print(f"reload: resident MiB (supervisor, workers) before the first reload: {rss}",
                  flush=True)
            for i in range(args.reloads):
                v.write_config(reload_conf(extra_rs=(i % 2 == 0)))
                mark = v.mark()
                c0 = tree_cpu(v.proc.pid)
                t_sig, wall_sig = time.monotonic(), time.time()
                v.reload()
                m = v.wait_log(r"applied in (\d+) us \(render\+diff (\d+) us, kernel (\d+) us\), "
                               r"committed at (\d+) us", 120, mark)
                t_done = int(m.group(4)) / 1e6
                time.sleep(1)
                c1 = tree_cpu(v.proc.pid)
                print(f"reload #{i + 1}: SIGHUP -> data plane committed {t_done - t_sig:.3f} s "
                      f"(nft apply {int(m.group(1)) / 1e3:.1f} ms: render+diff "
                      f"{int(m.group(2)) / 1e3:.1f} ms, kernel {int(m.group(3)) / 1e3:.1f} ms); "
                      f"CPU of vigild and its workers in that second {cpu_delta(c0, c1):.2f} s "
                      f"(supervisor {c1[v.proc.pid] - c0[v.proc.pid]:.2f} s) (target <= 0.2 s)",
                      flush=True)
                if args.timeline:  # the reload's log lines, ms after the signal
                    for line in v.lines[mark:]:
                        ts = re.match(r"(\d+-\d+-\d+ \d+:\d+:\d+)\.(\d+) ", line)
                        if not ts or not STAGES.search(line):
                            continue
                        t = time.mktime(time.strptime(ts.group(1), "%Y-%m-%d %H:%M:%S"))
                        ms = (t + int(ts.group(2)) / 1e3 - wall_sig) * 1e3
                        print(f"    +{ms:7.0f} ms  {line[ts.end():].rstrip()[:110]}")
                        if "applied in" in line:
                            break
            rss = ", ".join(f"{r:.1f}" for _, r in tree_rss_mib(v.proc.pid))
            print(f"reload: resident MiB (supervisor, workers) after the reloads: {rss}",
                  flush=True)
        finally:
            v.stop(timeout=30)
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", default="all", choices=["tcp", "http", "death", "reload", "all"])
    ap.add_argument("--window", type=float, default=20)
    ap.add_argument("--settle", type=float, default=5)
    ap.add_argument("--deaths", type=int, default=10)
    ap.add_argument("--reloads", type=int, default=3)
    ap.add_argument("--timeline", action="store_true",
                    help="reload: print the reload's log lines, ms after the signal")
    ap.add_argument("--build", help="vigil build directory (default $VIGIL_BUILD or build/)")
    args = ap.parse_args()
    if args.build:
        os.environ["VIGIL_BUILD"] = os.path.abspath(args.build)
    workdir = tempfile.mkdtemp(prefix="vigil-bench-lvs-")
    with open("/proc/loadavg") as f:
        print(f"load average at start: {f.read().split()[:3]}", flush=True)
    cases = {"tcp": case_tcp, "http": case_http, "death": case_death, "reload": case_reload}
    for name, fn in cases.items():
        if args.case in (name, "all"):
            fn(args, workdir)


if __name__ == "__main__":
    main()
