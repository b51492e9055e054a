"""Measured values in place of assumed ones, session start-up and slow start in the plan."""

from __future__ import annotations

import math

import pytest

from planner.core.calibrate import default_efficiency, resolve_measured, slow_start_seconds
from planner.core.evaluate import evaluate
from planner.core.plan import build_plan
from planner.core.schedule import Job, schedule
from planner.io.transfer_seeds import transfer_seeds
from planner.models.calibration import AppliedCalibration
from planner.models.plan import PlanOptions
from tests.core.plan_helpers import inventory
from tests.probe.calibration_helpers import calibration

SEEDS = transfer_seeds()
TOOLS = SEEDS.tools


def calibrated(**values: object):
    applied = AppliedCalibration(file="cal.json", calibration=calibration(**values))
    return SEEDS.model_copy(update={"calibration": applied})


def host(server_id: str, size: str, mbit: float, **extra: object) -> dict[str, object]:
    return {
        "id": server_id,
        "network": {"baseline": f"{mbit}Mbps"},
        "volumes": [{"used": size}],
        **extra,
    }


def sources(plan) -> dict[str, str]:
    return {a.name: a.source for a in plan.assumptions}


def test_without_a_calibration_the_seeds_apply() -> None:
    m = resolve_measured(SEEDS)
    assert m.calibrated == frozenset()
    assert m.efficiency == pytest.approx(0.941 * 0.9988 * 0.80)
    assert m.setup_seconds == TOOLS.session_setup.rsync_seconds
    assert m.handshake_round_trips == TOOLS.handshake.round_trips
    assert m.cipher_rates == TOOLS.ciphers.per_core


def test_a_calibration_replaces_efficiency_rtt_cipher_and_start_up() -> None:
    seeds = calibrated()
    m = resolve_measured(seeds)
    assert m.calibrated == {"efficiency", "cipher", "setup", "rtt", "path"}
    assert m.efficiency == 0.95
    assert m.cipher_rates["chacha20-poly1305@openssh.com"] == 150e6
    assert m.cipher_rates["aes128-ctr"] == TOOLS.ciphers.per_core["aes128-ctr"]  # not measured
    rsync_extra = TOOLS.session_setup.rsync_seconds - TOOLS.session_setup.ssh_seconds
    assert m.setup_seconds == pytest.approx(0.4 + rsync_extra)
    assert m.handshake_round_trips == 0  # the measured session includes its round trips
    assert (m.probed_host, m.probed_runs) == ("web1", ((1, 95.2e6), (2, 95.0e6)))


def test_a_calibrated_plan_is_faster_when_the_path_is_better_than_assumed() -> None:
    inv = inventory(host("other", "10GB", 100))
    options = PlanOptions(streams=1, loss_rate=0.0)
    assumed = build_plan(inv, SEEDS, options)
    measured = build_plan(inv, calibrated(), options)
    expected = 0.4 + 0.0587 + 10e9 * 8 / (0.95 * 100e6)
    assert measured.transfer.bulk_seconds == pytest.approx(expected, rel=1e-3)
    assert assumed.transfer.bulk_seconds == pytest.approx(
        10e9 * 8 / (default_efficiency(SEEDS) * 100e6), rel=1e-3
    )
    cited = sources(measured)
    for name in ("transfer efficiency", "round-trip time", "session start-up", "cipher speed"):
        assert cited[name].startswith("calibration cal.json (exitplan probe web1 -> target1")
        assert "measured at 2026-11-22T10:01:00" in cited[name]
    assert sources(assumed)["transfer efficiency"].startswith("seeds/transfer/network_rules.yaml")
    # the probed host is not in this inventory: said, not silently ignored
    probed = next(a for a in measured.assumptions if a.name == "probed path")
    assert "web1 is not in this inventory" in probed.value


def test_the_probed_path_limits_only_the_probed_host_with_its_stream_count() -> None:
    inv = inventory(host("web1", "1TB", 1000), host("web2", "1TB", 1000))
    seeds = calibrated()
    one = evaluate(inv, seeds, PlanOptions(streams=1))
    assert one.items[0].constraints["probed-path"] == 95.2e6
    assert one.items[0].own_limit == "probed-path"
    assert "probed-path" not in one.items[1].constraints
    four = evaluate(inv, seeds, PlanOptions(streams=4))
    assert four.items[0].constraints["probed-path"] == 95.0e6  # the 2-stream run: most <= 4
    plan = build_plan(inv, seeds, PlanOptions(streams=4))
    value = next(a.value for a in plan.assumptions if a.name == "probed path")
    assert value.startswith("web1 limited to 95 Mbit/s")


def test_a_per_stream_limit_applies_to_every_host_and_more_streams_lift_it() -> None:
    inv = inventory(host("a", "1TB", 10_000), host("b", "1TB", 10_000))
    seeds = calibrated(per_stream_bits_per_second=200e6)
    ev = evaluate(inv, seeds, PlanOptions(streams=2, loss_rate=0.0))
    for item in ev.items:
        assert item.constraints["probed-stream-limit"] == 400e6
        assert item.own_limit == "probed-stream-limit"
    plan = build_plan(inv, seeds, PlanOptions(streams=2, loss_rate=0.0, deadline_seconds=3600))
    assert "streams" in [s.action for s in plan.suggestions]


def test_an_option_still_wins_over_the_calibration() -> None:
    plan = build_plan(inventory(host("a", "1GB", 100)), calibrated(), PlanOptions(rtt_seconds=0.05))
    rtt = next(a for a in plan.assumptions if a.name == "round-trip time")
    assert (rtt.value, rtt.source) == ("50 ms", "option --rtt")


def test_every_copy_starts_with_its_session_set_up() -> None:
    inv = inventory(host("a", "1GB", 1000))
    rtt = 0.02
    ev = evaluate(inv, SEEDS, PlanOptions(rtt_seconds=rtt, loss_rate=0.0, streams=1))
    [item] = ev.items
    ramp = slow_start_seconds(rtt, item.cap_bits_per_second, 1448, 10)
    assert item.setup_seconds == pytest.approx(
        TOOLS.session_setup.rsync_seconds + TOOLS.handshake.round_trips * rtt + ramp
    )
    assert ev.bulk_seconds == pytest.approx(item.setup_seconds + 1e9 * 8 / item.cap_bits_per_second)
    assert ev.lower_bound_seconds == pytest.approx(ev.bulk_seconds)
    plan = build_plan(inv, SEEDS, PlanOptions(rtt_seconds=rtt))
    assert {"session start-up", "session round trips", "TCP slow start"} <= set(sources(plan))


def test_slow_start_loses_about_one_round_trip_per_doubling() -> None:
    # 1 Gbit/s per stream at 100 ms: a 12.5 MB window is 863 initial windows, 9.75 doublings
    doublings = math.log2(1e9 * 0.1 / 8 / (10 * 1448))
    assert slow_start_seconds(0.1, 1e9, 1448, 10) == pytest.approx((doublings - 1) * 0.1)
    assert slow_start_seconds(0.0001, 1e8, 1448, 10) == 0.0  # the window fits in IW10
    assert slow_start_seconds(0.1, math.inf, 1448, 10) == 0.0


def test_the_schedule_holds_a_slot_during_set_up() -> None:
    jobs = [Job("a", 1000, 8000.0, 0.5), Job("b", 1000, 8000.0, 0.5)]
    together = schedule(jobs, [])
    assert [s.end_seconds for s in together] == [1.5, 1.5]
    one_at_a_time = schedule(jobs, [], concurrency=1)
    assert [(s.start_seconds, s.end_seconds) for s in one_at_a_time] == [(0, 1.5), (1.5, 3.0)]


def test_hosts_paced_on_a_full_link_are_told_so() -> None:
    inv = inventory(
        host("small", "10GB", 1000),
        host("big", "60GB", 1000),
        links=[{"name": "uplink", "capacity": "300Mbps"}],
    )
    plan = build_plan(inv, SEEDS, PlanOptions())
    pacing = next(a for a in plan.assumptions if a.name == "link sharing")
    assert "2 host(s) (small, big)" in pacing.value and "--bwlimit" in pacing.value
    alone = build_plan(inventory(host("a", "1GB", 100)), SEEDS, PlanOptions())
    assert "link sharing" not in sources(alone)
