"""``exitplan probe SRC DST``: measure a real path over SSH and write a calibration file."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from planner.cli._app import console, err_console
from planner.cli._ssh import (
    DEFAULT_KNOWN_HOSTS,
    AcceptNewHostKeysOption,
    KnownHostsOption,
    SshConfigOption,
    ssh_connector,
)
from planner.discovery.ssh.config import load_ssh_config
from planner.errors import InputError, UnitError
from planner.io.calibration_file import save_calibration
from planner.io.inventory_file import load_inventory
from planner.io.seeds import aws_instance_types
from planner.io.transfer_seeds import transfer_seeds
from planner.models.calibration import Calibration
from planner.probe import allowlist
from planner.probe.measure import Settings
from planner.probe.run import Request, probe
from planner.units import format_rate, format_size, parse_duration, parse_rate
from planner.units import parse_size as _parse_size

STEPS = 6  # connecting, channel overhead, round-trip time, streams, ciphers x 2


def _size(text: str, flag: str) -> int:
    try:
        value = _parse_size(text)
    except UnitError as exc:
        raise InputError(f"invalid {flag} {text!r}: {exc}") from None
    if not 0 < value <= allowlist.MAX_BYTES:
        raise InputError(f"invalid {flag} {text!r}: between 1 byte and 10 TB")
    return value


def _ciphers(given: list[str] | None) -> tuple[str, ...]:
    names = tuple(given or (transfer_seeds().tools.ciphers.default, "aes128-gcm@openssh.com"))
    for name in names:
        if name not in allowlist.CIPHERS:
            known = ", ".join(sorted(allowlist.CIPHERS))
            raise InputError(f"unknown --cipher {name!r} (known: {known})")
    return tuple(dict.fromkeys(names))


def probe_command(
    src: Annotated[
        str, typer.Argument(metavar="SRC", help="Source server id (from the inventory).")
    ],
    dst: Annotated[
        str,
        typer.Argument(metavar="DST", help="Destination: a server id or [user@]host[:port]."),
    ],
    inventory: Annotated[Path, typer.Option("--inventory", help="Inventory file.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write the calibration file here (atomic); default: stdout."
        ),
    ] = None,
    size: Annotated[
        str,
        typer.Option(
            "--bytes",
            help="Bytes per throughput measurement, e.g. 1GB (each stream count sends this and "
            "a quarter of it, --repeats times; aim for several seconds of transfer).",
        ),
    ] = "100MB",
    streams: Annotated[int, typer.Option(min=1, max=16, help="Measure 1..N parallel streams.")] = 4,
    repeats: Annotated[
        int, typer.Option(min=1, max=10, help="Runs per measurement; the best one counts.")
    ] = 2,
    known_hosts: KnownHostsOption = DEFAULT_KNOWN_HOSTS,
    accept_new_host_keys: AcceptNewHostKeysOption = False,
    identity: Annotated[
        list[Path] | None,
        typer.Option("--identity", "-i", metavar="FILE", help="Private key file (repeatable)."),
    ] = None,
    ssh_config: SshConfigOption = None,
    forward_agent: Annotated[
        bool,
        typer.Option(
            "--forward-agent",
            help="Offer your ssh-agent to SRC so its ssh can log in to DST (and each host to "
            "itself, for the cipher speed); root there can use the agent while the probe runs. "
            "Without it SRC must have its own key for DST.",
        ),
    ] = False,
    cipher: Annotated[
        list[str] | None,
        typer.Option(
            help="Cipher to measure on each side (repeatable; default: the planner's "
            "default and aes128-gcm)."
        ),
    ] = None,
    cipher_bytes: Annotated[
        str, typer.Option("--cipher-bytes", help="Bytes per cipher measurement.")
    ] = "256MB",
    stream_cipher: Annotated[
        str | None, typer.Option("--stream-cipher", help="Force this cipher SRC -> DST.")
    ] = None,
    source_file: Annotated[
        str,
        typer.Option("--source-file", help="Read this existing file on SRC instead of /dev/zero."),
    ] = "/dev/zero",
    dst_address: Annotated[
        str | None, typer.Option("--dst-address", help="DST's address as SRC reaches it.")
    ] = None,
    nominal: Annotated[
        str | None, typer.Option(help="The path's nominal rate, e.g. 1Gbps (default: inventory).")
    ] = None,
    timeout: Annotated[str, typer.Option(help="Timeout per connection and command.")] = "120s",
) -> None:
    """Measure SRC -> DST over SSH (read-only on SRC) and write a calibration for plan.

    Measures the throughput of 1..N parallel ssh streams from SRC to DST, the session
    start-up, the round-trip time (ping on SRC) and each side's SSH cipher speed. Exit code 1
    when the SRC -> DST transfer could not be measured (the file still says what was).
    """
    try:
        timeout_seconds = parse_duration(timeout)
        nominal_rate = parse_rate(nominal) if nominal is not None else None
    except UnitError as exc:
        raise InputError(str(exc)) from None
    if timeout_seconds <= 0 or (nominal_rate is not None and nominal_rate <= 0):
        raise InputError("--timeout and --nominal must be above zero")
    try:
        allowlist.check_source(source_file)
        if dst_address is not None:
            allowlist.check_host(dst_address)
    except allowlist.NotAllowed as exc:
        raise InputError(str(exc)) from None
    if stream_cipher is not None:
        _ciphers([stream_cipher])
    settings = Settings(
        size_bytes=_size(size, "--bytes"),
        max_streams=streams,
        ciphers=_ciphers(cipher),
        cipher_bytes=_size(cipher_bytes, "--cipher-bytes"),
        stream_cipher=stream_cipher,
        source=source_file,
        timeout_seconds=timeout_seconds,
        repeats=repeats,
    )
    inv = load_inventory(inventory)
    connector = ssh_connector(known_hosts, accept_new_host_keys, timeout_seconds, identity)
    request = Request(
        src=src,
        dst=dst,
        dst_address=dst_address,
        nominal=(nominal_rate, "option --nominal") if nominal_rate else None,
        settings=settings,
        forward_agent=forward_agent,
        command=" ".join(["exitplan", *map(shlex.quote, sys.argv[1:])]),
    )
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("probing", total=STEPS)

        def step(name: str) -> None:
            progress.update(task, advance=1 if name != "connecting" else 0, description=name)

        try:
            result = probe(
                inv, request, load_ssh_config(ssh_config), connector, aws_instance_types(), step
            )
        finally:
            connector.close()
    if output is not None:
        save_calibration(result, output)
    else:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    _report(result, output)
    if not result.streams:
        raise typer.Exit(1)


def _report(cal: Calibration, output: Path | None) -> None:
    """A short summary: on stdout next to a file, on stderr when stdout carries the JSON."""
    target = console if output is not None else err_console

    def say(text: str) -> None:
        target.print(text, markup=False, highlight=False, soft_wrap=True)

    prov = cal.provenance
    wrote = f"; wrote {output}" if output is not None else ""
    say(f"probed {prov.src.id} -> {prov.dst.id} ({prov.dst.address}){wrote}")
    for run in cal.streams:
        say(
            f"  {run.streams} stream(s): {format_rate(run.rate_bits_per_second)} "
            f"({format_size(run.size_bytes)} in {run.seconds:.2f} s)"
        )
    c = cal.calibrated
    if c.rtt_seconds is not None:
        say(f"  round-trip time: {c.rtt_seconds * 1000:.3g} ms")
    if c.session_setup_seconds is not None:
        say(f"  session start-up: {c.session_setup_seconds:.2f} s")
    for measured in cal.ciphers:
        speed = format_size(measured.bytes_per_second)
        say(f"  cipher {measured.cipher} on {measured.side}: {speed}/s")
    if c.efficiency is not None:
        say(f"  efficiency: {c.efficiency:.3f} of {format_rate(c.nominal_bits_per_second or 0)}")
    for gap in cal.not_measured:
        err_console.print(
            f"not measured: {gap.what}: {gap.reason}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
