"""keepalived's process model: vigild's supervisor parent with a VRRP worker and a checker
worker. A killed worker is logged and restarted (new pid in its pid file) while the other one
carries on; when the VRRP worker dies the parent removes its VIPs at once, so the peer that
takes over during the restart back-off is the only master; an invalid configuration on SIGHUP
keeps the workers running."""
from __future__ import annotations

import os
import re
import signal
import time

import pytest

from conftest import VIGIL_READY, VIGIL_WHY
from lib.awaits import wait_for_file
from lib.kaconf import Instance, render_config
from lib.pairs import assert_master
from lib.awaits import wait_for_listener
from test_control import FAST, METRICS_PORT, RECHECK, SETTLE, VIP, ControlledVigil, metric, scrape

pytestmark = pytest.mark.skipif(not VIGIL_READY, reason=VIGIL_WHY)

# A virtual server whose real server is node2 (nothing listens there: the checker marks it
# down, which is all the checker worker has to do here). ha_suspend: its service exists only
# while the VIP is on node1, which the checker worker learns from the kernel's address events.
LVS = f"""
virtual_server {VIP} 80 {{
    delay_loop 1
    ha_suspend
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 192.0.2.2 80 {{
        TCP_CHECK {{
            connect_timeout 1
        }}
    }}
}}
"""


def pid_in(path: str) -> int:
    with open(path) as f:
        return int(f.read().split()[0])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def start_pair(topo, p, with_lvs: bool, extra_args: tuple[str, ...] = ()):
    metrics = [f"vigil_metrics_listen 127.0.0.1:{METRICS_PORT}"] if with_lvs else []
    text = render_config([Instance(priority=150, **FAST)], "node1",
                         global_extra=metrics) + (LVS if with_lvs else "")
    r1 = topo._own(ControlledVigil(p.node1, text, topo.workdir, "node1", extra_args=extra_args))
    r1.start()
    r1.wait_log(r"control socket listening", timeout=SETTLE)
    r2 = topo.router("keepalived", p.node2,
                     render_config([Instance(priority=100, **FAST)], "node2"), "node2").start()
    assert_master(p.node1, p.node2, VIP)
    r1.wait_instance(lambda i: i["state"] == "MASTER")
    return r1, r2


def wait_restart(r, label: str, old: int, pid_file: str, since: int) -> int:
    r.wait_log(rf"the {label} \(pid {old}\) killed by signal 9", since=since)
    new = int(r.wait_log(rf"started the {label} \(pid (\d+)\)", since=since).group(1))
    assert new != old
    wait_for_file(pid_file, lambda t: t.strip() == str(new))
    return new


def wait_nft(ns, present: bool) -> None:
    """Bounded re-check of the namespace's nftables ruleset for the VIP's service."""
    deadline = time.monotonic() + SETTLE
    while True:
        text = ns.exec(["nft", "list", "ruleset"], check=False).stdout
        if (VIP in text) == present:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"VIP service {'absent' if present else 'still there'}:\n{text}")
        time.sleep(RECHECK)


def wait_status(r, predicate, what: str) -> dict:
    deadline = time.monotonic() + SETTLE
    last = None
    while True:
        try:
            last = r.status()
        except AssertionError as e:  # a worker is (re)starting: the reply says so
            last = str(e)
        if isinstance(last, dict) and predicate(last):
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: last status {last}")
        time.sleep(RECHECK)


def wait_scrape(ns, predicate, what: str) -> list:
    """Bounded re-scrape of /metrics until predicate(samples) holds."""
    deadline = time.monotonic() + SETTLE
    while True:
        samples = scrape(ns)
        if predicate(samples):
            return samples
        if time.monotonic() > deadline:
            raise AssertionError(f"/metrics never showed {what}")
        time.sleep(RECHECK)


def checker_samples(samples, name: str) -> list:
    return [(l, v) for n, l, v in samples if n == name and "192.0.2.2" in l.get("real_server", "")]


def test_checker_worker_killed_vrrp_carries_on_and_invalid_reload_keeps_workers(topo, lan_pair):
    p = lan_pair
    r1, _ = start_pair(topo, p, with_lvs=True)
    w = r1.workdir
    main, vrrp, check = pid_in(f"{w}/main.pid"), pid_in(f"{w}/vrrp.pid"), pid_in(f"{w}/checkers.pid")
    assert r1.proc.pid == main and len({main, vrrp, check}) == 3
    st = wait_status(r1, lambda s: s.get("virtual_servers"), "virtual servers")
    assert {x["kind"] for x in st["workers"]} == {"vrrp", "check"}
    # ha_suspend across processes: the VRRP worker gives the VIP away, the checker worker's
    # service goes; it comes back with the VIP.
    wait_nft(p.node1, present=True)
    r1.ctl("instance", "VI_1", "priority-offset", "-100")
    assert_master(p.node2, p.node1, VIP)
    wait_nft(p.node1, present=False)
    r1.ctl("instance", "VI_1", "priority-offset", "0")
    assert_master(p.node1, p.node2, VIP)
    wait_nft(p.node1, present=True)

    # /metrics from the parent: the VRRP worker's part, the checker worker's part (real server,
    # checks, the latency histogram) and one series per worker, parsed by prometheus_client.
    wait_for_listener(p.node1, METRICS_PORT)
    samples = wait_scrape(p.node1, lambda s: any(
        v >= 1 for _, v in checker_samples(s, "vigil_checker_checks_total")), "a completed check")
    assert metric(samples, "vigil_vrrp_state", instance="VI_1", state="MASTER") == 1
    [(labels, up)] = checker_samples(samples, "vigil_real_server_up")
    assert up == 0, labels  # nothing listens on node2:80
    [(clabels, checks)] = checker_samples(samples, "vigil_checker_checks_total")
    assert clabels["checker"] == "TCP_CHECK"
    assert metric(samples, "vigil_checker_duration_seconds_count", **clabels) == checks
    assert metric(samples, "vigil_checker_duration_seconds_bucket", le="+Inf", **clabels) == checks
    assert metric(samples, "vigil_checker_duration_seconds_sum", **clabels) > 0
    assert metric(samples, "vigil_worker_up", worker="vrrp") == 1
    assert metric(samples, "vigil_worker_up", worker="check") == 1

    mark = r1.mark()
    os.kill(check, signal.SIGKILL)
    new_check = wait_restart(r1, "checker worker", check, f"{w}/checkers.pid", mark)
    # VRRP never noticed: same worker, still master with the VIP, on node1 only.
    assert pid_in(f"{w}/vrrp.pid") == vrrp and alive(vrrp)
    assert r1.instance()["state"] == "MASTER"
    assert_master(p.node1, p.node2, VIP, timeout=1)
    st = wait_status(r1, lambda s: s.get("virtual_servers") and any(
        x["kind"] == "check" and x["pid"] == new_check and x["restarts"] == 1
        for x in s["workers"]), "the restarted checker's virtual servers")
    assert st["virtual_servers"][0]["real_servers"], st
    samples = wait_scrape(p.node1, lambda s: metric(s, "vigil_worker_up", worker="check") == 1,
                          "the restarted checker worker")
    assert metric(samples, "vigil_worker_restarts_total", worker="check") == 1
    assert metric(samples, "vigil_worker_restarts_total", worker="vrrp") == 0

    # An invalid file on SIGHUP: the parent refuses it and reports it once; the workers
    # (which load the file in parallel, daemon/staged_reload.h) are told to drop it and never
    # apply it or report it themselves.
    good = open(r1.config_path).read()
    r1.write_config(good.replace("priority 150", "priorty 150"))
    mark = r1.mark()
    os.kill(main, signal.SIGHUP)
    r1.wait_log(r"keeping the running configuration", since=mark)
    # Both workers have answered the round once a control request gets through after it.
    wait_status(r1, lambda s: len(s.get("workers", [])) == 2, "both workers after the reload")
    assert alive(vrrp) and alive(new_check)
    assert pid_in(f"{w}/vrrp.pid") == vrrp and pid_in(f"{w}/checkers.pid") == new_check
    since = "".join(r1.lines[mark:])
    assert not re.search(r"(vrrp|check): reloading configuration", since), since
    assert len(re.findall(r"error: .*priorty", since)) == 1, since
    assert not re.search(r"(vrrp|check): .*priorty", since), since
    assert r1.instance()["state"] == "MASTER"
    # A valid file: both workers apply it.
    mark = r1.mark()
    r1.write_config(good.replace("priority 150", "priority 140"))
    os.kill(main, signal.SIGHUP)
    r1.wait_log(r"vrrp: configuration reloaded", since=mark)
    r1.wait_log(r"check: configuration reloaded", since=mark)
    r1.wait_instance(lambda i: i["priority"]["base"] == 140)
    # Stop: the workers leave, every pid file goes.
    r1.write_config(good)
    assert r1.stop() == 0
    for f in ("main.pid", "vrrp.pid", "checkers.pid"):
        assert not os.path.exists(f"{w}/{f}"), f
    assert not alive(vrrp) and not alive(new_check)


def test_vrrp_worker_killed_loses_its_vip_at_once_and_is_restarted(topo, lan_pair):
    p = lan_pair
    # A first restart back-off (6 s) well past keepalived's Master_Down_Interval (3 x 0.5 s
    # plus skew): the peer takes over while the VRRP worker is still down.
    r1, r2 = start_pair(topo, p, with_lvs=False, extra_args=("--restart-delay", "6000"))
    w = r1.workdir
    vrrp = pid_in(f"{w}/vrrp.pid")
    mark, mark2 = r1.mark(), r2.mark()
    os.kill(vrrp, signal.SIGKILL)  # no priority-0 advert; the VIP would stay on node1's eth0
    # The parent removes it as soon as it sees the worker die, before restarting it ...
    r1.wait_log(r"\(VI_1\) removing virtual addresses held by the dead VRRP worker",
                since=mark)
    # ... so keepalived, master after Master_Down_Interval, is the only one with the VIP.
    assert_master(p.node2, p.node1, VIP)
    r2.wait_log(r"Entering MASTER STATE", since=mark2)
    assert not re.search(r"started the VRRP worker", "".join(r1.lines[mark:])), \
        "the VRRP worker was back before the peer took over"
    # The restarted worker finds nothing left to remove and wins back by priority (150 > 100,
    # preempt): the VIP is on node1 and on node1 only.
    wait_restart(r1, "VRRP worker", vrrp, f"{w}/vrrp.pid", mark)
    assert_master(p.node1, p.node2, VIP)
    r1.wait_instance(lambda i: i["state"] == "MASTER")
    assert not re.search(r"vrrp: \(VI_1\) removing virtual addresses left by an earlier run",
                         "".join(r1.lines[mark:]))
    assert r1.running


def proc_fields(pid: int) -> dict:
    """Scheduling and memory facts of a process from /proc (stat fields after the comm)."""
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    with open(f"/proc/{pid}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    with open(f"/proc/{pid}/limits") as f:
        rttime = next(line.split()[3] for line in f if line.startswith("Max realtime timeout"))
    # stat(5): field 19 nice, 40 rt_priority, 41 policy; `rest` starts at field 3.
    return {"nice": int(rest[16]), "rt_priority": int(rest[37]), "policy": int(rest[38]),
            "cpus": status["Cpus_allowed_list"].strip(),
            "locked_kib": int(status["VmLck"].split()[0]), "rttime": rttime}


def test_workers_take_keepalived_process_settings(topo, lan_pair):
    """vrrp_priority, vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_cpu_affinity, vrrp_no_swap and
    checker_priority land on their worker, not on the other one nor on the parent; a reload at
    real-time priority (its parse runs at normal priority) leaves the VRRP worker as it was."""
    p = lan_pair
    tuning = ["vrrp_priority -5", "vrrp_rt_priority 10", "vrrp_rlimit_rttime 200000",
              "vrrp_cpu_affinity 0", "vrrp_no_swap", "checker_priority 4"]
    text = render_config([Instance(priority=150, **FAST)], "node1", global_extra=tuning) + LVS
    r1 = topo._own(ControlledVigil(p.node1, text, topo.workdir, "node1"))
    r1.start()
    r1.wait_log(r"vrrp: VRRP process: real-time priority 10", timeout=SETTLE)
    r1.wait_log(r"check: checker process: nice 4", timeout=SETTLE)
    r1.wait_log(r"control socket listening", timeout=SETTLE)
    w = r1.workdir
    main, vrrp, check = pid_in(f"{w}/main.pid"), pid_in(f"{w}/vrrp.pid"), pid_in(f"{w}/checkers.pid")
    v = proc_fields(vrrp)
    assert (v["policy"], v["rt_priority"], v["nice"], v["cpus"]) == (2, 10, -5, "0"), v  # SCHED_RR
    assert v["rttime"] == "200000" and v["locked_kib"] > 0, v
    c = proc_fields(check)
    assert (c["policy"], c["nice"], c["locked_kib"]) == (0, 4, 0), c
    m = proc_fields(main)
    assert (m["policy"], m["nice"], m["locked_kib"]) == (0, os.nice(0), 0), m  # as started
    assert not re.search(r"process: cannot", "".join(r1.lines)), "a setting was refused"

    mark = r1.mark()
    r1.reload()
    r1.wait_log(r"vrrp: configuration reloaded", since=mark, timeout=SETTLE)
    assert pid_in(f"{w}/vrrp.pid") == vrrp and alive(vrrp)
    v = proc_fields(vrrp)
    assert (v["policy"], v["rt_priority"]) == (2, 10), v


def test_vrrp_worker_raises_its_priority_when_it_runs_late(topo, lan_pair):
    """max_auto_priority: a VRRP worker that was not scheduled for longer than
    min_auto_priority_delay (here stopped with SIGSTOP, the fault injected) finds its timers late
    when it runs again and moves to real-time priority 1, with keepalived's RLIMIT_RTTIME."""
    p = lan_pair
    text = render_config([Instance(priority=150, **FAST)], "node1",
                         global_extra=["max_auto_priority 3", "min_auto_priority_delay 200000"])
    r1 = topo._own(ControlledVigil(p.node1, text, topo.workdir, "node1"))
    r1.start()
    r1.wait_log(r"control socket listening", timeout=SETTLE)
    r1.wait_instance(lambda i: i["state"] == "MASTER")
    vrrp = pid_in(f"{r1.workdir}/vrrp.pid")
    assert proc_fields(vrrp)["policy"] == 0
    mark = r1.mark()
    os.kill(vrrp, signal.SIGSTOP)
    # The stall itself: an advert (every 0.5 s) falls due in its first half, so that timer runs
    # at least 0.7 s late, over three times min_auto_priority_delay.
    time.sleep(1.2)
    os.kill(vrrp, signal.SIGCONT)
    r1.wait_log(r"VRRP process ran \d+ ms late; real-time priority raised to 1", since=mark,
                timeout=SETTLE)
    v = proc_fields(vrrp)
    assert (v["policy"], v["rt_priority"], v["rttime"]) == (2, 1, "10000"), v
