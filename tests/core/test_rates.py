import pytest

from planner.core.evaluate import evaluate
from planner.core.plan import build_plan
from planner.core.rates import volume_read_rate
from planner.io.transfer_seeds import transfer_seeds
from planner.models import Link, Volume
from planner.models.plan import PlanOptions
from planner.units import parse_size
from tests.core.plan_helpers import FAST_OPTIONS, fast_server, inventory

SEEDS = transfer_seeds()
HOUR = 3600.0
DAY = 86400.0
TYPES = SEEDS.ebs.volume_types
MIB = 2**20


def link_limited_seconds(size: str, rate: float) -> float:
    """Plan one fast server whose only real limit is a shared link of ``rate`` bits/s."""
    inv = inventory(fast_server("a", size))
    options = PlanOptions(links=[Link(name="wan", capacity_bits_per_second=rate)], **FAST_OPTIONS)
    plan = build_plan(inv, SEEDS, options)
    assert plan.transfer.bottleneck == "link:wan"
    return plan.transfer.bulk_seconds


def test_one_terabyte_at_one_gigabit_is_about_three_hours():
    seconds = link_limited_seconds("1TB", 1e9)
    ideal = 1e12 * 8 / 1e9
    assert 0.75 <= ideal / seconds <= 0.80  # the usual 75-80% efficiency
    assert seconds == pytest.approx(3 * HOUR, rel=0.05)


@pytest.mark.parametrize(
    ("size", "rate", "published_seconds"),
    [  # ESnet fasterdata "Expected rates to transfer data" (1 TB)
        ("1TB", 10e6, 300 * HOUR),
        ("1TB", 100e6, 30 * HOUR),
        ("1TB", 1e9, 3 * HOUR),
        # Google Cloud "Transfer your large datasets" table
        ("10TB", 100e6, 12 * DAY),
        ("10TB", 1e9, 30 * HOUR),
        ("10TB", 10e9, 3 * HOUR),
        ("100TB", 100e6, 124 * DAY),
        ("100TB", 1e9, 12 * DAY),
        ("100TB", 10e9, 30 * HOUR),
        ("1PB", 1e9, 124 * DAY),
        ("1PB", 10e9, 12 * DAY),
    ],
)
def test_published_tables_within_ten_percent(size, rate, published_seconds):
    assert link_limited_seconds(size, rate) == pytest.approx(published_seconds, rel=0.10)


@pytest.mark.parametrize(
    ("size", "rate", "published_seconds"),
    [("1TB", 10e9, 20 * 60), ("1PB", 100e6, 3 * 365 * DAY)],
)
def test_rounded_table_cells_within_fifteen_percent(size, rate, published_seconds):
    """ESnet's "20 min" and Google's "3 years" are rounded the opposite way: no single
    efficiency puts both within 10% (the first needs <= 0.741, the second >= 0.770)."""
    esnet_max_eff = (1e12 * 8 / 10e9) / (20 * 60 * 0.9)
    google_min_eff = (1e15 * 8 / 100e6) / (3 * 365 * DAY * 1.1)
    assert esnet_max_eff < google_min_eff
    assert link_limited_seconds(size, rate) == pytest.approx(published_seconds, rel=0.15)


def test_microsoft_fifty_terabytes_at_one_gigabit_takes_six_to_seven_days():
    days = link_limited_seconds("50TB", 1e9) / DAY
    assert 6 <= days <= 7


def test_volume_types():
    gp3 = Volume(volume_type="gp3", size="1TiB", used="500GB")
    assert volume_read_rate(gp3, TYPES) == 125 * MIB
    provisioned = Volume(volume_type="gp3", size="1TiB", throughput="500 MiB/s")
    assert volume_read_rate(provisioned, TYPES) == 500 * MIB
    assert volume_read_rate(Volume(volume_type="gp2", size="100GiB"), TYPES) == 128 * MIB
    assert volume_read_rate(Volume(volume_type="gp2", size="1TiB"), TYPES) == 250 * MIB
    assert volume_read_rate(Volume(volume_type="io2", size="1TiB"), TYPES) == 4000 * MIB
    assert volume_read_rate(Volume(volume_type="magnetic", size="1TiB"), TYPES) is None


def test_hdd_volumes_burst_while_credits_last_then_drop_to_baseline():
    # 2 TiB st1: baseline 80 MiB/s, burst 500 MiB/s (capped); a full bucket (1 TiB per TiB)
    # outlasts a read of the whole volume, so a full copy runs at the burst rate
    full = Volume(volume_type="st1", size="2TiB", used="2TiB")
    assert volume_read_rate(full, TYPES) == 500 * MIB
    sc1 = Volume(volume_type="sc1", size="1TiB", used="1TiB")
    assert volume_read_rate(sc1, TYPES) == 80 * MIB
    # with a smaller bucket the copy drains it and finishes at baseline
    small_bucket = TYPES["st1"].model_copy(
        update={"per_tib": TYPES["st1"].per_tib.model_copy(update={"bucket_per_tib": 2**38})}
    )
    burst_seconds = 2 * 2**38 / ((500 - 80) * MIB)
    burst_bytes = 500 * MIB * burst_seconds
    expected = 2 * 2**40 / (burst_seconds + (2 * 2**40 - burst_bytes) / (80 * MIB))
    assert volume_read_rate(full, {"st1": small_bucket}) == pytest.approx(expected)
    assert 80 * MIB < expected < 500 * MIB


def constraints(server, **options):
    ev = evaluate(inventory(server), SEEDS, PlanOptions(**options))
    return ev.items[0].constraints


def test_internet_gateway_cap_follows_vcpus():
    big = fast_server("big", "1TB", vcpus=64, network={"baseline": "20Gbps"})
    eff = 0.941 * 0.9988 * 0.80
    # AWS's example: m5.16xlarge (64 vCPU, 20 Gbps) gets 10 Gbps through an internet gateway
    assert constraints(big)["internet-gateway-cap"] == pytest.approx(10e9 * eff)
    small = fast_server("small", "1TB", vcpus=16, network={"baseline": "10Gbps"})
    assert constraints(small)["internet-gateway-cap"] == pytest.approx(5e9 * eff)


def test_multi_hour_copies_use_baseline_and_short_ones_burst():
    net = {"baseline": "750Mbps", "burst": "10Gbps"}
    eff = 0.941 * 0.9988 * 0.80
    long = constraints(fast_server("a", "1TB", vcpus=2, network=net))
    assert long["instance-network"] == pytest.approx(0.75e9 * eff)
    short = constraints(fast_server("a", "1GB", vcpus=2, network=net))
    assert short["instance-network"] == pytest.approx(10e9 * eff)


def test_tool_limits_scale_with_streams_and_rtt():
    server = fast_server("a", "1TB")
    one = constraints(server, streams=1, rtt_seconds=0.020, loss_rate=1e-5)
    four = constraints(server, streams=4, rtt_seconds=0.020, loss_rate=1e-5)
    # 2 MiB per 20 ms round trip: 839 Mbit/s per stream (research table)
    assert one["ssh-window"] == pytest.approx(2 * MIB * 8 / 0.020)
    assert one["ssh-window"] == pytest.approx(839e6, rel=0.001)
    assert four["ssh-window"] == pytest.approx(4 * one["ssh-window"])
    # Mathis with MSS 1448, C 1.22, p 1e-5 at 10 ms: about 449 Mbit/s (research §6.1)
    ten_ms = constraints(server, streams=1, rtt_seconds=0.010, loss_rate=1e-5)
    assert ten_ms["tcp-loss"] == pytest.approx(449e6, rel=0.01)
    assert "tcp-loss" not in constraints(server, loss_rate=0.0)


def test_cipher_is_per_core_and_many_small_files_cost_time():
    server = fast_server("a", "100GB", vcpus=2)
    limits = constraints(server, streams=8, cipher="aes128-gcm@openssh.com")
    assert limits["cipher"] == pytest.approx(2 * 536 * MIB * 8)  # only 2 cores
    files = fast_server("b", "100GB")
    files["volumes"][0]["file_count"] = 10_000_000
    limits = constraints(files, streams=4)
    # 10 M files x 0.19 ms (measured, warm cache) / 4 streams = 475 s for 100 GB
    assert limits["per-file-cost"] == pytest.approx(100e9 * 8 / 475)
    # ... and per-file work runs in parallel only as far as there are cores
    files["vcpus"] = 2
    assert constraints(files, streams=4)["per-file-cost"] == pytest.approx(100e9 * 8 / 950)


def test_compression_moves_more_source_bytes_but_costs_cpu():
    server = fast_server("a", "1TB")
    plain = constraints(server, target_port_bits_per_second=1e9)
    packed = constraints(server, target_port_bits_per_second=1e9, compression_ratio=2.0)
    assert packed["target-port"] == pytest.approx(2 * plain["target-port"])
    assert packed["compression"] == pytest.approx(4 * 35 * MIB * 8)


def test_object_storage_request_model():
    inv = inventory(
        data_stores=[
            {"id": "b", "kind": "object-storage", "used": "10TB", "object_count": 100_000_000}
        ]
    )
    ev = evaluate(inv, SEEDS, PlanOptions(target_port_bits_per_second=1e12))
    limits = ev.items[0].constraints
    mean = 10e12 / 100e6  # 100 kB objects
    assert limits["s3-request-throughput"] == pytest.approx(256 * mean / 0.030 * 8)
    assert limits["s3-get-rate"] == pytest.approx(5500 * mean * 8)
    assert ev.items[0].own_limit == "s3-get-rate"
    # research §3: 100 M GETs at 5,500/s on one prefix take about 5.1 h
    assert ev.bulk_seconds == pytest.approx(5.05 * HOUR, rel=0.02)


def test_unknown_sizes_are_reported_not_zero():
    inv = inventory(fast_server("a", "1TB"), {"id": "b"})
    plan = build_plan(inv, SEEDS, PlanOptions())
    assert plan.inventory.unknown_size == ["b"]
    assert [h.id for h in plan.transfer.hosts] == ["a"]
    assert plan.inventory.total_bytes == parse_size("1TB")
