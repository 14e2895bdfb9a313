"""keepalived.conf text for tests: the same text is fed to keepalived and to vigild."""
from __future__ import annotations

from dataclasses import dataclass, field

from .netns import check_documentation_address


@dataclass
class VrrpScript:
    name: str
    script: str
    interval: float = 1
    weight: int | None = None
    fall: int = 1
    rise: int = 1

    def render(self) -> str:
        lines = [f"vrrp_script {self.name} {{", f'    script "{self.script}"',
                 f"    interval {self.interval:g}", f"    fall {self.fall}", f"    rise {self.rise}"]
        if self.weight is not None:
            lines.append(f"    weight {self.weight}")
        return "\n".join(lines + ["}"])


@dataclass
class TrackFile:
    name: str
    path: str
    weight: int | None = None
    init_value: int | None = None

    def render(self) -> str:
        lines = [f"vrrp_track_file {self.name} {{", f'    file "{self.path}"']
        if self.weight is not None:
            lines.append(f"    weight {self.weight}")
        if self.init_value is not None:
            lines.append(f"    init_file {self.init_value}")
        return "\n".join(lines + ["}"])


@dataclass
class Instance:
    name: str = "VI_1"
    interface: str = "eth0"
    vrid: int = 51
    priority: int = 100
    state: str = "BACKUP"
    advert_int: float = 1
    version: int | None = None  # None: keepalived's default (2) unless global vrrp_version
    vips: list[str] = field(default_factory=lambda: ["192.0.2.100/24"])
    preempt: bool = True
    preempt_delay: float | None = None
    auth_pass: str | None = None
    unicast_src: str | None = None
    unicast_peers: list[str] = field(default_factory=list)
    track_scripts: list[str] = field(default_factory=list)
    track_files: list[str] = field(default_factory=list)
    track_interfaces: list[str] = field(default_factory=list)
    notify: str | None = None
    notify_master: str | None = None
    notify_backup: str | None = None
    notify_fault: str | None = None
    notify_stop: str | None = None
    extra: list[str] = field(default_factory=list)

    def render(self) -> str:
        for vip in self.vips:  # "ADDR[/LEN] [options]"
            check_documentation_address(vip.split()[0])
        out = [f"vrrp_instance {self.name} {{", f"    state {self.state}",
               f"    interface {self.interface}", f"    virtual_router_id {self.vrid}",
               f"    priority {self.priority}", f"    advert_int {self.advert_int:g}"]
        if self.version is not None:
            out.append(f"    version {self.version}")
        if not self.preempt:
            out.append("    nopreempt")
        if self.preempt_delay is not None:
            out.append(f"    preempt_delay {self.preempt_delay:g}")
        if self.auth_pass is not None:
            out += ["    authentication {", "        auth_type PASS",
                    f"        auth_pass {self.auth_pass}", "    }"]
        if self.unicast_src:
            out.append(f"    unicast_src_ip {self.unicast_src}")
        if self.unicast_peers:
            out += ["    unicast_peer {"] + [f"        {p}" for p in self.unicast_peers] + ["    }"]
        for block, items in (("track_script", self.track_scripts), ("track_file", self.track_files),
                             ("track_interface", self.track_interfaces)):
            if items:
                out += [f"    {block} {{"] + [f"        {i}" for i in items] + ["    }"]
        for key in ("notify", "notify_master", "notify_backup", "notify_fault", "notify_stop"):
            value = getattr(self, key)
            if value:
                out.append(f'    {key} "{value}"')
        out += [f"    {line}" for line in self.extra]
        out += ["    virtual_ipaddress {"] + [f"        {v}" for v in self.vips] + ["    }", "}"]
        return "\n".join(out)


def render_config(instances: list[Instance], router_id: str = "vigil_test",
                  scripts: list[VrrpScript] = (), track_files: list[TrackFile] = (),
                  global_extra: list[str] = ()) -> str:
    """A complete keepalived.conf. Script security stays off: tests run scripts as root
    from temporary directories."""
    parts = ["global_defs {", f"    router_id {router_id}"]
    parts += [f"    {line}" for line in global_extra]
    parts.append("}")
    parts += [s.render() for s in scripts]
    parts += [t.render() for t in track_files]
    parts += [i.render() for i in instances]
    return "\n".join(parts) + "\n"
