"""Pings a VIP every 50 ms from a client namespace and records each answer or loss.

For labs and benchmarks (how long was the VIP unreachable during a failover); tests must not
assert on these timings.
"""
from __future__ import annotations

import re
import subprocess
import threading
import time

from .netns import Namespace

_REPLY = re.compile(r"^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+)")
_LOST = re.compile(r"^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)")


class PingFollower:
    def __init__(self, ns: Namespace, target: str, interval: float = 0.05,
                 on_event=None) -> None:
        self.ns, self.target, self.interval = ns, target, interval
        self.events: list[tuple[float, int, bool]] = []  # (wall time, seq, answered)
        self.on_event = on_event
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> "PingFollower":
        argv = ["ping", "-n", "-D", "-O", "-i", f"{self.interval:g}", "-W", "1", self.target]
        self.proc = subprocess.Popen(self.ns.cmd(argv), stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        return self

    def _read(self) -> None:
        for line in self.proc.stdout:
            for pattern, ok in ((_REPLY, True), (_LOST, False)):
                m = pattern.match(line)
                if m:
                    ev = (float(m.group(1)), int(m.group(2)), ok)
                    with self.lock:
                        self.events.append(ev)
                    if self.on_event:
                        self.on_event(*ev)

    def counts(self) -> tuple[int, int]:
        """(answered, lost) so far."""
        with self.lock:
            ok = sum(1 for e in self.events if e[2])
            return ok, len(self.events) - ok

    def longest_outage(self) -> float:
        """Longest gap in seconds between consecutive answers."""
        with self.lock:
            times = [e[0] for e in self.events if e[2]]
        return max((b - a for a, b in zip(times, times[1:])), default=0.0)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.thread:
            self.thread.join(timeout=5)
