"""A small accuracy check in CI: exitplan's prediction against a real rsync transfer.

The same path as ``python -m benchmarks.accuracy`` (probe, ``plan --calibration`` through the
CLI, rsync over ssh following the plan), on two small cases; the benchmark runs all of them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks import accuracy
from benchmarks import accuracy_cases as ac
from tests.testbed import Testbed, TestbedSpec, unavailable_reason

pytestmark = [pytest.mark.network, pytest.mark.slow]

TARGET = 0.10  # the benchmark's target for the median error; one case must meet it here
CASES = (
    ac.Case(
        "one-file", "one 30 MB file, 100 Mbit/s port", (ac.Source("one", 100e6, 1, 30_000_000),)
    ),
    ac.Case(
        "two-hosts",
        "2 x 24 MB behind 200 Mbit/s ports, sharing the 300 Mbit/s uplink",
        tuple(ac.Source(f"pair{i}", 200e6, 3, 8_000_000) for i in (1, 2)),
    ),
)


@pytest.fixture(scope="module")
def calibrated_bed() -> Iterator[tuple[Testbed, object]]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    spec = TestbedSpec(
        hosts=ac.host_specs(CASES, accuracy.PROBE), uplink_rate_bits_per_second=ac.UPLINK_BITS
    )
    with Testbed(spec) as bed:
        agent = accuracy.Agent(bed)
        try:
            calibration = accuracy.probe(bed, agent, quick=True)
        finally:
            agent.close()
        yield bed, calibration


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_calibrated_plan_predicts_the_real_transfer(calibrated_bed, case) -> None:
    bed, calibration = calibrated_bed
    outcome = accuracy.run_case(bed, case, calibration, runs=1)
    print(
        f"{case.name}: measured {outcome.measured_seconds:.2f} s, plan "
        f"{outcome.predicted_seconds:.2f} s ({outcome.plan_error:.1%}), without probe "
        f"{outcome.uncalibrated_seconds:.2f} s, naive {outcome.naive_seconds:.2f} s"
    )
    assert outcome.plan_error <= TARGET
    assert outcome.plan_error < outcome.uncalibrated_error  # measuring the link helped
