"""Election and failover between two routers (the seed's S1), every implementation pairing.

Node A has priority 100, node B 99 (VRRPv2, advert_int 1 as in the seed). Waits are on netlink
events (addresses, neighbours), never on sleeps.
"""
from lib.capture import watch_packets
from lib.awaits import wait_for_address, wait_for_neighbor, wait_for_ping
from lib.kaconf import Instance, render_config

VIP = "192.0.2.100"
# Master_Down_Interval is 3 s + skew with advert_int 1; allow start-up and scheduling slack.
ELECTION = 15


def start_pair(topo, p, impls, a_kw=None, b_kw=None):
    a_cfg = render_config([Instance(state="MASTER", priority=100, **(a_kw or {}))], "nodeA")
    b_cfg = render_config([Instance(state="BACKUP", priority=99, **(b_kw or {}))], "nodeB")
    a = topo.router(impls[0], p.node1, a_cfg, "node1").start()
    b = topo.router(impls[1], p.node2, b_cfg, "node2").start()
    return a, b


def assert_master(p, master, backup, vip=VIP):
    wait_for_address(master, "eth0", vip, timeout=ELECTION)
    wait_for_address(backup, "eth0", vip, present=False, timeout=ELECTION)


def test_election_by_priority_and_client_arp(topo, lan_pair, impls):
    p = lan_pair
    start_pair(topo, p, impls)
    assert_master(p, p.node1, p.node2)
    wait_for_ping(p.client, VIP)
    wait_for_neighbor(p.client, VIP, p.node1.mac("eth0"))


def test_sigterm_of_master_moves_vip_and_client_arp(topo, lan_pair, impls):
    p = lan_pair
    a, _ = start_pair(topo, p, impls)
    assert_master(p, p.node1, p.node2)
    wait_for_ping(p.client, VIP)
    a.stop()
    assert not p.node1.has_address("eth0", VIP), "a stopped router must remove its VIP"
    wait_for_address(p.node2, "eth0", VIP, timeout=ELECTION)
    # The new master's gratuitous ARP updates the client's cache without a new ARP request.
    wait_for_neighbor(p.client, VIP, p.node2.mac("eth0"))
    wait_for_ping(p.client, VIP)


def test_link_cut_on_master_moves_vip(topo, lan_pair, impls):
    p = lan_pair
    start_pair(topo, p, impls)
    assert_master(p, p.node1, p.node2)
    p.node1.link_set("eth0", False)
    wait_for_address(p.node2, "eth0", VIP, timeout=ELECTION)
    wait_for_ping(p.client, VIP)
    wait_for_neighbor(p.client, VIP, p.node2.mac("eth0"))


def test_restarted_higher_priority_preempts_back(topo, lan_pair, impls):
    p = lan_pair
    a, _ = start_pair(topo, p, impls)
    assert_master(p, p.node1, p.node2)
    wait_for_ping(p.client, VIP)  # the client caches the VIP's MAC; GARPs then update it
    a.stop()
    wait_for_address(p.node2, "eth0", VIP, timeout=ELECTION)
    wait_for_neighbor(p.client, VIP, p.node2.mac("eth0"))
    a.start()
    assert_master(p, p.node1, p.node2)
    wait_for_neighbor(p.client, VIP, p.node1.mac("eth0"))


def test_nopreempt_keeps_current_master(topo, lan_pair, impls):
    """Both BACKUP + nopreempt (keepalived requires state BACKUP for nopreempt)."""
    p = lan_pair
    a_cfg = render_config([Instance(state="BACKUP", priority=100, preempt=False)], "nodeA")
    b_cfg = render_config([Instance(state="BACKUP", priority=99, preempt=False)], "nodeB")
    a = topo.router(impls[0], p.node1, a_cfg, "node1").start()
    topo.router(impls[1], p.node2, b_cfg, "node2").start()
    assert_master(p, p.node1, p.node2)
    a.stop()
    wait_for_address(p.node2, "eth0", VIP, timeout=ELECTION)
    a.start()
    # Six adverts at advert_int 1 span 5 s, longer than node1's Master_Down_Interval (3.6 s):
    # a node1 that preempted would have advertised among them.
    lines = watch_packets(p.client, "eth0", "ip proto 112", count=6, timeout=15)
    sources = {line.split()[2] for line in lines}
    assert sources == {"192.0.2.2"}, f"only node2 may advertise, saw:\n" + "\n".join(lines)
    assert p.node2.has_address("eth0", VIP) and not p.node1.has_address("eth0", VIP)
