"""Refresh ``seeds/providers/hetzner-cloud/offerings.csv`` from the Hetzner Cloud API.

Online only, never run by the tests: it reads ``GET /v1/server_types`` (read-only) with the
token in ``HCLOUD_TOKEN`` and rewrites the CSV atomically. Locations with the same price and
included traffic share one row; the group with most locations keeps the bare type name, others
become ``NAME@loc1+loc2``. Hand-kept columns (port speed, lead time, stock) survive a refresh.

    HCLOUD_TOKEN=... python seeds/tools/refresh_hetzner_cloud.py [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from planner.io.atomic import write_text
from planner.io.catalog import (
    load_exchange_rates,
    normalised_row,
    providers_dir,
    read_rows,
    rows_to_csv,
)

API = "https://api.hetzner.cloud/v1"
SOURCE = "Hetzner Cloud API GET /v1/server_types"
KEPT = ("nic", "lead_time", "lead_time_out_of_stock", "typical_stock")
TIB = 2**40


def fetch_server_types(token: str, base: str = API) -> list[dict[str, Any]]:
    """All server types, following the API's pagination."""
    found: list[dict[str, Any]] = []
    page: int | None = 1
    while page is not None:
        request = urllib.request.Request(
            f"{base}/server_types?per_page=50&page={page}",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        found.extend(body["server_types"])
        page = body.get("meta", {}).get("pagination", {}).get("next_page")
    return found


def _traffic(value: int | None) -> str:
    if not value:
        return ""
    return f"{value // TIB}TiB" if value % TIB == 0 else str(value)


def _number(text: str, digits: int) -> str:
    out = f"{float(text):.{digits}f}"
    return out.rstrip("0").rstrip(".")


def rows_from_server_types(
    server_types: list[dict[str, Any]],
    *,
    as_of: str,
    usd_per_unit: dict[str, float],
    existing: dict[str, dict[str, str]] | None = None,
) -> list[dict[str, str]]:
    """Map the API's server types to ``offerings.csv`` rows (pure; tested offline)."""
    existing = existing or {}
    rows: list[dict[str, str]] = []
    for item in sorted(server_types, key=lambda t: t["name"]):
        if item.get("deprecated") or item.get("deprecation"):
            continue
        groups: dict[tuple[str, str, int], list[str]] = {}
        for price in item.get("prices", []):
            key = (
                price["price_monthly"]["net"],
                price["price_hourly"]["net"],
                int(price.get("included_traffic") or item.get("included_traffic") or 0),
            )
            groups.setdefault(key, []).append(price["location"])
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), sorted(kv[1])))
        for index, ((monthly, hourly, traffic), locations) in enumerate(ordered):
            locs = sorted(locations)
            name = item["name"]
            row_id = name if index == 0 else f"{name}@{'+'.join(locs)}"
            old = existing.get(row_id, {})
            dedicated = item.get("cpu_type") == "dedicated"
            arch = "arm64" if item.get("architecture") == "arm" else "x86_64"
            storage = "nvme" if item.get("storage_type") == "local" else "network"
            row = {
                "id": row_id,
                "name": name.upper(),
                "kind": "vm",
                "architecture": arch,
                "cpu": old.get("cpu") or f"{'dedicated' if dedicated else 'shared'} vCPU",
                "vcpus": str(item["cores"]),
                "dedicated_cpu": str(dedicated).lower(),
                "memory": f"{float(item['memory']):g}GiB",
                "disks": f"1x{item['disk']}GB {storage}",
                "included_traffic": _traffic(traffic),
                "currency": "EUR",
                "monthly_price": _number(monthly, 4),
                "hourly_price": _number(hourly, 6),
                "setup_fee": "0",
                "locations": " ".join(locs),
                "lead_time": "1m",
                "confidence": "high",
                "source": SOURCE,
                "as_of": as_of,
                "note": "net list price excl. VAT from the API; primary IPv4 billed separately",
            }
            row.update({k: old[k] for k in KEPT if old.get(k)})
            rows.append(normalised_row(row, usd_per_unit))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the CSV, write nothing")
    parser.add_argument("--catalog-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    token = os.environ.get("HCLOUD_TOKEN")
    if not token:
        print("HCLOUD_TOKEN is not set: nothing to do (this script needs the API)", file=sys.stderr)
        return 2
    path = providers_dir(args.catalog_dir) / "hetzner-cloud" / "offerings.csv"
    existing = {row["id"]: row for row in read_rows(path)} if path.is_file() else {}
    rows = rows_from_server_types(
        fetch_server_types(token),
        as_of=dt.date.today().isoformat(),
        usd_per_unit=load_exchange_rates(args.catalog_dir).usd_per_unit,
        existing=existing,
    )
    text = rows_to_csv(rows)
    if args.dry_run:
        sys.stdout.write(text)
        return 0
    write_text(path, text)
    print(f"wrote {path}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
