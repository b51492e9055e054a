"""Discover one host: connect, run every probe, sample the disks twice, never raise.

A failed connection makes the host ``failed``; a probe whose command is missing, hangs or
prints something unexpected is recorded as a stage error and the other probes still run
(status ``partial``). The disk counters are read first and again after the other probes, at
least ``sample_seconds`` later, so the sampling window overlaps the probing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from planner.discovery.ssh.config import Endpoint
from planner.discovery.ssh.connect import ConnectError, Connector
from planner.discovery.ssh.facts import HostFacts, HostResult, StageError
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError
from planner.discovery.ssh.probes.diskstats import DiskSample, change_rate
from planner.discovery.ssh.registry import all_probes
from planner.discovery.ssh.runner import CommandFailed, RemoteHost
from planner.discovery.ssh.signals import HostSignals

_NOT_FOUND = {126: "not executable", 127: "not installed"}


class _ConnectionLost(Exception):
    pass


class _MissingProgram(Exception):
    pass


@dataclass(frozen=True)
class HostContext:
    connector: Connector
    signals: HostSignals
    timeout_seconds: float
    sample_seconds: float


def _run(remote: RemoteHost, probe: Probe[Any]) -> Any:
    """Run and parse one probe; raises ProbeOutputError, _MissingProgram, CommandFailed or
    _ConnectionLost."""
    try:
        result = remote.run(probe.command)
    except CommandFailed as exc:
        if exc.reason.startswith(("connection lost", "cannot open a session")):
            raise _ConnectionLost(exc.reason) from None
        raise
    if result.exit_status in _NOT_FOUND:
        detail = result.stderr.strip().splitlines()[-1:] or ["no such program"]
        raise _MissingProgram(
            f"required program {_NOT_FOUND[result.exit_status]} on the host "
            f"(exit status {result.exit_status}: {detail[0][:120]})"
        )
    try:
        return probe.parse(result.stdout)
    except ProbeOutputError as exc:
        if result.exit_status:
            raise ProbeOutputError(f"{exc} (exit status {result.exit_status})") from None
        raise


def _probe(remote: RemoteHost, probe: Probe[Any], errors: list[StageError]) -> tuple[bool, Any]:
    """(ok, value); errors are appended. _ConnectionLost propagates."""
    try:
        return True, _run(remote, probe)
    except (ProbeOutputError, _MissingProgram, CommandFailed) as exc:
        if isinstance(exc, ProbeOutputError):
            reason = f"unexpected output: {exc}"
        else:
            reason = exc.reason if isinstance(exc, CommandFailed) else str(exc)
        errors.append(StageError(stage=probe.name, reason=reason))
        return False, None


class _Collector:
    """Runs the probes of one host, keeping what it learnt if the connection drops."""

    def __init__(self, remote: RemoteHost, ctx: HostContext) -> None:
        self.remote = remote
        self.ctx = ctx
        self.facts = HostFacts()
        self.errors: list[StageError] = []

    def run(self) -> None:
        try:
            self._all()
        except _ConnectionLost as exc:
            self.errors.append(StageError(stage="connection", reason=str(exc)))

    def _all(self) -> None:
        probes = all_probes()
        sampler = next((p for p in probes if p.sampled), None)
        first: DiskSample | None = None
        started = time.monotonic()
        if sampler is not None:
            _, first = _probe(self.remote, sampler, self.errors)
        for probe in probes:
            if not probe.sampled:
                ok, value = _probe(self.remote, probe, self.errors)
                if ok:
                    self.facts = self.facts.merge(probe.contribute(value, self.ctx.signals))
        if sampler is None or first is None:
            return
        if self.ctx.sample_seconds <= 0:
            self.facts = self.facts.merge(sampler.contribute(first, self.ctx.signals))
            return
        time.sleep(max(0.0, self.ctx.sample_seconds - (time.monotonic() - started)))
        ok, second = _probe(self.remote, sampler, self.errors)
        if ok:
            window = second.uptime_seconds - first.uptime_seconds
            self.facts = self.facts.merge(
                HostFacts(
                    change_rate_bytes_per_second=change_rate(first, second),
                    change_rate_window_seconds=round(window, 2),
                    change_rate_method="sampled",
                )
            )


def discover_host(server_id: str, endpoint: Endpoint, ctx: HostContext) -> HostResult:
    """Everything SSH discovery learns about one host; never raises for host problems."""
    started = time.monotonic()
    try:
        transport = ctx.connector.open(endpoint)
    except ConnectError as exc:
        return HostResult(
            server_id=server_id,
            target=endpoint.label,
            status="failed",
            errors=[StageError(stage="connect", reason=exc.reason)],
            seconds=round(time.monotonic() - started, 3),
        )
    collector = _Collector(RemoteHost(transport, ctx.timeout_seconds), ctx)
    try:
        collector.run()
    finally:
        transport.close()
    return HostResult(
        server_id=server_id,
        target=endpoint.label,
        status="partial" if collector.errors else "ok",
        facts=collector.facts,
        errors=collector.errors,
        seconds=round(time.monotonic() - started, 3),
    )
