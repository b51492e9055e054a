"""Data files and real, timed transfers between testbed hosts (rsync over ssh, or raw ssh).

``measure_transfers`` pushes files from ``src`` to ``dst`` with the real tools, run inside
``src``'s namespace: ``rsync -a`` over ``ssh`` (one rsync per stream, the files split between
streams by size), or ``ssh-cat`` (the files' bytes piped into ``ssh dst 'wc -c'``, which
discards them on ``dst``, split into equal byte ranges per stream). Results are checked: the
destination must hold every file with the right size (rsync) or have counted every byte
(ssh-cat), otherwise :class:`TransferError` is raised.
"""

from __future__ import annotations

import random
import shlex
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .netns import CommandError

if TYPE_CHECKING:
    from .topology import Testbed

TOOLS = ("rsync", "ssh-cat")
_CHUNK_BYTES = 1 << 20


class TransferError(CommandError):
    """A transfer failed or delivered the wrong bytes."""


@dataclass(frozen=True)
class TransferResult:
    tool: str
    streams: int
    seconds: float
    payload_bytes: int
    files: int
    interface_bytes: int | None
    """Bytes ``src``'s eth0 counted as sent meanwhile (``None`` over loopback). veth counts
    GSO super-packets, so this is payload + ssh/rsync framing + headers once per super-packet,
    not per 1500-byte frame; tbf, in contrast, charges every frame's headers."""
    stream_seconds: tuple[float, ...]
    start_monotonic: float
    end_monotonic: float

    @property
    def rate_bits_per_second(self) -> float:
        return self.payload_bytes * 8 / self.seconds


def make_files(directory: Path, count: int, size_bytes: int, seed: int = 0) -> Path:
    """Write ``count`` files ``f000000.bin``... of ``size_bytes`` pseudo-random bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for index in range(count):
        with (directory / f"f{index:06d}.bin").open("wb") as handle:
            left = size_bytes
            while left > 0:
                chunk = min(left, _CHUNK_BYTES)
                handle.write(rng.randbytes(chunk))
                left -= chunk
    return directory


def _inventory(path: Path) -> tuple[Path, list[tuple[str, int]]]:
    """``(root, [(relative path, size)])`` of the regular files at ``path``."""
    if path.is_file():
        return path.parent, [(path.name, path.stat().st_size)]
    if not path.is_dir():
        raise TransferError(f"{path}: no such file or directory")
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return path, [(str(p.relative_to(path)), p.stat().st_size) for p in files]


def split_by_size(files: list[tuple[str, int]], streams: int) -> list[list[tuple[str, int]]]:
    """Largest file first onto the least loaded stream; empty streams are dropped."""
    groups: list[list[tuple[str, int]]] = [[] for _ in range(streams)]
    loads = [0] * streams
    for item in sorted(files, key=lambda f: -f[1]):
        slot = loads.index(min(loads))
        groups[slot].append(item)
        loads[slot] += item[1]
    return [group for group in groups if group]


def _byte_ranges(root: Path, files: list[tuple[str, int]], streams: int) -> list[str]:
    """Shell snippets that each print one contiguous 1/streams share of the files' bytes."""
    total = sum(size for _, size in files)
    bounds = [total * k // streams for k in range(streams + 1)]
    snippets: list[str] = []
    for k in range(streams):
        lo, hi, offset, parts = bounds[k], bounds[k + 1], 0, []
        for name, size in files:
            start, end = max(lo, offset), min(hi, offset + size)
            if start < end:
                quoted = shlex.quote(str(root / name))
                if start == offset and end == offset + size:
                    parts.append(f"cat -- {quoted}")
                else:
                    skip = start - offset + 1
                    parts.append(f"tail -c +{skip} -- {quoted} | head -c {end - start}")
            offset += size
        if parts:
            snippets.append("{ " + "; ".join(parts) + "; }")
    return snippets or ["true"]


@dataclass(frozen=True)
class TransferJob:
    """One copy to run: ``path`` on ``src`` to ``dst`` with ``tool`` over ``streams`` sessions."""

    src: str
    dst: str
    path: Path
    tool: str = "rsync"
    streams: int = 1
    extra_args: tuple[str, ...] = ()
    fresh: bool = True
    """Empty the destination first (a first copy); ``False`` re-runs rsync over an existing copy
    (an incremental pass). ssh-cat always discards what it receives."""


@dataclass
class _Prepared:
    job: TransferJob
    commands: list[list[str]]
    expected_bytes: int
    files: int
    dest: Path | None  # rsync destination to check; ssh-cat checks the counted bytes instead


def _prepare(bed: Testbed, job: TransferJob, work: Path) -> _Prepared:
    if job.tool not in TOOLS:
        raise ValueError(f"tool must be one of {TOOLS}, not {job.tool!r}")
    if job.streams < 1:
        raise ValueError("streams must be ≥ 1")
    root, files = _inventory(job.path)
    expected = sum(size for _, size in files)
    ssh_cmd = f"ssh -F {bed.ssh_config_path}"
    if job.tool == "ssh-cat":
        remote = shlex.quote("wc -c")
        commands = [
            ["sh", "-c", f"{snippet} | {ssh_cmd} {shlex.quote(job.dst)} {remote}"]
            for snippet in _byte_ranges(root, files, job.streams)
        ]
        return _Prepared(job, commands, expected, len(files), None)
    dest = bed.host(job.dst.removesuffix("-lo")).data_dir / "incoming" / job.path.name
    if job.fresh:
        shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True, exist_ok=True)
    commands = []
    for k, group in enumerate(split_by_size(files, job.streams)):
        listing = work / f"{job.src}-{job.dst}-{job.path.name}-{k}.list"
        listing.write_bytes(b"".join(name.encode() + b"\0" for name, _ in group))
        commands.append([
            "rsync", "-a", "--from0", f"--files-from={listing}", "-e", ssh_cmd, *job.extra_args,
            f"{root}/", f"{job.dst}:{dest}/",
        ])  # fmt: skip
    return _Prepared(job, commands or [["true"]], expected, len(files), dest)


def _check(prepared: _Prepared, outputs: list[str]) -> None:
    if prepared.dest is None:
        counted = sum(int(out.split()[0]) for out in outputs)
        if counted != prepared.expected_bytes:
            raise TransferError(
                f"ssh-cat delivered {counted} bytes, expected {prepared.expected_bytes}"
            )
        return
    got = [p.stat().st_size for p in prepared.dest.rglob("*") if p.is_file()]
    if len(got) != prepared.files or sum(got) != prepared.expected_bytes:
        raise TransferError(
            f"rsync delivered {len(got)} files / {sum(got)} bytes to {prepared.dest}, "
            f"expected {prepared.files} / {prepared.expected_bytes}"
        )


_Span = tuple[float, float, str]


def _run_all(bed: Testbed, commands: list[tuple[str, list[str]]], timeout: float) -> list[_Span]:
    """Start every ``(host, argv)`` at once; return ``(start, end, stdout)`` of each."""
    spans: list[_Span] = [(0.0, 0.0, "")] * len(commands)
    errors: list[str] = []

    def one(index: int, host: str, argv: list[str]) -> None:
        start = time.monotonic()
        try:
            done = subprocess.run(
                bed.command(host, argv), capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            errors.append(f"{host}: {argv[0]} timed out after {timeout:g}s")
            return
        spans[index] = (start, time.monotonic(), done.stdout)
        if done.returncode != 0:
            errors.append(f"{host}: {argv[0]} exit {done.returncode}: {done.stderr.strip()[-500:]}")

    threads = [
        threading.Thread(target=one, args=(i, host, argv))
        for i, (host, argv) in enumerate(commands)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise TransferError("; ".join(errors))
    return spans


def _interface_bytes(bed: Testbed, src: str, dst: str) -> int | None:
    return None if dst.endswith("-lo") or dst == src else bed.wire_counters(src)[1]


def _result(
    tool: str, spans: list[_Span], payload: int, files: int, wire: int | None
) -> TransferResult:
    start, end = min(s for s, _, _ in spans), max(e for _, e, _ in spans)
    return TransferResult(
        tool, len(spans), end - start, payload, files, wire,
        tuple(e - s for s, e, _ in spans), start, end,
    )  # fmt: skip


def measure_transfers(
    bed: Testbed, jobs: list[TransferJob], timeout: float = 600.0
) -> list[TransferResult]:
    """Run all ``jobs`` at the same time (e.g. several hosts sharing the uplink)."""
    assert bed.tmp is not None, "testbed is not running"
    work = Path(bed.tmp) / "transfers" / str(time.monotonic_ns())
    work.mkdir(parents=True)
    prepared = [_prepare(bed, job, work) for job in jobs]
    commands = [(p.job.src, argv) for p in prepared for argv in p.commands]
    before = [_interface_bytes(bed, job.src, job.dst) for job in jobs]
    spans = _run_all(bed, commands, timeout)
    after = [_interface_bytes(bed, job.src, job.dst) for job in jobs]
    results: list[TransferResult] = []
    offset = 0
    for p, b, a in zip(prepared, before, after, strict=True):
        own = spans[offset : offset + len(p.commands)]
        offset += len(p.commands)
        _check(p, [out for _, _, out in own])
        wire = a - b if a is not None and b is not None else None
        results.append(_result(p.job.tool, own, p.expected_bytes, p.files, wire))
    return results


def aggregate_rate_bits_per_second(results: list[TransferResult]) -> float:
    """Payload of all results over the time from the first start to the last end."""
    wall = max(r.end_monotonic for r in results) - min(r.start_monotonic for r in results)
    return sum(r.payload_bytes for r in results) * 8 / wall


def measure_stream(
    bed: Testbed, src: str, dst: str, size_bytes: int, streams: int, cipher: str | None
) -> TransferResult:
    """``head -c N /dev/zero | ssh [-c CIPHER] dst 'wc -c'`` on ``streams`` sessions at once."""
    share = [size_bytes * (k + 1) // streams - size_bytes * k // streams for k in range(streams)]
    option = f"-c {shlex.quote(cipher)} " if cipher else ""
    ssh_cmd = f"ssh -F {bed.ssh_config_path} {option}{shlex.quote(dst)} 'wc -c'"
    commands = [(src, ["sh", "-c", f"head -c {n} /dev/zero | {ssh_cmd}"]) for n in share]
    before = _interface_bytes(bed, src, dst)
    spans = _run_all(bed, commands, timeout=600.0)
    after = _interface_bytes(bed, src, dst)
    counted = sum(int(out.split()[0]) for _, _, out in spans)
    if counted != size_bytes:
        raise TransferError(f"ssh stream delivered {counted} bytes, expected {size_bytes}")
    wire = after - before if after is not None and before is not None else None
    return _result("ssh-zero", spans, size_bytes, 0, wire)
