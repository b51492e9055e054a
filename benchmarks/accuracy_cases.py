"""Cases of the accuracy benchmark, and how each is set up and really transferred.

A case is a few source hosts (port limit, files) behind the testbed's shared uplink, copied to
one destination host with rsync over ssh. :func:`inventory` describes it the way a user would
(servers with their bandwidth, volumes with used bytes and file counts, the uplink as a link);
:func:`execute` copies it for real following a plan: hosts start in the plan's order, at most
``concurrency`` at once (the next starts when one finishes), each with the plan's number of
rsync streams (its files split between them, largest first). Hosts the plan holds back on a
shared link are paced at their planned rate (``rsync --bwlimit``), as the plan says to.
"""

from __future__ import annotations

import subprocess
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.testbed import HostSpec, Testbed, TransferError
from tests.testbed.transfer import split_by_size

MBIT = 1e6
MB = 1_000_000
UPLINK_BITS = 300 * MBIT
DESTINATION = "dst1"
_RUNS = [0]  # copies so far: each one gets its own destination directories


@dataclass(frozen=True)
class Source:
    name: str
    port_bits_per_second: float
    files: int
    file_size_bytes: int

    @property
    def size_bytes(self) -> int:
        return self.files * self.file_size_bytes


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    sources: tuple[Source, ...]
    streams: int = 1
    concurrency: int | None = None
    quick: bool = False  # part of --quick

    @property
    def size_bytes(self) -> int:
        return sum(s.size_bytes for s in self.sources)

    @property
    def files(self) -> int:
        return sum(s.files for s in self.sources)

    def naive_seconds(self) -> float:
        """What ``size / bandwidth`` says: total bytes over min(uplink, sum of the ports)."""
        bandwidth = min(UPLINK_BITS, sum(s.port_bits_per_second for s in self.sources))
        return self.size_bytes * 8 / bandwidth


def _src(name: str, mbit: float, files: int, size: int) -> Source:
    return Source(name, mbit * MBIT, files, size)


CASES: tuple[Case, ...] = (
    Case("big-file", "one 60 MB file, 100 Mbit/s port", (_src("big", 100, 1, 60 * MB),)),
    Case(
        "small-files",
        "8,000 files of 2 KB, 200 Mbit/s port",
        (_src("small", 200, 8000, 2000),),
        quick=True,
    ),
    Case(
        "shared-uplink",
        "3 hosts x 40 MB, 200 Mbit/s ports, 300 Mbit/s uplink",
        tuple(_src(f"share{i}", 200, 4, 10 * MB) for i in (1, 2, 3)),
        quick=True,
    ),
    Case(
        "own-port",
        "20 MB behind a 50 Mbit/s port next to 50 MB behind 200 Mbit/s",
        (_src("slowport", 50, 2, 10 * MB), _src("fastport", 200, 5, 10 * MB)),
    ),
    Case(
        "parallel-streams",
        "8 files x 10 MB, 200 Mbit/s port, 4 rsync streams",
        (_src("streams", 200, 8, 10 * MB),),
        streams=4,
        quick=True,
    ),
    Case(
        "concurrency",
        "4 hosts x 20 MB, 100 Mbit/s ports, 2 at a time",
        tuple(_src(f"wave{i}", 100, 2, 10 * MB) for i in (1, 2, 3, 4)),
        concurrency=2,
    ),
    Case(
        "uneven-sizes",
        "10, 30 and 60 MB behind 200 Mbit/s ports sharing the 300 Mbit/s uplink",
        (
            _src("uneven1", 200, 1, 10 * MB),
            _src("uneven2", 200, 3, 10 * MB),
            _src("uneven3", 200, 6, 10 * MB),
        ),
    ),
)


def host_specs(cases: tuple[Case, ...], probe: Source) -> tuple[HostSpec, ...]:
    sources = [probe, *(s for case in cases for s in case.sources)]
    specs = [HostSpec(s.name, port_rate_bits_per_second=s.port_bits_per_second) for s in sources]
    return (*specs, HostSpec(DESTINATION, site="destination"))


def server(bed: Testbed, source: Source) -> dict[str, Any]:
    """The inventory record of one source host, as a user would write it."""
    return {
        "id": source.name,
        "address": bed.host(source.name).address,
        "ssh": {"user": "root"},
        "network": {"baseline_bits_per_second": source.port_bits_per_second},
        "volumes": [{"used_bytes": source.size_bytes, "file_count": source.files}],
    }


def inventory(bed: Testbed, case: Case) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "metadata": {"case": case.name, "what": case.what},
        "servers": [server(bed, s) for s in case.sources],
        "links": [
            {
                "name": "uplink",
                "capacity_bits_per_second": UPLINK_BITS,
                "members": [s.name for s in case.sources],
            }
        ],
    }


def create_data(bed: Testbed, case: Case) -> dict[str, Path]:
    return {
        s.name: bed.make_files(
            s.name, "data", s.files, s.file_size_bytes, seed=zlib.crc32(s.name.encode())
        )
        for s in case.sources
    }


@dataclass
class HostRun:
    name: str
    start: float = 0.0
    end: float = 0.0
    errors: list[str] = field(default_factory=list)


def _destination(bed: Testbed, src: str, run: int) -> Path:
    return bed.host(DESTINATION).data_dir / "incoming" / f"{src}-{run}"


def _rsync_commands(
    bed: Testbed, src: str, data: Path, dest: Path, streams: int, pace: float | None
) -> list[list[str]]:
    """One rsync per stream into an empty directory; paced streams share the host's rate."""
    files = sorted((p.name, p.stat().st_size) for p in data.iterdir() if p.is_file())
    dest.mkdir(parents=True)
    groups = split_by_size(files, streams)
    limit = [f"--bwlimit={max(1, round(pace / len(groups) / 8 / 1024))}"] if pace else []
    assert bed.tmp is not None
    commands = []
    for k, group in enumerate(groups):
        listing = Path(bed.tmp) / f"accuracy-{src}-{k}.list"
        listing.write_bytes(b"".join(name.encode() + b"\0" for name, _ in group))
        commands.append([
            "rsync", "-a", *limit, "--from0", f"--files-from={listing}",
            "-e", f"ssh -F {bed.ssh_config_path}", f"{data}/", f"{DESTINATION}:{dest}/",
        ])  # fmt: skip
    return commands


def _copy_host(bed: Testbed, src: str, commands: list[list[str]], run: HostRun) -> None:
    run.start = time.monotonic()
    processes = [
        subprocess.Popen(
            bed.command(src, argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for argv in commands
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        if process.returncode != 0:
            run.errors.append(f"{src}: rsync exit {process.returncode}: {err.strip()[-300:]}")
    run.end = time.monotonic()


def _check(dest: Path, source: Source) -> None:
    sizes = [p.stat().st_size for p in dest.iterdir() if p.is_file()]
    if len(sizes) != source.files or sum(sizes) != source.size_bytes:
        raise TransferError(
            f"{source.name}: {len(sizes)} files / {sum(sizes)} bytes arrived, expected "
            f"{source.files} / {source.size_bytes}"
        )


def execute(
    bed: Testbed,
    case: Case,
    data: dict[str, Path],
    order: list[str],
    streams: int,
    pace: dict[str, float],
) -> tuple[float, dict[str, HostRun]]:
    """Copy the case for real: ``order`` as planned, ``case.concurrency`` hosts at a time,
    hosts in ``pace`` limited to that many bits per second.

    Every copy goes into a new, empty directory (like a fresh target disk: no inodes freed by an
    earlier run to reuse), after ``sync``, so it neither inherits nor escapes the write-back of
    earlier steps (creating the data, earlier runs): per-file costs on ext4 depend on both.
    """
    _RUNS[0] += 1
    dests = {name: _destination(bed, name, _RUNS[0]) for name in order}
    commands = {
        name: _rsync_commands(bed, name, data[name], dests[name], streams, pace.get(name))
        for name in order
    }
    subprocess.run(["sync"], check=True)
    runs = {name: HostRun(name) for name in order}
    limit = threading.Semaphore(case.concurrency or len(order))
    threads: list[threading.Thread] = []

    def job(name: str) -> None:
        try:
            _copy_host(bed, name, commands[name], runs[name])
        finally:
            limit.release()

    for name in order:
        limit.acquire()  # the next host starts as soon as a running one finishes
        thread = threading.Thread(target=job, args=(name,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    errors = [e for run in runs.values() for e in run.errors]
    if errors:
        raise TransferError("; ".join(errors))
    for source in case.sources:
        _check(dests[source.name], source)
    start = min(run.start for run in runs.values())
    end = max(run.end for run in runs.values())
    return end - start, runs
