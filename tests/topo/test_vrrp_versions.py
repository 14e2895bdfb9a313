"""VRRPv2 and v3 over IPv4, and v3 over IPv6: election, failover, the client's neighbour entry,
and the adverts on the wire as tshark decodes them (no malformed packets, good checksums, the
configured version and priority)."""
import pytest

from lib.awaits import wait_for_address, wait_for_neighbor, wait_for_ping
from lib.capture import bad_checksums, decode, field_values, malformed
from lib.kaconf import Instance
from lib.pairs import ELECTION, assert_master, start_pair

CASES = [
    # (version, advert_int, VIP, tshark network layer)
    pytest.param(2, 1, "192.0.2.100/24", "ip", id="v2-ipv4"),
    pytest.param(3, 0.5, "192.0.2.100/24", "ip", id="v3-ipv4"),
    pytest.param(3, 0.5, "2001:db8:0:1::100/64", "ipv6", id="v3-ipv6"),
]


@pytest.mark.parametrize("version,advert_int,vip_cidr,l3", CASES)
def test_version_family_failover_and_wire(topo, lan_pair, impls, version, advert_int, vip_cidr, l3):
    p = lan_pair
    vip = vip_cidr.split("/")[0]
    cap = topo.capture(p.client, "eth0", "vrrp.pcap", "ip proto 112 or ip6 proto 112").start()
    kw = dict(version=version, advert_int=advert_int, vips=[vip_cidr])
    a, _ = start_pair(topo, p, impls, [Instance(state="MASTER", priority=100, **kw)],
                      [Instance(state="BACKUP", priority=99, **kw)])
    assert_master(p.node1, p.node2, vip)
    wait_for_ping(p.client, vip)
    wait_for_neighbor(p.client, vip, p.node1.mac("eth0"))
    a.stop()
    wait_for_address(p.node2, "eth0", vip, timeout=ELECTION)
    wait_for_neighbor(p.client, vip, p.node2.mac("eth0"))
    wait_for_ping(p.client, vip)
    cap.stop()

    packets = decode(cap.path, "vrrp")
    assert packets, "no VRRP adverts captured"
    assert not malformed(packets), f"tshark flags malformed adverts: {malformed(packets)[:2]}"
    assert not bad_checksums(packets), f"bad VRRP checksums: {bad_checksums(packets)[:2]}"
    assert all(l3 in pk for pk in packets), f"adverts not all over {l3}"
    assert {v for pk in packets for v in field_values(pk, "vrrp.version")} == {str(version)}
    prios = {v for pk in packets for v in field_values(pk, "vrrp.prio")}
    # node1 advertised 100 and left with priority 0; node2 advertised 99 as the new master.
    assert {"100", "0", "99"} <= prios, f"priorities seen: {prios}"
    hop = "ip.ttl" if l3 == "ip" else "ipv6.hlim"
    assert {v for pk in packets for v in field_values(pk, hop)} == {"255"}
    # Network-control class, as keepalived sends it (IPv4: TOS 0xc0, IPv6: traffic class 0xc0).
    tos = "ip.dsfield" if l3 == "ip" else "ipv6.tclass"
    assert {int(v, 16) for pk in packets for v in field_values(pk, tos)} == {0xc0}
