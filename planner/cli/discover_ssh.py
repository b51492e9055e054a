"""``exitplan discover ssh``: enrich an inventory with facts read on the hosts over SSH."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.cli._app import console, err_console, writable
from planner.cli._ssh import (
    DEFAULT_KNOWN_HOSTS,
    AcceptNewHostKeysOption,
    KnownHostsOption,
    SshConfigOption,
    ssh_connector,
)
from planner.discovery.ssh.config import load_ssh_config
from planner.discovery.ssh.enrich import enrich
from planner.discovery.ssh.facts import HostResult
from planner.discovery.ssh.fleet import (
    FleetOptions,
    ProgressLog,
    discover_fleet,
    pending_servers,
    skipped_servers,
)
from planner.discovery.ssh.host import HostContext
from planner.discovery.ssh.signals import HostSignals
from planner.errors import UnitError
from planner.io.inventory_file import load_inventory, save_inventory
from planner.io.seeds import load_yaml_seed
from planner.models import Inventory
from planner.units import parse_duration

SIGNALS_SEED = "discovery/ssh_signals.yaml"
MAX_ERRORS_SHOWN = 20


def _seconds(value: str, option: str) -> float:
    try:
        return parse_duration(value)
    except UnitError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _write(
    inventory: Inventory,
    results: dict[str, HostResult],
    run: dict[str, Any],
    output: Path,
) -> Inventory:
    run = {**run, "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    enriched = enrich(inventory, results, run)
    save_inventory(enriched, output)
    return enriched


def _report(summary: dict[str, Any], output: Path) -> None:
    hosts = summary["hosts"]
    console.print(
        f"discovered {hosts['total']} hosts: {hosts['ok']} ok, {hosts['partial']} partial, "
        f"{hosts['failed']} failed; wrote {output}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    errors = summary["errors"]
    for error in errors[:MAX_ERRORS_SHOWN]:
        err_console.print(
            f"{error['server']}: {error['stage']}: {error['reason']}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if len(errors) > MAX_ERRORS_SHOWN:
        err_console.print(
            f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors (see "
            "metadata.discovery.ssh.errors in the output)",
            markup=False,
        )


def ssh(
    inventory_file: Annotated[Path, typer.Argument(metavar="INVENTORY", help="Inventory file.")],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            callback=writable,
            help="Write the enriched inventory here (atomic); the progress journal goes beside it.",
        ),
    ],
    concurrency: Annotated[int, typer.Option(min=1, max=1024, help="Hosts at a time.")] = 32,
    timeout: Annotated[
        str, typer.Option(help="Timeout for connecting and for each command (e.g. 20s).")
    ] = "20s",
    known_hosts: KnownHostsOption = DEFAULT_KNOWN_HOSTS,
    accept_new_host_keys: AcceptNewHostKeysOption = False,
    sample: Annotated[
        str,
        typer.Option(
            help="Seconds between the two disk samples for the change rate; 0 = since boot."
        ),
    ] = "5s",
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip hosts a previous run already discovered.")
    ] = False,
    ssh_config: SshConfigOption = None,
    identity: Annotated[
        list[Path] | None,
        typer.Option(
            "--identity", "-i", metavar="FILE", help="Private key file to try first (repeatable)."
        ),
    ] = None,
) -> None:
    """Read used bytes, file counts, change rate, services, connections and lock-in on the hosts.

    Runs only allow-listed, read-only commands. Exit code 1 when any host failed (the reasons
    are in metadata.discovery.ssh.errors of the output); finished hosts are journalled next to
    the output so --resume can skip them.
    """
    timeout_seconds = _seconds(timeout, "--timeout")
    sample_seconds = _seconds(sample, "--sample")
    if timeout_seconds <= 0:
        raise typer.BadParameter("must be more than 0", param_hint="--timeout")
    inventory = load_inventory(inventory_file)
    signals = load_yaml_seed(SIGNALS_SEED, HostSignals)
    config = load_ssh_config(ssh_config)
    connector = ssh_connector(known_hosts, accept_new_host_keys, timeout_seconds, identity)
    keys = connector.known_hosts
    log = ProgressLog.beside(output)
    results = {k: v for k, v in log.load().items() if v.status == "ok"} if resume else {}
    if not resume:
        log.reset()
    todo = pending_servers(inventory, results)
    options = FleetOptions(concurrency, timeout_seconds, sample_seconds)
    ctx = HostContext(connector, signals, timeout_seconds, sample_seconds)
    run: dict[str, Any] = {
        "options": {
            "concurrency": concurrency,
            "timeout_seconds": timeout_seconds,
            "sample_seconds": sample_seconds,
            "resumed": len(results),
        },
        "known_hosts": str(keys.path),
        "accepted_host_keys": keys.accepted,
        "skipped": skipped_servers(inventory),
    }
    failed = 0
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("discovering", total=len(todo))

        def finished(result: HostResult) -> None:
            nonlocal failed
            log.append(result)
            results[result.server_id] = result
            failed += result.status != "ok"
            progress.update(task, advance=1, description=f"discovering ({failed} failed)")

        try:
            discover_fleet(todo, config, ctx, options, finished)
        except KeyboardInterrupt:
            connector.abort()
            _write(inventory, results, run, output)
            err_console.print(f"interrupted: partial results written to {output}", markup=False)
            raise
        finally:
            connector.close()
    enriched = _write(inventory, results, run, output)
    summary = enriched.metadata["discovery"]["ssh"]
    _report(summary, output)
    if summary["hosts"]["partial"] or summary["hosts"]["failed"]:
        raise typer.Exit(1)
