"""How two records of the same server or data store merge: which fields, and volumes.

Scalars and nested fields merge one value at a time (:class:`FieldMerger`); tags per key; lists
(services, connections, resolvers, mail relays, dependencies, lock-in evidence) are united.
Volumes match on id, then device, then mount point; unmatched volumes replace the list only when
their source ranks higher and none matched (the same disks under other names), otherwise they
are reported and left out, so no disk is counted twice.
"""

from __future__ import annotations

from typing import Any

from planner.interop.merge_fields import Conflict, FieldMerger, Tracked, provenance_of, rank

SERVER_SCALARS = (
    "hostname",
    "address",
    "private_address",
    "public_address",
    "instance_type",
    "platform",
    "vcpus",
    "memory_bytes",
    "role",
    "change_rate_bytes_per_second",
    "monthly_cost_usd",
)
SERVER_NESTED = ("ssh", "source", "os", "network", "storage")
SERVER_LISTS = ("services", "connections", "resolvers", "mail_relays", "dependencies", "lockin")
STORE_SCALARS = (
    "kind",
    "service",
    "engine",
    "engine_version",
    "instance_class",
    "role",
    "size_bytes",
    "used_bytes",
    "object_count",
    "change_rate_bytes_per_second",
    "throughput_bytes_per_second",
    "monthly_cost_usd",
)
VOLUME_FIELDS = (
    "id",
    "device",
    "mount_point",
    "filesystem",
    "size_bytes",
    "used_bytes",
    "file_count",
    "volume_type",
    "throughput_bytes_per_second",
    "iops",
)


def _merge_volumes(
    merger: FieldMerger, target: Tracked, incoming: dict[str, Any], notes: list[str]
) -> None:
    mine = [dict(v) for v in target.data.get("volumes") or []]
    theirs = incoming.get("volumes") or []
    if not theirs:
        return
    if not mine:
        target.data["volumes"] = [dict(v) for v in theirs]
        merger.set_provenance(target, incoming, "volumes")
        target.origins["volumes"] = merger.source
        return
    unmatched = []
    for volume in theirs:
        match = next(
            (
                m
                for key in ("id", "device", "mount_point")
                for m in mine
                if volume.get(key) and m.get(key) == volume.get(key)
            ),
            None,
        )
        if match is None:
            unmatched.append(volume)
            continue
        label = match.get("id") or match.get("device") or match.get("mount_point")
        for name in VOLUME_FIELDS:
            match[name], _ = merger.value(
                target,
                incoming,
                f"volumes[{label}].{name}",
                match.get(name),
                volume.get(name),
                prov_key=f"volumes.{name}",
            )
    if (
        unmatched
        and len(unmatched) == len(theirs)
        and rank(provenance_of(incoming, "volumes")) > rank(provenance_of(target.data, "volumes"))
    ):
        merger.conflicts.append(
            Conflict(
                target.id,
                "volumes",
                f"{len(theirs)} volumes",
                merger.source,
                provenance_of(incoming, "volumes"),
                f"{len(mine)} volumes",
                target.origin("volumes"),
                provenance_of(target.data, "volumes"),
                "replaced",
            )
        )
        mine = [dict(v) for v in theirs]
        merger.set_provenance(target, incoming, "volumes")
        target.origins["volumes"] = merger.source
    elif unmatched:
        notes.append(
            f"{target.id}: {len(unmatched)} volumes from {merger.source} match no "
            f"volume from {target.origin('volumes')} and were not added"
        )
    target.data["volumes"] = mine


def merge_server(
    merger: FieldMerger, target: Tracked, incoming: dict[str, Any], notes: list[str]
) -> None:
    merger.scalars(target, incoming, SERVER_SCALARS)
    merger.nested(target, incoming, SERVER_NESTED)
    merger.tags(target, incoming)
    _merge_volumes(merger, target, incoming, notes)
    merger.union(target, incoming, SERVER_LISTS)


def merge_store(
    merger: FieldMerger, target: Tracked, incoming: dict[str, Any], notes: list[str]
) -> None:
    merger.scalars(target, incoming, STORE_SCALARS)
    merger.nested(target, incoming, ("source",))
    merger.tags(target, incoming)
    merger.union(target, incoming, ("dependencies", "lockin"))
