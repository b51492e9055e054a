"""Write the report's test fixtures: contract-shaped plan and audit JSON documents.

The real planner and audit are built elsewhere; these fixtures follow the output contracts in
PRODUCT.md so the report can be built and tested now. ``plan-500.json`` comes from a generated
500-server fleet (``planner.core.generate``) and a deliberately simple stand-in schedule:
per-host rate = min(source disk, instance network, target port) × efficiency, hosts started
largest first while a shared 10 Gbit/s uplink and 64 parallel copies allow. It is NOT the
planner; it only produces realistic numbers with the right shape. ``plan-small.json`` is
hand-sized with waves and listed rounds; ``audit.json`` is a realistic lock-in audit.

Usage: python -m tests.report.make_fixtures   (rewrites tests/report/fixtures/*.json)
"""

from __future__ import annotations

import heapq
import json
from pathlib import Path
from typing import Any

from planner.core.generate import generate_fleet
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models import Server, Volume
from planner.models.seeds import FleetProfile

FIXTURES = Path(__file__).parent / "fixtures"
MIB = 2**20
TIB = 2**40
EFFICIENCY = 0.8
TARGET_PORT_BPS = 1e9
UPLINK_BPS = 10e9
CONCURRENCY = 64
SWITCH_SECONDS = 300.0
DEADLINE_SECONDS = 86_400.0
EBS_DOC = (
    "AWS, Amazon EBS volume types (docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html)"
)
EGRESS_TIERS = [(100e9, 0.0), (10e12, 0.09), (50e12, 0.085), (150e12, 0.07), (float("inf"), 0.05)]


def volume_bytes_per_second(volume: Volume) -> float:
    size = volume.size_bytes or 0
    kind = volume.volume_type
    if kind == "gp3":
        return volume.throughput_bytes_per_second or 125 * MIB
    if kind == "gp2":
        return 250 * MIB if size >= 334 * 2**30 else 128 * MIB
    if kind in ("io1", "io2"):
        return 500 * MIB
    if kind == "st1":
        return min(500 * MIB, 40 * MIB * size / TIB)
    if kind == "sc1":
        return min(250 * MIB, 12 * MIB * size / TIB)
    return 125 * MIB


def host_limits(server: Server) -> dict[str, float]:
    """Achievable bits per second by each limit (after the protocol efficiency)."""
    disk = sum(volume_bytes_per_second(v) for v in server.volumes if (v.used_bytes or 0) > 0)
    if server.storage.baseline_bytes_per_second:
        disk = min(disk, server.storage.baseline_bytes_per_second)
    network = server.network.baseline_bits_per_second or 1e9
    return {
        "source disk (EBS throughput)": disk * 8,
        "instance network baseline": min(network, 5e9) * EFFICIENCY,
        "target port 1 Gbit/s": TARGET_PORT_BPS * EFFICIENCY,
    }


def schedule(
    servers: list[Server], uplink_bps: float, fast: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Largest first; a host starts when the uplink and the concurrency limit leave room.

    Hosts in ``fast`` get a 10 Gbit/s target port instead of 1 Gbit/s.
    """
    todo = sorted(servers, key=lambda s: (-(s.used_bytes or 0), s.id))
    active: list[tuple[float, float]] = []  # (end, rate)
    used = 0.0
    now = 0.0
    hosts = []
    for server in todo:
        limits = host_limits(server)
        if server.id in fast:
            del limits["target port 1 Gbit/s"]
            limits["target port 10 Gbit/s"] = 10e9 * EFFICIENCY
        name, rate = min(limits.items(), key=lambda kv: kv[1])
        floor = min(rate, uplink_bps * EFFICIENCY / CONCURRENCY)
        while active and (len(active) >= CONCURRENCY or uplink_bps * EFFICIENCY - used < floor):
            end, freed = heapq.heappop(active)
            now, used = max(now, end), used - freed
        room = uplink_bps * EFFICIENCY - used
        if room < rate:
            name, rate = "shared link dc-uplink 10 Gbit/s", room
        size = server.used_bytes or 0
        end = now + size * 8 / rate
        heapq.heappush(active, (end, rate))
        used += rate
        change = server.change_rate_bytes_per_second or 0.0
        hosts.append(
            {
                "id": server.id,
                "role": server.role,
                "bytes": size,
                "start_seconds": round(now, 1),
                "end_seconds": round(end, 1),
                "rate_bits_per_second": round(rate),
                "limited_by": name,
                "converges": change * 8 < rate,
                "confidence": "assumed",
            }
        )
    return sorted(hosts, key=lambda h: (h["start_seconds"], h["id"]))


def egress_usd(total_bytes: float) -> float:
    cost, floor = 0.0, 0.0
    for ceiling, usd_per_gb in EGRESS_TIERS:
        part = max(0.0, min(total_bytes, ceiling) - floor)
        cost += part / 1e9 * usd_per_gb
        floor = ceiling
    return round(cost, 2)


def precopy(size: float, change_bps: float, rate_bps: float) -> list[tuple[float, float]]:
    """One host's pre-copy rounds as (bytes, seconds): round 1 copies everything, each next
    round what changed meanwhile, until a round takes under a minute (at most 6 rounds)."""
    out: list[tuple[float, float]] = []
    for _ in range(6):
        seconds = size * 8 / rate_bps
        out.append((size, seconds))
        if seconds < 60 or change_bps >= rate_bps:
            break
        size = change_bps / 8 * seconds
    return out


def rounds(hosts: list[dict[str, Any]], servers: list[Server]) -> list[dict[str, Any]]:
    """Fleet rounds: bytes summed over hosts, duration of the slowest host in that round."""
    change = {s.id: (s.change_rate_bytes_per_second or 0.0) * 8 for s in servers}
    per_host = [precopy(h["bytes"], change[h["id"]], h["rate_bits_per_second"]) for h in hosts]
    out = []
    for index in range(max(len(r) for r in per_host)):
        present = [r[index] for r in per_host if len(r) > index]
        out.append(
            {
                "round": index + 1,
                "bytes": round(sum(b for b, _ in present)),
                "seconds": round(max(t for _, t in present), 1),
            }
        )
    return out


ASSUMPTIONS = [
    (
        "protocol efficiency",
        "0.8 of the line rate",
        "Microsoft Learn worked example (50 TB at 1 Gbps, 80% efficiency); ESnet fasterdata",
    ),
    ("target port", "1 Gbit/s per server", "Hetzner docs, Robot traffic: dedicated 1 GBit uplink"),
    ("shared uplink", "dc-uplink 10 Gbit/s", "exitplan assumption: one 10 Gbit/s site uplink"),
    ("parallel copies", f"{CONCURRENCY}", "exitplan assumption"),
    ("EBS gp2 throughput", "128-250 MiB/s by size", EBS_DOC),
    ("EBS st1 / sc1 baseline", "40 / 12 MiB/s per TiB", EBS_DOC),
    (
        "egress price",
        "first 100 GB free, $0.09/GB to 10 TB, $0.085, $0.07, $0.05",
        "AWS data transfer pricing tiers as reported (Forrester 2024; egresscost.com)",
    ),
    (
        "exit waiver",
        "credits on request, move within 60 days",
        "AWS News Blog, 2024-03-05, conditions as reported by Forrester",
    ),
    (
        "pre-copy model",
        "round i copies what changed in round i-1",
        "Clark et al., Live Migration of Virtual Machines, NSDI 2005",
    ),
    ("switch-over time", f"{SWITCH_SECONDS:.0f} s", "exitplan assumption"),
]


def plan_document(servers: list[Server]) -> dict[str, Any]:
    hosts = schedule(servers, UPLINK_BPS)
    total = sum(h["bytes"] for h in hosts)
    bulk = max(h["end_seconds"] for h in hosts)
    caps = {s.id: min(host_limits(s).values()) for s in servers}
    lower = max(
        total * 8 / (UPLINK_BPS * EFFICIENCY), max(h["bytes"] * 8 / caps[h["id"]] for h in hosts)
    )
    last = max(hosts, key=lambda h: h["end_seconds"])
    cut = rounds(hosts, servers)
    downtime = cut[-1]["seconds"] + SWITCH_SECONDS
    return {
        "schema_version": 1,
        "inventory": {"servers": len(servers), "total_bytes": total},
        "deadline": {
            "seconds": DEADLINE_SECONDS,
            "meets": bulk <= DEADLINE_SECONDS,
            "margin_seconds": round(DEADLINE_SECONDS - bulk, 1),
        },
        "transfer": {
            "bulk_seconds": bulk,
            "lower_bound_seconds": round(lower, 1),
            "bottleneck": f"{last['limited_by']} on {last['id']}",
            "hosts": hosts,
        },
        "cutover": {
            "downtime_seconds": round(downtime, 1),
            "rounds": cut,
            "converges": all(h["converges"] for h in hosts),
        },
        "cost": {
            "egress_usd": egress_usd(total),
            "egress_usd_if_waived": 0.0,
            "target_monthly_usd": None,
        },
        "suggestions": suggestions(servers, bulk),
        "assumptions": [{"name": n, "value": v, "source": s} for n, v, s in ASSUMPTIONS],
        "generated_by": "tests/report/make_fixtures.py (stand-in schedule, not the planner)",
    }


def suggestions(servers: list[Server], bulk: float) -> list[dict[str, Any]]:
    """Re-run the stand-in schedule with changes; keep those that shorten the move."""
    by_size = sorted(servers, key=lambda s: (-(s.used_bytes or 0), s.id))
    out: list[dict[str, Any]] = []
    for count in (1, 2, 3):
        fast = frozenset(s.id for s in by_size[:count])
        end = max(h["end_seconds"] for h in schedule(servers, UPLINK_BPS, fast))
        if end >= min([bulk] + [s["resulting_seconds"] for s in out]):
            continue
        which = "the largest host" if count == 1 else f"the {count} largest hosts"
        out.append(
            {
                "change": f"Give {which} 10 Gbit/s target ports ({', '.join(sorted(fast))})",
                "resulting_seconds": end,
                "meets": end <= DEADLINE_SECONDS,
            }
        )
    return out


OFFERINGS = {  # role -> (offering, illustrative monthly USD): fixture values, not catalog data
    "db": ("dedicated AX52", 75.0),
    "search": ("dedicated AX52", 75.0),
    "cache": ("cloud CCX33", 60.0),
    "media": ("dedicated SX65", 120.0),
}


def capacity(servers: list[Server]) -> dict[str, Any]:
    mapped = [
        {
            "source_id": s.id,
            "offering": OFFERINGS.get(s.role, ("cloud CCX23", 30.0))[0],
            "monthly_usd": OFFERINGS.get(s.role, ("cloud CCX23", 30.0))[1],
        }
        for s in servers
        if s.role != "bastion"
    ]
    mapped += [{"source_id": s.id, "offering": None} for s in servers if s.role == "bastion"]
    return {
        "provider": "hetzner (fixture prices)",
        "servers": mapped,
        "provisioning_seconds": 5 * 3600.0,
        "blockers": [
            f"{len(mapped)} servers exceed a per-project server limit of 100 (assumed): split "
            "across 5 projects",
            "Dedicated SX65 stock for 70 media hosts is not guaranteed; customised models take "
            "10-12 workdays (Hetzner order processing, 2025-01-14)",
        ],
    }


def fleet(servers: int, data_bytes: int, seed: int) -> list[Server]:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    inventory = generate_fleet(
        profile,
        aws_instance_types(),
        servers=servers,
        data_bytes=data_bytes,
        seed=seed,
        regions=["us-west-2"],
    )
    return list(inventory.servers)


def plan_500() -> dict[str, Any]:
    servers = fleet(500, 70 * 10**12, 2021)
    plan = plan_document(servers)
    plan["capacity"] = capacity(servers)
    plan["cost"]["target_monthly_usd"] = sum(
        s.get("monthly_usd") or 0.0 for s in plan["capacity"]["servers"]
    )
    plan["assumptions"].append(
        {
            "name": "target prices",
            "value": "illustrative",
            "source": "test fixture values, not provider catalog data",
        }
    )
    return plan


def plan_small() -> dict[str, Any]:
    """Twelve servers, no target, hosts in two waves, one assumption without a source."""
    servers = fleet(12, 3 * 10**12, 7)
    plan = plan_document(servers)
    for host in plan["transfer"]["hosts"]:
        host["wave"] = "1: data" if host["role"] in ("db", "media", "search") else "2: stateless"
        del host["role"]
    plan["cutover"]["rounds"] = len(plan["cutover"]["rounds"])
    stuck = next(h for h in plan["transfer"]["hosts"] if h["id"].startswith("db-"))
    stuck["converges"] = False  # as if its WAL outran its 1 Gbit/s port: exercises that path
    plan["cutover"]["converges"] = False
    plan["assumptions"].append(
        {"name": "file count per host", "value": "from the generator", "source": None}
    )
    return plan


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    audit = (
        json.loads((FIXTURES / "audit.json").read_text())
        if (FIXTURES / "audit.json").exists()
        else None
    )
    for name, doc in (("plan-500.json", plan_500()), ("plan-small.json", plan_small())):
        (FIXTURES / name).write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote plan fixtures to {FIXTURES} (audit.json is hand-written: {audit is not None})")


if __name__ == "__main__":
    main()
