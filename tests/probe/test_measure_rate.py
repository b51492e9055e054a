"""The data rate of a probe measurement, and the gap it leaves when the bytes were too few."""

import pytest

from planner.models.calibration import Gap
from planner.probe.measure import SMALL_PART, rate, rate_or_gap


def test_rate_counts_only_the_bytes_the_larger_run_sent_more():
    size = 100 * 10**6
    assert rate(size, 3.0, 1.0) == pytest.approx((size - size // SMALL_PART) / 2.0)


@pytest.mark.parametrize(
    ("what", "size", "flag"),
    [
        ("throughput with 2 stream(s)", 100 * 10**6, "--bytes"),
        ("cipher speed on src web-1 (aes128-gcm@openssh.com)", 256 * 10**6, "--cipher-bytes"),
    ],
)
def test_a_run_no_slower_than_its_quarter_leaves_a_gap_naming_the_option(what, size, flag):
    gaps: list[Gap] = []
    assert rate_or_gap(gaps, what, size, 1.0, 1.0, flag) is None
    assert gaps == [
        Gap(
            what=what, reason=f"{size} bytes went no slower than a quarter of them: use more {flag}"
        )
    ]
    assert rate_or_gap(gaps, what, size, 0.9, 1.0, flag) is None and len(gaps) == 2


def test_a_measured_rate_leaves_no_gap():
    gaps: list[Gap] = []
    assert rate_or_gap(gaps, "x", 4000, 2.0, 1.0, "--bytes") == pytest.approx(3000.0)
    assert gaps == []
