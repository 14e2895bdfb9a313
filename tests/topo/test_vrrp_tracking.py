"""Tracking moves the VIP: a vrrp_script with weight -10 (the seed's S4) and a track_file whose
value times its weight lowers the master's priority below the backup's; undoing it moves the
VIP back (preempt)."""
import os

from lib.kaconf import Instance, TrackFile, VrrpScript
from lib.pairs import assert_master, start_pair

VIP = "192.0.2.100"
FAST = dict(version=3, advert_int=0.5)


def write_check_script(directory) -> tuple[str, str]:
    """A check that fails while DIR/down exists (like the seed's chk_down)."""
    os.makedirs(directory, exist_ok=True)
    script, down = os.path.join(directory, "chk_down.sh"), os.path.join(directory, "down")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\n[ -f '{down}' ] && exit 1\nexit 0\n")
    os.chmod(script, 0o755)
    return script, down


def test_track_script_weight_moves_vip_and_back(topo, lan_pair, impls, tmp_path):
    p = lan_pair
    s1, down1 = write_check_script(str(tmp_path / "node1"))
    s2, _ = write_check_script(str(tmp_path / "node2"))
    start_pair(topo, p, impls,
               [Instance(state="MASTER", priority=100, track_scripts=["chk_down"], **FAST)],
               [Instance(state="BACKUP", priority=99, track_scripts=["chk_down"], **FAST)],
               a_render={"scripts": [VrrpScript("chk_down", s1, interval=1, weight=-10)]},
               b_render={"scripts": [VrrpScript("chk_down", s2, interval=1, weight=-10)]})
    assert_master(p.node1, p.node2, VIP)
    open(down1, "w").close()  # node1: 100 - 10 = 90 < 99
    assert_master(p.node2, p.node1, VIP)
    os.unlink(down1)  # back to 100: node1 preempts
    assert_master(p.node1, p.node2, VIP)


def write_value(path: str, value: int) -> None:
    with open(path, "w") as f:
        f.write(f"{value}\n")


def test_track_file_value_times_weight_moves_vip(topo, lan_pair, impls, tmp_path):
    p = lan_pair
    f1, f2 = str(tmp_path / "node1.track"), str(tmp_path / "node2.track")
    write_value(f1, 0)
    write_value(f2, 0)
    start_pair(topo, p, impls,
               [Instance(state="MASTER", priority=100, track_files=["tf"], **FAST)],
               [Instance(state="BACKUP", priority=99, track_files=["tf"], **FAST)],
               a_render={"track_files": [TrackFile("tf", f1, weight=-10)]},
               b_render={"track_files": [TrackFile("tf", f2, weight=-10)]})
    assert_master(p.node1, p.node2, VIP)
    write_value(f1, 1)  # priority 100 + 1 * -10 = 90 < 99
    assert_master(p.node2, p.node1, VIP)
    write_value(f1, 0)
    assert_master(p.node1, p.node2, VIP)
