"""Cloud-init user data: the same vanilla Linux base on every server, whatever the provider.

Every server gets: the admin user with the configured SSH public keys (no passwords, root login
off), time sync with chrony, the base packages plus its role's packages, a deny-by-default
nftables firewall with the role's rules, and its data mount points. Mounts backed by a block
volume are formatted (only if blank) and mounted by a small script that a systemd unit retries
until the volume is attached; the others are directories on the system disk.
"""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from components.rules import Rule, nftables_ruleset
from components.spec import FleetSpec, ServerSpec


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter (about 10x faster over 500 servers); multi-line text as ``|`` blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
MARKER = "exitplan-base: 1"  # every server's user data carries this line (tests look for it)
MOUNT_SCRIPT = "/usr/local/sbin/exitplan-data-mounts"
MOUNTS_FILE = "/etc/exitplan/data-mounts"
UNIT = """[Unit]
Description=exitplan: format (if blank) and mount the data volumes
After=local-fs.target
StartLimitIntervalSec=0

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/exitplan-data-mounts
Restart=on-failure
RestartSec=15

[Install]
WantedBy=multi-user.target
"""


@functools.cache
def mount_script() -> str:
    return resources.files("components").joinpath("data_mounts.sh").read_text(encoding="utf-8")


def mount_label(index: int) -> str:
    """File-system label of the ``index``-th data mount (ext4 labels hold 16 characters)."""
    return f"xp-data{index}"


def mounts_file(server: ServerSpec) -> str:
    lines = ["# LABEL SIZE_GIB MOUNT_POINT  (SIZE_GIB 0 = a directory on the system disk)"]
    for i, mount in enumerate(server.mounts):
        size = mount.size_gib if mount.volume else 0
        lines.append(f"{mount_label(i)} {size} {mount.mount_point}")
    return "\n".join(lines) + "\n"


def _dump(value: object) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1000)


_ROLE_PARTS: dict[tuple[int, str, tuple[Rule, ...]], tuple[FleetSpec, str]] = {}


def _role_part(spec: FleetSpec, role_name: str, rules: tuple[Rule, ...]) -> str:
    """Everything but the per-server files, rendered once per role (YAML is the slow part)."""
    key = (id(spec), role_name, rules)
    cached = _ROLE_PARTS.get(key)
    if cached is not None and cached[0] is spec:  # the spec is held, so its id is not reused
        return cached[1]
    if len(_ROLE_PARTS) > 256:
        _ROLE_PARTS.clear()
    text = _render_role(spec, role_name, rules)
    _ROLE_PARTS[key] = (spec, text)
    return text


def _render_role(spec: FleetSpec, role_name: str, rules: tuple[Rule, ...]) -> str:
    role = spec.roles[role_name]
    document = {
        "users": [
            {
                "name": spec.admin_user,
                "shell": "/bin/bash",
                "lock_passwd": True,
                "sudo": "ALL=(ALL) NOPASSWD:ALL",
                "ssh_authorized_keys": list(spec.ssh_public_keys),
            }
        ],
        "disable_root": True,
        "ssh_pwauth": False,
        "ntp": {"enabled": True, "ntp_client": "chrony", "pools": list(spec.ntp_servers)},
        "timezone": "Etc/UTC",
        "package_update": True,
        "packages": list(dict.fromkeys((*spec.base_packages, *role.packages))),
        "runcmd": [
            ["systemctl", "enable", "--now", "nftables"],
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", "exitplan-data-mounts.service"],
        ],
        "write_files": [
            {
                "path": "/etc/nftables.conf",
                "permissions": "0644",
                "content": nftables_ruleset(rules),
            },
            {"path": MOUNT_SCRIPT, "permissions": "0755", "content": mount_script()},
            {
                "path": "/etc/systemd/system/exitplan-data-mounts.service",
                "permissions": "0644",
                "content": UNIT,
            },
        ],
    }
    return _dump(document)


def user_data(spec: FleetSpec, server: ServerSpec, rules: tuple[Rule, ...]) -> str:
    """The ``#cloud-config`` document for one server.

    The role's part ends with the ``write_files`` list; the server's own files are appended
    to that list (a YAML block sequence continues across the concatenation).
    """
    head = _dump({"hostname": server.name, "preserve_hostname": False})
    files = [
        {"path": MOUNTS_FILE, "permissions": "0644", "content": mounts_file(server)},
        {
            "path": "/etc/exitplan/server",
            "permissions": "0644",
            "content": f"name={server.name}\nrole={server.role}\n"
            f"sources={','.join(server.sources)}\n",
        },
    ]
    role_part = _role_part(spec, server.role, rules)
    return f"#cloud-config\n# {MARKER} role={server.role}\n{head}{role_part}{_dump(files)}"
