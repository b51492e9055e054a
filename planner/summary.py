"""Plain-data summaries of an inventory, shared by ``inventory show``, the demo and reports."""

from __future__ import annotations

from typing import Any

from planner.models import Inventory


def summarize_inventory(inventory: Inventory) -> dict[str, Any]:
    """Servers, data and files by role, largest first, plus data stores."""
    roles: dict[str, dict[str, Any]] = {}
    for server in inventory.servers:
        row = roles.setdefault(
            server.role,
            {
                "role": server.role,
                "servers": 0,
                "vcpus": 0,
                "used_bytes": 0,
                "file_count": 0,
                "largest_id": None,
                "largest_bytes": -1,
            },
        )
        used = server.used_bytes or 0
        row["servers"] += 1
        row["vcpus"] += server.vcpus or 0
        row["used_bytes"] += used
        row["file_count"] += server.file_count or 0
        if used > row["largest_bytes"]:
            row["largest_id"], row["largest_bytes"] = server.id, used
    ordered = sorted(roles.values(), key=lambda r: (-r["used_bytes"], r["role"]))
    for row in ordered:
        row.pop("largest_bytes")
    return {
        "servers": len(inventory.servers),
        "total_bytes": inventory.total_bytes,
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
