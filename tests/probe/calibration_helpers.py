"""Calibration files for tests: a plausible probe result, changed where a test needs it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.models.calibration import Calibration


def calibration_data(**calibrated: Any) -> dict[str, Any]:
    """The JSON of a probe of ``web1`` -> ``target1`` at ~95 Mbit/s; ``calibrated`` overrides."""
    block: dict[str, Any] = {
        "efficiency": 0.95,
        "nominal_bits_per_second": 100e6,
        "nominal_source": "servers[web1].network.baseline",
        "rtt_seconds": 0.012,
        "session_setup_seconds": 0.4,
        "per_stream_bits_per_second": None,
        "cipher_bytes_per_second": {"chacha20-poly1305@openssh.com": 150e6},
    }
    block.update(calibrated)
    endpoint = {"port": 22, "user": "root", "host_key": "ssh-ed25519 SHA256:x"}
    return {
        "schema_version": 1,
        "provenance": {
            "command": "exitplan probe web1 target1 --inventory inv.yaml -o cal.json",
            "started_at": "2026-11-22T10:00:00Z",
            "finished_at": "2026-11-22T10:01:00Z",
            "exitplan_version": "0.1.0",
            "operator": "laptop",
            "src": {"id": "web1", "address": "10.0.0.5", **endpoint},
            "dst": {"id": "target1", "address": "192.0.2.7", **endpoint},
            "method": "test",
        },
        "streams": [
            {
                "streams": 1,
                "size_bytes": 100_000_000,
                "seconds": 8.9,
                "small_size_bytes": 25_000_000,
                "small_seconds": 2.6,
                "rate_bits_per_second": 95.2e6,
            },
            {
                "streams": 2,
                "size_bytes": 100_000_000,
                "seconds": 9.0,
                "small_size_bytes": 25_000_000,
                "small_seconds": 2.7,
                "rate_bits_per_second": 95.0e6,
            },
        ],
        "round_trip": {
            "method": "ping from SRC to 192.0.2.7",
            "samples": 10,
            "min_seconds": 0.011,
            "avg_seconds": 0.012,
            "max_seconds": 0.014,
        },
        "calibrated": block,
    }


def calibration(**calibrated: Any) -> Calibration:
    return Calibration.model_validate(calibration_data(**calibrated))


def write_calibration(path: Path, **calibrated: Any) -> Path:
    path.write_text(json.dumps(calibration_data(**calibrated), indent=2))
    return path
