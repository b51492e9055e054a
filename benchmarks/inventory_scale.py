"""Generate, write, load and validate inventories of growing size; print time and memory.

Usage: python -m benchmarks.inventory_scale [--formats json,yaml] [N ...]
(default: 500 10000 100000; YAML at 100,000 servers needs minutes and several GiB)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from planner.core.generate import generate_fleet
from planner.io.inventory_file import load_inventory, save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models.seeds import FleetProfile


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int], formats: tuple[str, ...] = ("json", "yaml")) -> None:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    catalog = aws_instance_types()
    print(
        f"{'servers':>8} {'fmt':>4} {'generate s':>11} {'write s':>8} {'load+validate s':>16} "
        f"{'file MB':>8} {'peak RSS MiB':>13}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            start = time.perf_counter()
            inventory = generate_fleet(
                profile, catalog, servers=n, data_bytes=n * 175 * 10**9, seed=1
            )
            generated = time.perf_counter() - start
            for fmt in formats:
                path = Path(tmp) / f"fleet-{n}.{fmt}"
                start = time.perf_counter()
                save_inventory(inventory, path)
                written = time.perf_counter() - start
                start = time.perf_counter()
                loaded = load_inventory(path)
                loaded_s = time.perf_counter() - start
                assert len(loaded.servers) == n
                print(
                    f"{n:>8} {fmt:>4} {generated:>11.2f} {written:>8.2f} {loaded_s:>16.2f} "
                    f"{path.stat().st_size / 1e6:>8.1f} {_peak_rss_mib():>13.0f}",
                    flush=True,
                )
                del loaded


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen: tuple[str, ...] = ("json", "yaml")
    if args[:1] == ["--formats"]:
        chosen = tuple(args[1].split(","))
        args = args[2:]
    main([int(a) for a in args] or [500, 10_000, 100_000], chosen)
