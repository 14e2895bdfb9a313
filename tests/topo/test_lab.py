"""Every available lab scenario (lab/vigil-lab run SN) reaches a PASS verdict, with keepalived
on both nodes and, once vigild runs VRRP, with vigil on both nodes."""
import os
import subprocess
import sys

import pytest

from conftest import VIGIL_READY, VIGIL_WHY
from lib.routers import vigil_features

LAB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lab")
sys.path.insert(0, LAB_DIR)
import labkit  # noqa: E402

FEATURES = vigil_features()


def scenario_params():
    """(scenario, impl) for every available scenario; skipped where it cannot run here."""
    out = []
    for s in labkit.SCENARIOS:
        if not s.available:
            continue
        for impl in ("keepalived", "vigil"):
            why = None
            if impl not in s.impls:
                why = s.why_not
            elif impl == "vigil" and not VIGIL_READY:
                why = VIGIL_WHY
            elif impl == "vigil" and s.feature and s.feature not in FEATURES:
                why = f"vigild lacks `{s.feature}`"
            marks = [pytest.mark.skip(reason=why)] if why else []
            out.append(pytest.param(s.key, impl, id=f"{s.key}-{impl}", marks=marks))
    return out


@pytest.mark.parametrize("scenario,impl", scenario_params())
def test_lab_scenario_passes(scenario, impl, tmp_path):
    res = subprocess.run([os.path.join(LAB_DIR, "vigil-lab"), "run", scenario, "--impl", impl,
                          "--keep-logs", str(tmp_path)],
                         capture_output=True, text=True, timeout=180)
    print(res.stdout, res.stderr)
    assert res.returncode == 0, f"{scenario} with {impl} failed:\n{res.stdout}\n{res.stderr}"
    assert f"VERDICT: PASS ({scenario} with {impl})" in res.stdout
    # The narrative must show the VIP moving, not just a verdict.
    assert "VIP 192.0.2.100 added" in res.stdout and "VIP 192.0.2.100 removed" in res.stdout


def test_lab_lists_every_scenario():
    res = subprocess.run([os.path.join(LAB_DIR, "vigil-lab"), "list"], capture_output=True,
                         text=True, timeout=30, check=True)
    for key in ("S1", "S2", "S3", "S4", "S5", "S6"):
        assert key in res.stdout
    for s in labkit.SCENARIOS:
        assert (f"{s.key}  {s.title}  (not yet available)" in res.stdout) != s.available


def test_lab_fails_when_the_failover_does_not_happen(tmp_path, monkeypatch):
    """The verdict is real: a lab whose node2 never takes over reports FAIL."""
    import copy
    s1 = copy.copy(labkit.find("S1"))
    s1.directory = str(tmp_path / "broken")
    os.makedirs(s1.directory)
    src = os.path.join(LAB_DIR, "s1-single-master")
    for node in ("node1", "node2"):
        with open(os.path.join(src, f"{node}.conf")) as f:
            text = f.read()
        if node == "node2":  # node2 carries another VIP, so 192.0.2.100 can never move to it
            text = text.replace("virtual_ipaddress {\n        192.0.2.100/24",
                                "virtual_ipaddress {\n        192.0.2.150/24")
        with open(os.path.join(s1.directory, f"{node}.conf"), "w") as f:
            f.write(text)
    monkeypatch.setattr(labkit, "STEP_TIMEOUT", 6)
    failures = labkit.run_scenario(s1, "keepalived", str(tmp_path / "run"), labkit.Timeline())
    assert failures, "a scenario whose VIP never moves must fail"
    assert any("on node2" in f for f in failures)
