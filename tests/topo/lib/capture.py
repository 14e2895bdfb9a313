"""Packet capture inside a namespace, and decoding of the capture file with tshark.

Capturing uses `tcpdump -U -w` (it starts in milliseconds; tshark takes seconds). `start()`
returns only once tcpdump reports "listening on", so packets sent after it are in the file.
Decoding uses `tshark -r FILE -T json`, which exposes the dissector's malformed-packet and
checksum-status fields.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time

from .netns import Namespace, run


class Capture:
    def __init__(self, ns: Namespace, ifname: str, path: str, capture_filter: str = "") -> None:
        self.ns, self.ifname, self.path, self.filter = ns, ifname, path, capture_filter
        self.proc: subprocess.Popen | None = None

    # --immediate-mode: without it TPACKET_V3 hands packets over in blocks, and the packets of
    # the last unfinished block are lost when tcpdump is stopped.
    def start(self, timeout: float = 15) -> "Capture":
        argv = ["tcpdump", "-n", "-U", "--immediate-mode", "-i", self.ifname, "-w", self.path]
        if self.filter:
            argv.append(self.filter)
        self.proc = subprocess.Popen(self.ns.cmd(argv), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        # tcpdump prints "listening on IF" on stderr once the capture is live.
        deadline = time.monotonic() + timeout
        buf = b""
        fd = self.proc.stderr.fileno()
        while b"listening on" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"tcpdump did not start on {self.ns.name}/{self.ifname}: {buf!r}")
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    continue
                buf += chunk
        return self

    def stop(self) -> str:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.path

    def __enter__(self) -> "Capture":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def decode(path: str, display_filter: str = "") -> list[dict]:
    """Packets of a capture file as tshark's JSON layers (one dict per packet)."""
    argv = ["tshark", "-n", "-r", path, "-T", "json"]
    if display_filter:
        argv += ["-Y", display_filter]
    out = run(argv, timeout=60).stdout
    return [p["_source"]["layers"] for p in json.loads(out or "[]")]


def _walk(obj, key: str):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v, key)


def field_values(packet: dict, key: str) -> list:
    return list(_walk(packet, key))


def malformed(packets: list[dict]) -> list[dict]:
    """Packets tshark flags as malformed or with expert errors."""
    return [p for p in packets if "_ws.malformed" in p or field_values(p, "_ws.malformed")]


def bad_checksums(packets: list[dict], key: str = "vrrp.checksum.status") -> list[dict]:
    """Packets whose checksum tshark verified as bad (status "0"; "1" good, "2" unverified)."""
    return [p for p in packets if "0" in field_values(p, key)]


def watch_packets(ns: Namespace, ifname: str, bpf: str, count: int, timeout: float) -> list[str]:
    """Captures the next `count` packets matching bpf with tcpdump and returns tcpdump's one-line
    summaries (e.g. "IP 192.0.2.2 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 99, ...").
    tcpdump exits by itself after `count` packets; the wait is bounded by timeout."""
    argv = ns.cmd(["tcpdump", "-l", "-n", "-i", ifname, "-c", str(count), bpf])
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        raise AssertionError(f"fewer than {count} packets matching '{bpf}' on {ns.role}/{ifname}"
                             f" within {timeout}s; got:\n{out}")
    return [line for line in out.splitlines() if line.strip()]
