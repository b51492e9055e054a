"""Read spreadsheet-made CSV with the line number where each record starts.

Handles what spreadsheets do to CSV: a byte-order mark, Excel's ``sep=;`` first line, semicolon
or tab delimiters (European locales), quoted cells spanning lines, and blank lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from planner.errors import InputError


@dataclass(frozen=True)
class CsvRecord:
    line: int
    cells: list[str]


@dataclass
class CsvTable:
    header: list[str]
    header_line: int
    delimiter: str
    records: Iterator[CsvRecord]


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(text: str, source: str) -> CsvTable:
    """Split ``text`` into a header and records; raises :class:`InputError` if unusable."""
    text = text.lstrip("\ufeff")
    lines_before = 0
    first, _, rest = text.partition("\n")
    delimiter: str | None = None
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter = first.strip()[4]
        text, lines_before = rest, 1
        first, _, _ = text.partition("\n")
    if not text.strip():
        raise InputError(f"{source}: empty file, expected a CSV header line")
    if "\x00" in text[:4096]:
        raise InputError(f"{source}: binary data, expected CSV text (is this an .xlsx file?)")
    delimiter = delimiter or _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration:
        raise InputError(f"{source}: no header line found") from None
    except csv.Error as exc:
        raise InputError(f"{source}:1: header: {exc}") from None
    header_line = reader.line_num + lines_before

    def records() -> Iterator[CsvRecord]:
        end = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{source}:{reader.line_num + lines_before}: {exc}") from None
            start = end + 1
            end = reader.line_num
            if any(cell.strip() for cell in cells):
                yield CsvRecord(start + lines_before, cells)

    return CsvTable(header, header_line, delimiter, records())
