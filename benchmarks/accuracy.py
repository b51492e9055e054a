"""How close is ``exitplan plan`` to real transfers? Predicted vs measured, case by case.

Usage (as root, from the repository root)::

    python -m benchmarks.accuracy [--quick] [--case NAME]...

In one namespace testbed (tests/testbed: hosts behind a router, tc tbf on every host port and
a 300 Mbit/s shared uplink, one destination host) it first runs ``exitplan probe`` on one
100 Mbit/s host, the way a user would measure a link, then for every case (one big file, many
small files, hosts sharing the uplink, a host limited by its own port, parallel streams, a
concurrency limit, uneven sizes): creates the data, writes the inventory, runs ``exitplan plan
--calibration`` (through the CLI), copies the data for real with rsync over ssh following the
plan (its order, streams, concurrency, and the planned rate of hosts it paces on a shared link)
and prints predicted against the measured time (median of ``--runs`` copies). The same
for ``exitplan plan`` without the calibration, and for a naive ``size / bandwidth``
(bandwidth = min(uplink, sum of the ports)). The last line is
``accuracy: median_abs_error=F worst_abs_error=F naive_median_abs_error=F`` (fractions, for the
calibrated plan and the naive calculator). About 3 minutes; ``--quick`` about 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from benchmarks import accuracy_cases as ac
from planner.cli.main import app
from planner.core.evaluate import evaluate
from planner.io.calibration_file import load_calibration
from planner.io.inventory_file import load_inventory
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from tests.testbed import Testbed, TestbedSpec, unavailable_reason

REPO = Path(__file__).resolve().parents[1]
PROBE = ac.Source("probe", 100 * ac.MBIT, 0, 0)
CIPHER = "aes128-gcm@openssh.com"  # what the testbed's ssh client uses


@dataclass(frozen=True)
class Outcome:
    case: ac.Case
    measured_seconds: float
    runs_seconds: tuple[float, ...]
    predicted_seconds: float
    uncalibrated_seconds: float
    naive_seconds: float
    bottleneck: str

    @staticmethod
    def error(predicted: float, measured: float) -> float:
        return abs(predicted - measured) / measured

    @property
    def plan_error(self) -> float:
        return self.error(self.predicted_seconds, self.measured_seconds)

    @property
    def naive_error(self) -> float:
        return self.error(self.naive_seconds, self.measured_seconds)

    @property
    def uncalibrated_error(self) -> float:
        return self.error(self.uncalibrated_seconds, self.measured_seconds)


class Agent:
    """An ssh-agent holding the testbed's client key (for ``probe --forward-agent``)."""

    def __init__(self, bed: Testbed) -> None:
        assert bed.tmp is not None
        self.socket = str(Path(bed.tmp) / "agent.sock")
        self.process = subprocess.Popen(
            ["ssh-agent", "-D", "-a", self.socket],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while not Path(self.socket).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.env = dict(os.environ, SSH_AUTH_SOCK=self.socket)
        subprocess.run(["ssh-add", "-q", str(bed.identity_path)], env=self.env, check=True)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)


def probe(bed: Testbed, agent: Agent, quick: bool) -> Path:
    """``exitplan probe`` from inside the probe host (the root namespace cannot reach it)."""
    assert bed.tmp is not None
    work = Path(bed.tmp)
    inv = work / "probe-inventory.yaml"
    inv.write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "servers": [
                    ac.server(bed, PROBE),
                    {"id": ac.DESTINATION, "address": bed.host(ac.DESTINATION).address,
                     "ssh": {"user": "root"}},
                ],
            }
        )
    )  # fmt: skip
    output = work / "calibration.json"
    argv = [
        sys.executable, "-m", "planner", "probe", PROBE.name, ac.DESTINATION,
        "--inventory", str(inv), "--known-hosts", str(bed.known_hosts_path),
        "--forward-agent", "--bytes", "20MB" if quick else "40MB", "--streams", "2",
        "--cipher", CIPHER, "--cipher-bytes", "256MB", "-o", str(output),
    ]  # fmt: skip
    done = subprocess.run(
        bed.command(PROBE.name, argv),
        env=agent.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(done.stdout.rstrip())
    if done.returncode != 0:
        raise RuntimeError(f"exitplan probe failed ({done.returncode}): {done.stderr[-2000:]}")
    return output


def plan(inventory: Path, case: ac.Case, calibration: Path | None) -> dict[str, Any]:
    """``exitplan plan ... --format json`` through the CLI (in-process)."""
    args = [str(inventory), "--streams", str(case.streams), "--cipher", CIPHER, "--format", "json"]
    if case.concurrency:
        args += ["--concurrency", str(case.concurrency)]
    if calibration is not None:
        args += ["--calibration", str(calibration)]
    result = CliRunner().invoke(app, ["plan", *args], catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"exitplan plan {' '.join(args)}: {result.output}")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def paced_rates(inventory: Path, case: ac.Case, calibration: Path) -> dict[str, float]:
    """Planned rate of every host the plan holds back on a shared link (in-process plan)."""
    seeds = transfer_seeds().model_copy(update={"calibration": load_calibration(calibration)})
    options = PlanOptions(streams=case.streams, concurrency=case.concurrency, cipher=CIPHER)
    ev = evaluate(load_inventory(inventory), seeds, options)
    rates = {}
    for i, (item, slot) in enumerate(zip(ev.items, ev.slots, strict=True)):
        moving = slot.end_seconds - slot.start_seconds - item.setup_seconds
        if ev.limited_by(i).startswith("link:") and moving > 0:
            rates[item.id] = item.size_bytes * 8 / moving
    return rates


def run_case(
    bed: Testbed, case: ac.Case, calibration: Path, runs: int, pacing: bool = True
) -> Outcome:
    assert bed.tmp is not None
    data = ac.create_data(bed, case)
    inventory = Path(bed.tmp) / f"inventory-{case.name}.yaml"
    inventory.write_text(yaml.safe_dump(ac.inventory(bed, case), sort_keys=False))
    calibrated = plan(inventory, case, calibration)
    assumed = plan(inventory, case, None)
    hosts = calibrated["transfer"]["hosts"]
    order = [h["id"] for h in sorted(hosts, key=lambda h: (h["start_seconds"], h["id"]))]
    pace = paced_rates(inventory, case, calibration) if pacing else {}
    streams = calibrated["transfer"]["streams"]
    measured = [ac.execute(bed, case, data, order, streams, pace)[0] for _ in range(runs)]
    return Outcome(
        case=case,
        measured_seconds=statistics.median(measured),
        runs_seconds=tuple(measured),
        predicted_seconds=calibrated["transfer"]["bulk_seconds"],
        uncalibrated_seconds=assumed["transfer"]["bulk_seconds"],
        naive_seconds=case.naive_seconds(),
        bottleneck=calibrated["transfer"]["bottleneck"],
    )


def report(outcomes: list[Outcome]) -> None:
    print(
        f"{'case':<17} {'MB':>5} {'files':>6} {'measured s':>10} {'runs':>11} {'plan s':>7} "
        f"{'err':>6} {'no-probe s':>10} {'err':>6} {'naive s':>7} {'err':>6}  bottleneck"
    )
    for o in outcomes:
        print(
            f"{o.case.name:<17} {o.case.size_bytes / ac.MB:>5.0f} {o.case.files:>6} "
            f"{o.measured_seconds:>10.2f} {min(o.runs_seconds):>5.2f}-{max(o.runs_seconds):<5.2f} "
            f"{o.predicted_seconds:>7.2f} {o.plan_error:>6.1%} "
            f"{o.uncalibrated_seconds:>10.2f} {o.uncalibrated_error:>6.1%} "
            f"{o.naive_seconds:>7.2f} {o.naive_error:>6.1%}  {o.bottleneck}"
        )
    errors = [o.plan_error for o in outcomes]
    print(
        f"no-probe plan: median_abs_error={statistics.median(o.uncalibrated_error for o in outcomes):.3f}"  # noqa: E501
    )
    print(
        f"accuracy: median_abs_error={statistics.median(errors):.3f} "
        f"worst_abs_error={max(errors):.3f} "
        f"naive_median_abs_error={statistics.median(o.naive_error for o in outcomes):.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the CI subset (about 1.5 min)")
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    parser.add_argument(
        "--runs", type=int, default=None, help="copies per case; the median counts (default 3, "
        "--quick 1)",
    )  # fmt: skip
    parser.add_argument(
        "--no-pacing", action="store_true",
        help="leave hosts on a shared link to TCP instead of the planned rates",
    )  # fmt: skip
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    pacing = not args.no_pacing
    reason = unavailable_reason()
    if reason:
        print(f"testbed unavailable: {reason}", file=sys.stderr)
        return 2
    cases = tuple(
        c for c in ac.CASES if (c.name in args.case if args.case else (c.quick or not args.quick))
    )
    if not cases:
        print(f"no such case; known: {', '.join(c.name for c in ac.CASES)}", file=sys.stderr)
        return 2
    spec = TestbedSpec(
        hosts=ac.host_specs(cases, PROBE), uplink_rate_bits_per_second=ac.UPLINK_BITS
    )
    started = time.monotonic()
    with Testbed(spec) as bed:
        agent = Agent(bed)
        try:
            calibration = probe(bed, agent, args.quick)
        finally:
            agent.close()
        outcomes = [run_case(bed, case, calibration, runs, pacing) for case in cases]
    report(outcomes)
    print(f"({time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
