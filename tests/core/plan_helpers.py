"""Small inventories for planner tests: one fast server limited only by what the test sets."""

from __future__ import annotations

from typing import Any

from planner.models import Inventory

FAST_SERVER: dict[str, Any] = {
    "vcpus": 64,
    "network": {"baseline": "100Gbps"},
    "source": {"provider": "aws", "region": "us-east-1"},
}


def fast_server(server_id: str, size: int | str, **extra: Any) -> dict[str, Any]:
    """A server whose own limits are far above 10 Gbps (with FAST_OPTIONS), holding ``size``."""
    record = {**FAST_SERVER, "id": server_id, "volumes": [{"used": size, "size": size}]}
    record.update(extra)
    return record


FAST_OPTIONS: dict[str, Any] = {
    "streams": 64,
    "rtt_seconds": 0.001,
    "loss_rate": 0.0,
    "target_port_bits_per_second": 400e9,
}


def inventory(*servers: dict[str, Any], **extra: Any) -> Inventory:
    return Inventory.model_validate({"servers": list(servers), **extra})
