"""VRRP features beyond the basic election: virtual_routes / virtual_rules, use_vmac (IPv4, and
IPv6 against keepalived), track_process, notify FIFOs, sync-group notifies and tracking. vigil
on both nodes unless a test says otherwise; VRRPv3 at advert_int 0.5. Waits are on netlink events, files and log lines."""
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import VIGIL_READY, VIGIL_WHY
from lib import pairs
from lib.awaits import (neighbor_mac, wait_for_address, wait_for_file, wait_for_neighbor,
                        wait_for_ping, wait_on_monitor)
from lib.capture import bad_checksums, decode, field_values, malformed
from lib.kaconf import Instance, TrackFile, render_config
from lib.pairs import ELECTION

pytestmark = pytest.mark.skipif(not VIGIL_READY, reason=VIGIL_WHY)

VIP = "192.0.2.100"
FAST = dict(version=3, advert_int=0.5)
VIGILS = ("vigil", "vigil")


def routes(ns, table: str = "main") -> str:
    # An empty table 100 does not exist at all ("FIB table does not exist"): no routes.
    return ns.ip("route", "show", "table", table, check=False).stdout


def rules(ns) -> str:
    return ns.ip("rule", "show").stdout


def wait_for_route(ns, predicate, what: str, timeout: float = ELECTION) -> None:
    wait_on_monitor(ns, ["route", "rule"], predicate, timeout, what,
                    lambda: routes(ns) + routes(ns, "100") + rules(ns))


ROUTE_LINES = ["virtual_routes {",
               "    198.51.100.0/24 via 192.0.2.254 dev eth0",
               "    203.0.113.0/24 via 192.0.2.254 dev nosuch0",
               "    203.0.113.128/25 via 192.0.2.254 table 100",
               "}",
               "virtual_rules {",
               "    from 192.0.2.100 table 100 priority 1000",
               "}"]


def has_routes(ns) -> bool:
    return ("198.51.100.0/24 via 192.0.2.254" in routes(ns)
            and "203.0.113.128/25 via 192.0.2.254" in routes(ns, "100")
            and re.search(r"^1000:\s+from 192\.0\.2\.100 lookup 100", rules(ns), re.M) is not None)


def has_no_routes(ns) -> bool:
    return ("198.51.100.0/24" not in routes(ns) and "203.0.113.128/25" not in routes(ns, "100")
            and "lookup 100" not in rules(ns))


def test_virtual_routes_and_rules_follow_the_master(topo, lan_pair):
    p = lan_pair
    a, b = pairs.start_pair(topo, p, VIGILS,
                            [Instance(state="MASTER", priority=100, extra=ROUTE_LINES, **FAST)],
                            [Instance(state="BACKUP", priority=99, extra=ROUTE_LINES, **FAST)])
    pairs.assert_master(p.node1, p.node2, VIP)
    wait_for_route(p.node1, lambda: has_routes(p.node1), "node1 routes and rule")
    assert has_no_routes(p.node2), routes(p.node2) + rules(p.node2)
    # The route on a missing interface is reported and skipped, not fatal.
    a.wait_log(r"skipping virtual route 203\.0\.113\.0/24: interface nosuch0 not found")
    a.stop()
    assert has_no_routes(p.node1), routes(p.node1) + rules(p.node1)
    wait_for_route(p.node2, lambda: has_routes(p.node2), "node2 routes and rule")
    a.start()
    pairs.assert_master(p.node1, p.node2, VIP)
    wait_for_route(p.node2, lambda: has_no_routes(p.node2), "node2 routes gone")
    wait_for_route(p.node1, lambda: has_routes(p.node1), "node1 routes back")


VMAC = "00:00:5e:00:01:33"  # VRID 51


def fdb_port(p, mac: str) -> str | None:
    out = p.lan.switch.exec(["bridge", "fdb", "show", "br", p.lan.bridge]).stdout
    m = re.search(rf"^{mac} dev (\S+)", out, re.M)
    return m.group(1) if m else None


def port_of(p, host) -> str:
    return next(port for port, (ns, _) in p.lan.ports.items() if ns is host)


def test_use_vmac_client_sees_the_virtual_mac_across_failover(topo, lan_pair):
    p = lan_pair
    a, b = pairs.start_pair(topo, p, VIGILS,
                            [Instance(state="MASTER", priority=100, extra=["use_vmac"], **FAST)],
                            [Instance(state="BACKUP", priority=99, extra=["use_vmac"], **FAST)])
    wait_for_address(p.node1, "vrrp.51", VIP, timeout=ELECTION)
    assert p.node1.mac("vrrp.51") == VMAC and p.node2.mac("vrrp.51") == VMAC
    wait_for_ping(p.client, VIP)
    wait_for_neighbor(p.client, VIP, VMAC)
    wait_on_monitor(p.lan.switch, ["neigh"], lambda: fdb_port(p, VMAC) == port_of(p, p.node1),
                    10, "switch learns the VMAC on node1's port", lambda: str(fdb_port(p, VMAC)))
    a.stop()
    assert "vrrp.51" not in p.node1.ip("-o", "link", "show").stdout, "VMAC deleted at stop"
    wait_for_address(p.node2, "vrrp.51", VIP, timeout=ELECTION)
    # node2's announcements move the VMAC to its port; the client's entry never changes.
    wait_on_monitor(p.lan.switch, ["neigh"], lambda: fdb_port(p, VMAC) == port_of(p, p.node2),
                    10, "switch learns the VMAC on node2's port", lambda: str(fdb_port(p, VMAC)))
    wait_for_ping(p.client, VIP)
    assert neighbor_mac(p.client, VIP) == VMAC


VMAC6 = "00:00:5e:00:02:33"  # IPv6, VRID 51
VIP6 = "2001:db8:0:1::100"


def link_local(ns, ifname: str) -> str:
    out = ns.ip("-6", "-o", "addr", "show", "dev", ifname, "scope", "link").stdout
    m = re.search(r"inet6 (fe80::[0-9a-f:]+)/64", out)
    assert m, out
    return m.group(1)


def test_ipv6_use_vmac_interoperates_with_keepalived(topo, lan_pair):
    """IPv6 + use_vmac, vigil (node1) against keepalived (node2): both send their adverts from
    the VMAC (source MAC 00:00:5e:00:02:VRID) with the base interface's link-local address as
    source, and the VIP moves between the two VMACs."""
    p = lan_pair
    cap = topo.capture(p.client, "eth0", "vmac6.pcap", "ip6 proto 112").start()
    kw = dict(version=3, advert_int=0.5, vips=[VIP6 + "/64"], extra=["use_vmac"])
    a, _ = pairs.start_pair(topo, p, ("vigil", "keepalived"),
                            [Instance(state="MASTER", priority=100, **kw)],
                            [Instance(state="BACKUP", priority=99, **kw)])
    pairs.assert_master(p.node1, p.node2, VIP6, ifname="vrrp.51")
    wait_for_ping(p.client, VIP6)
    wait_for_neighbor(p.client, VIP6, VMAC6)
    ll1, ll2 = link_local(p.node1, "eth0"), link_local(p.node2, "eth0")
    assert link_local(p.node1, "vrrp.51") == ll1  # the base's, not one made from the VMAC
    a.stop()
    wait_for_address(p.node2, "vrrp.51", VIP6, timeout=ELECTION)
    wait_for_ping(p.client, VIP6)
    cap.stop()
    packets = decode(cap.path, "vrrp")
    by_prio = {}
    for pk in packets:
        for prio in field_values(pk, "vrrp.prio"):
            by_prio.setdefault(prio, set()).add(
                (field_values(pk, "eth.src")[0], field_values(pk, "ipv6.src")[0]))
    # vigil advertised 100 and 0 (leaving), keepalived 99 once it took over.
    assert by_prio.get("100") == {(VMAC6, ll1)}, by_prio
    assert by_prio.get("0") == {(VMAC6, ll1)}, by_prio
    assert by_prio.get("99") == {(VMAC6, ll2)}, by_prio
    assert not malformed(packets) and not bad_checksums(packets)


VMAC52 = "00:00:5e:00:01:34"  # VRID 52
SIDE_A = "198.51.100.10"  # instance VI_A (use_vmac_addr), dev vx1
# Another subnet: with both on one /24, replies to the client could leave the other VMAC.
SIDE_B = "203.0.113.11"  # instance VI_B, dev vx1 use_vmac
EVIP6 = "2001:db8:0:1::51"  # VI_A's IPv6 eVIP on eth0: a VMAC with the IPv6 virtual MAC
SIDE6 = "2001:db8:0:2::51"  # added to VI_A by a reload, dev vx1: one more VMAC


def vmac_info(ns, ifname: str) -> tuple[str | None, str, str]:
    """(parent link, MAC, kind) of ns/ifname."""
    info = json.loads(ns.ip("-j", "-d", "link", "show", "dev", ifname).stdout)[0]
    return info.get("link"), info["address"], info["linkinfo"]["info_kind"]


@pytest.mark.parametrize("impls", [VIGILS, ("vigil", "keepalived")], ids=["vigil", "keepalived"])
def test_use_vmac_addr_and_per_address_use_vmac(topo, lan_pair, impls):
    """VIPs on a second interface (vx1) go on VMACs there: for every such VIP with
    use_vmac_addr (VI_A, whose IPv6 eVIP on eth0 gets one with the IPv6 virtual MAC), for the
    one address with `use_vmac` (VI_B). The master's (vigil's)
    VMACs hold them and answer the client's ARP/ND with the virtual MAC; the backup (vigil, or
    keepalived naming its VMACs the same) has the VMACs without the addresses; stopping the
    master deletes its VMACs and the backup takes the VIPs."""
    p = lan_pair
    # node1's vx1 leads to the client, node2's to nowhere (a local veth pair).
    p.node1.ip("link", "add", "vx1", "type", "veth", "peer", "name", "c1", "netns", p.client.name)
    p.node2.ip("link", "add", "vx1", "type", "veth", "peer", "name", "vx1p")
    for ns, names in ((p.node1, ["vx1"]), (p.node2, ["vx1", "vx1p"]), (p.client, ["c1"])):
        for name in names:
            ns.link_set(name, True)
    p.client.ip("addr", "add", "198.51.100.1/24", "dev", "c1")
    p.client.ip("addr", "add", "203.0.113.1/24", "dev", "c1")

    def instances(state: str, priority: int, more: tuple[str, ...] = ()) -> list[Instance]:
        return [Instance(name="VI_A", vrid=51, state=state, priority=priority,
                         vips=[VIP + "/24", SIDE_A + "/24 dev vx1"],
                         extra=["use_vmac_addr", "virtual_ipaddress_excluded {",
                                f"    {EVIP6}/64", *more, "}"], **FAST),
                Instance(name="VI_B", vrid=52, state=state, priority=priority,
                         vips=["192.0.2.101/24", SIDE_B + "/24 dev vx1 use_vmac"], **FAST)]

    a, _ = pairs.start_pair(topo, p, impls, instances("MASTER", 100), instances("BACKUP", 99))
    wait_for_address(p.node1, "vrrp.51", SIDE_A, timeout=ELECTION)
    wait_for_address(p.node1, "vrrp.52", SIDE_B, timeout=ELECTION)
    assert vmac_info(p.node1, "vrrp.51") == ("vx1", VMAC, "macvlan")
    assert vmac_info(p.node1, "vrrp.52") == ("vx1", VMAC52, "macvlan")
    wait_for_address(p.node1, "vrrp6.51", EVIP6, timeout=ELECTION)
    assert vmac_info(p.node1, "vrrp6.51") == ("eth0", VMAC6, "macvlan")
    # Addresses on the instance's own interface and family stay there (no instance VMAC).
    assert p.node1.has_address("eth0", VIP) and p.node1.has_address("eth0", "192.0.2.101")
    wait_on_monitor(p.node2, ["link"], lambda: "vrrp.52@vx1" in p.node2.ip("-o", "link").stdout,
                    10, "node2's VMACs", lambda: p.node2.ip("-o", "link").stdout)
    assert vmac_info(p.node2, "vrrp.51") == ("vx1", VMAC, "macvlan")
    assert not p.node2.has_address("vrrp.51", SIDE_A)
    assert not p.node2.has_address("vrrp.52", SIDE_B)
    for ip, mac in ((SIDE_A, VMAC), (SIDE_B, VMAC52), (EVIP6, VMAC6)):
        wait_for_ping(p.client, ip)
        assert neighbor_mac(p.client, ip) == mac

    # A reload adding an address (in place) that needs a VMAC the instance does not have yet.
    a.write_config(render_config(instances("MASTER", 100, (f"    {SIDE6}/64 dev vx1",)), "nodeA"))
    a.reload()
    wait_for_address(p.node1, "vrrp1.51", SIDE6)
    assert vmac_info(p.node1, "vrrp1.51") == ("vx1", VMAC6, "macvlan")
    assert p.node1.has_address("vrrp.51", SIDE_A)

    a.stop()
    links = p.node1.ip("-o", "link", "show").stdout
    assert not re.search(r"vrrp\S*\.5[12]@", links), links
    wait_for_address(p.node2, "vrrp.51", SIDE_A, timeout=ELECTION)
    wait_for_address(p.node2, "vrrp.52", SIDE_B, timeout=ELECTION)
    wait_for_address(p.node2, "vrrp6.51", EVIP6, timeout=ELECTION)


def start_app(p, app: str) -> subprocess.Popen:
    """Starts the tracked program in node1 and returns once it runs under its own name: the
    Popen returns when `ip netns exec` has started, and the exec into the app follows."""
    proc = subprocess.Popen(p.node1.cmd([app, "1000"]))
    deadline = time.monotonic() + 10
    while True:
        try:
            with open(f"/proc/{proc.pid}/comm") as f:
                if f.read().strip() == "vgl-app":
                    return proc
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError("the tracked program did not start")
        time.sleep(0.01)


def test_track_process_moves_the_vip_and_back(topo, lan_pair, tmp_path):
    p = lan_pair
    app = str(tmp_path / "vgl-app")
    shutil.copy("/bin/sleep", app)
    conf_a = render_config(
        [Instance(state="MASTER", priority=100, extra=["track_process {", "    app weight -10",
                                                       "}"], **FAST)], "nodeA")
    conf_a = conf_a.replace("vrrp_instance", "vrrp_track_process app {\n    process vgl-app\n}\n"
                            "vrrp_instance", 1)
    conf_b = render_config([Instance(state="BACKUP", priority=95, **FAST)], "nodeB")
    # The program must be running under its name before vigild's first /proc scan: otherwise
    # node1 starts at 90, node1's first "MASTER" is only its configured start state, and the
    # kill below changes nothing the tracker had seen (the flake this once had).
    proc = start_app(p, app)
    try:
        a = topo.router("vigil", p.node1, conf_a, "node1").start()
        a.wait_log(r"track_process app: 1 matching, up")
        topo.router("vigil", p.node2, conf_b, "node2").start()
        pairs.assert_master(p.node1, p.node2, VIP)
        mark = a.mark()
        proc.kill()
        proc.wait()
        a.wait_log(r"track_process app is down", since=mark, timeout=10)
        # 100 - 10 = 90 < 95: node2 takes over.
        pairs.assert_master(p.node2, p.node1, VIP)
        mark = a.mark()
        proc = start_app(p, app)
        a.wait_log(r"track_process app is up", since=mark, timeout=10)
        pairs.assert_master(p.node1, p.node2, VIP)
    finally:
        proc.kill()
        proc.wait()


def test_notify_fifo_and_sync_group_notifies(topo, lan_pair, tmp_path):
    p = lan_pair
    out = str(tmp_path / "fifo.log")
    fifo_script = str(tmp_path / "fifo.sh")
    with open(fifo_script, "w") as f:
        # Each start logs its pid, so the test can kill exactly this reader.
        f.write(f'#!/bin/sh\necho "START $$" >> "{out}"\nexec cat "$1" >> "{out}"\n')
    notify_out = str(tmp_path / "group.log")
    notify_script = str(tmp_path / "group.sh")
    with open(notify_script, "w") as f:
        f.write(f'#!/bin/sh\necho "$@" >> "{notify_out}"\n')
    os.chmod(fifo_script, 0o755)
    os.chmod(notify_script, 0o755)
    fifo = str(tmp_path / "vrrp.fifo")
    tf = str(tmp_path / "tf")
    with open(tf, "w") as f:
        f.write("0\n")
    two = [Instance(name="VI_1", state="MASTER", priority=100, track_files=["tf"],
                    extra=["notify_priority_changes"], **FAST),
           Instance(name="VI_2", vrid=52, vips=["192.0.2.101/24"], state="MASTER", priority=100,
                    **FAST)]
    group = (f'vrrp_sync_group G1 {{\n    group {{\n        VI_1\n        VI_2\n    }}\n'
             f'    notify "{notify_script}"\n    sync_group_tracking_weight\n}}\n')
    conf_a = render_config(two, "nodeA", track_files=[TrackFile("tf", tf, weight=1)],
                           global_extra=[f"vrrp_notify_fifo {fifo}",
                                         f'vrrp_notify_fifo_script "{fifo_script}"'])
    conf_a = conf_a.replace("vrrp_instance", group + "vrrp_instance", 1)
    a = topo.router("vigil", p.node1, conf_a, "node1").start()
    wait_for_address(p.node1, "eth0", "192.0.2.101", timeout=ELECTION)
    text = wait_for_file(out, lambda t: 'GROUP "G1" MASTER' in t, timeout=ELECTION,
                         what="GROUP line in the FIFO")
    assert 'INSTANCE "VI_1" MASTER 100' in text and 'INSTANCE "VI_2" MASTER 100' in text, text
    wait_for_file(notify_out, lambda t: re.search(r"^GROUP G1 MASTER \d+$", t, re.M) is not None,
                  what="group notify")
    # notify_priority_changes: keepalived's MASTER_PRIORITY line (VI_2 has no such option).
    with open(tf, "w") as f:
        f.write("5\n")
    wait_for_file(out, lambda t: 'INSTANCE "VI_1" MASTER_PRIORITY 105' in t,
                  what="MASTER_PRIORITY line in the FIFO")
    # The reader dies: vigil starts it again, and lines written meanwhile are not lost.
    first = re.findall(r"^START (\d+)$", open(out).read(), re.M)
    assert len(first) == 1, open(out).read()
    os.kill(int(first[0]), 9)
    a.wait_log(r"notify FIFO script .*fifo\.sh.* killed by signal 9 \(Killed\); restarting", timeout=10)
    with open(tf, "w") as f:
        f.write("-3\n")
    text = wait_for_file(out, lambda t: len(re.findall(r"^START \d+$", t, re.M)) == 2
                         and 'INSTANCE "VI_1" MASTER_PRIORITY 97' in t,
                         what="restarted reader and the next priority line")
    assert "VI_2\" MASTER_PRIORITY" not in text and "BACKUP_PRIORITY" not in text, text
    p.node1.link_set("eth0", False)
    wait_for_file(out, lambda t: 'GROUP "G1" FAULT' in t, what="GROUP FAULT in the FIFO")
    wait_for_file(notify_out, lambda t: re.search(r"^GROUP G1 FAULT \d+$", t, re.M) is not None,
                  what="group FAULT notify")
    assert a.running


def test_sync_group_tracking_applies_to_every_member(topo, lan_pair, tmp_path):
    """keepalived 2.2.7 semantics: a group's tracked items apply to all members with their
    weights; a member's own weighted items are ignored (no sync_group_tracking_weight); a
    weight-0 group item that fails puts the whole group in FAULT."""
    p = lan_pair
    out = str(tmp_path / "fifo.log")
    fifo_script = str(tmp_path / "fifo.sh")
    with open(fifo_script, "w") as f:
        f.write(f'#!/bin/sh\nexec cat "$1" >> "{out}"\n')
    os.chmod(fifo_script, 0o755)
    files = {n: str(tmp_path / n) for n in ("member", "gweight", "gfault")}
    for path in files.values():
        with open(path, "w") as f:
            f.write("0\n")
    track_files = [TrackFile("member", files["member"], weight=3),
                   TrackFile("gweight", files["gweight"], weight=2),
                   TrackFile("gfault", files["gfault"], weight=0)]
    two = [Instance(name="VI_1", state="MASTER", priority=100, track_files=["member"],
                    extra=["notify_priority_changes"], **FAST),
           Instance(name="VI_2", vrid=52, vips=["192.0.2.101/24"], state="MASTER", priority=100,
                    extra=["notify_priority_changes"], **FAST)]
    group = ("vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n"
             "    track_file {\n        gweight\n        gfault\n    }\n}\n")
    conf = render_config(two, "nodeA", track_files=track_files,
                         global_extra=[f"vrrp_notify_fifo {tmp_path / 'vrrp.fifo'}",
                                       f'vrrp_notify_fifo_script "{fifo_script}"'])
    conf = conf.replace("vrrp_instance", group + "vrrp_instance", 1)
    a = topo.router("vigil", p.node1, conf, "node1").start()
    wait_for_file(out, lambda t: 'GROUP "G1" MASTER' in t, timeout=ELECTION,
                  what="group MASTER")

    def write(name: str, value: int) -> None:
        with open(files[name], "w") as f:
            f.write(f"{value}\n")

    write("member", 7)  # 7 * 3 would be +21: ignored in a group
    write("gweight", 5)  # +10 on both members
    text = wait_for_file(out, lambda t: 'INSTANCE "VI_1" MASTER_PRIORITY 110' in t
                         and 'INSTANCE "VI_2" MASTER_PRIORITY 110' in t,
                         what="group weight on both members")
    assert "121" not in text and "131" not in text, text
    write("gfault", 1)
    text = wait_for_file(out, lambda t: 'GROUP "G1" FAULT' in t, what="group FAULT")
    assert 'INSTANCE "VI_1" FAULT' in text and 'INSTANCE "VI_2" FAULT' in text, text
    wait_for_address(p.node1, "eth0", "192.0.2.100", present=False)
    wait_for_address(p.node1, "eth0", "192.0.2.101", present=False)
    write("gfault", 0)
    wait_for_file(out, lambda t: t.count('GROUP "G1" MASTER') == 2, timeout=ELECTION,
                  what="group back to MASTER")
    wait_for_address(p.node1, "eth0", "192.0.2.101", timeout=ELECTION)
    assert a.running
