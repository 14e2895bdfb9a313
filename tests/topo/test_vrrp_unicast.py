"""Unicast VRRP (unicast_src_ip / unicast_peer): adverts go to the peer's address, not the
multicast group, and failover still works."""
from lib.awaits import wait_for_address, wait_for_ping
from lib.capture import watch_packets
from lib.kaconf import Instance
from lib.pairs import ELECTION, assert_master, start_pair

VIP = "192.0.2.100"


def test_unicast_election_and_failover(topo, lan_pair, impls):
    p = lan_pair
    kw = dict(version=3, advert_int=0.5)
    a, _ = start_pair(
        topo, p, impls,
        [Instance(state="MASTER", priority=100, unicast_src="192.0.2.1",
                  unicast_peers=["192.0.2.2"], **kw)],
        [Instance(state="BACKUP", priority=99, unicast_src="192.0.2.2",
                  unicast_peers=["192.0.2.1"], **kw)])
    assert_master(p.node1, p.node2, VIP)
    lines = watch_packets(p.node2, "eth0", "ip proto 112", count=3, timeout=10)
    assert all("192.0.2.1 > 192.0.2.2:" in line for line in lines), "\n".join(lines)
    a.stop()
    wait_for_address(p.node2, "eth0", VIP, timeout=ELECTION)
    wait_for_ping(p.client, VIP)
    lines = watch_packets(p.node1, "eth0", "ip proto 112", count=2, timeout=10)
    assert all("192.0.2.2 > 192.0.2.1:" in line for line in lines), "\n".join(lines)
