"""Right-sizing: the cheapest offering that holds each source server, and why none might.

A server needs its vCPUs, its memory and its used disk times a headroom factor (and, when the
transfer plan asks for it, a minimum port speed). An offering qualifies when it meets all of them;
cloud servers may add network volumes for disk beyond their local disk. Candidates are ranked by
monthly USD cost, then setup fee, lead time and offering id, so ties resolve the same way every
time and no offering is ever smaller than the server in any dimension. Pure: models in, models out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from planner.models import Inventory, Server
from planner.models.capacity import Candidate, Fit, Requirement, SizingOptions
from planner.models.catalog import Catalog, Offering
from planner.models.seeds import AwsInstanceType
from planner.units import format_rate, format_size

GIB = 2**30
GB = 10**9
_ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "x86-64": "x86_64", "x64": "x86_64"}
_ARCH |= {"arm64": "arm64", "aarch64": "arm64"}


def requirement(
    server: Server,
    options: SizingOptions,
    instance_types: Mapping[str, AwsInstanceType] | None = None,
) -> Requirement:
    """What ``server`` needs; unknown values are filled from its instance type or a floor."""
    assumed: list[str] = []
    itype = (instance_types or {}).get(server.instance_type or "")
    vcpus = server.vcpus
    if vcpus is None and itype is not None:
        vcpus = itype.vcpus
    if vcpus is None:
        vcpus = options.unknown_vcpus
        assumed.append("vcpus")
    memory = server.memory_bytes
    if memory is None and itype is not None:
        memory = itype.memory_mib * 2**20
    if memory is None:
        memory = options.unknown_memory_bytes
        assumed.append("memory")
    used = server.used_bytes
    if used is None:
        sizes = [v.size_bytes for v in server.volumes if v.size_bytes is not None]
        used = sum(sizes) if sizes else None
        assumed.append("disk (allocated size)" if sizes else "disk (unknown)")
    raw_arch = (server.os.architecture or "").lower()
    arch = _ARCH.get(raw_arch)
    if arch is None:
        arch = options.default_architecture
        assumed.append("architecture")
    return Requirement(
        id=server.id,
        role=server.role,
        vcpus=vcpus,
        memory_bytes=memory,
        disk_bytes=math.ceil((used or 0) * options.disk_headroom),
        used_bytes=server.used_bytes,
        architecture=arch,
        assumed=assumed,
        monthly_cost_usd=server.monthly_cost_usd,
    )


def requirements(
    inventory: Inventory,
    options: SizingOptions,
    instance_types: Mapping[str, AwsInstanceType] | None = None,
) -> list[Requirement]:
    return [requirement(s, options, instance_types) for s in inventory.servers]


def offered(catalog: Catalog, options: SizingOptions) -> list[Offering]:
    """Offerings usable at all under the options (location and port filters), cheapest first."""
    wanted = set(options.locations)
    rows = [
        o
        for o in catalog.offerings
        if (not wanted or wanted.intersection(o.locations))
        and (
            options.min_port_bits_per_second is None
            or (o.nic_bits_per_second or 0) >= options.min_port_bits_per_second
        )
    ]
    return sorted(rows, key=_offering_key)


RankKey = tuple[float, float, bool, int, int, float, str]


def _offering_key(o: Offering, monthly_usd: float | None = None) -> RankKey:
    """Cheapest first; at the same price (or none given) a priced one, then the smallest."""
    price = round(o.monthly_usd if monthly_usd is None else monthly_usd, 6)
    return (
        price,
        o.setup_usd or 0.0,
        not o.price_known,
        o.vcpus,
        o.memory_bytes,
        o.lead_time_seconds,
        o.id,
    )


def arch_ok(offering: Offering, req: Requirement, options: SizingOptions) -> bool:
    return offering.architecture == req.architecture or options.allow_architecture_change


def _cost(
    offering: Offering, req: Requirement, catalog: Catalog, options: SizingOptions
) -> tuple[float, int, int] | None:
    """(monthly USD, block-storage bytes, volumes) for this server, or None if too small."""
    if offering.vcpus < req.vcpus or offering.memory_bytes < req.memory_bytes:
        return None
    if not arch_ok(offering, req, options):
        return None
    local = offering.usable_disk_bytes(options.mirror_disks)
    if local >= req.disk_bytes:
        return round(offering.monthly_usd, 6), 0, 0
    storage = catalog.limits.block_storage
    if not options.allow_block_storage or storage is None or offering.kind != "vm":
        return None
    extra = max(req.disk_bytes - local, storage.min_volume_bytes)
    volumes = math.ceil(extra / storage.max_volume_bytes)
    if volumes > storage.max_volumes_per_server:
        return None
    extra_gb = math.ceil(extra / GB)
    return (
        round(offering.monthly_usd + extra_gb * storage.usd_per_gb_month, 6),
        extra_gb * GB,
        volumes,
    )


def _candidate(offering: Offering, cost: tuple[float, int, int]) -> Candidate:
    return Candidate.model_construct(  # trusted values: skip validation (large fleets)
        offering=offering.id,
        monthly_usd=cost[0],
        setup_usd=offering.setup_usd,
        block_storage_bytes=cost[1],
        block_volumes=cost[2],
    )


def candidate(
    offering: Offering, req: Requirement, catalog: Catalog, options: SizingOptions
) -> Candidate | None:
    """The offering's cost for this server, or None if it is too small in any dimension."""
    cost = _cost(offering, req, catalog, options)
    return None if cost is None else _candidate(offering, cost)


def size_servers(reqs: list[Requirement], catalog: Catalog, options: SizingOptions) -> list[Fit]:
    """Ranked candidates for every requirement; an empty list comes with the reason."""
    rows = offered(catalog, options)
    shapes: dict[tuple[int, int, str], list[Offering]] = {}
    fits: list[Fit] = []
    for req in reqs:
        key = (req.vcpus, req.memory_bytes, req.architecture)
        shape = shapes.get(key)
        if shape is None:
            shape = [
                o
                for o in rows
                if o.vcpus >= req.vcpus
                and o.memory_bytes >= req.memory_bytes
                and arch_ok(o, req, options)
            ]
            shapes[key] = shape
        ranked: list[tuple[RankKey, Offering, tuple[float, int, int]]] = []
        for offering in shape:
            cost = _cost(offering, req, catalog, options)
            if cost is not None:
                ranked.append((_offering_key(offering, cost[0]), offering, cost))
        ranked.sort(key=lambda item: item[0])
        found = [_candidate(item[1], item[2]) for item in ranked[: options.alternatives]]
        reason = None if found else explain_unfit(req, catalog, options)
        fits.append(Fit(requirement=req, candidates=found, reason=reason))
    return fits


def _largest_disk(
    rows: list[Offering], catalog: Catalog, options: SizingOptions
) -> tuple[int, str]:
    best, name = 0, ""
    storage = catalog.limits.block_storage
    for o in rows:
        size = o.usable_disk_bytes(options.mirror_disks)
        if options.allow_block_storage and storage is not None and o.kind == "vm":
            size += storage.max_volume_bytes * storage.max_volumes_per_server
        if size > best:
            best, name = size, o.name
    return best, name


def explain_unfit(req: Requirement, catalog: Catalog, options: SizingOptions) -> str:
    """Say which need no offering meets, with the largest available value."""
    title = catalog.limits.title
    rows = offered(catalog, options)
    if not rows:
        if options.locations:
            return f"no {title} offering in locations {', '.join(options.locations)}"
        port = format_rate(options.min_port_bits_per_second or 0)
        return f"no {title} offering has a published port speed of at least {port}"
    others = sorted({o.architecture for o in rows})
    rows = [o for o in rows if arch_ok(o, req, options)]
    if not rows:
        hint = f" (only {', '.join(others)}: --allow-arch-change)" if others else ""
        return f"no {title} offering for architecture {req.architecture}{hint}"
    problems: list[str] = []
    top_cpu = max(rows, key=lambda o: (o.vcpus, o.id))
    if req.vcpus > top_cpu.vcpus:
        problems.append(
            f"needs {req.vcpus} vCPUs; the largest has {top_cpu.vcpus} ({top_cpu.name})"
        )
    top_mem = max(rows, key=lambda o: (o.memory_bytes, o.id))
    if req.memory_bytes > top_mem.memory_bytes:
        problems.append(
            f"needs {req.memory_bytes / GIB:.0f} GiB memory; the largest has "
            f"{top_mem.memory_bytes / GIB:.0f} GiB ({top_mem.name})"
        )
    disk, disk_name = _largest_disk(rows, catalog, options)
    if req.disk_bytes > disk:
        servers = math.ceil(req.disk_bytes / disk) if disk else 0
        problems.append(
            f"needs {format_size(req.disk_bytes)} disk ({options.disk_headroom:g} x used); the "
            f"largest usable is {format_size(disk)} ({disk_name}"
            f"{', mirrored' if options.mirror_disks else ''}): split the data over "
            f"{servers} servers or move it to object storage"
        )
    if problems:
        return "; ".join(problems)
    shape = [o for o in rows if o.vcpus >= req.vcpus and o.memory_bytes >= req.memory_bytes]
    if shape:
        disk, name = _largest_disk(shape, catalog, options)
        return (
            f"needs {format_size(req.disk_bytes)} disk; offerings with {req.vcpus} vCPUs and "
            f"{req.memory_bytes / GIB:.0f} GiB hold at most {format_size(disk)} ({name})"
        )
    return (
        f"no single {title} offering has {req.vcpus} vCPUs and "
        f"{req.memory_bytes / GIB:.0f} GiB memory together"
    )
