#!/usr/bin/env python3
"""Checks the dependency direction of src/ modules (docs/architecture.md): a module may include
only headers of modules below it in LAYERS (lower index) or its own. Exit 1 and list violations."""
import pathlib
import re
import sys

# Allowed dependencies per module (its own module is always allowed).
ALLOWED = {
    "base": set(),
    "loop": {"base"},
    "conf": {"base"},
    "netlink": {"base", "loop"},
    "notify": {"base", "loop", "conf"},
    "vrrp": {"base", "loop", "conf", "netlink", "notify"},
    "check": {"base", "loop", "conf", "notify"},
    "lb": {"base", "loop", "conf", "netlink"},
    "control": {"base", "loop", "conf", "netlink", "notify", "vrrp", "check", "lb"},
    "daemon": {"base", "loop", "conf", "netlink", "notify", "vrrp", "check", "lb", "control"},
    "tools": {"base", "loop", "conf", "netlink", "notify", "vrrp", "check", "lb", "control", "daemon"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/', re.M)


def main() -> int:
    root = pathlib.Path(__file__).resolve().parent.parent / "src"
    bad = []
    for f in sorted(root.rglob("*")):
        if f.suffix not in (".h", ".cpp"):
            continue
        module = f.relative_to(root).parts[0]
        allowed = ALLOWED.get(module)
        if allowed is None:
            bad.append(f"{f}: module '{module}' is not in docs/architecture.md's table")
            continue
        for m in INCLUDE.finditer(f.read_text(errors="replace")):
            dep = m.group(1)
            if dep != module and dep in ALLOWED and dep not in allowed:
                line = f.read_text(errors="replace")[: m.start()].count("\n") + 1
                bad.append(f"{f}:{line}: '{module}' must not include '{dep}/'")
    for b in bad:
        print(b)
    print(f"layering: {len(bad)} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
