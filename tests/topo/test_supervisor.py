"""keepalived's process model: vigild's supervisor parent with a VRRP worker and a checker
worker. A killed worker is logged and restarted (new pid in its pid file) while the other one
carries on; a restarted VRRP worker removes the VIPs its dead predecessor left behind, so the
VIP ends up on one node only; an invalid configuration on SIGHUP keeps the workers running."""
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
from test_control import FAST, RECHECK, SETTLE, VIP, ControlledVigil

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


def start_pair(topo, p, with_lvs: bool):
    text = render_config([Instance(priority=150, **FAST)], "node1") + (LVS if with_lvs else "")
    r1 = topo._own(ControlledVigil(p.node1, text, topo.workdir, "node1"))
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

    # An invalid file on SIGHUP: the parent refuses it, the workers never see it.
    good = open(r1.config_path).read()
    r1.write_config(good.replace("priority 150", "priorty 150"))
    mark = r1.mark()
    os.kill(main, signal.SIGHUP)
    r1.wait_log(r"keeping the running configuration", since=mark)
    assert alive(vrrp) and alive(new_check)
    assert pid_in(f"{w}/vrrp.pid") == vrrp and pid_in(f"{w}/checkers.pid") == new_check
    assert not re.search(r"(vrrp|check): reloading configuration", "".join(r1.lines[mark:]))
    assert r1.instance()["state"] == "MASTER"
    # Stop: the workers leave, every pid file goes.
    r1.write_config(good)
    assert r1.stop() == 0
    for f in ("main.pid", "vrrp.pid", "checkers.pid"):
        assert not os.path.exists(f"{w}/{f}"), f
    assert not alive(vrrp) and not alive(new_check)


def test_vrrp_worker_killed_is_restarted_and_vip_ends_on_one_node(topo, lan_pair):
    p = lan_pair
    r1, r2 = start_pair(topo, p, with_lvs=False)
    w = r1.workdir
    vrrp = pid_in(f"{w}/vrrp.pid")
    mark = r1.mark()
    os.kill(vrrp, signal.SIGKILL)  # no priority-0 advert, the VIP stays on node1's eth0
    wait_restart(r1, "VRRP worker", vrrp, f"{w}/vrrp.pid", mark)
    r1.wait_log(r"vrrp: \(VI_1\) removing virtual addresses left by an earlier run", since=mark)
    # The new worker removes what the dead one left (unless it is master already), then
    # wins back by priority (150 > 100, preempt): the VIP is on node1 and on node1 only.
    assert_master(p.node1, p.node2, VIP)
    r1.wait_instance(lambda i: i["state"] == "MASTER")
    r2.wait_log(r"Entering BACKUP STATE", since=0)
    assert r1.running
