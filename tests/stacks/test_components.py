"""The shared components' pure parts, the recording monitor, and what the SDKs and mypy catch."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from components.layout import plan_layout
from components.offline import run_offline, stack_config
from components.rules import role_rules
from components.spec import SpecError, fleet_spec
from components.userdata import user_data

from tests.stacks.helpers import REPO, TEST_KEY, run_stack


def fleet(servers: int = 7, **limits: int | None) -> dict[str, Any]:
    roles = ["web", "db"]
    return {
        "schema_version": 1,
        "target": "hetzner",
        "name": "t",
        "admin_user": "ops",
        "ssh_public_keys": [TEST_KEY],
        "admin_cidrs": ["192.0.2.0/24"],
        "ntp_servers": ["pool.ntp.org"],
        "base_packages": ["chrony", "nftables"],
        "private_cidr": "10.0.0.0/8",
        "network_prefix_length": 16,
        "limits": limits,
        "settings": {"image": "debian-12", "network_zone": "eu-central"},
        "roles": {
            "web": {"packages": ["nginx"], "ports": [{"port": 443, "public": True}]},
            "db": {"packages": [], "ports": [{"port": 5432}, {"port": 5353, "protocol": "udp"}]},
        },
        "servers": [
            {
                "name": f"s{i}",
                "role": roles[i % 2],
                "offering": "cx22",
                "location": "fsn1",
                "vcpus": 2,
                "memory_mib": 4096,
                "disk_gib": 40,
                "mounts": [{"mount_point": "/srv", "size_gib": 20, "volume": True}],
            }
            for i in range(servers)
        ],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.pop("servers"), "fleet.servers: missing"),
        (lambda f: f["servers"][1].update(role="cache"), "fleet.servers[1].role: 'cache'"),
        (lambda f: f.update(private_cidr="10.0.0.1/8"), "fleet.private_cidr"),
        (lambda f: f.update(admin_cidrs=["nope"]), "fleet.admin_cidrs[0]"),
        (lambda f: f["limits"].update(servers_per_network=0), "fleet.limits.servers_per_network"),
        (lambda f: f["servers"][2].update(name="s0"), "duplicate names s0"),
        (lambda f: f["roles"]["db"]["ports"].append({"port": 70000}), "invalid port 70000"),
        (lambda f: f["servers"][0].update(vcpus="2"), "fleet.servers[0].vcpus: expected int"),
    ],
)
def test_spec_errors_name_the_field(change: Any, message: str) -> None:
    data = fleet()
    change(data)
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fleet_spec(data)


def test_layout_splits_networks_and_groups_within_limits() -> None:
    spec = fleet_spec(
        fleet(23, servers_per_network=5, servers_per_placement_group=4, placement_groups=3)
    )
    layout = plan_layout(spec)
    assert [len(n.members) for n in layout.networks] == [5, 5, 5, 5, 3]
    assert [n.cidr for n in layout.networks][:2] == ["10.0.0.0/16", "10.1.0.0/16"]
    assert layout.address["s0"] == "10.0.0.10" and layout.address["s5"] == "10.1.0.10"
    assert [len(g.members) for g in layout.groups] == [4, 4, 3]
    assert all(len({spec.servers[int(m[1:])].role for m in g.members}) == 1 for g in layout.groups)
    grouped = {m for g in layout.groups for m in g.members}
    assert set(layout.ungrouped) == {s.name for s in spec.servers} - grouped
    unlimited = plan_layout(fleet_spec(fleet(23)))
    assert len(unlimited.networks) == 1 and [len(g.members) for g in unlimited.groups] == [11, 12]


def test_too_many_networks_for_the_private_range_is_an_error() -> None:
    data = fleet(10, servers_per_network=1)
    data["private_cidr"] = "10.0.0.0/14"
    with pytest.raises(SpecError, match=r"10 networks of /16 needed, 10\.0\.0\.0/14 holds 4"):
        plan_layout(fleet_spec(data))


def test_rules_are_deny_by_default_with_scoped_sources() -> None:
    spec = fleet_spec(fleet())
    web = {(r.protocol, r.port): r.sources for r in role_rules(spec, spec.roles["web"])}
    db = {(r.protocol, r.port): r.sources for r in role_rules(spec, spec.roles["db"])}
    assert web == {
        ("tcp", 22): ("192.0.2.0/24", "10.0.0.0/8"),
        ("tcp", 443): ("0.0.0.0/0", "::/0"),
    }
    assert db == {
        ("tcp", 22): ("192.0.2.0/24", "10.0.0.0/8"),
        ("tcp", 5432): ("10.0.0.0/8",),
        ("udp", 5353): ("10.0.0.0/8",),
    }


@pytest.mark.skipif(shutil.which("nft") is None or shutil.which("unshare") is None, reason="nft")
def test_nftables_ruleset_is_valid_for_nft(tmp_path: Path) -> None:
    """``nft -c`` parses and checks the ruleset inside a throwaway network namespace."""
    import yaml

    spec = fleet_spec(fleet())
    for role in ("web", "db"):
        server = next(s for s in spec.servers if s.role == role)
        document = yaml.safe_load(user_data(spec, server, role_rules(spec, spec.roles[role])))
        content = next(
            f["content"] for f in document["write_files"] if f["path"].endswith("nftables.conf")
        )
        path = tmp_path / f"{role}.nft"
        path.write_text(content)
        done = subprocess.run(
            ["unshare", "-n", "nft", "-c", "-f", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 and "Operation not permitted" in done.stderr:
            pytest.skip("needs root for a network namespace")
        assert done.returncode == 0, done.stderr


def test_data_mount_script_is_valid_shell() -> None:
    script = REPO / "stacks/components/data_mounts.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0


def test_recording_monitor_rejects_duplicate_urns(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: dup\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        textwrap.dedent(
            """
            import pulumi_hcloud as hcloud
            hcloud.SshKey("same", public_key="ssh-ed25519 AAAA x")
            hcloud.SshKey("same", public_key="ssh-ed25519 AAAA y")
            """
        )
    )
    with pytest.raises(ValueError, match=r"duplicate resource URN .*SshKey::same"):
        run_offline(tmp_path, {})


def test_stack_config_file_is_read_as_the_engine_would(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.t.yaml").write_text(
        "config:\n  p:fleet: {a: [1, 2]}\n  p:flag: true\n  hcloud:token:\n    secure: AAE=\n"
    )
    assert stack_config(tmp_path, "t") == {
        "p:fleet": '{"a": [1, 2]}',
        "p:flag": "true",
        "hcloud:token": "<secret>",
    }


@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("pulumi_hcloud", "Server('x', server_type='cx22', image='i', servertype='cx22')"),
        ("pulumi_openstack", "compute.Instance('x', flavour_name='m1')"),
        ("pulumi_proxmoxve", "VmLegacy('x', node_name='pve1', memroy=None)"),
        ("pulumiverse_scaleway", "elasticmetal.Server('x', offer='EM-A', zones='fr-par-1')"),
        ("pulumi_maas", "Instance('x', alocate_params=None)"),
    ],
)
def test_sdks_reject_misspelled_arguments_under_mocks(
    tmp_path: Path, module: str, call: str
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: bad\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(f"import {module} as sdk\nsdk.{call}\n")
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        run_offline(tmp_path, {})


def test_program_rejects_a_config_for_another_target() -> None:
    data = copy.deepcopy(fleet())
    data["target"] = "openstack"
    with pytest.raises(ValueError, match="this stack config is for 'openstack'"):
        run_stack("hetzner", data)


@pytest.mark.slow
def test_mypy_catches_a_misspelled_argument_in_a_stack(tmp_path: Path) -> None:
    """A throwaway copy of the Hetzner module with one argument misspelled fails `mypy`."""
    target = REPO / "stacks/components/targets/hetzner.py"
    good = target.read_text()
    bad = good.replace("server_type=server.offering", "servertype=server.offering")
    assert bad != good
    work = tmp_path / "stacks"
    shutil.copytree(REPO / "stacks/components", work / "components")
    (work / "components/targets/hetzner.py").write_text(bad)
    command = [
        "python",
        "-m",
        "mypy",
        "--config-file",
        str(REPO / "pyproject.toml"),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--no-incremental",
        "components",
    ]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout
    assert 'Unexpected keyword argument "servertype"' in done.stdout
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert errors and all(line.startswith("components/targets/hetzner.py:") for line in errors)


def _root_with_loop_devices() -> bool:
    tools = ("losetup", "unshare", "mkfs.ext4", "blkid", "lsblk", "mountpoint")
    return os.geteuid() == 0 and all(shutil.which(t) for t in tools)


@pytest.mark.skipif(not _root_with_loop_devices(), reason="needs root, loop devices, mkfs.ext4")
def test_data_mount_script_formats_only_blank_disks_and_mounts_by_label(tmp_path: Path) -> None:
    """The cloud-init mount script against real block devices (loop devices), in a private
    mount namespace: a blank disk is formatted, labelled and mounted; a disk with a file
    system is never touched; a missing volume makes it exit 1 (retry); a re-run reuses the
    label and keeps the data."""
    blank, used = tmp_path / "blank.img", tmp_path / "used.img"
    for image, size in ((blank, 1), (used, 2)):
        with image.open("wb") as handle:
            handle.truncate(size * 2**30)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "keepme", str(used)], check=True)
    devices: list[str] = []
    try:
        for image in (blank, used):
            out = subprocess.run(
                ["losetup", "-f", "--show", str(image)], capture_output=True, text=True, check=True
            )
            devices.append(out.stdout.strip())
        conf, fstab, mnt = tmp_path / "data-mounts", tmp_path / "fstab", tmp_path / "mnt"
        conf.write_text(
            f"# LABEL SIZE_GIB MOUNT_POINT\nxp-data0 1 {mnt}/data\n"
            f"xp-data1 0 {mnt}/local\nxp-data2 1 {mnt}/missing\n"
        )
        script = REPO / "stacks/components/data_mounts.sh"
        steps = f"""
            sh {script}; echo "first=$?"
            mountpoint -q {mnt}/data && echo mounted
            echo kept > {mnt}/data/marker && umount {mnt}/data
            sh {script}; echo "second=$?"
            cat {mnt}/data/marker
        """
        env = {
            **os.environ,
            "EXITPLAN_DATA_MOUNTS": str(conf),
            "EXITPLAN_FSTAB": str(fstab),
            "EXITPLAN_DISKS": " ".join(devices),
        }
        done = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", steps],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=120,
        )
        assert done.stdout.split() == ["first=1", "mounted", "second=1", "kept"], done.stderr
        assert "no blank disk of 1 GiB yet for" in done.stderr
        assert (mnt / "local").is_dir() and (mnt / "missing").is_dir()
        assert fstab.read_text() == f"LABEL=xp-data0 {mnt}/data ext4 defaults,nofail 0 2\n"
        labels = dict(
            zip(
                devices,
                [
                    subprocess.run(
                        ["blkid", "-p", "-o", "value", "-s", "LABEL", d],
                        capture_output=True,
                        text=True,
                        check=False,
                    ).stdout.strip()
                    for d in devices
                ],
                strict=True,
            )
        )
        assert labels == {devices[0]: "xp-data0", devices[1]: "keepme"}
    finally:
        for device in devices:
            subprocess.run(["losetup", "-d", device], check=False)
