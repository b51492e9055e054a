"""Time the planner (only planning, not generation) on fleets of growing size; print memory.

Usage: python -m benchmarks.plan_scale [N ...]   (default: 500 10000 100000)
"plan s" is wall time, "cpu s" the process CPU time (steadier on a busy machine); the
per-server figure uses CPU time. Each fleet carries about 175 GB per server, a 24 h deadline and
two shared links, so the run exercises the per-host limits, the water-filling schedule, cutover,
cost and suggestions.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

from planner.core.generate import generate_fleet
from planner.core.plan import build_plan
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models import Link
from planner.models.plan import PlanOptions
from planner.models.seeds import FleetProfile


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int]) -> None:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    catalog = aws_instance_types()
    seeds = transfer_seeds()
    print(
        f"{'servers':>8} {'plan s':>8} {'cpu s':>7} {'per server us':>14} {'plan alloc MiB':>15} "
        f"{'peak RSS MiB':>13} {'bulk h':>8} {'bound h':>8} {'suggestions':>12}"
    )
    for n in sizes:
        inventory = generate_fleet(profile, catalog, servers=n, data_bytes=n * 175 * 10**9, seed=1)
        options = PlanOptions(
            deadline_seconds=86400,
            links=[
                Link(name="aws-egress", capacity_bits_per_second=n * 2e8),
                Link(name="db-vpn", capacity_bits_per_second=n * 2e7, members=["role:db"]),
            ],
        )
        start, cpu_start = time.perf_counter(), time.process_time()
        plan = build_plan(inventory, seeds, options, catalog)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        del plan
        tracemalloc.start()  # a second, traced run for memory (tracing slows it down)
        plan = build_plan(inventory, seeds, options, catalog)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{n:>8} {elapsed:>8.3f} {cpu:>7.3f} {cpu / n * 1e6:>14.1f} {peak / 2**20:>15.1f} "
            f"{_peak_rss_mib():>13.0f} {plan.transfer.bulk_seconds / 3600:>8.2f} "
            f"{plan.transfer.lower_bound_seconds / 3600:>8.2f} {len(plan.suggestions):>12}",
            flush=True,
        )
        del plan, inventory


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 10_000, 100_000])
