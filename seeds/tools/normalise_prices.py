"""Rewrite the USD columns of every ``offerings.csv`` from its native prices.

Run after changing ``seeds/providers/exchange_rates.yaml`` or editing prices by hand::

    python seeds/tools/normalise_prices.py [--catalog-dir seeds/providers] [--check]

``--check`` only reports rows whose USD columns are stale and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from planner.io.atomic import write_text
from planner.io.catalog import (
    list_providers,
    load_exchange_rates,
    normalised_row,
    providers_dir,
    read_rows,
    rows_to_csv,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog-dir", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="report stale rows, change nothing")
    args = parser.parse_args(argv)
    rates = load_exchange_rates(args.catalog_dir).usd_per_unit
    stale = 0
    for provider in list_providers(args.catalog_dir):
        path = providers_dir(args.catalog_dir) / provider / "offerings.csv"
        rows = read_rows(path)
        fixed = [normalised_row(row, rates) for row in rows]
        changed = sum(1 for a, b in zip(rows, fixed, strict=True) if a != b)
        stale += changed
        if changed and not args.check:
            write_text(path, rows_to_csv(fixed))
        print(f"{provider}: {len(rows)} rows, {changed} {'stale' if args.check else 'updated'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
