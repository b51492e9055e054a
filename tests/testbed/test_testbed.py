"""The testbed itself: namespaces come and go cleanly, sshd works, tbf rates hold in real copies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.testbed import (
    HostSpec,
    Testbed,
    TestbedSpec,
    TransferJob,
    aggregate_rate_bits_per_second,
    cleanup_stale,
    make_files,
    netns,
    unavailable_reason,
)
from tests.testbed.sampling import window_rate
from tests.testbed.transfer import _byte_ranges, split_by_size

REPO = Path(__file__).resolve().parents[2]
MBIT = 1e6
TOLERANCE = 0.10


@pytest.fixture
def need_testbed() -> None:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# -- pure helpers (no namespaces needed) ------------------------------------------------------
def test_spec_rejects_duplicate_and_unsafe_host_names() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        TestbedSpec(hosts=(HostSpec("a"), HostSpec("a")))
    with pytest.raises(ValueError, match="lower-case letters and digits"):
        TestbedSpec(hosts=(HostSpec("a;rm"),))
    port = HostSpec("a", port_rate_bits_per_second=100e6, ingress_rate_bits_per_second=50e6)
    assert (port.egress, port.ingress) == (100e6, 50e6)


def test_make_files_writes_count_and_size_deterministically(tmp_path: Path) -> None:
    one = make_files(tmp_path / "one", count=3, size_bytes=1_500_000, seed=7)
    two = make_files(tmp_path / "two", count=3, size_bytes=1_500_000, seed=7)
    sizes = sorted(p.stat().st_size for p in one.iterdir())
    assert sizes == [1_500_000] * 3
    assert (one / "f000002.bin").read_bytes() == (two / "f000002.bin").read_bytes()
    assert (one / "f000000.bin").read_bytes() != (one / "f000001.bin").read_bytes()


def test_split_by_size_balances_streams() -> None:
    files = [("a", 100), ("b", 60), ("c", 50), ("d", 10)]
    groups = split_by_size(files, 2)
    assert sorted(sum(size for _, size in g) for g in groups) == [110, 110]
    assert len(split_by_size(files[:1], 4)) == 1  # no empty streams


@pytest.mark.parametrize("streams", [1, 2, 3, 7])
def test_byte_ranges_cover_every_byte_once(tmp_path: Path, streams: int) -> None:
    sizes = [5, 0, 17, 3]
    data = [os.urandom(n) for n in sizes]
    for index, blob in enumerate(data):
        (tmp_path / f"f{index}").write_bytes(blob)
    files = [(f"f{i}", n) for i, n in enumerate(sizes)]
    pieces = [
        subprocess.run(["sh", "-c", snippet], capture_output=True, check=True).stdout
        for snippet in _byte_ranges(tmp_path, files, streams)
    ]
    assert b"".join(pieces) == b"".join(data)
    assert max(map(len, pieces)) - min(map(len, pieces)) <= 1


def test_unavailable_reason_names_root(monkeypatch: pytest.MonkeyPatch) -> None:
    unavailable_reason.cache_clear()
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    try:
        assert "root" in (netns.unavailable_reason() or "")
    finally:
        monkeypatch.undo()
        unavailable_reason.cache_clear()


# -- real namespaces -----------------------------------------------------------------------
@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
def test_everything_is_removed_even_when_the_body_raises() -> None:
    links_before = netns.root_links()
    spec = TestbedSpec(hosts=(HostSpec("src1"), HostSpec("dst1", site="destination")))
    with pytest.raises(RuntimeError, match="boom"), Testbed(spec) as bed:
        names = list(bed.namespaces)
        tmp = bed.tmp
        pids = [host.sshd.pid for host in bed.hosts.values() if host.sshd]
        assert len(names) == 4 and set(names) <= set(netns.list_namespaces())
        assert all(name.startswith(bed.prefix) for name in names)
        assert len(pids) == 2 and all(_running(pid) for pid in pids)
        assert netns.root_links() == links_before  # nothing was added to the root namespace
        assert tmp is not None and tmp.is_dir()
        raise RuntimeError("boom")
    assert not set(names) & set(netns.list_namespaces())
    assert not any(_running(pid) for pid in pids)
    assert tmp is not None and not tmp.exists()
    assert netns.root_links() == links_before


@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
def test_leftovers_of_a_killed_run_are_cleaned_up() -> None:
    child = (
        "import json, os, signal\n"
        "from tests.testbed import HostSpec, Testbed, TestbedSpec\n"
        "bed = Testbed(TestbedSpec(hosts=(HostSpec('a'), HostSpec('b')))).__enter__()\n"
        "pids = [h.sshd.pid for h in bed.hosts.values()]\n"
        "print(json.dumps({'ns': bed.namespaces, 'tmp': str(bed.tmp), 'pids': pids}), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = json.loads(done.stdout)
    assert set(left["ns"]) <= set(netns.list_namespaces())  # really left behind
    assert all(_running(pid) for pid in left["pids"])
    removed = cleanup_stale()
    assert set(left["ns"]) <= set(removed) and left["tmp"] in removed
    assert not set(left["ns"]) & set(netns.list_namespaces())
    assert not any(_running(pid) for pid in left["pids"])
    assert not Path(left["tmp"]).exists()


_CHILD_BODY = {
    # SIGTERM while inside ``with``: the handler raises SystemExit, __exit__ tears down
    "sigterm": "with Testbed(spec) as bed:\n    report(bed)\n    time.sleep(60)\n",
    # no ``with`` at all, normal interpreter exit: the atexit hook tears down
    "atexit": "bed = Testbed(spec).__enter__()\nreport(bed)\nsys.stdin.read()\n",
}


@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
@pytest.mark.parametrize("how", sorted(_CHILD_BODY))
def test_teardown_on_sigterm_and_at_interpreter_exit(how: str) -> None:
    child = (
        "import json, sys, time\n"
        "from tests.testbed import HostSpec, Testbed, TestbedSpec\n"
        "spec = TestbedSpec(hosts=(HostSpec('a'), HostSpec('b', site='destination')))\n"
        "def report(bed):\n"
        "    pids = [h.sshd.pid for h in bed.hosts.values()]\n"
        "    print(json.dumps({'ns': bed.namespaces, 'tmp': str(bed.tmp), 'pids': pids}),"
        " flush=True)\n" + _CHILD_BODY[how]
    )
    process = subprocess.Popen(
        [sys.executable, "-c", child], cwd=REPO, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdin is not None
    made = json.loads(process.stdout.readline())
    assert set(made["ns"]) <= set(netns.list_namespaces())
    if how == "sigterm":
        process.send_signal(signal.SIGTERM)
    process.stdin.close()
    assert process.wait(timeout=60) == (128 + signal.SIGTERM if how == "sigterm" else 0)
    assert not set(made["ns"]) & set(netns.list_namespaces())
    assert not any(_running(pid) for pid in made["pids"])
    assert not Path(made["tmp"]).exists()


@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
def test_every_sshd_is_reachable_and_host_keys_are_checked() -> None:
    spec = TestbedSpec(
        hosts=(HostSpec("src1"), HostSpec("src2"), HostSpec("dst1", site="destination"))
    )
    with Testbed(spec) as bed:
        for src in bed.hosts:
            for dst, host in bed.hosts.items():
                if src != dst:
                    shown = bed.ssh(src, dst, "ip -o -4 addr show dev eth0").stdout
                    assert f"inet {host.address}/24" in shown, (src, dst, shown)
        good = bed.known_hosts_path.read_text()
        src1_key = next(line for line in good.splitlines() if line.startswith("src1,"))
        wrong = [
            line if not line.startswith("dst1,") else "dst1," + src1_key.split(",", 1)[1]
            for line in good.splitlines()
        ]
        bed.known_hosts_path.write_text("\n".join(wrong) + "\n")
        refused = bed.ssh("src2", "dst1", "true", check=False)
        assert refused.returncode == 255
        assert "host key" in refused.stderr.lower()


@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
def test_a_host_port_limit_gives_the_configured_rate() -> None:
    egress, ingress = 100 * MBIT, 50 * MBIT
    spec = TestbedSpec(
        hosts=(
            HostSpec("src1", egress_rate_bits_per_second=egress),
            HostSpec("src2"),
            HostSpec("dst1", site="destination"),
            HostSpec("dst2", site="destination", ingress_rate_bits_per_second=ingress),
        )
    )
    with Testbed(spec) as bed:
        big = bed.make_files("src1", "big", count=1, size_bytes=20_000_000)
        mid = bed.make_files("src2", "mid", count=1, size_bytes=10_000_000)
        free = bed.make_files("src2", "free", count=1, size_bytes=20_000_000)
        src1, dst2 = bed.host("src1"), bed.host("dst2")
        cases = [  # (src, dst, data, tool, limit, sampler, where the tbf sits)
            ("src1", "dst1", big, "rsync", egress, bed.sample("src1"), (src1.namespace, "eth0")),
            ("src2", "dst2", mid, "ssh-cat", ingress, bed.sample("dst2", counter="rx_bytes"),
             (bed.site_ns, dst2.peer_dev)),
        ]  # fmt: skip
        for src, dst, path, tool, limit, sampler, (namespace, dev) in cases:
            with sampler:
                result = bed.measure_transfer(src, dst, path, tool=tool)
            steady = sampler.window_rate()
            assert result.rate_bits_per_second < limit, (tool, result)
            assert abs(steady / limit - 1) <= TOLERANCE, (tool, steady / MBIT, result)
            qdisc = netns.root_qdisc(namespace, dev)
            assert qdisc["kind"] == "tbf" and int(str(qdisc["overlimits"])) > 0, qdisc
        with bed.sample("src2") as sampler:  # control: the same path without a port limit
            bed.measure_transfer("src2", "dst1", free, tool="ssh-cat")
        assert sampler.window_rate() > 1.5 * egress


@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
def test_hosts_sharing_the_uplink_get_the_uplink_rate_in_aggregate() -> None:
    port, uplink = 200 * MBIT, 300 * MBIT
    sources = [HostSpec(f"src{i}", port_rate_bits_per_second=port) for i in (1, 2, 3)]
    spec = TestbedSpec(
        hosts=(*sources, HostSpec("dst1", site="destination")),
        uplink_rate_bits_per_second=uplink,
    )
    with Testbed(spec) as bed:
        jobs = [
            TransferJob(h.name, "dst1", bed.make_files(h.name, "d", 1, 25_000_000)) for h in sources
        ]
        with bed.sample("router", "uplink") as sampler:
            results = bed.measure_transfers(jobs)
        steady = sampler.window_rate()
        assert aggregate_rate_bits_per_second(results) < uplink
        assert abs(steady / uplink - 1) <= TOLERANCE, (steady / MBIT, results)
        # each host alone could send at 200 Mbit/s: together they are held to the uplink
        assert sum(r.rate_bits_per_second for r in results) < 0.6 * len(sources) * port


@pytest.mark.network
@pytest.mark.usefixtures("need_testbed")
def test_parallel_streams_deliver_every_byte_with_both_tools() -> None:
    spec = TestbedSpec(hosts=(HostSpec("src1"), HostSpec("dst1", site="destination")))
    with Testbed(spec) as bed:
        data = bed.make_files("src1", "mixed", count=40, size_bytes=4096)
        make_files(data / "sub", count=2, size_bytes=3_000_000, seed=1)
        expected = 40 * 4096 + 2 * 3_000_000
        synced = bed.measure_transfer("src1", "dst1", data, tool="rsync", streams=3)
        assert (synced.streams, synced.files, synced.payload_bytes) == (3, 42, expected)
        copy = bed.host("dst1").data_dir / "incoming" / "mixed" / "sub" / "f000001.bin"
        assert copy.read_bytes() == (data / "sub" / "f000001.bin").read_bytes()
        catted = bed.measure_transfer("src1", "dst1", data, tool="ssh-cat", streams=4)
        assert (catted.streams, catted.payload_bytes) == (4, expected)
        assert catted.interface_bytes is not None and catted.interface_bytes > expected
        zero = bed.measure_stream("src1", "src1-lo", 5_000_000, streams=2)
        assert zero.payload_bytes == 5_000_000 and zero.interface_bytes is None


def test_window_rate_ignores_set_up_and_tail() -> None:
    # 0.5 s of nothing (set-up), then 1 MB every 0.1 s, then idle again
    samples = [(t / 10, 0) for t in range(5)]
    samples += [(0.5 + k / 10, k * 1_000_000) for k in range(1, 11)]
    samples += [(1.6 + k / 10, 10_000_000) for k in range(5)]
    assert window_rate(samples) == pytest.approx(80e6)
    with pytest.raises(ValueError, match="no bytes"):
        window_rate([(0.0, 5), (1.0, 5), (2.0, 5)])
