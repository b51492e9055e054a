"""From raw probe measurements to calibrated values: ping parsing, nominal rate, summary."""

from __future__ import annotations

import pytest

from planner.models import Inventory
from planner.models.calibration import CipherRun, StreamRun
from planner.probe.derive import nominal_path, parse_ping, summarize

IPUTILS = """PING 10.222.128.2 (10.222.128.2) 56(84) bytes of data.

--- 10.222.128.2 ping statistics ---
5 packets transmitted, 5 received, 0% packet loss, time 815ms
rtt min/avg/max/mdev = 0.060/0.122/0.355/0.116 ms
"""
BUSYBOX = """PING 192.0.2.7 (192.0.2.7): 56 data bytes

--- 192.0.2.7 ping statistics ---
3 packets transmitted, 3 packets received, 0% packet loss
round-trip min/avg/max = 11.021/12.500/14.978 ms
"""
NO_REPLY = """--- 192.0.2.7 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2040ms
"""


def test_ping_summaries_of_iputils_and_busybox() -> None:
    iputils = parse_ping(IPUTILS, "10.222.128.2")
    assert iputils is not None
    assert (iputils.samples, iputils.min_seconds, iputils.avg_seconds) == (5, 0.00006, 0.000122)
    busybox = parse_ping(BUSYBOX, "192.0.2.7")
    assert busybox is not None
    assert busybox.avg_seconds == pytest.approx(0.0125)
    assert busybox.max_seconds == pytest.approx(0.014978)
    assert parse_ping(NO_REPLY, "192.0.2.7") is None
    assert parse_ping("ping: command not found", "x") is None


def run(streams: int, mbit: float) -> StreamRun:
    size = 40_000_000
    return StreamRun(
        streams=streams,
        size_bytes=size,
        seconds=5.0,
        small_size_bytes=size // 4,
        small_seconds=1.0,
        rate_bits_per_second=mbit * 1e6,
    )


def test_the_nominal_rate_is_the_tightest_known_one_on_the_path() -> None:
    inv = Inventory.model_validate(
        {
            "servers": [
                {"id": "web1", "network": {"baseline": "1Gbps"}},
                {"id": "db1", "instance_type": "m5.large"},
                {"id": "target1", "network": {"baseline": "10Gbps"}},
                {"id": "lonely"},
            ],
            "links": [
                {"name": "vpn", "capacity": "500Mbps", "members": ["web1"]},
                {"name": "other", "capacity": "1Mbps", "members": ["db1"]},
            ],
        }
    )
    assert nominal_path(inv, "web1", "target1") == (500e6, "link vpn")
    assert nominal_path(inv, "web1", "elsewhere.example") == (500e6, "link vpn")
    assert nominal_path(inv, "lonely", "target1") == (10e9, "servers[target1].network.baseline")
    assert nominal_path(inv, "lonely", "nowhere") is None
    catalog_only = Inventory.model_validate({"servers": [{"id": "db1", "instance_type": "x"}]})
    assert nominal_path(catalog_only, "db1", "t") is None


def test_efficiency_is_the_saturated_runs_median_against_the_nominal_rate() -> None:
    runs = [run(1, 94.0), run(2, 96.0), run(4, 95.0)]
    calibrated, gaps = summarize(runs, None, [], 0.3, (100e6, "servers[a].network.baseline"))
    assert calibrated.efficiency == pytest.approx(0.95)
    assert calibrated.per_stream_bits_per_second is None  # the port, not the stream, limits
    assert calibrated.session_setup_seconds == 0.3
    assert calibrated.rtt_seconds is None
    assert gaps == []


def test_streams_that_scale_give_a_per_stream_limit_and_no_efficiency_from_the_slow_runs():
    runs = [run(1, 40.0), run(2, 80.0), run(3, 95.0)]
    calibrated, _ = summarize(runs, None, [], 0.3, (100e6, "link uplink"))
    assert calibrated.per_stream_bits_per_second == 40e6
    assert calibrated.efficiency == pytest.approx(0.95)  # only the 3-stream run saturated it


def test_what_cannot_be_derived_is_said_not_guessed() -> None:
    faster_than_nominal, gaps = summarize([run(1, 120.0)], None, [], 0.3, (100e6, "link x"))
    assert faster_than_nominal.efficiency is None
    assert "more than its nominal" in gaps[0].reason
    no_nominal, gaps = summarize([run(1, 90.0)], None, [], 0.3, None)
    assert no_nominal.efficiency is None and no_nominal.nominal_bits_per_second is None
    assert "--nominal" in gaps[0].reason


def test_the_slower_side_sets_each_cipher_speed() -> None:
    def cipher(side: str, name: str, rate: float) -> CipherRun:
        return CipherRun(
            side=side,
            cipher=name,
            size_bytes=1,
            seconds=1,
            small_size_bytes=0,
            small_seconds=0,
            bytes_per_second=rate,
        )

    runs = [cipher("src", "aes", 500e6), cipher("dst", "aes", 300e6), cipher("src", "c20", 2e8)]
    calibrated, _ = summarize([], None, runs, None, None)
    assert calibrated.cipher_bytes_per_second == {"aes": 300e6, "c20": 2e8}
