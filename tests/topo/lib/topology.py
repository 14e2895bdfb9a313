"""A set of namespaces, LANs and daemons that is torn down as one, in reverse order.

`Topology` is used as a context manager (labs) or from a pytest fixture (tests). `pair()` builds
the seed's basic set-up: node1, node2 and a client on one LAN 192.0.2.0/24 (+ 2001:db8:0:1::/64).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .capture import Capture
from .netns import Lan, Namespace
from .pingfollow import PingFollower
from .routers import Router, router_class

LAN4 = "192.0.2.{}"
LAN6 = "2001:db8:0:1::{}"


class Topology:
    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        os.makedirs(workdir, exist_ok=True)
        self._owned: list = []  # anything with close()/stop(), closed in reverse order

    def _own(self, obj):
        self._owned.append(obj)
        return obj

    def lan(self, name: str = "lan") -> Lan:
        return self._own(Lan(name))

    def host(self, role: str, lan: Lan | None = None, addrs: tuple[str, ...] = (),
             ifname: str = "eth0") -> Namespace:
        ns = self._own(Namespace(role))
        if lan is not None:
            lan.attach(ns, ifname, addrs)
        return ns

    def router(self, impl: str, ns: Namespace, config_text: str, name: str | None = None,
               extra_args: tuple[str, ...] = ()) -> Router:
        return self._own(router_class(impl)(ns, config_text, self.workdir, name, extra_args))

    def capture(self, ns: Namespace, ifname: str, name: str, capture_filter: str = "") -> Capture:
        cap = Capture(ns, ifname, os.path.join(self.workdir, name), capture_filter)
        self._owned.append(_Stopper(cap))
        return cap

    def ping_follower(self, ns: Namespace, target: str, **kw) -> PingFollower:
        pf = PingFollower(ns, target, **kw)
        self._owned.append(_Stopper(pf))
        return pf

    def close(self) -> None:
        errors = []
        while self._owned:
            obj = self._owned.pop()
            try:
                obj.close()
            except Exception as e:  # keep tearing down the rest
                errors.append(e)
        if errors:
            raise errors[0]

    def __enter__(self) -> "Topology":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Stopper:
    def __init__(self, obj) -> None:
        self.obj = obj

    def close(self) -> None:
        self.obj.stop()


@dataclass
class Pair:
    """node1, node2 and client on one LAN; addresses .1, .2 and .10 (IPv4 and IPv6)."""
    lan: Lan
    node1: Namespace
    node2: Namespace
    client: Namespace

    @staticmethod
    def addr4(host: int) -> str:
        return LAN4.format(host)

    @staticmethod
    def addr6(host: int) -> str:
        return LAN6.format(host)


def pair(topo: Topology) -> Pair:
    lan = topo.lan("lan")
    nodes = []
    for role, n in (("node1", 1), ("node2", 2), ("client", 10)):
        nodes.append(topo.host(role, lan, (f"{LAN4.format(n)}/24", f"{LAN6.format(n)}/64")))
    return Pair(lan, *nodes)
