"""The harness itself: namespaces stay off the host and go away, waits are bounded and see
events, the address guard holds, and stale namespaces of dead runs are swept."""
import os
import subprocess
import threading
import time

import pytest

from lib import netns
from lib.awaits import WaitTimeout, wait_for_address, wait_for_file, wait_for_link, wait_for_ping
from lib.netns import Namespace


def host_links() -> set[str]:
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    return {line.split(":")[1].strip().split("@")[0] for line in out.splitlines()}


def test_lan_hosts_reach_each_other_without_touching_the_host(topo):
    before = host_links()
    lan = topo.lan()
    a = topo.host("a", lan, ("192.0.2.1/24", "2001:db8:0:1::1/64"))
    b = topo.host("b", lan, ("192.0.2.2/24", "2001:db8:0:1::2/64"))
    wait_for_link(a, "eth0")
    wait_for_ping(a, "192.0.2.2")
    wait_for_ping(b, "2001:db8:0:1::1")  # nodad: usable at once
    assert host_links() == before, "no interface may appear in the host namespace"
    names = {a.name, b.name, lan.switch.name}
    topo.close()
    assert not names & set(os.listdir(netns.NETNS_DIR))


def test_only_documentation_addresses(topo):
    ns = topo.host("x")
    with pytest.raises(ValueError):
        ns.add_address("lo", "10.1.2.3/24")
    with pytest.raises(ValueError):
        ns.add_address("lo", "fd00::1/64")


def test_wait_for_address_sees_add_and_delete_and_times_out(topo):
    ns = topo.host("x")
    timer = threading.Timer(0.3, ns.add_address, ("lo", "198.51.100.7/32"))
    timer.start()
    wait_for_address(ns, "lo", "198.51.100.7", timeout=5)
    timer.join()
    timer = threading.Timer(0.3, ns.ip, ("addr", "del", "198.51.100.7/32", "dev", "lo"))
    timer.start()
    wait_for_address(ns, "lo", "198.51.100.7", present=False, timeout=5)
    timer.join()
    with pytest.raises(WaitTimeout, match="203.0.113.9"):
        wait_for_address(ns, "lo", "203.0.113.9", timeout=0.5)


def test_wait_for_file_wakes_on_write(tmp_path):
    path = tmp_path / "out"

    def write():
        path.write_text("INSTANCE VI_1 MASTER 100\n")
    timer = threading.Timer(0.2, write)
    timer.start()
    assert "MASTER" in wait_for_file(str(path), lambda t: "MASTER" in t, timeout=5)
    timer.join()
    with pytest.raises(WaitTimeout):
        wait_for_file(str(path), lambda t: "BACKUP" in t, timeout=0.3)


def test_sweeper_removes_namespaces_of_dead_runs_only(monkeypatch):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = f"vgl-{dead.pid}-stale-abcdef"
    foreign = "vgl-other-tool"
    for name in (stale, foreign):
        subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        live = Namespace("live")
        # As if this run had started after all three were made.
        monkeypatch.setattr(netns, "_START_TIME", time.time() + 10)
        removed = netns.sweep_stale()
        assert stale in removed
        assert foreign not in removed and live.name not in removed
        assert os.path.exists(os.path.join(netns.NETNS_DIR, live.name))
        live.close()
    finally:
        for name in (stale, foreign):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
