"""Deterministic synthetic fleets for demos, tests and benchmarks.

A fleet is drawn from a :class:`~planner.models.seeds.FleetProfile`: a role mix, instance types per
role (with their real AWS limits), EBS volume types, a heavy-tailed (Pareto) spread of data where a
few media and database hosts hold most bytes, log-uniform change rates, and the outside
connections and mail relays the profile lists for a role (every n-th host of the role, no
randomness). The same
``seed`` always gives the same inventory. Pure: models in, model out.
"""

from __future__ import annotations

import math
import random
from typing import Any

from planner.models import Inventory
from planner.models.seeds import AwsInstanceType, FleetProfile, RoleProfile

GIB = 2**30
MAX_VOLUME_BYTES = 16 * 2**40  # gp2/st1/sc1/io1 limit; we split larger data sets across volumes
KERNELS = {
    "ubuntu 20.04": "5.4.0-1045-aws",
    "ubuntu 18.04": "4.15.0-1091-aws",
    "amzn 2": "4.14.209-160.339.amzn2.x86_64",
    "debian 10": "4.19.0-13-cloud-amd64",
    "rhel 8": "4.18.0-240.el8.x86_64",
}
FAMILY = {"ubuntu": "debian", "debian": "debian", "amzn": "amazon", "rhel": "rhel"}
GP3_DEFAULT_THROUGHPUT = 125 * 2**20
ROOT_USED_MEAN = 0.425  # mean of the uniform(0.25, 0.6) fill of system disks


def allocate_roles(profile: FleetProfile, servers: int) -> list[str]:
    """Split ``servers`` over roles by share (largest remainder), in profile order."""
    total = sum(r.share for r in profile.roles.values())
    exact = {name: servers * r.share / total for name, r in profile.roles.items()}
    counts = {name: math.floor(v) for name, v in exact.items()}
    rest = servers - sum(counts.values())
    by_remainder = sorted(exact, key=lambda n: (-(exact[n] - counts[n]), n))
    for name in by_remainder[:rest]:
        counts[name] += 1
    return [name for name in profile.roles for _ in range(counts[name])]


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    if low <= 0 or high <= low:
        return low
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _data_split(
    rng: random.Random, profile: FleetProfile, roles: list[str], budget: int
) -> list[int]:
    weights = []
    per_role = {name: roles.count(name) for name in profile.roles}
    for role in roles:
        share = profile.roles[role].data_weight / max(per_role[role], 1)
        weights.append(share * rng.paretovariate(profile.pareto_alpha))
    total = sum(weights)
    if total <= 0 or budget <= 0:
        return [0] * len(roles)
    return [int(budget * w / total) for w in weights]


def _volumes(
    rng: random.Random,
    profile: FleetProfile,
    role: RoleProfile,
    index: int,
    data_bytes: int,
    root_scale: float,
) -> list[dict[str, Any]]:
    root_used = int(role.root_size * rng.uniform(0.25, 0.6) * root_scale)
    volumes: list[dict[str, Any]] = [
        {
            "id": f"vol-{index:08x}0",
            "device": "/dev/xvda",
            "mount_point": "/",
            "filesystem": "ext4",
            "volume_type": rng.choice(["gp2", "gp3"]),
            "size_bytes": role.root_size,
            "used_bytes": root_used,
            "file_count": max(1, int(root_used / 80_000)),
        }
    ]
    volume_type = rng.choice(role.data_volume_types)
    part = 0
    remaining = data_bytes
    while remaining > 0:
        fill = rng.uniform(profile.fill_ratio.low, profile.fill_ratio.high)
        used = min(remaining, int(MAX_VOLUME_BYTES * fill))
        size = min(MAX_VOLUME_BYTES, math.ceil(used / fill / GIB) * GIB)
        size = max(size, 125 * GIB if volume_type in {"st1", "sc1"} else GIB)
        files = max(1, int(used / role.mean_file_size * rng.uniform(0.5, 1.5)))
        volume: dict[str, Any] = {
            "id": f"vol-{index:08x}{part + 1:x}",
            "device": f"/dev/xvd{chr(ord('f') + part)}",
            "mount_point": "/data" if part == 0 else f"/data{part + 1}",
            "filesystem": "xfs",
            "volume_type": volume_type,
            "size_bytes": size,
            "used_bytes": used,
            "file_count": files,
        }
        if volume_type == "gp3":
            volume["throughput_bytes_per_second"] = rng.choice(
                [GP3_DEFAULT_THROUGHPUT, GP3_DEFAULT_THROUGHPUT, 250 * 2**20, 500 * 2**20]
            )
            volume["iops"] = 3000
        elif volume_type in {"io1", "io2"}:
            volume["iops"] = min(64000, 50 * size // GIB)
        volumes.append(volume)
        remaining -= used
        part += 1
    return volumes


def generate_fleet(
    profile: FleetProfile,
    instance_types: dict[str, AwsInstanceType],
    *,
    servers: int,
    data_bytes: int,
    seed: int,
    regions: list[str] | None = None,
    provider: str = "aws",
) -> Inventory:
    """Make a realistic synthetic inventory of ``servers`` hosts holding about ``data_bytes``."""
    rng = random.Random(seed)
    regions = regions or ["us-east-1"]
    roles = allocate_roles(profile, servers)
    root_estimate = sum(profile.roles[r].root_size * ROOT_USED_MEAN for r in roles)
    # system disks take at most 30% of the requested total, so small totals stay honest
    root_scale = min(1.0, 0.3 * data_bytes / root_estimate) if root_estimate else 1.0
    budget = max(0, int(data_bytes - root_estimate * root_scale))
    split = _data_split(rng, profile, roles, budget)
    os_names = list(profile.os_mix)
    os_weights = [profile.os_mix[n] for n in os_names]
    counters: dict[str, int] = {}
    by_role: dict[str, list[str]] = {}
    records: list[dict[str, Any]] = []
    for index, role_name in enumerate(roles):
        role = profile.roles[role_name]
        counters[role_name] = counters.get(role_name, 0) + 1
        server_id = f"{role_name}-{counters[role_name]:03d}"
        by_role.setdefault(role_name, []).append(server_id)
        region = regions[index % len(regions)]
        itype = instance_types[rng.choice(role.instance_types)]
        os_label = rng.choices(os_names, os_weights)[0]
        os_name, _, os_version = os_label.partition(" ")
        address = f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}"
        record: dict[str, Any] = {
            "id": server_id,
            "hostname": f"{server_id}.{region}.internal",
            "address": address,
            "private_address": address,
            "ssh": {
                "user": "ubuntu"
                if os_name == "ubuntu"
                else "ec2-user"
                if os_name in {"amzn", "rhel"}
                else "admin"
            },
            "source": {
                "provider": provider,
                "region": region,
                "zone": f"{region}{'abc'[index % 3]}",
                "resource_id": f"i-{rng.getrandbits(68):017x}",
            },
            "instance_type": itype.instance_type,
            "platform": "linux",
            "vcpus": itype.vcpus,
            "memory_bytes": itype.memory_mib * 2**20,
            "os": {
                "name": os_name,
                "version": os_version,
                "kernel": KERNELS.get(os_label),
                "family": FAMILY.get(os_name),
                "architecture": "x86_64",
            },
            "role": role_name,
            "tags": {"Name": server_id, "Role": role_name},
            "volumes": _volumes(rng, profile, role, index, split[index], root_scale),
            "network": {
                "baseline_bits_per_second": (itype.baseline_gbps or 0) * 1e9 or None,
                "burst_bits_per_second": (itype.peak_gbps or 0) * 1e9 or None,
            },
            "storage": {
                "baseline_bytes_per_second": (itype.ebs_baseline_mbytes_per_second or 0) * 1e6
                or None,
                "burst_bytes_per_second": (itype.ebs_maximum_mbytes_per_second or 0) * 1e6 or None,
                "baseline_iops": itype.ebs_baseline_iops,
            },
            "change_rate_bytes_per_second": round(
                _log_uniform(
                    rng,
                    role.change_rate_bytes_per_second.low,
                    role.change_rate_bytes_per_second.high,
                )
            ),
            "services": [{"port": p} for p in role.ports],
            "provenance": {
                "volumes": "assumed",
                "change_rate_bytes_per_second": "assumed",
                "instance_type": "assumed",
            },
        }
        connections = [
            {
                "remote_address": o.remote_address,
                "remote_port": o.remote_port,
                "remote_host": o.remote_host,
                "process": o.process,
            }
            for o in role.outbound
            if (counters[role_name] - 1) % o.every == 0
        ]
        if connections:
            record["connections"] = connections
            record["provenance"]["connections"] = "assumed"
        relays = [
            r.model_dump(include={"host", "port", "agent", "path"}, exclude_none=True)
            for r in role.mail_relays
            if (counters[role_name] - 1) % r.every == 0
        ]
        if relays:
            record["mail_relays"] = relays
            record["provenance"]["mail_relays"] = "assumed"
        if os_name == "amzn":
            record["lockin"] = [
                {
                    "service": "ssm",
                    "signal": "package:amazon-ssm-agent",
                    "origin": "generated",
                    "detail": "preinstalled on Amazon Linux AMIs",
                }
            ]
        records.append(record)
    _wire_dependencies(rng, records, by_role)
    inventory = Inventory.model_validate(
        {
            "schema_version": 1,
            "metadata": {
                "generator": {
                    "servers": servers,
                    "data_bytes": data_bytes,
                    "seed": seed,
                    "regions": regions,
                    "profile_as_of": str(profile.as_of),
                }
            },
            "servers": records,
        }
    )
    return inventory


_DEPENDS_ON = {
    "web": ["app"],
    "app": ["db", "cache", "queue", "search"],
    "worker": ["queue", "db", "media"],
    "media": ["db"],
    "search": ["db"],
}


def _wire_dependencies(
    rng: random.Random, records: list[dict[str, Any]], by_role: dict[str, list[str]]
) -> None:
    for record in records:
        deps: list[str] = []
        for target_role in _DEPENDS_ON.get(record["role"], []):
            candidates = by_role.get(target_role)
            if candidates:
                deps.append(rng.choice(candidates))
        if deps:
            record["dependencies"] = sorted(set(deps))
