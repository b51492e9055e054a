import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import UnitError
from planner.units import (
    format_duration,
    format_rate,
    format_size,
    parse_duration,
    parse_rate,
    parse_size,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500GB", 500 * 10**9),
        ("1.5 TiB", int(1.5 * 2**40)),
        ("42", 42),
        (42, 42),
        ("1 kB", 1000),
        ("1KiB", 1024),
        ("8Gb", 10**9),  # small b = bits
        ("70TB", 70 * 10**12),
        ("2 PiB", 2 * 2**50),
        ("1_000", 1000),
        ("3 bytes", 3),
        ("100 M", 100 * 10**6),
    ],
)
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10Gbps", 10e9),
        ("250 MB/s", 250e6 * 8),
        ("800Mbit", 800e6),
        ("1 Gbit/s", 1e9),
        ("100 MiB/s", 100 * 2**20 * 8),
        ("5e9bps", 5e9),
        ("10Gb", 10e9),  # bits alone read as a rate: links are quoted in bits
        ("0", 0.0),  # zero needs no unit
        (1000, 1000.0),  # a number is bits per second
        (2.5e9, 2.5e9),
    ],
)
def test_parse_rate(text, expected):
    assert parse_rate(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", 86400),
        ("90m", 5400),
        ("3600s", 3600),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("2d", 172800),
        ("1.5h", 5400),
        ("1w", 604800),
        ("250ms", 0.25),
        ("10", 10),  # a bare number string is seconds (unless a unit is required)
        ("0", 0),
        (7, 7),  # a number is seconds
        (0.035, 0.035),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "junk", ["ten GB", "", "GB", "5 GBX", "-5GB", "1e999GB", "1..2GB", "5 XB", "nan", "inf"]
)
def test_size_rejects_junk(junk):
    with pytest.raises(UnitError):
        parse_size(junk)


@pytest.mark.parametrize("junk", ["fast", "", "10 Gbpsx", "-1Gbps", "10 parsecs"])
def test_rate_rejects_junk(junk):
    with pytest.raises(UnitError):
        parse_rate(junk)


@pytest.mark.parametrize("junk", ["tomorrow", "", "h", "1h30", "5 fortnights", "-3h", "3h-"])
def test_duration_rejects_junk(junk):
    with pytest.raises(UnitError):
        parse_duration(junk)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("10GB", "that is a size, not a rate; write 10 GB/s (bytes per second) or 10Gbps"),
        ("1.5 TiB", "that is a size, not a rate; write 1.5 TiB/s"),
        ("100 bytes", "that is a size"),
        ("0 GB", "that is a size"),
        ("10G", "give a unit, e.g. 10Gbps (bits per second) or 10 GB/s (bytes per second)"),
        ("1000", "give a unit, e.g. 1000bps"),
        ("5e9", "give a unit"),
    ],
)
def test_rate_rejects_sizes_and_missing_units(text, hint):
    with pytest.raises(UnitError, match="invalid rate") as info:
        parse_rate(text)
    assert hint in str(info.value)


@pytest.mark.parametrize("text", ["35", "1.5", " 20 ", ".5"])
def test_duration_string_needs_a_unit_where_required(text):
    with pytest.raises(UnitError) as info:
        parse_duration(text, require_unit=True)
    number = text.strip()
    assert f"give a unit, e.g. {number}h, {number}min, {number}s or {number}ms" in str(info.value)
    assert parse_duration(f"{number}ms", require_unit=True) == pytest.approx(float(number) / 1000)
    assert parse_duration("0", require_unit=True) == 0


def test_non_strings_rejected():
    for parse in (parse_size, parse_rate, parse_duration):
        with pytest.raises(UnitError):
            parse(True)  # type: ignore[arg-type]
        with pytest.raises(UnitError):
            parse(float("nan"))
        with pytest.raises(UnitError):
            parse([1])  # type: ignore[arg-type]


sizes = st.integers(min_value=0, max_value=10**19)
rates = st.floats(min_value=0, max_value=1e14, allow_nan=False)


@given(sizes)
def test_size_round_trip(n):
    back = parse_size(format_size(n, digits=6))
    assert math.isclose(back, n, rel_tol=1e-5, abs_tol=1)


@given(rates)
def test_rate_round_trip(r):
    back = parse_rate(format_rate(r, digits=6))
    assert math.isclose(back, r, rel_tol=1e-5, abs_tol=1e-3)


prefixes = st.sampled_from(["", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti"])


@given(st.integers(0, 10**6), st.integers(0, 10**6), prefixes, st.sampled_from(["B", "b"]))
def test_size_monotonic(a, b, prefix, unit):
    low, high = sorted((a, b))
    assert parse_size(f"{low}{prefix}{unit}") <= parse_size(f"{high}{prefix}{unit}")


@given(st.integers(1, 10**6), prefixes)
def test_bytes_are_eight_bits(n, prefix):
    assert parse_rate(f"{n} {prefix}B/s") == pytest.approx(8 * parse_rate(f"{n} {prefix}bit/s"))


@given(st.integers(0, 10**5), st.integers(0, 10**5))
def test_duration_monotonic_and_additive(h, m):
    assert parse_duration(f"{h}h{m}m") == pytest.approx(h * 3600 + m * 60)
    assert parse_duration(f"{h}h") <= parse_duration(f"{h + 1}h")


@given(st.text(alphabet="xyzqQ!@#% ", min_size=1))
def test_random_junk_never_parses(text):
    for parse in (parse_size, parse_rate, parse_duration):
        with pytest.raises(UnitError):
            parse(text)


def test_binary_larger_than_decimal():
    for prefix in ("k", "M", "G", "T"):
        assert parse_size(f"1{prefix}iB") > parse_size(f"1{prefix}B")


def test_format_duration_is_readable():
    assert format_duration(42) == "42 s"
    assert format_duration(5400) == "1 h 30 min"
    assert format_duration(86400 + 7200) == "26 h"
    assert format_duration(float("nan")) == "never"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (59.4, "59.4 s"),
        (60, "1 min"),
        (27 * 3600 + 58 * 60, "27 h 58 min"),  # review finding 14: not "1 d 3 h"
        (24 * 3600 + 33 * 60 + 10, "24 h 33 min"),  # not "1 d"
        (95 * 3600 + 59 * 60, "95 h 59 min"),  # hours up to four days, as the report shows
        (96 * 3600, "4 d"),
        (16 * 86400 + 9 * 3600 + 3 * 60 + 20, "16 d 9 h 3 min"),  # minutes kept past four days
        (5 * 86400 + 20 * 60, "5 d 20 min"),  # zero parts left out
    ],
)
def test_format_duration_keeps_minutes_wherever_a_deadline_is_compared(seconds, text):
    assert format_duration(seconds) == text
    assert format_duration(float("inf")) == "never"


@given(st.integers(1, 10**6), prefixes, st.sampled_from(["B", "Byte", "bytes", ""]))
def test_no_size_or_unitless_string_is_a_rate(n, prefix, unit):
    with pytest.raises(UnitError):
        parse_rate(f"{n}{prefix}{unit}")


@given(st.integers(1, 10**6), prefixes, st.sampled_from(["bps", "bit", "bits", "b", "bit/s"]))
def test_bits_with_or_without_per_second_are_rates(n, prefix, unit):
    assert parse_rate(f"{n} {prefix}{unit}") == pytest.approx(n * parse_size(f"1{prefix}B"))
