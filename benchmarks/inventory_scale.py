"""Generate, write, load and validate inventories of growing size; print time and memory.

Usage: python -m benchmarks.inventory_scale [--formats json,yaml] [--compare] [N ...]
(default: 1000 10000 50000)

For each size and format it prints wall and CPU seconds to write (``save_inventory``) and to
load and validate (``load_inventory``), the time to reject a copy with a bad ``vcpus`` on every
server (50 problems located by line, the rest counted), the file size and the process's peak
RSS so far (taken before that rejection, whose line lookup composes the whole node tree).
CPU seconds are the better figure on a busy machine. ``--compare`` adds a ``pyyaml`` row per
size: the same YAML written and read the way the loader did before its fast path (PyYAML's
``CSafeDumper``/``CSafeLoader`` with the garbage collector on, then ``model_validate``).
"""

from __future__ import annotations

import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from planner.core.generate import generate_fleet
from planner.errors import InventoryError
from planner.io.atomic import write_text
from planner.io.documents import read_text
from planner.io.inventory_file import load_inventory, save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models import Inventory
from planner.models.seeds import FleetProfile


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(work: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _pyyaml_save(inventory: Inventory, path: Path) -> None:
    """How inventories were saved before the fast path."""
    data = inventory.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"schema_version": inventory.schema_version, **data}
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
    write_text(path, text)


def _pyyaml_load(path: Path) -> Inventory:
    """How inventories were loaded before the fast path (problems found, none expected)."""
    inventory = Inventory.model_validate(yaml.load(read_text(path), Loader=yaml.CSafeLoader))
    assert not inventory.problems()
    return inventory


def _reject(path: Path) -> int:
    try:
        load_inventory(path)
    except InventoryError as exc:
        return len(exc.problems)
    raise AssertionError(f"{path} should have been rejected")


def _spoil(path: Path) -> Path:
    """A copy with an unreadable ``vcpus`` on every server."""
    pattern = r'("vcpus": )(\d+)' if path.suffix == ".json" else r"(vcpus: )(\d+)"
    replacement = r'\1"many\2"' if path.suffix == ".json" else r"\1many\2"
    bad = path.with_name(f"bad-{path.name}")
    bad.write_text(re.sub(pattern, replacement, path.read_text()))
    return bad


def _row(
    n: int, fmt: str, gen: float, write: Any, load: Any, errors: str, path: Path, rss: float
) -> None:
    print(
        f"{n:>8} {fmt:>6} {gen:>6.2f} {write[0]:>8.2f} {write[1]:>6.2f} {load[0]:>7.2f} "
        f"{load[1]:>6.2f} {errors:>8} {path.stat().st_size / 1e6:>8.1f} {rss:>9.0f}",
        flush=True,
    )


def _measure(n: int, inventory: Inventory, gen: float, formats: tuple[str, ...], tmp: Path) -> None:
    for fmt in formats:
        path = tmp / f"fleet-{n}.{fmt}"
        _, *written = _timed(save_inventory, inventory, path)
        loaded, *loaded_s = _timed(load_inventory, path)
        assert loaded == inventory
        del loaded
        rss = _peak_rss_mib()  # before the rejection, which composes the whole node tree
        bad = _spoil(path)
        reported, rejected, _ = _timed(_reject, bad)
        assert reported == min(n, 50) + (n > 50)
        bad.unlink()
        _row(n, fmt, gen, tuple(written), tuple(loaded_s), f"{rejected:.2f}", path, rss)
        path.unlink()


def _measure_before(n: int, inventory: Inventory, gen: float, tmp: Path) -> None:
    path = tmp / f"fleet-{n}-pyyaml.yaml"
    _, *written = _timed(_pyyaml_save, inventory, path)
    loaded, *loaded_s = _timed(_pyyaml_load, path)
    assert loaded == inventory
    del loaded
    _row(n, "pyyaml", gen, tuple(written), tuple(loaded_s), "-", path, _peak_rss_mib())
    path.unlink()


def main(sizes: list[int], formats: tuple[str, ...], compare: bool) -> None:
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    catalog = aws_instance_types()
    print(
        f"{'servers':>8} {'format':>6} {'gen s':>6} {'write s':>8} {'cpu s':>6} {'load s':>7} "
        f"{'cpu s':>6} {'errors s':>8} {'file MB':>8} {'RSS MiB':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            inventory, gen, _ = _timed(
                generate_fleet, profile, catalog, servers=n, data_bytes=n * 175 * 10**9, seed=1
            )
            _measure(n, inventory, gen, formats, Path(tmp))
            if compare:
                _measure_before(n, inventory, gen, Path(tmp))


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen: tuple[str, ...] = ("json", "yaml")
    compare = "--compare" in args
    args = [a for a in args if a != "--compare"]
    if args[:1] == ["--formats"]:
        chosen = tuple(args[1].split(","))
        args = args[2:]
    main([int(a) for a in args] or [1000, 10_000, 50_000], chosen, compare)
