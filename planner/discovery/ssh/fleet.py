"""Discover many hosts at once: a bounded thread pool, a progress journal, resume.

At most ``--concurrency`` hosts are worked on at once; a host waiting for its second disk sample
gives its slot to the next host and keeps only an idle connection open. Each finished host is
appended to a JSON-lines journal next to the output file
(``FILE.ssh-progress.jsonl``: one :class:`HostResult` per line, flushed and fsynced, a torn last
line is ignored on reading), so an interrupted run loses nothing and ``--resume`` skips the
hosts that already succeeded. Windows servers are skipped (SSH discovery reads Linux hosts).
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import paramiko
from pydantic import ValidationError

from planner.discovery.ssh.config import TargetError, endpoint_for
from planner.discovery.ssh.facts import HostResult, StageError
from planner.discovery.ssh.host import HostContext, HostRun
from planner.io.atomic import write_text
from planner.models import Inventory, Server


@dataclass(frozen=True)
class FleetOptions:
    concurrency: int = 32
    timeout_seconds: float = 20.0
    sample_seconds: float = 5.0


class ProgressLog:
    """The append-only journal of finished hosts (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, output: Path) -> ProgressLog:
        return cls(output.with_name(output.name + ".ssh-progress.jsonl"))

    def load(self) -> dict[str, HostResult]:
        """The last recorded result per server; unreadable lines (a torn write) are skipped."""
        if not self.path.exists():
            return {}
        results: dict[str, HostResult] = {}
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                result = HostResult.model_validate(json.loads(line))
            except (ValueError, ValidationError):
                continue
            results[result.server_id] = result
        return results

    def reset(self) -> None:
        write_text(self.path, "")

    def append(self, result: HostResult) -> None:
        line = result.model_dump_json(exclude_none=True) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())


def _skip(server: Server) -> bool:
    return (server.platform or "").lower() == "windows"


def pending_servers(inventory: Inventory, done: dict[str, HostResult]) -> list[Server]:
    """Servers still to discover: not Windows, and not already discovered without error."""
    return [
        s
        for s in inventory.servers
        if not _skip(s) and not (s.id in done and done[s.id].status == "ok")
    ]


def skipped_servers(inventory: Inventory) -> list[str]:
    return [s.id for s in inventory.servers if _skip(s)]


def _failed(server: Server, target: str, stage: str, reason: str) -> HostResult:
    return HostResult(
        server_id=server.id,
        target=target,
        status="failed",
        errors=[StageError(stage=stage, reason=reason)],
    )


class _Scheduler:
    """At most ``concurrency`` hosts are worked on at a time. A host waiting for its second disk
    sample does not hold a slot: its idle connection waits in :attr:`waiting` (at most
    ``IDLE_PER_SLOT`` x concurrency of them; beyond that the worker waits itself).
    """

    IDLE_PER_SLOT = 4

    def __init__(self, config: paramiko.SSHConfig, ctx: HostContext, concurrency: int) -> None:
        self.config = config
        self.ctx = ctx
        self.concurrency = max(1, concurrency)
        self.idle = threading.BoundedSemaphore(self.IDLE_PER_SLOT * self.concurrency)
        self.waiting: list[tuple[float, int, HostRun]] = []

    def probe(self, server: Server) -> HostResult | HostRun:
        try:
            endpoint = endpoint_for(server, self.config)
        except TargetError as exc:
            return _failed(
                server, server.address or server.hostname or server.id, "connect", str(exc)
            )
        run = HostRun(server.id, endpoint, self.ctx)
        try:
            run.probe()
            if run.due is not None and run.due > time.monotonic() and self.idle.acquire(False):
                return run
            return run.finish()
        except Exception as exc:  # a defect must not stop the other hosts: report it per host
            run.close()
            return _failed(server, endpoint.label, "internal", f"{type(exc).__name__}: {exc}")

    def finish(self, run: HostRun) -> HostResult:
        try:
            return run.finish()
        except Exception as exc:
            run.close()
            return HostResult(
                server_id=run.server_id,
                target=run.endpoint.label,
                status="failed",
                errors=[StageError(stage="internal", reason=f"{type(exc).__name__}: {exc}")],
            )
        finally:
            self.idle.release()

    def close_waiting(self) -> None:
        for _, _, run in self.waiting:
            run.close()
        self.waiting.clear()


def discover_fleet(
    servers: list[Server],
    config: paramiko.SSHConfig,
    ctx: HostContext,
    options: FleetOptions,
    on_result: Callable[[HostResult], None],
) -> dict[str, HostResult]:
    """Discover ``servers`` with at most ``options.concurrency`` hosts worked on at a time.

    ``on_result`` is called in this thread as each host finishes. On KeyboardInterrupt the hosts
    not yet started are cancelled, idle connections closed and the interrupt propagates
    (finished results were already passed to ``on_result``).
    """
    scheduler = _Scheduler(config, ctx, options.concurrency)
    results: dict[str, HostResult] = {}
    queue = deque(servers)
    running: set[Future[HostResult | HostRun]] = set()
    pool = ThreadPoolExecutor(max_workers=scheduler.concurrency, thread_name_prefix="ssh")
    order = itertools.count()
    try:
        while queue or running or scheduler.waiting:
            now = time.monotonic()
            while len(running) < scheduler.concurrency and scheduler.waiting:
                if scheduler.waiting[0][0] > now:
                    break
                _, _, run = heapq.heappop(scheduler.waiting)
                running.add(pool.submit(scheduler.finish, run))
            while len(running) < scheduler.concurrency and queue:
                running.add(pool.submit(scheduler.probe, queue.popleft()))
            timeout = None
            if scheduler.waiting:
                timeout = max(0.01, scheduler.waiting[0][0] - time.monotonic())
            if not running:  # only idle hosts left: sleep until the next sample is due
                time.sleep(timeout or 0.01)
                continue
            finished, running = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = future.result()
                if isinstance(outcome, HostRun):
                    assert outcome.due is not None
                    heapq.heappush(scheduler.waiting, (outcome.due, next(order), outcome))
                else:
                    results[outcome.server_id] = outcome
                    on_result(outcome)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        scheduler.close_waiting()
        raise
    pool.shutdown(wait=True)
    return results
