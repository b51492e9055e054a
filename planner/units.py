"""One parser and formatter for sizes, rates and durations.

Sizes are stored in bytes, rates in bits per second and durations in seconds. Input strings
accept decimal (k, M, G, T, P, E = 10^3n) and binary (Ki, Mi, Gi, Ti, Pi, Ei = 2^10n) prefixes.
A capital ``B`` (or ``byte``) means bytes and a small ``b`` (or ``bit``) means bits, so ``10Gbps``
is ten gigabits per second and ``250 MB/s`` is 250 megabytes per second.

Bare numbers: a JSON/YAML *number* is in base units (bytes, bits per second, seconds). A bare
number *string* is bytes for a size and seconds for a duration, but never a rate (``1000`` bits
per second is not what anyone types). Options where a bare number is ambiguous (``--rtt 35``:
milliseconds or seconds?) parse with ``parse_duration(text, require_unit=True)``, which rejects
it and suggests units (hours first, then minutes, seconds, milliseconds). Zero needs no unit.

A rate needs a rate unit: ``bps``, ``b/s``, ``bit/s``, ``B/s``, ``byte/s`` or bits alone
(``800Mbit``, ``10Gb``: links are quoted in bits). Bytes without ``/s`` (``10GB``) are a size,
not a rate, and are rejected with a hint, as is a bare prefix (``10G``).

Examples: ``parse_size("1.5 TiB")``, ``parse_rate("800Mbit")``, ``parse_duration("1h30m")``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Annotated, NoReturn

from pydantic import BeforeValidator, Field

from planner.errors import UnitError

_DECIMAL = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12, "p": 10**15, "e": 10**18}
_BINARY = {"ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40, "pi": 2**50, "ei": 2**60}

_NUMBER = r"(?P<num>[+]?(?:\d+(?:[._]\d+)*|\d*\.\d+)(?:[eE][+-]?\d+)?)"
_PREFIX = r"(?P<prefix>[kKmMgGtTpPeE]i?)?"
_SIZE_RE = re.compile(rf"^\s*{_NUMBER}\s*{_PREFIX}(?P<unit>B|b|bytes?|bits?|Bytes?|Bits?)?\s*$")
_RATE_RE = re.compile(
    rf"^\s*{_NUMBER}\s*{_PREFIX}"
    r"(?P<unit>bps|Bps|b/s|B/s|bit/s|bits/s|byte/s|bytes/s|bit|bits|Bit|Bits|b|B|"
    r"Byte|Bytes|byte|bytes)?\s*$"
)
_DURATION_PART_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|wks?|weeks?)",
)
_DURATION_SECONDS = {
    "ms": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "days": 86400.0,
    "w": 604800.0,
    "wk": 604800.0,
    "wks": 604800.0,
    "week": 604800.0,
    "weeks": 604800.0,
}


def _number(text: str) -> float:
    value = float(text.replace("_", ""))
    if not math.isfinite(value):
        raise UnitError(f"number {text!r} is out of range")
    return value


def _multiplier(prefix: str | None) -> int:
    if not prefix:
        return 1
    key = prefix.lower()
    if key in _BINARY:
        return _BINARY[key]
    return _DECIMAL[key]


def _is_bits(unit: str | None, default_bits: bool) -> bool:
    if not unit:
        return default_bits
    if unit.lower().startswith("bit"):
        return True
    if unit.lower().startswith("byte"):
        return False
    return unit[0] == "b"


def parse_size(value: str | int | float) -> int:
    """Parse a size (``500GB``, ``1.5 TiB``, ``42``) into bytes.

    A small ``b`` means bits (``8Gb`` is one gigabyte); plain numbers are bytes.
    """
    if isinstance(value, bool):
        raise UnitError(f"invalid size {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise UnitError(f"invalid size {value!r}: must be a finite number >= 0")
        return round(value)
    if not isinstance(value, str):
        raise UnitError(f"invalid size {value!r}")
    match = _SIZE_RE.match(value)
    if match is None:
        raise UnitError(f"invalid size {value!r} (examples: 500GB, 1.5 TiB, 1024)")
    number = _number(match["num"])
    unit = match["unit"]
    factor = _multiplier(match["prefix"])
    size = number * factor
    if _is_bits(unit, default_bits=False):
        size /= 8
    return round(size)


def parse_rate(value: str | int | float) -> float:
    """Parse a rate (``10Gbps``, ``250 MB/s``, ``800Mbit``) into bits per second.

    Strings need a rate unit (``10GB`` is a size and ``10G`` has no unit: both are errors);
    numbers are bits per second.
    """
    if isinstance(value, bool):
        raise UnitError(f"invalid rate {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise UnitError(f"invalid rate {value!r}: must be a finite number >= 0")
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"invalid rate {value!r}")
    match = _RATE_RE.match(value)
    if match is None:
        raise UnitError(f"invalid rate {value!r} (examples: 10Gbps, 250 MB/s, 800Mbit)")
    number = _number(match["num"])
    unit = match["unit"]
    if (unit is None and number != 0) or (unit is not None and _is_size_unit(unit)):
        _bad_rate_unit(value, match["num"], match["prefix"] or "", unit)
    rate = number * _multiplier(match["prefix"])
    if not _is_bits(unit, default_bits=True):
        rate *= 8
    return float(rate)


def _is_size_unit(unit: str) -> bool:
    """Bytes without ``/s`` (``B``, ``bytes``): an amount of data, not a rate."""
    return unit in {"B", "Byte", "Bytes", "byte", "bytes"}


def _bad_rate_unit(value: str, number: str, prefix: str, unit: str | None) -> NoReturn:
    bits, per_second = f"{number}{prefix}bps", f"{number} {prefix}B/s"
    if unit is not None:
        raise UnitError(
            f"invalid rate {value!r}: that is a size, not a rate; "
            f"write {per_second} (bytes per second) or {bits} (bits per second)"
        )
    raise UnitError(
        f"invalid rate {value!r}: give a unit, e.g. {bits} (bits per second) "
        f"or {per_second} (bytes per second)"
    )


def parse_duration(value: str | int | float, *, require_unit: bool = False) -> float:
    """Parse a duration (``24h``, ``90m``, ``1h30m``, ``3600s``, ``2d``) into seconds.

    Numbers and bare number strings are seconds, unless ``require_unit``: then a bare non-zero
    string (``"24"``) is an error suggesting ``24h``, ``24min``, ``24s`` or ``24ms``.
    """
    if isinstance(value, bool):
        raise UnitError(f"invalid duration {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise UnitError(f"invalid duration {value!r}: must be a finite number >= 0")
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"invalid duration {value!r}")
    text = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", text):
        if not require_unit or float(text) == 0:
            return float(text)
        raise UnitError(
            f"invalid duration {value!r}: give a unit, e.g. {text}h, {text}min, {text}s or {text}ms"
        )
    total = 0.0
    position = 0
    compact = text.replace(" ", "")
    for match in _DURATION_PART_RE.finditer(compact):
        if match.start() != position:
            _bad_duration(value)
        total += float(match["num"]) * _DURATION_SECONDS[match["unit"]]
        position = match.end()
    if position != len(compact) or position == 0:
        _bad_duration(value)
    return total


def _bad_duration(value: object) -> float:
    raise UnitError(f"invalid duration {value!r} (examples: 24h, 90m, 1h30m, 3600s)")


def _scaled(value: float, steps: list[tuple[float, str]], digits: int) -> str:
    for factor, name in steps:
        if abs(value) >= factor:
            text = f"{value / factor:.{digits}f}".rstrip("0").rstrip(".")
            return f"{text} {name}"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return f"{text} {steps[-1][1]}" if steps[-1][0] == 1 else text


_SIZE_STEPS = [
    (1e18, "EB"),
    (1e15, "PB"),
    (1e12, "TB"),
    (1e9, "GB"),
    (1e6, "MB"),
    (1e3, "kB"),
    (1, "B"),
]
_RATE_STEPS = [(1e12, "Tbit/s"), (1e9, "Gbit/s"), (1e6, "Mbit/s"), (1e3, "kbit/s"), (1, "bit/s")]


def format_size(size_bytes: float, digits: int = 2) -> str:
    """Format bytes with decimal prefixes, e.g. ``70 TB``; :func:`parse_size` reads it back."""
    return _scaled(float(size_bytes), _SIZE_STEPS, digits)


def format_rate(rate_bits_per_second: float, digits: int = 2) -> str:
    """Format bits per second, e.g. ``1.25 Gbit/s``; :func:`parse_rate` reads it back."""
    return _scaled(float(rate_bits_per_second), _RATE_STEPS, digits)


HOURS_SHOWN_UP_TO = 96  # below four days durations read in hours, as the report's do


def format_duration(seconds: float) -> str:
    """Format seconds for people, to the minute: ``42 s``, ``7 min``, ``27 h 58 min`` (hours up
    to four days, so deadline margins stay exact), ``16 d 9 h 3 min``; zero parts are left out."""
    if not math.isfinite(seconds):
        return "never"
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        text = f"{seconds:.1f}".rstrip("0").rstrip(".")
        return f"{text} s"
    hours, mins = divmod(round(seconds / 60), 60)
    days = 0
    if hours >= HOURS_SHOWN_UP_TO:
        days, hours = divmod(hours, 24)
    parts = [(days, "d"), (hours, "h"), (mins, "min")]
    return " ".join(f"{value} {unit}" for value, unit in parts if value) or "0 min"


def _field_input(
    parse: Callable[[str | int | float], int | float], fast_type: type
) -> Callable[[object], object]:
    """A pydantic before-validator: ``None`` stays unknown, base-unit numbers pass through."""

    def validate(value: object) -> object:
        if value is None:
            return None
        if type(value) is fast_type and math.isfinite(value):  # type: ignore[arg-type]
            return value
        try:
            return parse(value)  # type: ignore[arg-type]
        except UnitError as exc:
            raise ValueError(str(exc)) from None

    return validate


_size_input = _field_input(parse_size, int)
_rate_input = _field_input(parse_rate, float)
_duration_input = _field_input(parse_duration, float)

SizeBytes = Annotated[int, BeforeValidator(_size_input), Field(ge=0)]
"""A size in bytes; input may be ``500GB``, ``1.5 TiB`` or an integer."""

RateBitsPerSecond = Annotated[float, BeforeValidator(_rate_input), Field(ge=0)]
"""A rate in bits per second; input may be ``10Gbps``, ``250 MB/s`` or a number."""

DurationSeconds = Annotated[float, BeforeValidator(_duration_input), Field(ge=0)]
"""A duration in seconds; input may be ``24h``, ``90m`` or a number."""


def _bytes_rate_input(value: object) -> object:
    if isinstance(value, str):
        bits = _rate_input(value)
        return float(bits) / 8  # type: ignore[arg-type]
    return value


BytesPerSecond = Annotated[float, BeforeValidator(_bytes_rate_input), Field(ge=0)]
"""A rate in bytes per second (used for data change rates); strings are read as rates."""
