"""Right-size and capacity-plan generated fleets of growing size on each bundled target.

Usage: python -m benchmarks.capacity_scale [N ...] [--provider P ...]
(default: 500 10000 100000 on every bundled provider)

Prints, per fleet size and provider, the CPU time of ``plan_capacity`` without and with
consolidation (CPU time, so a busy machine does not inflate it; wall time in brackets), the
machines and monthly cost, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time

from planner.core.capacity import plan_capacity
from planner.core.generate import generate_fleet
from planner.io.catalog import list_providers, load_provider, load_sizing_defaults
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.seeds import FleetProfile


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main(sizes: list[int], providers: list[str]) -> None:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    types = aws_instance_types()
    defaults = load_sizing_defaults()
    catalogs = [load_provider(p) for p in providers or list_providers()]
    print(
        f"{'servers':>8} {'provider':<24} {'plan cpu s (wall)':>18} {'consolidated':>15} "
        f"{'machines':>9} {'consol.':>8} {'USD/month':>12} {'RSS MiB':>8}"
    )
    for n in sizes:
        fleet = generate_fleet(profile, types, servers=n, data_bytes=n * 175 * 10**9, seed=1)
        for catalog in catalogs:
            plain = CapacityOptions(sizing=SizingOptions.from_defaults(defaults))
            packed = CapacityOptions(sizing=SizingOptions.from_defaults(defaults, consolidate=True))
            plan, cpu, wall = _timed(plan_capacity, fleet, catalog, plain, types)
            consolidated, ccpu, cwall = _timed(plan_capacity, fleet, catalog, packed, types)
            print(
                f"{n:>8} {catalog.provider:<24} {cpu:>8.2f} ({wall:>6.2f}) "
                f"{ccpu:>6.2f} ({cwall:>6.2f}) "
                f"{plan.machines:>9} {consolidated.machines:>8} {plan.monthly_usd:>12,.0f} "
                f"{_peak_rss_mib():>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 10000, 100000])
    parser.add_argument("--provider", action="append", default=[])
    args = parser.parse_args()
    main(args.sizes, args.provider)
