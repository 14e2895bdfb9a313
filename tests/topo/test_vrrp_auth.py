"""Simple-password authentication (VRRPv2 auth_type PASS): matching passwords elect one master;
mismatching ones make each router ignore the other, so both become master."""
from lib.awaits import wait_for_address
from lib.capture import watch_packets
from lib.kaconf import Instance
from lib.pairs import ELECTION, assert_master, start_pair

VIP = "192.0.2.100"


def test_matching_password_elects_one_master(topo, lan_pair, impls):
    p = lan_pair
    start_pair(topo, p, impls, [Instance(state="MASTER", priority=100, auth_pass="s3cret")],
               [Instance(state="BACKUP", priority=99, auth_pass="s3cret")])
    assert_master(p.node1, p.node2, VIP)


def test_password_mismatch_is_ignored_so_both_are_master(topo, lan_pair, impls):
    p = lan_pair
    start_pair(topo, p, impls, [Instance(state="MASTER", priority=100, auth_pass="alpha")],
               [Instance(state="BACKUP", priority=99, auth_pass="bravo")])
    wait_for_address(p.node1, "eth0", VIP, timeout=ELECTION)
    wait_for_address(p.node2, "eth0", VIP, timeout=ELECTION)
    # Six adverts later (5 s, more than Master_Down_Interval) both still hold the VIP.
    lines = watch_packets(p.client, "eth0", "ip proto 112", count=6, timeout=10)
    assert p.node1.has_address("eth0", VIP) and p.node2.has_address("eth0", VIP)
    # A master keeps advertising whatever it receives. keepalived 2.2.7 does not: each invalid
    # advert it receives postpones its own next one, so at equal intervals it falls silent.
    # Only vigil is held to the RFC here.
    sources = {line.split()[2] for line in lines}
    for impl, ip in zip(impls, ("192.0.2.1", "192.0.2.2")):
        if impl == "vigil":
            assert ip in sources, f"vigil master {ip} stopped advertising:\n" + "\n".join(lines)
