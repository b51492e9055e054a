"""Full-size offline stack preview: a 500-server fleet through `exitplan stacks preview`'s path.

Usage: python -m benchmarks.stacks_preview [N] [--provider P] [--target CATALOG]
(default: 500 servers, hetzner on the hetzner-cloud catalog; target: under 5 s)

Generates a fleet, plans its capacity on the catalog, writes the stack config in memory, then
runs the real stack program under Pulumi's mocks in a child process exactly as the CLI does.
Prints the wall time of the child (Python start, SDK imports, program, mocks) and the resources.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from planner.core.capacity import plan_capacity
from planner.core.generate import generate_fleet
from planner.io.catalog import load_sizing_defaults, load_target
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.seeds import FleetProfile
from planner.models.stacks import StackOptions
from planner.stacks import files, preview
from planner.stacks.config import build_fleet_config

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx8mHZwPp1YQm0s0k8b2t3rW4Yy8Jc1oGfWbS9n0q1L bench@x"


def main(servers: int, provider: str, target: str) -> None:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    types = aws_instance_types()
    fleet = generate_fleet(
        profile, types, servers=servers, data_bytes=servers * 175 * 10**9, seed=1
    )
    catalog = load_target(target)
    options = CapacityOptions(sizing=SizingOptions.from_defaults(load_sizing_defaults()))
    capacity = plan_capacity(fleet, catalog, options, types)
    stack = StackOptions(target=provider, ssh_public_keys=[KEY], admin_cidrs=["192.0.2.0/24"])
    started = time.perf_counter()
    document, _ = build_fleet_config(capacity, catalog, files.stack_catalog(), stack, fleet)
    config_seconds = time.perf_counter() - started
    root = files.stacks_dir()
    project = files.project_dir(root, provider)
    name = files.stack_target(provider).project
    started = time.perf_counter()
    result = preview.run_program(root, project, {f"{name}:fleet": json.dumps(document)}, "bench")
    seconds = time.perf_counter() - started
    counts = Counter(r["type"] for r in result["resources"])
    print(
        f"{provider} on {catalog.provider}: {servers} source servers -> "
        f"{len(document['servers'])} stack servers, {len(result['resources'])} resources"
    )
    for kind, count in sorted(counts.items()):
        print(f"  {count:>6}  {kind}")
    verdict = "meets" if seconds < 5 else "MISSES"
    print(
        f"stack config: {config_seconds:.2f} s; offline preview (child process): "
        f"{seconds:.2f} s ({verdict} the 5 s target)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("servers", nargs="?", type=int, default=500)
    parser.add_argument("--provider", default="hetzner")
    parser.add_argument("--target", default="hetzner-cloud")
    args = parser.parse_args()
    main(args.servers, args.provider, args.target)
