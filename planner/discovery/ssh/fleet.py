"""Discover many hosts at once: a bounded thread pool, a progress journal, resume.

Each finished host is appended to a JSON-lines journal next to the output file
(``FILE.ssh-progress.jsonl``: one :class:`HostResult` per line, flushed and fsynced, a torn last
line is ignored on reading), so an interrupted run loses nothing and ``--resume`` skips the
hosts that already succeeded. Windows servers are skipped (SSH discovery reads Linux hosts).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import paramiko
from pydantic import ValidationError

from planner.discovery.ssh.config import TargetError, endpoint_for
from planner.discovery.ssh.facts import HostResult, StageError
from planner.discovery.ssh.host import HostContext, discover_host
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


def _one(server: Server, config: paramiko.SSHConfig, ctx: HostContext) -> HostResult:
    try:
        endpoint = endpoint_for(server, config)
    except TargetError as exc:
        return HostResult(
            server_id=server.id,
            target=server.address or server.hostname or server.id,
            status="failed",
            errors=[StageError(stage="connect", reason=str(exc))],
        )
    try:
        return discover_host(server.id, endpoint, ctx)
    except Exception as exc:  # a defect must not stop the other hosts: report it per host
        return HostResult(
            server_id=server.id,
            target=endpoint.label,
            status="failed",
            errors=[StageError(stage="internal", reason=f"{type(exc).__name__}: {exc}")],
        )


def discover_fleet(
    servers: list[Server],
    config: paramiko.SSHConfig,
    ctx: HostContext,
    options: FleetOptions,
    on_result: Callable[[HostResult], None],
) -> dict[str, HostResult]:
    """Discover ``servers`` with at most ``options.concurrency`` at a time.

    ``on_result`` is called in this thread as each host finishes. On KeyboardInterrupt the hosts
    not yet started are cancelled and the interrupt propagates (finished results were already
    passed to ``on_result``).
    """
    results: dict[str, HostResult] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, options.concurrency), thread_name_prefix="ssh")
    try:
        running: set[Future[HostResult]] = {pool.submit(_one, s, config, ctx) for s in servers}
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                result = future.result()
                results[result.server_id] = result
                on_result(result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results
