"""Discover one host: connect, run every probe, sample the disks twice, never raise.

A failed connection makes the host ``failed``; a probe whose command is missing, hangs or
prints something unexpected is recorded as a stage error and the other probes still run
(status ``partial``). The disk counters are read first and again at least ``sample_seconds``
later, so the sampling window overlaps the probing (and, in a fleet, other hosts' work).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import paramiko

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


class HostRun:
    """One host in two steps: :meth:`probe` (connect, first disk sample, every probe) and
    :meth:`finish` (the second disk sample once :attr:`due`, then the result). Between the two
    the connection stays open and idle, so a scheduler can use the wait for other hosts.
    """

    def __init__(self, server_id: str, endpoint: Endpoint, ctx: HostContext) -> None:
        self.server_id = server_id
        self.endpoint = endpoint
        self.ctx = ctx
        self.facts = HostFacts()
        self.errors: list[StageError] = []
        self.due: float | None = None
        """``time.monotonic()`` after which the second sample may be taken; None: no sample."""
        self._started = time.monotonic()
        self._transport: paramiko.Transport | None = None
        self._remote: RemoteHost | None = None
        self._first: DiskSample | None = None
        self._connected = False

    def probe(self) -> None:
        try:
            self._transport = self.ctx.connector.open(self.endpoint)
        except ConnectError as exc:
            self.errors.append(StageError(stage="connect", reason=exc.reason))
            return
        self._connected = True
        self._remote = RemoteHost(self._transport, self.ctx.timeout_seconds)
        try:
            self._probe_all(self._remote)
        except _ConnectionLost as exc:
            self.errors.append(StageError(stage="connection", reason=str(exc)))
            self.due = None
        if self.due is None:
            self.close()

    def _probe_all(self, remote: RemoteHost) -> None:
        probes = all_probes()
        sampler = next((p for p in probes if p.sampled), None)
        sampled_at = time.monotonic()
        if sampler is not None:
            _, self._first = _probe(remote, sampler, self.errors)
        for probe in probes:
            if not probe.sampled:
                ok, value = _probe(remote, probe, self.errors)
                if ok:
                    self.facts = self.facts.merge(probe.contribute(value, self.ctx.signals))
        if sampler is None or self._first is None:
            return
        if self.ctx.sample_seconds <= 0:
            self.facts = self.facts.merge(sampler.contribute(self._first, self.ctx.signals))
            return
        self.due = sampled_at + self.ctx.sample_seconds

    def finish(self) -> HostResult:
        """Take the second disk sample (sleeping until :attr:`due`) and build the result."""
        try:
            if self.due is not None and self._remote is not None and self._first is not None:
                time.sleep(max(0.0, self.due - time.monotonic()))
                self._second_sample(self._remote, self._first)
        except _ConnectionLost as exc:
            self.errors.append(StageError(stage="connection", reason=str(exc)))
        finally:
            self.close()
        status = "failed" if not self._connected else ("partial" if self.errors else "ok")
        return HostResult(
            server_id=self.server_id,
            target=self.endpoint.label,
            status=status,
            facts=self.facts if self._connected else None,
            errors=self.errors,
            seconds=round(time.monotonic() - self._started, 3),
        )

    def _second_sample(self, remote: RemoteHost, first: DiskSample) -> None:
        sampler = next(p for p in all_probes() if p.sampled)
        ok, second = _probe(remote, sampler, self.errors)
        if ok:
            window = second.uptime_seconds - first.uptime_seconds
            self.facts = self.facts.merge(
                HostFacts(
                    change_rate_bytes_per_second=change_rate(first, second),
                    change_rate_window_seconds=round(window, 2),
                    change_rate_method="sampled",
                )
            )

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None


def discover_host(server_id: str, endpoint: Endpoint, ctx: HostContext) -> HostResult:
    """Everything SSH discovery learns about one host; never raises for host problems."""
    run = HostRun(server_id, endpoint, ctx)
    run.probe()
    return run.finish()
