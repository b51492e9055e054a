"""Import a generated ADS / Migration Hub CSV of N rows (default 10,000); print the times.

Usage: python -m benchmarks.import_ads [N ...]

Each row fills every template column the way a Discovery Agent export does: quoted IP and MAC
lists, OS, CPU, RAM, utilisation, applications and ``name:value`` tags. The target for
10,000 rows is under 5 s for reading, parsing and validating (``import``), on one core;
``import CPU s`` is the process CPU time, which other load on the machine inflates less.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from planner.interop.ads_columns import COLUMNS
from planner.io.interop_files import import_file
from planner.io.inventory_file import save_inventory

OSES = [
    ("Ubuntu Linux", "22.04"),
    ("Red Hat Enterprise Linux", "8.9"),
    ("Debian GNU/Linux", "12"),
    ("Amazon Linux", "2023"),
    ("Windows Server 2019 Datacenter", ""),
]
ROLES = ["web", "app", "db", "cache", "worker", "search", "media"]


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for n in range(rows):
            os_name, os_version = rng.choice(OSES)
            role = rng.choice(ROLES)
            cores = rng.choice([2, 4, 8, 16, 32])
            ram = cores * rng.choice([2048, 4096, 8192])
            ips = [f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"]
            ips += [f"172.16.{n // 256 % 256}.{n % 256}"] if rng.random() < 0.5 else []
            writer.writerow(
                {
                    "ExternalId": f"i-{n:017x}",
                    "IPAddress": ", ".join(ips),
                    "MACAddress": ", ".join(
                        f"0a:00:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}:{i:02x}"
                        for i in range(len(ips))
                    ),
                    "HostName": f"{role}-{n:05d}.prod.example.com",
                    "CPU.NumberOfProcessors": 1,
                    "CPU.NumberOfCores": cores // 2,
                    "CPU.NumberOfLogicalCores": cores,
                    "OS.Name": os_name,
                    "OS.Version": os_version,
                    "RAM.TotalSizeInMB": ram,
                    "RAM.UsedSizeInMB.Avg": round(ram * rng.uniform(0.2, 0.8)),
                    "CPU.UsagePct.Avg": round(rng.uniform(1, 60), 2),
                    "CPU.UsagePct.Max": round(rng.uniform(60, 100), 2),
                    "DiskReadsPerSecondInKB.Avg": round(rng.uniform(10, 5000), 1),
                    "DiskWritesPerSecondInKB.Avg": round(rng.uniform(10, 5000), 1),
                    "NetworkReadsPerSecondInKB.Avg": round(rng.uniform(10, 50000), 1),
                    "NetworkWritesPerSecondInKB.Avg": round(rng.uniform(10, 50000), 1),
                    "Applications": "Shop, Payments" if role in ("web", "app") else "Platform",
                    "ApplicationWave": f"Wave {n % 5 + 1}",
                    "Tags": f"Role:{role}, env:prod, team:t{n % 17}",
                }
            )


def main(sizes: list[int]) -> None:
    print(
        f"{'rows':>8} {'file MB':>8} {'import s':>9} {'import CPU s':>13} {'rows/s':>9} "
        f"{'write JSON s':>13}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            path = Path(tmp) / f"ads-{rows}.csv"
            write_csv(path, rows)
            start, cpu = time.perf_counter(), time.process_time()
            result = import_file("ads-csv", path)
            imported, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert len(result.inventory.servers) == rows and not result.problems
            start = time.perf_counter()
            save_inventory(result.inventory, Path(tmp) / f"ads-{rows}.json")
            written = time.perf_counter() - start
            print(
                f"{rows:>8} {path.stat().st_size / 1e6:>8.1f} {imported:>9.2f} {cpu:>13.2f} "
                f"{rows / imported:>9,.0f} {written:>13.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
