"""Measure what rsync and ssh achieve over tbf-limited links in the namespace testbed.

Usage (as root, from the repository root)::

    python -m benchmarks.testbed_transfer [--quick] [--write-seed [PATH]]

Prints one table per measurement (about 4 minutes; ``--quick`` about 1.5). With
``--write-seed`` the figures and their provenance go to ``seeds/transfer/measured_testbed.yaml``
(validated by ``planner.models.testbed_measurements.MeasuredTestbed``), which the planner uses to
calibrate per-file costs, session set-up and protocol efficiency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from benchmarks import testbed_cases as cases
from benchmarks.testbed_cases import MB, MBIT, sig
from planner.io.atomic import write_text
from planner.models.seeds import SourceRef
from planner.models.testbed_measurements import (
    Calibration,
    MeasuredTestbed,
    MeasurementProvenance,
)
from tests.testbed import HostSpec, Testbed, TestbedSpec, netns, unavailable_reason

DEFAULT_SEED = Path("seeds/transfer/measured_testbed.yaml")
TCP_GOODPUT_VETH = (1500 - 52) / (1500 + 14)  # IP+TCP(ts) headers 52 B, Ethernet header 14 B
RATES = (50 * MBIT, 100 * MBIT, 200 * MBIT, 300 * MBIT)


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} vCPU {cpu}, {mem_gib:.0f} GiB RAM, Linux {platform.release()}"


def _software() -> str:
    ssh = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    rsync = subprocess.run(["rsync", "--version"], capture_output=True, text=True).stdout
    rsync_version = " ".join(rsync.splitlines()[0].split())
    return f"{ssh}; {rsync_version}; Python {platform.python_version()}"


def cpu_busy(seconds: float = 3.0) -> float:
    """Fraction of all CPUs busy over ``seconds`` (from /proc/stat)."""

    def snapshot() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
        return fields[3] + fields[4], sum(fields)

    idle1, total1 = snapshot()
    time.sleep(seconds)
    idle2, total2 = snapshot()
    return 1 - (idle2 - idle1) / max(total2 - total1, 1)


def wait_until_quiet(max_seconds: float, threshold: float = 0.35) -> float:
    """Wait (up to ``max_seconds``) until other work leaves the CPUs mostly idle."""
    deadline = time.monotonic() + max_seconds
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        print(f"waiting for a quiet machine: CPUs {busy:.0%} busy", file=sys.stderr)
        time.sleep(20)
        busy = cpu_busy()
    return busy


def measure(quick: bool, busy_before: float) -> MeasuredTestbed:
    repeats = 1 if quick else 3
    load_start = os.getloadavg()[0]
    ports = {rate: f"p{int(rate / MBIT)}" for rate in RATES}
    hosts = [HostSpec(name, egress_rate_bits_per_second=rate) for rate, name in ports.items()]
    spec = TestbedSpec(hosts=(*hosts, HostSpec("free"), HostSpec("dst1", site="destination")))
    with Testbed(spec) as bed:
        efficiency = cases.link_efficiency(bed, ports, "dst1", repeats)
        setup = cases.session_setup(bed, "p100", "dst1", 5)
        ramp_sizes = [1 * MB, 4 * MB, 16 * MB] + ([] if quick else [64 * MB])
        ramp = cases.ramp_up(bed, "p100", "dst1", 100 * MBIT, ramp_sizes)
        small = [(2000, 4096), (20000, 512)]
        datasets = small + ([] if quick else [(200, MB)])
        per_file = cases.per_file(bed, "p200", "dst1", 200 * MBIT, datasets, repeats)
        per_file += cases.per_file(bed, "free", "dst1", None, small, repeats)
        ciphers = cases.ciphers(bed, "free", (256 if quick else 1024) * MB, repeats)
        parallel = cases.parallel_streams(
            bed, [("p100", 100 * MBIT, 30 * MB), ("free", None, 300 * MB)], "dst1", [1, 2, 4]
        )
    uplink_hosts = [HostSpec(f"u{i}", port_rate_bits_per_second=200 * MBIT) for i in (1, 2, 3)]
    uplink_hosts += [HostSpec(f"v{i}", port_rate_bits_per_second=100 * MBIT) for i in (1, 2)]
    spec = TestbedSpec(
        hosts=(*uplink_hosts, HostSpec("dst1", site="destination")),
        uplink_rate_bits_per_second=300 * MBIT,
    )
    with Testbed(spec) as bed:
        shared = [
            cases.shared_uplink(bed, ["u1", "u2", "u3"], 200 * MBIT, 300 * MBIT, "dst1", 40 * MB),
            cases.shared_uplink(bed, ["v1", "v2"], 100 * MBIT, 300 * MBIT, "dst1", 25 * MB),
        ]
    steady = {
        tool: statistics.median(e.steady_efficiency for e in efficiency if e.tool == tool)
        for tool in ("rsync", "ssh-cat")
    }

    def small_files(kind: str) -> float:
        """Median per-file cost over the ≥ 1000-file sets on the limited link, one stream."""
        return statistics.median(
            p.per_file_seconds
            for p in per_file
            if p.kind == kind and p.streams == 1 and p.files >= 1000 and p.link_rate_bits_per_second
        )

    calibration = Calibration(
        tcp_goodput_in_testbed=sig(TCP_GOODPUT_VETH),
        steady_efficiency_rsync=sig(steady["rsync"]),
        steady_efficiency_ssh=sig(steady["ssh-cat"]),
        protocol_efficiency_rsync=sig(steady["rsync"] / TCP_GOODPUT_VETH),
        protocol_efficiency_ssh=sig(steady["ssh-cat"] / TCP_GOODPUT_VETH),
        session_setup_rsync_seconds=next(s.seconds for s in setup if s.tool == "rsync"),
        session_setup_ssh_seconds=next(s.seconds for s in setup if s.tool == "ssh-cat"),
        per_file_first_copy_seconds=sig(max(small_files("first_copy"), 0.0)),
        per_file_rescan_seconds=sig(max(small_files("rescan"), 0.0)),
        cipher_bytes_per_second={c.cipher: c.bytes_per_second for c in ciphers if c.streams == 1},
    )
    provenance = MeasurementProvenance(
        command="python -m benchmarks.testbed_transfer" + (" --quick" if quick else ""),
        date=dt.date.today(),
        machine=_machine(),
        software=_software(),
        setup=(
            "tests/testbed: hosts are Linux network namespaces joined by veth pairs through a "
            f"router namespace; tc tbf on host ports and the uplink, burst = max("
            f"{netns.TBF_MIN_BURST_BYTES} B, {netns.TBF_BURST_SECONDS * 1000:g} ms at the rate), "
            f"latency {netns.TBF_LATENCY_SECONDS * 1000:g} ms; OpenSSH sshd per host, client "
            "cipher aes128-gcm@openssh.com unless stated; rsync -a over ssh, no compression"
        ),
        load_average=[sig(load_start, 3), sig(os.getloadavg()[0], 3)],
        cpu_busy_before=sig(busy_before, 2),
        notes=[
            "no RTT emulation (netem is not available): idle RTT is well under 1 ms, so TCP "
            "ramp-up and the 2 MiB SSH channel window do not limit anything here; under load "
            "the RTT is the tbf queue delay",
            "both ends of every transfer share the same vCPUs, and other work may have run on "
            "the machine at the same time (see cpu_busy_before, load_average): CPU-bound "
            "figures (ciphers, unlimited links, set-up, per-file costs) are lower bounds",
            "source files were just written (page cache warm); first_copy per-file costs do "
            "not include cold-disk stat/read latency",
            "steady rates: interface byte counters sampled every 20 ms, between 20% and 80% "
            "of the bytes, scaled from interface bytes to payload bytes",
            "rates are medians of the runs; CPU-bound figures (session set-up, per-file costs, "
            "cipher speed) are the best of the runs, since other work only slows them down",
        ],
    )
    return MeasuredTestbed(
        as_of=dt.date.today(),
        provenance=provenance,
        sources=[
            SourceRef(
                title="exitplan namespace testbed measurement",
                publisher="exitplan",
                date=dt.date.today(),
                claim="real rsync/ssh transfers between network namespaces limited by tc tbf",
            )
        ],
        link_efficiency=efficiency,
        session_setup=setup,
        ramp_up=ramp,
        per_file=per_file,
        ciphers=ciphers,
        parallel_streams=parallel,
        shared_uplink=shared,
        calibration=calibration,
    )


def _mbit(bits: float | None) -> str:
    return "unlimited" if bits is None else f"{bits / MBIT:.0f} Mbit/s"


def report(m: MeasuredTestbed) -> None:
    print("== one big file through a limited host port")
    print(
        f"{'tool':>8} {'port':>12} {'size MB':>8} {'seconds':>8} {'end-to-end':>11} {'steady':>7}"
    )
    for e in m.link_efficiency:
        print(
            f"{e.tool:>8} {_mbit(e.configured_rate_bits_per_second):>12} {e.size_bytes / MB:>8.1f}"
            f" {e.seconds:>8.3f} {e.end_to_end_efficiency:>11.3f} {e.steady_efficiency:>7.3f}"
        )
    print("== session set-up (nothing to copy)")
    for s in m.session_setup:
        print(f"{s.tool:>8} {s.seconds:.3f} s (best of {s.runs})")
    r = m.ramp_up
    print(
        f"== ramp-up: seconds = {r.fitted_fixed_seconds:.3f} + bits / "
        f"{r.fitted_rate_bits_per_second / MBIT:.1f} Mbit/s; 90% of steady after "
        f"{r.seconds_to_90_percent_of_steady_rate * 1000:.0f} ms; "
        f"RTT idle {r.rtt_idle_seconds} s, loaded {r.rtt_loaded_seconds} s"
    )
    for p in r.points:
        print(f"   {p.size_bytes / MB:>6.0f} MB {p.seconds:>7.3f} s  {p.end_to_end_efficiency:.3f}")
    print("== many files (rsync)")
    for f in m.per_file:
        print(
            f"{f.kind:>10} {f.files:>5} x {f.file_size_bytes:>8} B "
            f"{_mbit(f.link_rate_bits_per_second):>12} streams {f.streams}: "
            f"{f.seconds:>7.3f} s, {f.per_file_seconds * 1000:>7.3f} ms/file"
        )
    print("== ssh cipher throughput on loopback")
    for c in m.ciphers:
        print(f"{c.cipher:>32} x{c.streams}: {c.bytes_per_second / 2**20:>7.1f} MiB/s")
    print("== parallel streams (ssh-cat)")
    for par in m.parallel_streams:
        print(
            f"{_mbit(par.link_rate_bits_per_second):>12} streams {par.streams}: "
            f"{par.rate_bits_per_second / MBIT:>7.1f} Mbit/s ({par.seconds:.2f} s)"
        )
    print("== hosts sharing a 300 Mbit/s uplink (rsync)")
    for u in m.shared_uplink:
        print(
            f"{u.hosts} x {_mbit(u.port_rate_bits_per_second)}: aggregate "
            f"{u.aggregate_rate_bits_per_second / MBIT:.1f} Mbit/s, steady "
            f"{u.steady_aggregate_rate_bits_per_second / MBIT:.1f}, per host "
            f"{u.host_rate_min_bits_per_second / MBIT:.1f}-"
            f"{u.host_rate_max_bits_per_second / MBIT:.1f}"
        )
    print("== calibration")
    for key, value in m.calibration.model_dump().items():
        print(f"{key:>30}: {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run per case, smaller sizes")
    parser.add_argument("--write-seed", nargs="?", const=DEFAULT_SEED, type=Path, default=None)
    parser.add_argument(
        "--wait-idle", type=float, default=0, metavar="SECONDS",
        help="first wait up to SECONDS for the CPUs to be mostly idle (shared machines)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(f"testbed unavailable: {reason}", file=sys.stderr)
        return 2
    busy = wait_until_quiet(args.wait_idle) if args.wait_idle else cpu_busy()
    measured = measure(args.quick, busy)
    report(measured)
    if args.write_seed:
        header = (
            "# Measured on the namespace testbed; regenerate with the command under provenance\n"
            "# (add --write-seed). Do not edit by hand. Model: "
            "planner/models/testbed_measurements.py\n"
        )
        body = yaml.safe_dump(measured.model_dump(mode="json"), sort_keys=False, width=100)
        write_text(args.write_seed, header + body)
        print(f"wrote {args.write_seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
