"""Build small catalogs and fleets in code for the sizing and capacity tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.io.catalog import load_provider
from planner.models import Inventory
from planner.models.catalog import Catalog, Offering

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
GIB = 2**30
GB = 10**9


def make_offering(
    oid: str,
    vcpus: int,
    memory_gib: float,
    disk_gb: float,
    price: float,
    *,
    kind: str = "vm",
    count: int = 1,
    nic: float | None = None,
    arch: str = "x86_64",
    setup: float = 0.0,
    lead: float = 60.0,
    restock: float | None = None,
    stock: int | None = None,
    locations: tuple[str, ...] = ("here",),
) -> Offering:
    return Offering(
        id=oid,
        name=oid.upper(),
        kind=kind,
        architecture=arch,
        vcpus=vcpus,
        dedicated_cpu=kind != "vm",
        memory_bytes=int(memory_gib * GIB),
        disks=[{"count": count, "size_bytes": int(disk_gb * GB), "type": "ssd"}] if disk_gb else [],
        nic_bits_per_second=nic,
        currency="USD",
        monthly_price=price,
        setup_fee=setup,
        monthly_usd=price,
        setup_usd=setup,
        locations=list(locations),
        lead_time_seconds=lead,
        lead_time_out_of_stock_seconds=restock,
        typical_stock=stock,
        confidence="high",
        source="test",
        as_of=dt.date(2026, 1, 1),
    )


def tiny_catalog() -> Catalog:
    return load_provider("tiny", FIXTURES)


def with_offerings(catalog: Catalog, offerings: list[Offering], **limits: object) -> Catalog:
    new_limits = catalog.limits.model_copy(update=limits) if limits else catalog.limits
    return catalog.model_copy(update={"offerings": offerings, "limits": new_limits})


def fleet(*servers: dict) -> Inventory:
    """Servers as dicts: id, vcpus, memory (GiB), used (GB), plus any Server field."""
    records = []
    for s in servers:
        record = dict(s)
        used = record.pop("used", None)
        memory = record.pop("memory", None)
        if memory is not None:
            record["memory_bytes"] = int(memory * GIB)
        if used is not None:
            record["volumes"] = [{"used_bytes": int(used * GB), "size_bytes": int(used * GB * 2)}]
        record.setdefault("os", {"architecture": "x86_64"})
        records.append(record)
    return Inventory.model_validate({"schema_version": 1, "servers": records})
