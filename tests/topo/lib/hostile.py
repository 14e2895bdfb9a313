"""Hand-made VRRP packets for the hostile-input tests. Frames are built with scapy (an encoder
independent of vigil's) in the test process and sent from inside a namespace through an
AF_PACKET socket, so every byte — TTL, IP header, checksum, auth data — is exactly as written."""
from __future__ import annotations

from scapy.layers.inet import IP
from scapy.layers.l2 import Ether
from scapy.layers.vrrp import VRRP
from scapy.packet import Raw

from .netns import Namespace

VRRP_GROUP = "224.0.0.18"
VRRP_GROUP_MAC = "01:00:5e:00:00:12"

_SENDER = r"""
import socket, sys
ifname, repeat = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
frames = [bytes.fromhex(h) for h in sys.argv[3:]]
for _ in range(repeat):
    for f in frames:
        s.send(f)
"""


def password_words(password: str) -> tuple[int, int]:
    """keepalived's PASS auth data: the password in 8 bytes, zero padded, as scapy's two
    32-bit fields."""
    raw = password.encode()[:8].ljust(8, b"\0")
    return int.from_bytes(raw[:4], "big"), int.from_bytes(raw[4:], "big")


def advert_v2(src: str, vrid: int, priority: int, vips: list[str], password: str | None = None,
              ttl: int = 255, adv: int = 1, **vrrp_fields) -> IP:
    """A VRRPv2 advertisement to 224.0.0.18; any VRRP field can be overridden (version, type,
    ipcount, authtype, chksum, ...)."""
    auth = {}
    if password is not None:
        a1, a2 = password_words(password)
        auth = dict(authtype=1, auth1=a1, auth2=a2)
    fields = dict(vrid=vrid, priority=priority, addrlist=vips, adv=adv, **auth)
    fields.update(vrrp_fields)
    return IP(src=src, dst=VRRP_GROUP, ttl=ttl, proto=112) / VRRP(**fields)


def raw_ip(src: str, payload: bytes, ttl: int = 255) -> IP:
    return IP(src=src, dst=VRRP_GROUP, ttl=ttl, proto=112) / Raw(payload)


def frame(ip_pkt, src_mac: str) -> bytes:
    return bytes(Ether(dst=VRRP_GROUP_MAC, src=src_mac, type=0x0800) / ip_pkt)


def send_frames(ns: Namespace, ifname: str, frames: list[bytes], repeat: int = 1) -> None:
    """Sends the frames in order, `repeat` times, from `ifname` in the namespace."""
    ns.exec(["python3", "-c", _SENDER, ifname, str(repeat), *(f.hex() for f in frames)],
            timeout=60)
