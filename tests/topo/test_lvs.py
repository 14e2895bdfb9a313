"""vigild's LVS runtime end to end: health checkers drive the nftables data plane.

NAT (client 203.0.113.0/24 -> director -> real servers 198.51.100.0/24) and DR (one LAN, VIP
on the real servers' lo) with real HTTP servers; one test per checker kind against a real peer
(TCP, HTTP_GET, SMTP, DNS, UDP, MISC with misc_dynamic, FILE, PING), observed through the
daemon's keepalived-style log lines and the director's `inet vigil` nftables table; `-C`
(checkers and data plane, no VRRP) and `--lb ipvs` on a kernel without IPVS.
"""
from __future__ import annotations

import collections
import json
import os
import re
import signal
import subprocess
import time

import pytest

from lib.awaits import WaitTimeout, wait_for_listener
from lib.netns import Namespace
from lib.routers import REPO_ROOT, Router, build_dir, vigil_features

pytestmark = pytest.mark.skipif("lvs-nft" not in vigil_features(),
                                reason="vigild has no nftables LVS runtime (features: lvs-nft)")

VIP_NAT = "203.0.113.100"
VIP_DR = "192.0.2.100"
TIMEOUT = 15  # seconds for one health transition (delay_loop 1, retry 1, delay_before_retry 1)
FAST = "connect_timeout 1\n            retry 1\n            delay_before_retry 1"

# One process in the client's namespace fetches N pages (new connection each: a new
# scheduling decision) and prints one answer per line.
FETCH = r"""
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
url, n = sys.argv[1], int(sys.argv[2])
for _ in range(n):
    try:
        with opener.open(url, timeout=2) as r:
            print(r.read().decode().strip() or "(empty)", flush=True)
    except Exception:
        print("(failed)", flush=True)
"""

UDP_ECHO = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(data, peer)
"""


class Proc:
    """A long-running program in a namespace (web server, SMTP/DNS/UDP peer)."""

    def __init__(self, ns: Namespace, argv: list[str], tcp_port: int | None = None) -> None:
        self.ns, self.argv, self.tcp_port = ns, argv, tcp_port
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Proc":
        self.proc = subprocess.Popen(self.ns.cmd(self.argv), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        if self.tcp_port:
            wait_for_listener(self.ns, self.tcp_port, TIMEOUT)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self.proc = None

    close = stop


def web(topo, ns: Namespace, body: str, port: int = 80) -> Proc:
    """python's http.server on `port` serving one page with `body`."""
    docroot = os.path.join(topo.workdir, f"www-{ns.role}-{port}")
    os.makedirs(docroot, exist_ok=True)
    with open(os.path.join(docroot, "index.html"), "w") as f:
        f.write(body + "\n")
    return topo._own(Proc(ns, ["python3", "-m", "http.server", str(port), "-d", docroot],
                          tcp_port=port))


def fetch_many(client: Namespace, url: str, n: int) -> list[str]:
    res = client.exec(["python3", "-c", FETCH, url, str(n)], timeout=10 + 3 * n)
    return res.stdout.split()


def wait_answers(client: Namespace, url: str, want: set[str], streak: int = 1,
                 timeout: float = TIMEOUT) -> list[str]:
    """Fetches until every page in `want` answered and the last `streak` answers all came from
    `want` (a removed server must stay out); bounded by `timeout`."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen += fetch_many(client, url, max(streak, 4))
        recent = seen[-max(streak, 4) * 3:]
        if want <= set(recent) and all(a in want for a in seen[-streak:]):
            return seen
    raise WaitTimeout(f"{url}: wanted {sorted(want)} ({streak} in a row), last {seen[-10:]}")


def nft_table(ns: Namespace) -> str:
    """The namespace's whole ruleset: only vigil's tables (`inet vigil`, `netdev vigil`)."""
    return ns.exec(["nft", "list", "ruleset"], check=False).stdout


def in_pool(text: str, dest: str) -> bool:
    """Whether a pick map sends traffic to `dest` ("ADDR:PORT" or "ADDR"): as an element of a
    NAT pick map (`: ADDR . PORT`), or as a `goto` to its chain (DR, persistence; a destination
    that leaves keeps its chain for its return, only the map stops reaching it)."""
    addr, _, port = dest.partition(":")
    ident = re.escape(addr.replace(".", "_").replace(":", "_")) + (f"_{port}" if port else r"_\d+")
    if re.search(rf"goto dst_\w*_{ident}\b", text):
        return True
    value = re.escape(addr) + (rf" \. {port}\b" if port else r"\b")
    return re.search(rf": {value}", text) is not None


def wait_nft(router: Router, ns: Namespace, predicate, what: str,
             timeout: float = TIMEOUT) -> str:
    """Re-reads the director's nftables ruleset on each new daemon log line (at least once a
    second) until predicate(text) holds."""
    deadline = time.monotonic() + timeout
    while True:
        mark = router.mark()
        text = nft_table(ns)
        if predicate(text):
            return text
        left = deadline - time.monotonic()
        if left <= 0:
            raise WaitTimeout(f"nftables: {what} not seen within {timeout}s; table:\n{text}")
        try:
            router.wait_log(r".", timeout=min(left, 1.0), since=mark)
        except AssertionError:
            pass


def start_vigil(topo, ns: Namespace, text: str, *args: str) -> Router:
    r = topo.router("vigil", ns, text, ns.role, extra_args=("--lb", "nft", *args))
    r.start()
    r.wait_log(r"LVS: \d+ virtual server", timeout=TIMEOUT)
    return r


# ---------------------------------------------------------------- NAT


def nat_hosts(topo):
    """client 203.0.113.10 -- director (203.0.113.1 + service address .100; 198.51.100.1) --
    rs1 198.51.100.11, rs2 198.51.100.12 (default route via the director, as IPVS NAT needs)."""
    front, back = topo.lan("front"), topo.lan("back")
    client = topo.host("client", front, ("203.0.113.10/24",))
    director = topo.host("director", front, ("203.0.113.1/24", f"{VIP_NAT}/24"))
    back.attach(director, "eth1", ("198.51.100.1/24",))
    director.sysctl("net.ipv4.ip_forward", "1")
    rs = []
    for i in (1, 2):
        h = topo.host(f"rs{i}", back, (f"198.51.100.1{i}/24",))
        h.ip("route", "add", "default", "via", "198.51.100.1")
        rs.append(h)
    return client, director, rs


NAT_CONF = """
global_defs {{
    router_id director
}}
{extra}
virtual_server {vip} 80 {{
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    sorry_server 198.51.100.1 80
    real_server 198.51.100.11 80 {{
        weight 3
        TCP_CHECK {{
            {fast}
        }}
    }}
    real_server 198.51.100.12 80 {{
        weight 1
        TCP_CHECK {{
            {fast}
        }}
    }}
}}
"""


def rs_line(verb: str, rs: str, vs: str, port: int = 80, proto: str = "tcp") -> str:
    prep = "to" if verb == "Adding" else "from"
    return (rf"{verb} service \[{re.escape(rs)}\]:{proto}:{port} {prep} VS "
            rf"\[{re.escape(vs)}\]:{proto}:{port}")


def test_nat_weights_failover_and_sorry_server(topo):
    client, director, (rs1, rs2) = nat_hosts(topo)
    w1, w2 = web(topo, rs1, "rs1").start(), web(topo, rs2, "rs2").start()
    web(topo, director, "sorry").start()  # the sorry server: the director itself
    url = f"http://{VIP_NAT}/"
    vigil = start_vigil(topo, director, NAT_CONF.format(vip=VIP_NAT, fast=FAST, extra=""))
    wait_answers(client, url, {"rs1", "rs2"})

    counts = collections.Counter(fetch_many(client, url, 200))
    assert set(counts) == {"rs1", "rs2"}, counts
    assert counts["rs1"] > counts["rs2"] > 0, f"weights 3:1 but {counts}"

    mark = vigil.mark()
    w1.stop()
    vigil.wait_log(r"Check on service \[198\.51\.100\.11\]:tcp:80 failed after 1 retr",
                   TIMEOUT, mark)
    vigil.wait_log(rs_line("Removing", "198.51.100.11", VIP_NAT), TIMEOUT, mark)
    wait_answers(client, url, {"rs2"}, streak=6)

    mark = vigil.mark()
    w2.stop()
    vigil.wait_log(rs_line("Removing", "198.51.100.12", VIP_NAT), TIMEOUT, mark)
    vigil.wait_log(r"Lost quorum 1-0=1 > 0 for VS \[203\.0\.113\.100\]:tcp:80", TIMEOUT, mark)
    vigil.wait_log(r"Adding sorry server \[198\.51\.100\.1\]:tcp:80 to VS", TIMEOUT, mark)
    wait_answers(client, url, {"sorry"}, streak=3)

    mark = vigil.mark()
    w1.start()
    vigil.wait_log(rs_line("Adding", "198.51.100.11", VIP_NAT), TIMEOUT, mark)
    vigil.wait_log(r"Gained quorum 1\+0=1 <= 3 for VS", TIMEOUT, mark)
    wait_answers(client, url, {"rs1"}, streak=4)

    vigil.stop()
    assert "vigil" not in nft_table(director), "vigild left its tables behind"


# ---------------------------------------------------------------- DR


DR_CONF = """
global_defs {{
    router_id director
}}
virtual_server {vip} 80 {{
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    sorry_server 127.0.0.1 80
    real_server 192.0.2.21 80 {{
        weight 1
        HTTP_GET {{
            url {{
                path /
                status_code 200
            }}
            {fast}
        }}
    }}
    real_server 192.0.2.22 80 {{
        weight 1
        HTTP_GET {{
            url {{
                path /
                status_code 200
            }}
            {fast}
        }}
    }}
}}
"""


def test_dr_via_vip_with_local_sorry_server(topo):
    lan = topo.lan("lan")
    client = topo.host("client", lan, ("192.0.2.10/24",))
    director = topo.host("director", lan, ("192.0.2.1/24", f"{VIP_DR}/24"))
    setup = os.path.join(REPO_ROOT, "lab", "s5-lvs-dr", "rs-setup.sh")
    servers = []
    for i, n in ((1, 21), (2, 22)):
        h = topo.host(f"rs{i}", lan, (f"192.0.2.{n}/24",))
        h.exec(["sh", setup, VIP_DR])
        servers.append(web(topo, h, f"rs{i}").start())
    web(topo, director, "sorry").start()
    url = f"http://{VIP_DR}/"
    vigil = start_vigil(topo, director, DR_CONF.format(vip=VIP_DR, fast=FAST))
    wait_nft(vigil, director, lambda t: "192.0.2.21" in t and "192.0.2.22" in t,
             "both DR destinations")
    wait_answers(client, url, {"rs1", "rs2"})

    mark = vigil.mark()
    servers[0].stop()
    vigil.wait_log(rs_line("Removing", "192.0.2.21", VIP_DR), TIMEOUT, mark)
    wait_answers(client, url, {"rs2"}, streak=6)

    mark = vigil.mark()
    servers[1].stop()
    vigil.wait_log(r"Adding sorry server \[127\.0\.0\.1\]:tcp:80 to VS", TIMEOUT, mark)
    wait_answers(client, url, {"sorry"}, streak=3)

    mark = vigil.mark()
    servers[1].start()
    vigil.wait_log(rs_line("Adding", "192.0.2.22", VIP_DR), TIMEOUT, mark)
    wait_answers(client, url, {"rs2"}, streak=4)


# ---------------------------------------------------------------- one test per checker kind


CHECK_CONF = """
global_defs {{
    router_id director
}}
{globals}
virtual_server {vip} {port} {{
    delay_loop 1
    alpha
    lb_algo rr
    lb_kind NAT
    protocol {proto}
    real_server 198.51.100.11 {port} {{
        weight 1
        {checker}
    }}
}}
"""


def checker_hosts(topo):
    lan = topo.lan("back")
    director = topo.host("director", lan, ("198.51.100.1/24",))
    peer = topo.host("peer", lan, ("198.51.100.11/24",))
    return director, peer


def run_checker_case(topo, checker: str, up, down, port: int, proto: str = "TCP",
                     globals_: str = ""):
    """alpha: the real server starts out; `up()` → added (log + nftables), `down()` →
    removed, `up()` again → back."""
    director, peer = checker_hosts(topo)
    text = CHECK_CONF.format(vip=VIP_NAT, port=port, proto=proto, checker=checker,
                             globals=globals_)
    p = proto.lower()
    dest = f"198.51.100.11:{port}"
    up(peer)
    vigil = start_vigil(topo, director, text)
    vigil.wait_log(rs_line("Adding", "198.51.100.11", VIP_NAT, port, p), TIMEOUT)
    wait_nft(vigil, director, lambda t: in_pool(t, dest), f"destination {dest} present")
    mark = vigil.mark()
    down(peer)
    vigil.wait_log(rs_line("Removing", "198.51.100.11", VIP_NAT, port, p), TIMEOUT, mark)
    wait_nft(vigil, director, lambda t: not in_pool(t, dest), f"destination {dest} gone")
    mark = vigil.mark()
    up(peer)
    vigil.wait_log(rs_line("Adding", "198.51.100.11", VIP_NAT, port, p), TIMEOUT, mark)
    wait_nft(vigil, director, lambda t: in_pool(t, dest), f"destination {dest} back")
    return vigil, director, peer


class Peer:
    """Starts/stops one Proc per up()/down() pair."""

    def __init__(self, topo, make) -> None:
        self.topo, self.make, self.proc = topo, make, None

    def up(self, ns: Namespace) -> None:
        self.proc = self.topo._own(self.make(ns)).start()

    def down(self, ns: Namespace) -> None:
        self.proc.stop()


def test_tcp_check(topo):
    peer = Peer(topo, lambda ns: web(topo, ns, "tcp", 8080))
    run_checker_case(topo, f"TCP_CHECK {{\n            {FAST}\n        }}", peer.up, peer.down,
                     8080)


def test_http_get_check(topo):
    peer = Peer(topo, lambda ns: web(topo, ns, "http", 8080))
    checker = ("HTTP_GET {\n url {\n path /\n status_code 200\n }\n" + FAST + "\n }")
    run_checker_case(topo, checker, peer.up, peer.down, 8080)


def test_http_get_regex_check(topo):
    """The body decides: `regex` must match (status: ok) and a `regex_no_match` url must not
    (maintenance); the server keeps answering 200 throughout."""
    server = {}

    def serve(ns, body):
        if "proc" not in server:
            server["proc"] = web(topo, ns, body, 8080).start()
        with open(os.path.join(topo.workdir, f"www-{ns.role}-8080", "index.html"), "w") as f:
            f.write(body + "\n")

    checker = ("HTTP_GET {\n"
               " url {\n path /index.html\n regex \"status: (ok|degraded)\"\n"
               " regex_options caseless\n }\n"
               " url {\n path /index.html\n regex maintenance\n regex_no_match\n }\n"
               " log_all_failures\n" + FAST + "\n }")
    vigil, _, _ = run_checker_case(topo, checker, lambda ns: serve(ns, "<p>Status: OK</p>"),
                                   lambda ns: serve(ns, "<p>Status: OK (maintenance)</p>"),
                                   8080)
    vigil.wait_log(r"Regex match error to \[198\.51\.100\.11\]:tcp:8080 url\(/index\.html\), "
                   r"regex\(maintenance\) found \(regex_no_match\)", timeout=1)


def test_smtp_check(topo):
    peer = Peer(topo, lambda ns: Proc(ns, ["python3", "-W", "ignore", "-m", "smtpd", "-n",
                                           "-c", "DebuggingServer", "198.51.100.11:25"],
                                      tcp_port=25))
    checker = "SMTP_CHECK {\n helo_name director.example\n" + FAST + "\n }"
    run_checker_case(topo, checker, peer.up, peer.down, 25)


def test_dns_check(topo, tmp_path):
    def dnsmasq(ns):
        return Proc(ns, ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=53",
                         "--listen-address=198.51.100.11", "--bind-interfaces",
                         f"--pid-file={tmp_path}/dnsmasq.pid", "--no-resolv", "--no-hosts",
                         "--host-record=www.example.com,198.51.100.99"], tcp_port=53)
    peer = Peer(topo, dnsmasq)
    checker = "DNS_CHECK {\n type A\n name www.example.com\n" + FAST + "\n }"
    run_checker_case(topo, checker, peer.up, peer.down, 53, proto="UDP")


def test_udp_check(topo):
    def echo(ns):
        return Proc(ns, ["python3", "-c", UDP_ECHO, "198.51.100.11", "5353"])

    def up(ns):
        peer.up(ns)
        # A UDP socket has no listen state: wait until the echo answers.
        deadline = time.monotonic() + TIMEOUT
        probe = ("import socket; s=socket.socket(2,2); s.settimeout(0.3); "
                 "s.sendto(b'x',('198.51.100.11',5353)); s.recv(9)")
        while ns.exec(["python3", "-c", probe], check=False).returncode != 0:
            assert time.monotonic() < deadline, "UDP echo did not start"
    peer = Peer(topo, echo)
    checker = "UDP_CHECK {\n require_reply\n" + FAST + "\n }"
    run_checker_case(topo, checker, up, peer.down, 5353, proto="UDP")


def test_misc_check_with_dynamic_weight(topo, tmp_path):
    status = tmp_path / "status"
    script = tmp_path / "check.sh"
    script.write_text(f'#!/bin/sh\nexit "$(cat {status})"\n')
    script.chmod(0o755)
    checker = (f'MISC_CHECK {{\n misc_path "{script}"\n misc_timeout 2\n misc_dynamic\n'
               f" {FAST}\n }}")
    vigil, director, _ = run_checker_case(
        topo, checker, lambda ns: status.write_text("0\n"),
        lambda ns: status.write_text("1\n"), 8080)
    # misc_dynamic: exit 2+N sets the weight to N.
    mark = vigil.mark()
    status.write_text("7\n")
    vigil.wait_log(r"Changing weight of service \[198\.51\.100\.11\]:tcp:8080 .*to 5",
                   TIMEOUT, mark)


def test_file_check(topo, tmp_path):
    track = tmp_path / "rs-state"
    globals_ = f'track_file rs_state {{\n    file "{track}"\n}}'
    checker = "FILE_CHECK {\n track_file rs_state\n weight 0\n }"
    run_checker_case(topo, checker, lambda ns: track.write_text("0\n"),
                     lambda ns: track.write_text("1\n"), 8080, globals_=globals_)


def test_ping_check(topo):
    checker = "PING_CHECK {\n" + FAST + "\n }"
    run_checker_case(topo, checker,
                     lambda ns: ns.sysctl("net.ipv4.icmp_echo_ignore_all", "0"),
                     lambda ns: ns.sysctl("net.ipv4.icmp_echo_ignore_all", "1"), 8080)


# ---------------------------------------------------------------- process modes


def test_check_mode_runs_checkers_and_data_plane_without_vrrp(topo):
    client, director, (rs1, rs2) = nat_hosts(topo)
    w1 = web(topo, rs1, "rs1").start()
    web(topo, rs2, "rs2").start()
    vrrp = """
vrrp_instance VI_1 {
    state MASTER
    interface eth1
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        198.51.100.100/24
    }
}
"""
    vigil = start_vigil(topo, director, NAT_CONF.format(vip=VIP_NAT, fast=FAST, extra=vrrp),
                        "-C")
    vigil.wait_log(r"checker-only mode \(-C\)", TIMEOUT)
    wait_nft(vigil, director, lambda t: in_pool(t, "198.51.100.11") and in_pool(t, "198.51.100.12"),
             "both NAT destinations")
    wait_answers(client, f"http://{VIP_NAT}/", {"rs1", "rs2"})
    mark = vigil.mark()
    w1.stop()
    vigil.wait_log(rs_line("Removing", "198.51.100.11", VIP_NAT), TIMEOUT, mark)
    wait_nft(vigil, director, lambda t: not in_pool(t, "198.51.100.11"), "rs1 removed")
    # By now a VRRP master alone on its LAN would long have taken its address.
    assert "198.51.100.100" not in director.addresses("eth1")
    assert "Entering MASTER STATE" not in vigil.log_text()


def test_lb_ipvs_without_ipvs_fails_at_start(topo):
    director, _ = checker_hosts(topo)
    if director.exec(["sh", "-c", "grep -qw ip_vs /proc/modules || test -d /proc/net/ip_vs"],
                     check=False).returncode == 0:
        pytest.skip("this kernel has IPVS")
    vigil = topo.router("vigil", director,
                        CHECK_CONF.format(vip=VIP_NAT, port=80, proto="TCP", globals="",
                                          checker=f"TCP_CHECK {{\n {FAST}\n }}"),
                        "director", extra_args=("--lb", "ipvs"))
    vigil.start()
    assert vigil.proc.wait(timeout=TIMEOUT) != 0
    vigil.wait_log(r"(?i)ipvs", TIMEOUT)


# ---------------------------------------------------------------- operator drain (vigilctl rs)


def test_vigilctl_rs_drain_and_enable_without_reload(topo):
    """`vigilctl rs drain` sends new connections elsewhere although the checker still passes;
    `enable` brings the server back; `vigilctl lvs` shows the state; a wrong name is an error."""
    client, director, (rs1, rs2) = nat_hosts(topo)
    web(topo, rs1, "rs1").start()
    web(topo, rs2, "rs2").start()
    url = f"http://{VIP_NAT}/"
    vigil = start_vigil(topo, director, NAT_CONF.format(vip=VIP_NAT, fast=FAST, extra=""))
    sock = vigil.control_socket
    wait_answers(client, url, {"rs1", "rs2"})

    def ctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        res = subprocess.run([os.path.join(build_dir(), "vigilctl"), "--socket", sock, *args],
                             capture_output=True, text=True, timeout=20)
        assert not check or res.returncode == 0, f"vigilctl {args}: {res.stderr}{res.stdout}"
        return res

    ctl("rs", "drain", f"{VIP_NAT}:80", "198.51.100.11:80")
    vigil.wait_log(r"Draining service \[198\.51\.100\.11\]:tcp:80", timeout=TIMEOUT)
    wait_answers(client, url, {"rs2"}, streak=12)
    vss = json.loads(ctl("lvs", "--json").stdout)
    rs = {r["name"]: r for r in vss[0]["real_servers"]}
    assert rs["[198.51.100.11]:tcp:80"]["drained"] and rs["[198.51.100.11]:tcp:80"]["up"], rs
    assert not rs["[198.51.100.12]:tcp:80"]["drained"], rs

    ctl("rs", "enable", f"[{VIP_NAT}]:tcp:80", "198.51.100.11")
    wait_answers(client, url, {"rs1", "rs2"})
    bad = ctl("rs", "drain", f"{VIP_NAT}:80", "198.51.100.99:80", check=False)
    assert bad.returncode == 1 and "no real server" in bad.stderr, bad

    # SIGHUP adding a real server (first in the list, so the others move) keeps the existing
    # servers' checkers: their run counters continue instead of starting over, no new
    # "Adding service" transition for them, and a drain survives.
    ctl("rs", "drain", f"{VIP_NAT}:80", "198.51.100.12:80")
    vigil.wait_log(r"Draining service \[198\.51\.100\.12\]:tcp:80", timeout=TIMEOUT)

    def checker_runs() -> dict:
        vss = json.loads(ctl("lvs", "--json").stdout)
        return {r["name"]: r for r in vss[0]["real_servers"]}

    before = checker_runs()
    assert all(r["checkers"][0]["runs"] >= 1 for r in before.values()), before
    mark = vigil.mark()
    text = NAT_CONF.format(vip=VIP_NAT, fast=FAST, extra="")
    text = text.replace("    real_server 198.51.100.11 80 {",
                        "    real_server 198.51.100.13 80 {\n    }\n"
                        "    real_server 198.51.100.11 80 {", 1)
    vigil.write_config(text)
    vigil.reload()
    vigil.wait_log(r"LVS: configuration changed; kept 1 of 1 virtual server\(s\) and 2 of 3 "
                   r"real server\(s\) with their state, built 0 checker", timeout=TIMEOUT,
                   since=mark)
    after = checker_runs()
    assert set(after) == set(before) | {"[198.51.100.13]:tcp:80"}, after
    for name, r in before.items():
        assert after[name]["checkers"][0]["runs"] >= r["checkers"][0]["runs"], (name, r, after)
    assert after["[198.51.100.12]:tcp:80"]["drained"], after
    since_reload = "".join(vigil.lines[mark:])
    assert not re.search(r"Activating healthchecker for service \[198\.51\.100\.1[12]\]",
                         since_reload), since_reload
