"""Plain-data summaries of an inventory, shared by ``inventory show``, the demo and reports.

Unknown values stay unknown: a role's ``used_bytes``, ``file_count`` or ``vcpus`` is the sum of
the known values, ``None`` when no server of the role has one, and ``unknown_*`` counts the
servers left out of each sum.
"""

from __future__ import annotations

from typing import Any

from planner.models import Inventory

_SUMS = (
    ("used_bytes", "unknown_size"),
    ("file_count", "unknown_file_count"),
    ("vcpus", "unknown_vcpus"),
)


def summarize_inventory(inventory: Inventory) -> dict[str, Any]:
    """Servers, data and files by role, largest first, plus data stores."""
    roles: dict[str, dict[str, Any]] = {}
    for server in inventory.servers:
        row = roles.setdefault(
            server.role,
            {
                "role": server.role,
                "servers": 0,
                "vcpus": None,
                "used_bytes": None,
                "file_count": None,
                "unknown_size": 0,
                "unknown_file_count": 0,
                "unknown_vcpus": 0,
                "largest_id": None,
                "largest_bytes": -1,
            },
        )
        row["servers"] += 1
        values = {"used_bytes": server.used_bytes, "file_count": server.file_count}
        values["vcpus"] = server.vcpus
        for key, unknown in _SUMS:
            value = values[key]
            if value is None:
                row[unknown] += 1
            else:
                row[key] = (row[key] or 0) + value
        used = server.used_bytes
        if used is not None and used > row["largest_bytes"]:
            row["largest_id"], row["largest_bytes"] = server.id, used
    ordered = sorted(roles.values(), key=lambda r: (-(r["used_bytes"] or 0), r["role"]))
    for row in ordered:
        row.pop("largest_bytes")
    return {
        "servers": len(inventory.servers),
        "total_bytes": inventory.total_bytes,
        "unknown_size": [i.id for i in inventory.items() if i.used_bytes is None],
        "roles": ordered,
        "data_stores": [
            {"id": d.id, "kind": d.kind, "service": d.service, "used_bytes": d.used_bytes}
            for d in inventory.data_stores
        ],
        "links": [
            {"name": link.name, "capacity_bits_per_second": link.capacity_bits_per_second}
            for link in inventory.links
        ],
    }
