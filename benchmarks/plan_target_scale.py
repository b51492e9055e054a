"""Time ``plan --target`` end to end: machines, copy, verdict and suggestions, other targets.

Usage: python -m benchmarks.plan_target_scale [N ...] [--target P ...] [--deadline 24h]
(default: 500 10000 100000 at hetzner-cloud and hetzner-robot with a 24 h deadline)

A missed deadline at one target makes the planner size the fleet at every other bundled target
and copy-plan the two quickest to provision (the "another target" suggestion), so the worst
case is a target that cannot deliver in time (hetzner-robot). Prints CPU time (wall time in
brackets), the verdict and the suggestion actions, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time

from planner.core.generate import generate_fleet
from planner.core.plan_target import plan_on_target
from planner.io.catalog import list_providers, load_provider, load_sizing_defaults
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.plan import PlanOptions
from planner.models.seeds import FleetProfile
from planner.units import parse_duration


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int], targets: list[str], deadline: float) -> None:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    types = aws_instance_types()
    seeds = transfer_seeds()
    sizing = SizingOptions.from_defaults(load_sizing_defaults())
    catalogs = {name: load_provider(name) for name in list_providers()}
    print(
        f"{'servers':>8} {'target':<16} {'cpu s (wall)':>15} {'meets':>6} {'RSS MiB':>8}  actions"
    )
    for n in sizes:
        fleet = generate_fleet(profile, types, servers=n, data_bytes=n * 175 * 10**9, seed=1)
        for target in targets:
            catalog = catalogs[target]
            others = [c for name, c in catalogs.items() if name != target]
            options = CapacityOptions(sizing=sizing, deadline_seconds=deadline)
            wall, cpu = time.perf_counter(), time.process_time()
            plan = plan_on_target(
                fleet,
                seeds,
                PlanOptions(deadline_seconds=deadline),
                catalog,
                options,
                types,
                others,
            )
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            actions = ", ".join(s.action for s in plan.suggestions) or "-"
            print(
                f"{n:>8} {target:<16} {cpu:>6.2f} ({wall:>6.2f}) {plan.deadline.meets!s:>6} "
                f"{_peak_rss_mib():>8.0f}  {actions}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 10000, 100000])
    parser.add_argument("--target", action="append", default=[])
    parser.add_argument("--deadline", default="24h")
    args = parser.parse_args()
    main(
        args.sizes, args.target or ["hetzner-cloud", "hetzner-robot"], parse_duration(args.deadline)
    )
