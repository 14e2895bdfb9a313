"""Fixtures of the topology suite: root check, stale-namespace sweep, a Topology per test, and
the implementation pairs (node A, node B) every VRRP test runs with."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lib import netns  # noqa: E402
from lib.routers import vigil_vrrp_ready  # noqa: E402
from lib.topology import Topology, pair  # noqa: E402

VIGIL_READY, VIGIL_WHY = vigil_vrrp_ready()
IMPL_PAIRS = [("keepalived", "keepalived"), ("vigil", "keepalived"),
              ("keepalived", "vigil"), ("vigil", "vigil")]


def impl_params():
    """(impl of node A, impl of node B), vigil ones skipped until vigild runs VRRP."""
    out = []
    for a, b in IMPL_PAIRS:
        marks = [] if VIGIL_READY or "vigil" not in (a, b) else \
            [pytest.mark.skip(reason=VIGIL_WHY)]
        out.append(pytest.param((a, b), id=f"{a}-{b}", marks=marks))
    return out


def pytest_configure(config):
    """Runs the suite on TOPO_JOBS xdist workers when pytest-xdist is installed and no -n was
    given: the tests mostly wait for VRRP timers, so they overlap well even on 2 cores, and
    every test builds its own uniquely named namespaces. VIGIL_TOPO_JOBS=0 runs serially."""
    jobs = int(os.environ.get("VIGIL_TOPO_JOBS", "4"))
    if (jobs > 0 and config.pluginmanager.hasplugin("xdist")
            and not hasattr(config, "workerinput")
            and not getattr(config.option, "numprocesses", None)
            and getattr(config.option, "dist", "no") == "no"
            and not config.getoption("collectonly") and not config.getoption("usepdb")):
        config.option.numprocesses = jobs
        config.option.dist = "load"
        config.option.tx = ["popen"] * jobs


@pytest.fixture(scope="session", autouse=True)
def _root_and_sweep():
    if os.geteuid() != 0:
        pytest.skip("topology tests need root (network namespaces)", allow_module_level=True)
    netns.sweep_stale()
    yield
    netns.REGISTRY.cleanup_all()


SANITIZER_LOGS = ("asan", "ubsan")


@pytest.fixture(autouse=True)
def _sanitizer_reports(tmp_path):
    """With a sanitizer build (VIGIL_SANITIZE=ON), every vigild or vigilctl this test starts
    writes its ASan/LeakSanitizer/UBSan reports to files in the test's tmp dir (the options are
    inherited through `ip netns exec`); any report fails the test, even if the daemon died
    quietly or the test never looked at its output. Harmless for a normal build."""
    logdir = tmp_path / "sanitizer"
    logdir.mkdir()
    saved = {k: os.environ.get(k) for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS")}

    def opts(name, extra):
        base = saved[name.upper() + "_OPTIONS"]
        return ":".join(filter(None, [base, f"log_path={logdir}/{name}", extra]))

    os.environ["ASAN_OPTIONS"] = opts("asan", "detect_leaks=1")
    os.environ["UBSAN_OPTIONS"] = opts("ubsan", "print_stacktrace=1:halt_on_error=1")
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    reports = sorted(p for p in logdir.iterdir() if p.stat().st_size > 0)
    if reports:
        text = "\n".join(f"----- {p.name}\n{p.read_text(errors='replace')[:6000]}"
                         for p in reports)
        pytest.fail(f"sanitizer reports from processes of this test:\n{text}", pytrace=False)


@pytest.fixture
def topo(tmp_path, request):
    t = Topology(str(tmp_path))
    yield t
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for obj in t._owned:
            if hasattr(obj, "log_text"):
                print(f"----- {obj.name} ({obj.impl}) log {obj.log_path}")
                lines = [ln for ln in obj.log_text().splitlines(True)
                         if "Sending gratuitous ARP on" not in ln]
                print("".join(lines[-40:]))
    t.close()


@pytest.fixture
def lan_pair(topo):
    """node1, node2 and client on one LAN (see lib.topology.pair)."""
    return pair(topo)


@pytest.fixture(params=impl_params())
def impls(request):
    return request.param


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
