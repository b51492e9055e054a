import pytest

from planner.core.cost import egress_by_region, tiered_usd
from planner.core.cutover import pre_copy, replication
from planner.io.transfer_seeds import transfer_seeds

SEEDS = transfer_seeds()
SWITCH = SEEDS.cutover.pre_copy.switch_over
GB = 1e9


def rounds(**kw):
    args = {"end_seconds": 0.0, "scan_seconds": 0.0, "seeds": SEEDS.cutover} | kw
    return pre_copy(**args)


RULES = SEEDS.cutover.pre_copy


def test_worked_pre_copy_example_converges_to_seconds_of_downtime():
    # research §7.1: M = 500 GB, R = 112.5 MB/s, D = 20 MB/s -> 74 min, 13 min, 2.3 min,
    # then a final delta of 2.8 GB: about 25 s of downtime plus the switch-over
    rate, change = 112.5e6, 20e6
    bulk = 500 * GB / rate
    result = rounds(
        end_seconds=bulk,
        bulk_seconds=bulk,
        size_bytes=500 * GB,
        rate_bytes_per_second=rate,
        change_bytes_per_second=change,
    )
    assert result.converges and result.reason is None
    assert result.rounds == 3
    assert result.downtime_seconds - SWITCH == pytest.approx(2.8 * GB / rate, rel=0.02)
    first, second = change * bulk / rate, change * change * bulk / rate**2
    assert result.completion_seconds == pytest.approx(
        bulk + first + second + result.downtime_seconds
    )


def test_microsoft_delta_pass_of_500_gb_at_800_mbit_takes_about_an_hour_and_a_half():
    rate = 0.8e9 / 8
    change = 500 * GB / 86400  # 1% of 50 TB per day
    result = rounds(
        bulk_seconds=86400,
        size_bytes=50_000 * GB,
        rate_bytes_per_second=rate,
        change_bytes_per_second=change,
    )
    first_round = change * 86400 / rate
    assert first_round / 3600 == pytest.approx(1.5, rel=0.1)  # MS: "~1.5 h"
    assert result.converges and result.rounds >= 2


def test_change_faster_than_copy_never_converges_and_stops_services_for_what_changed():
    # 50 GB copied live in 1000 s; afterwards it copies at 50 MB/s but changes at 60 MB/s
    result = rounds(
        end_seconds=1000,
        bulk_seconds=1000,
        size_bytes=50 * GB,
        rate_bytes_per_second=50e6,
        change_bytes_per_second=60e6,
    )
    assert not result.converges
    assert result.method == "offline" and result.rounds == 1
    # 60 GB changed during the bulk copy, but no more than all 50 GB can change: 1000 s
    assert result.downtime_seconds == pytest.approx(50 * GB / 50e6 + SWITCH)
    assert result.completion_seconds == pytest.approx(1000 + result.downtime_seconds)
    assert "services stopped" in (result.reason or "")
    # a larger host copied faster in bulk: only the 60 GB that changed go in the final pass
    larger = rounds(
        bulk_seconds=1000,
        size_bytes=500 * GB,
        rate_bytes_per_second=50e6,
        change_bytes_per_second=60e6,
    )
    assert larger.downtime_seconds == pytest.approx(60 * GB / 50e6 + SWITCH)


def test_file_scan_sets_a_downtime_floor_and_the_host_does_not_converge():
    result = rounds(
        bulk_seconds=10_000,
        size_bytes=1000 * GB,
        rate_bytes_per_second=100e6,
        change_bytes_per_second=1e3,
        scan_seconds=300,
    )
    assert result.downtime_seconds == pytest.approx(300 + SWITCH)
    assert not result.converges  # the last round (300 s) is longer than the final-round target
    assert result.reason is not None and "stop shrinking (file scan)" in result.reason


def test_round_limit_ends_the_rounds_and_the_host_does_not_converge():
    # D/R = 1/2: rounds of 50,000, 25,000, 12,500, 6,250 and 3,125 s; the 5th is the last
    assert RULES.max_rounds == 5 and RULES.final_round < 3125
    result = rounds(
        end_seconds=100_000,
        bulk_seconds=100_000,
        size_bytes=10_000 * GB,
        rate_bytes_per_second=100e6,
        change_bytes_per_second=50e6,
    )
    assert result.method == "pre-copy" and result.rounds == 5
    assert not result.converges
    assert result.reason is not None and result.reason.startswith("round limit (5) reached")
    assert result.downtime_seconds == pytest.approx(3125 + SWITCH)
    live = 50_000 + 25_000 + 12_500 + 6_250
    assert result.completion_seconds == pytest.approx(100_000 + live + 3125 + SWITCH)


def test_a_round_never_moves_more_than_the_whole_data_set():
    # cache-01 of fleet-40: 6 GB changing at 1 MB/s after a 10.4 h bulk copy, then 94 MB/s
    bulk, rate = 37_442.0, 94e6
    result = rounds(
        bulk_seconds=bulk,
        size_bytes=6 * GB,
        rate_bytes_per_second=rate,
        change_bytes_per_second=1e6,
    )
    first = 6 * GB / rate  # not 1 MB/s x 37,442 s = 37 GB
    second = 1e6 * first / rate
    assert result.converges and result.rounds == 2
    assert result.downtime_seconds == pytest.approx(second + SWITCH)
    assert result.completion_seconds == pytest.approx(first + second + SWITCH)


def test_database_replication_catches_up_then_cuts_over_in_seconds():
    result = replication(
        end_seconds=3600,
        bulk_seconds=3600,
        rate_bytes_per_second=100e6,
        change_bytes_per_second=25e6,
        seeds=SEEDS.databases,
    )
    assert result.method == "replication" and result.converges
    assert result.downtime_seconds == SEEDS.databases.replication.cutover
    # backlog of 25 MB/s x 3600 s drains at 75 MB/s: 1200 s
    assert result.completion_seconds == pytest.approx(3600 + 1200 + result.downtime_seconds)
    outpaced = replication(
        end_seconds=10,
        bulk_seconds=10,
        rate_bytes_per_second=1e6,
        change_bytes_per_second=2e6,
        seeds=SEEDS.databases,
    )
    assert not outpaced.converges and outpaced.method == "offline"


@pytest.mark.parametrize(
    ("tb", "usd"),  # research §4.1 [C], TB = 1,024 GB
    [(10, 913), (30, 2653), (50, 4394), (100, 7978), (200, 14122)],
)
def test_us_east_tiers_match_the_research_table(tb, usd):
    schedule = SEEDS.egress.schedules["us-eu-standard"]
    assert tiered_usd(tb * 1024, schedule, SEEDS.egress.free_tier.gb) == pytest.approx(usd, abs=1)


def test_first_100_gb_free_and_counted_once_per_account():
    gb = SEEDS.egress.bytes_per_gb
    assert egress_by_region({"us-east-1": 100 * gb}, SEEDS.egress)[0].usd == 0
    both = egress_by_region({"us-east-1": 200 * gb, "ap-southeast-2": 200 * gb}, SEEDS.egress)
    cost = {r.region: r.usd for r in both}
    assert cost["ap-southeast-2"] == pytest.approx(100 * 0.114)  # free tier on the dearer one
    assert cost["us-east-1"] == pytest.approx(200 * 0.09)


def test_unknown_region_uses_the_fallback_and_says_so():
    [row] = egress_by_region({"mars-north-1": 10 * SEEDS.egress.bytes_per_gb}, SEEDS.egress)
    assert row.schedule == SEEDS.egress.fallback_schedule
    assert not row.known_region
