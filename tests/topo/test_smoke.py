"""The daemon binary exists and runs inside a fresh network namespace."""
import os
import subprocess
import uuid

BUILD = os.environ.get("VIGIL_BUILD", os.path.join(os.path.dirname(__file__), "../../build"))


def test_vigild_runs_in_namespace():
    ns = f"vgl-smoke-{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        out = subprocess.run(["ip", "netns", "exec", ns, f"{BUILD}/vigild", "--version"],
                             check=True, capture_output=True, text=True).stdout
        assert out.startswith("vigild ")
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)
