"""Two VRRP routers (node A on node1, node B on node2) with a client, as most tests need."""
from __future__ import annotations

from .awaits import wait_for_address
from .kaconf import Instance, render_config
from .routers import Router
from .topology import Pair, Topology

# Master_Down_Interval is at most 3.6 s with advert_int 1; leave room for start-up and load.
ELECTION = 15


def start_pair(topo: Topology, p: Pair, impls: tuple[str, str], a: list[Instance],
               b: list[Instance], start: bool = True, a_render: dict | None = None,
               b_render: dict | None = None, **render_kw) -> tuple[Router, Router]:
    """Writes each node's config (same text for either implementation) and starts both.
    render_kw go to both configs, a_render/b_render to one node's only."""
    ra = topo.router(impls[0], p.node1,
                     render_config(a, "nodeA", **{**render_kw, **(a_render or {})}), "node1")
    rb = topo.router(impls[1], p.node2,
                     render_config(b, "nodeB", **{**render_kw, **(b_render or {})}), "node2")
    if start:
        ra.start()
        rb.start()
    return ra, rb


def assert_master(master, backup, vip: str, ifname: str = "eth0", timeout: float = ELECTION) -> None:
    """The VIP ends up on master's interface and not on backup's."""
    wait_for_address(master, ifname, vip, timeout=timeout)
    wait_for_address(backup, ifname, vip, present=False, timeout=timeout)
