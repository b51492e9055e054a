"""Merging SSH facts into an inventory (pure): volumes, edges, evidence, provenance, metadata."""

from __future__ import annotations

from planner.discovery.ssh.enrich import enrich, merge_volumes
from planner.discovery.ssh.facts import (
    BlockDevice,
    FileSystem,
    HostFacts,
    HostResult,
    NetworkMount,
    OsInfo,
    Socket,
    StageError,
)
from planner.discovery.ssh.probes.diskstats import DiskSample, change_rate, since_boot_rate
from planner.models import Inventory, LockinEvidence, MailRelay, Volume


def _inventory() -> Inventory:
    return Inventory.model_validate(
        {
            "servers": [
                {
                    "id": "web-1",
                    "address": "10.0.1.11",
                    "role": "web",
                    "dependencies": ["aws:s3"],
                    "lockin": [{"service": "s3", "signal": "iam-policy", "origin": "aws-api"}],
                    "volumes": [
                        {
                            "id": "vol-0aaa",
                            "device": "/dev/xvda",
                            "size": "30GiB",
                            "volume_type": "gp3",
                        }
                    ],
                },
                {"id": "db-1", "address": "10.0.1.21", "role": "db"},
                {"id": "cache-1", "private_address": "10.0.1.31"},
                {"id": "nfs-1", "hostname": "nfs-1.internal"},
            ]
        }
    )


def _web_facts() -> HostFacts:
    return HostFacts(
        hostname="ip-10-0-1-11",
        os=OsInfo(
            id="ubuntu", version_id="22.04", family="debian", kernel="5.15.0", architecture="x86_64"
        ),
        addresses=["10.0.1.11"],
        vcpus=2,
        memory_bytes=4_000_000_000,
        filesystems=[
            FileSystem(
                device="/dev/nvme0n1p1",
                mount_point="/",
                fstype="ext4",
                size_bytes=31_000_000_000,
                used_bytes=9_000_000_000,
                inodes_total=2_000_000,
                inodes_used=180_000,
            ),
            FileSystem(
                device="/dev/nvme1n1",
                mount_point="/srv",
                fstype="xfs",
                size_bytes=100_000_000_000,
                used_bytes=40_000_000_000,
                inodes_total=50_000_000,
                inodes_used=1_000_000,
            ),
        ],
        block_devices=[
            BlockDevice(name="nvme0n1", kind="disk", serial="vol0aaa"),
            BlockDevice(name="nvme0n1p1", kind="part", parent="nvme0n1"),
            BlockDevice(name="nvme1n1", kind="disk", serial="vol0bbb"),
        ],
        listening=[
            Socket(local_port=22, process="sshd"),
            Socket(local_port=443, process="nginx"),
            Socket(protocol="udp", local_address="127.0.0.1", local_port=323, process="chronyd"),
        ],
        connections=[
            # outbound to the database (an inventory host): web-1 depends on db-1
            Socket(
                local_address="10.0.1.11",
                local_port=50000,
                remote_address="10.0.1.21",
                remote_port=5432,
                process="node",
            ),
            # inbound from the cache host to our port 443: cache-1 depends on web-1
            Socket(
                local_address="10.0.1.11",
                local_port=443,
                remote_address="10.0.1.31",
                remote_port=41000,
                process="nginx",
            ),
            # outbound to an outside API: kept as a connection
            Socket(
                local_address="10.0.1.11",
                local_port=51000,
                remote_address="198.51.100.20",
                remote_port=443,
                process="node",
            ),
            Socket(
                local_address="10.0.1.11",
                local_port=51002,
                remote_address="198.51.100.20",
                remote_port=443,
                process="node",
            ),
            # a client of ours from the internet: not a dependency, not kept
            Socket(
                local_address="10.0.1.11",
                local_port=443,
                remote_address="203.0.113.9",
                remote_port=6000,
                process="nginx",
            ),
            # local traffic
            Socket(
                local_address="127.0.0.1",
                local_port=41222,
                remote_address="127.0.0.1",
                remote_port=3000,
                process="nginx",
            ),
        ],
        resolvers=["10.0.0.2"],
        mail_relays=[
            MailRelay(host="smtp.sendgrid.net", port=587, agent="postfix", path="/etc/x", line=4),
            MailRelay(host="smtp.sendgrid.net", port=587, agent="postfix", path="/etc/x", line=4),
        ],
        evidence=[
            LockinEvidence(service="ssm", signal="package:amazon-ssm-agent", origin="ssh"),
            LockinEvidence(
                service="rds",
                signal="config:endpoint:db.x.eu-west-1.rds.amazonaws.com",
                origin="ssh",
                path="/srv/app/.env",
                line=3,
            ),
        ],
        change_rate_bytes_per_second=20_000.0,
        change_rate_method="sampled",
    )


def _results() -> dict[str, HostResult]:
    return {
        "web-1": HostResult(
            server_id="web-1", target="root@10.0.1.11:22", status="ok", facts=_web_facts()
        ),
        "db-1": HostResult(
            server_id="db-1",
            target="root@10.0.1.21:22",
            status="failed",
            errors=[StageError(stage="connect", reason="connection refused by 10.0.1.21:22")],
        ),
    }


def test_facts_land_on_the_server_with_measured_provenance() -> None:
    out = enrich(_inventory(), _results())
    web = out.servers[0]
    assert web.os.name == "ubuntu" and web.os.version == "22.04" and web.platform == "linux"
    assert web.vcpus == 2 and web.memory_bytes == 4_000_000_000
    assert web.change_rate_bytes_per_second == 20_000.0
    assert web.hostname == "ip-10-0-1-11"
    assert [(s.port, s.protocol, s.process) for s in web.services] == [
        (22, "tcp", "sshd"),
        (443, "tcp", "nginx"),
        (323, "udp", "chronyd"),
    ]
    assert web.resolvers == ["10.0.0.2"]
    assert [(r.host, r.port, r.agent, r.line) for r in web.mail_relays] == [
        ("smtp.sendgrid.net", 587, "postfix", 4)
    ]
    for field in (
        "mail_relays",
        "os",
        "vcpus",
        "memory_bytes",
        "volumes",
        "services",
        "change_rate_bytes_per_second",
    ):
        assert web.provenance[field] == "measured"
    assert out.problems() == []


def test_volumes_keep_what_the_inventory_knew() -> None:
    web = enrich(_inventory(), _results()).servers[0]
    root, srv = web.volumes
    # matched through the NVMe serial (vol0aaa -> vol-0aaa): id, type and size stay
    assert (root.id, root.volume_type, root.size_bytes) == ("vol-0aaa", "gp3", 30 * 2**30)
    assert (root.mount_point, root.used_bytes, root.file_count) == ("/", 9_000_000_000, 180_000)
    assert (srv.id, srv.size_bytes, srv.used_bytes) == ("vol-0bbb", 100_000_000_000, 40_000_000_000)
    assert web.used_bytes == 49_000_000_000 and web.file_count == 1_180_000


def test_merge_volumes_matches_mount_points_and_keeps_unmatched() -> None:
    existing = [
        Volume(mount_point="/srv", volume_type="st1", size_bytes=500),
        Volume(device="/dev/sdz", size_bytes=10**12),
    ]
    facts = HostFacts(
        filesystems=[
            FileSystem(device="/dev/sdb1", mount_point="/srv", size_bytes=10**6, used_bytes=900)
        ]
    )
    merged = merge_volumes(existing, facts)
    assert merged[0].volume_type == "st1" and merged[0].used_bytes == 900
    assert merged[0].size_bytes == 10**6  # the declared 500 bytes cannot hold 900 used bytes
    assert merged[1].device == "/dev/sdz" and merged[1].used_bytes is None


def test_connections_become_edges_or_records() -> None:
    out = enrich(_inventory(), _results())
    web, db, cache, _ = out.servers
    assert web.dependencies == ["aws:s3", "db-1", "aws:rds"]
    assert cache.dependencies == ["web-1"]
    assert db.dependencies == []
    assert [(c.remote_address, c.remote_port, c.process) for c in web.connections] == [
        ("198.51.100.20", 443, "node")
    ]


def test_nfs_server_in_the_inventory_is_a_dependency() -> None:
    facts = HostFacts(
        addresses=["10.0.1.31"],
        network_mounts=[
            NetworkMount(
                source="10.0.1.11:/export", server="10.0.1.11", mount_point="/mnt", fstype="nfs4"
            )
        ],
    )
    results = {
        "cache-1": HostResult(
            server_id="cache-1", target="root@10.0.1.31:22", status="ok", facts=facts
        )
    }
    cache = enrich(_inventory(), results).servers[2]
    assert cache.dependencies == ["web-1"]


def test_ssh_evidence_replaces_earlier_ssh_evidence_only() -> None:
    once = enrich(_inventory(), _results())
    twice = enrich(once, _results())
    signals = [(e.origin, e.signal) for e in twice.servers[0].lockin]
    assert signals == [
        ("aws-api", "iam-policy"),
        ("ssh", "package:amazon-ssm-agent"),
        ("ssh", "config:endpoint:db.x.eu-west-1.rds.amazonaws.com"),
    ]
    assert twice.servers[0].volumes == once.servers[0].volumes  # idempotent


def test_metadata_lists_every_error_and_keeps_other_discovery() -> None:
    inventory = _inventory().model_copy(
        update={"metadata": {"discovery": {"aws": {"regions": ["eu-west-1"]}}}}
    )
    out = enrich(inventory, _results(), {"options": {"concurrency": 8}})
    discovery = out.metadata["discovery"]
    assert discovery["aws"] == {"regions": ["eu-west-1"]}
    ssh = discovery["ssh"]
    assert ssh["hosts"] == {"total": 4, "ok": 1, "partial": 0, "failed": 1, "pending": 2}
    assert ssh["errors"] == [
        {"server": "db-1", "stage": "connect", "reason": "connection refused by 10.0.1.21:22"}
    ]
    assert ssh["options"] == {"concurrency": 8}
    assert ssh["results"]["web-1"]["status"] == "ok"


def test_shared_addresses_make_no_edges() -> None:
    """Two servers claiming the same address (aliases of one machine) give no dependency."""
    inventory = Inventory.model_validate(
        {
            "servers": [
                {"id": "a", "address": "10.0.0.5"},
                {"id": "b", "address": "10.0.0.5"},
                {"id": "c", "address": "10.0.0.6"},
            ]
        }
    )
    facts = HostFacts(
        connections=[
            Socket(
                local_address="10.0.0.6",
                local_port=40000,
                remote_address="10.0.0.5",
                remote_port=80,
            )
        ]
    )
    results = {"c": HostResult(server_id="c", target="root@10.0.0.6:22", status="ok", facts=facts)}
    out = enrich(inventory, results)
    assert out.servers[2].dependencies == []


def test_change_rate_from_two_samples_uses_the_host_clock() -> None:
    first = DiskSample(uptime_seconds=1000.0, sectors_written={"sda": 1000, "sdb": 50})
    second = DiskSample(uptime_seconds=1005.0, sectors_written={"sda": 1400, "sdb": 50, "sdc": 9})
    assert change_rate(first, second) == 400 * 512 / 5
    assert change_rate(second, first) is None  # clock went backwards (host rebooted)
    assert since_boot_rate(first) == 1050 * 512 / 1000
    rebooted = DiskSample(uptime_seconds=1010.0, sectors_written={"sda": 10})
    assert change_rate(first, rebooted) == 0.0  # counters reset: no negative writes
