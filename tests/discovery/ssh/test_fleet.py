"""The fleet scheduler and the progress journal (hosts replaced by in-process fakes)."""

from __future__ import annotations

import itertools
import threading
import time

import paramiko
import pytest

from planner.discovery.ssh import fleet
from planner.discovery.ssh.facts import HostResult, StageError
from planner.discovery.ssh.fleet import FleetOptions, ProgressLog, discover_fleet, pending_servers
from planner.models import Inventory, Server

EVENTS: list[tuple[str, str, float]] = []
LOCK = threading.Lock()


class FakeRun:
    """Probing takes 50 ms; the second sample is due 400 ms after probing started."""

    def __init__(self, server_id: str, endpoint: object, ctx: object) -> None:
        self.server_id = server_id
        self.endpoint = endpoint
        self.due: float | None = None

    def _event(self, what: str) -> None:
        with LOCK:
            EVENTS.append((what, self.server_id, time.monotonic()))

    def probe(self) -> None:
        self._event("probe")
        self.due = time.monotonic() + 0.4
        time.sleep(0.05)

    def finish(self) -> HostResult:
        assert self.due is not None
        time.sleep(max(0.0, self.due - time.monotonic()))
        self._event("finish")
        if self.server_id == "boom":
            raise RuntimeError("a defect")
        return HostResult(server_id=self.server_id, target="t", status="ok")

    def close(self) -> None:
        self._event("close")


class Endpoint:
    label = "root@fake:22"


@pytest.fixture(autouse=True)
def fake_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    EVENTS.clear()
    monkeypatch.setattr(fleet, "HostRun", FakeRun)
    monkeypatch.setattr(fleet, "endpoint_for", lambda server, config: Endpoint())


def run(ids: list[str], concurrency: int) -> tuple[dict[str, HostResult], list[str]]:
    seen: list[str] = []
    results = discover_fleet(
        [Server(id=i) for i in ids],
        paramiko.SSHConfig(),
        None,  # type: ignore[arg-type]
        FleetOptions(concurrency=concurrency, sample_seconds=0.4),
        lambda result: seen.append(result.server_id),
    )
    return results, seen


def test_waiting_for_the_second_sample_frees_the_slot() -> None:
    results, seen = run(["a", "b", "c", "d"], concurrency=1)
    assert sorted(seen) == ["a", "b", "c", "d"] and set(results) == set(seen)
    probes = [t for what, _, t in EVENTS if what == "probe"]
    first_finish = min(t for what, _, t in EVENTS if what == "finish")
    # with one slot, all four hosts were probed before the first one's sample was due
    assert max(probes) < first_finish
    # and never two probes at once: each starts after the previous one's 50 ms
    assert all(later - earlier >= 0.045 for earlier, later in itertools.pairwise(probes))


def test_idle_connections_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fleet._Scheduler, "IDLE_PER_SLOT", 0)
    run(["a", "b", "c"], concurrency=1)
    order = [(what, sid) for what, sid, _ in EVENTS]
    # no idle slot: each host waits for its own sample before the next one starts
    assert order == [
        ("probe", "a"),
        ("finish", "a"),
        ("probe", "b"),
        ("finish", "b"),
        ("probe", "c"),
        ("finish", "c"),
    ]


def test_a_defect_in_one_host_is_reported_and_the_rest_finish() -> None:
    results, _ = run(["ok-1", "boom", "ok-2"], concurrency=2)
    assert results["ok-1"].status == "ok" and results["ok-2"].status == "ok"
    assert results["boom"].status == "failed"
    assert results["boom"].errors == [StageError(stage="internal", reason="RuntimeError: a defect")]


def test_progress_log_keeps_the_last_record_and_skips_a_torn_line(tmp_path) -> None:
    log = ProgressLog.beside(tmp_path / "out.yaml")
    assert log.path.name == "out.yaml.ssh-progress.jsonl"
    log.reset()
    log.append(HostResult(server_id="a", target="t", status="failed"))
    log.append(HostResult(server_id="a", target="t", status="ok"))
    log.append(HostResult(server_id="b", target="t", status="ok"))
    with log.path.open("a") as handle:
        handle.write('{"server_id": "c", "targ')  # a crash in the middle of a write
    loaded = log.load()
    assert {k: v.status for k, v in loaded.items()} == {"a": "ok", "b": "ok"}


def test_pending_servers_skip_done_and_windows_hosts() -> None:
    inventory = Inventory(
        servers=[Server(id="a"), Server(id="b"), Server(id="w", platform="windows")]
    )
    done = {
        "a": HostResult(server_id="a", target="t", status="ok"),
        "b": HostResult(server_id="b", target="t", status="partial"),
    }
    assert [s.id for s in pending_servers(inventory, done)] == ["b"]
