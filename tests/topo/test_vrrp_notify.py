"""notify scripts run on each transition with keepalived's arguments:
$1 INSTANCE, $2 instance name, $3 MASTER/BACKUP/FAULT/STOP, $4 priority."""
import os

from lib.awaits import wait_for_file
from lib.kaconf import Instance
from lib.pairs import assert_master, start_pair

VIP = "192.0.2.100"
FAST = dict(version=3, advert_int=0.5)


def notify_script(directory, node: str) -> tuple[str, str]:
    script = os.path.join(directory, f"notify-{node}.sh")
    out = os.path.join(directory, f"notify-{node}.log")
    with open(script, "w") as f:
        f.write(f'#!/bin/sh\necho "$@" >> "{out}"\n')
    os.chmod(script, 0o755)
    return script, out


def has_line(line: str):
    return lambda text: line in text.splitlines()


def test_notify_gets_instance_name_state_priority(topo, lan_pair, impls, tmp_path):
    p = lan_pair
    s1, log1 = notify_script(str(tmp_path), "node1")
    s2, log2 = notify_script(str(tmp_path), "node2")
    a, _ = start_pair(topo, p, impls,
                      [Instance(state="MASTER", priority=100, notify=s1, **FAST)],
                      [Instance(state="BACKUP", priority=99, notify=s2, **FAST)])
    assert_master(p.node1, p.node2, VIP)
    wait_for_file(log1, has_line("INSTANCE VI_1 MASTER 100"), what="node1 MASTER notify")
    wait_for_file(log2, has_line("INSTANCE VI_1 BACKUP 99"), what="node2 BACKUP notify")
    a.stop()
    wait_for_file(log2, has_line("INSTANCE VI_1 MASTER 99"), what="node2 MASTER notify")
    wait_for_file(log1, has_line("INSTANCE VI_1 STOP 100"), what="node1 STOP notify")
