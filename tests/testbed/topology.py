"""The testbed: hosts as network namespaces behind a router, a shared uplink, one sshd per host.

Layout (addresses are private to the namespaces, which have no link to the root namespace)::

    source host i  eth0 10.222.i.2/24 ── hp<i> 10.222.i.1   ROUTER   uplink 10.222.0.1/30
                                                               │  (tbf: shared uplink)
    dest host j    eth0 10.222.(128+j).2/24 ── hp<j> ...  SITE   uplink 10.222.0.2/30

Host port limits are tbf on the host's ``eth0`` (host egress) and on the peer ``hp<i>`` in the
router or site (host ingress). The uplink limit is tbf on both ends of the router–site link.
Use as ``with Testbed(spec) as bed: ...``; teardown runs on exit, on exceptions, at interpreter
exit (atexit) and on SIGTERM, and every new testbed first removes leftovers of crashed runs.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import netns, sshd
from .sampling import CounterSampler
from .spec import Host, HostSpec, TestbedSpec
from .transfer import TransferJob, TransferResult, make_files, measure_stream, measure_transfers

_LIVE: set[Testbed] = set()
UPLINK_DEV = "uplink"


class Testbed:
    """Build the topology in :meth:`__enter__`, remove every trace of it in :meth:`teardown`."""

    __test__ = False

    def __init__(self, spec: TestbedSpec, base_dir: str | Path | None = None) -> None:
        self.spec = spec
        self.prefix = f"{netns.NAME_ROOT}-{os.getpid()}-{os.urandom(3).hex()}"
        self.router_ns = f"{self.prefix}-router"
        self.site_ns = f"{self.prefix}-site"
        self._base_dir = base_dir
        self.tmp: Path | None = None
        self.hosts: dict[str, Host] = {}
        self.namespaces: list[str] = []
        self._old_sigterm: Any = None
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> Testbed:
        reason = netns.unavailable_reason()
        if reason:
            raise netns.CommandError(reason)
        netns.cleanup_stale(self._base_dir)
        _LIVE.add(self)
        self._install_sigterm()
        try:
            self._build()
        except BaseException:
            self.teardown()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.teardown()

    def teardown(self) -> None:
        """Stop every sshd, kill what is left in our namespaces, delete them and the tmp dir."""
        with self._lock:
            for host in self.hosts.values():
                if host.sshd is not None and host.sshd.poll() is None:
                    host.sshd.terminate()
                    try:
                        host.sshd.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        host.sshd.kill()
                        host.sshd.wait()
            for name in reversed(self.namespaces):
                netns.delete_namespace(name)
            self.namespaces.clear()
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None
            _LIVE.discard(self)
            self._restore_sigterm()

    def _install_sigterm(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            self._old_sigterm = signal.SIG_DFL
            signal.signal(signal.SIGTERM, _exit_on_sigterm)

    def _restore_sigterm(self) -> None:
        if self._old_sigterm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._old_sigterm)
            self._old_sigterm = None

    # -- construction ----------------------------------------------------------------------
    def _add_ns(self, name: str) -> str:
        self.namespaces.append(name)  # first, so that a half-made namespace is removed too
        netns.add_namespace(name)
        return name

    def _build(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{self.prefix}-", dir=self._base_dir))
        (self.tmp / netns.MARKER_FILE).write_text(f"exitplan testbed of pid {os.getpid()}\n")
        for hub in (self.router_ns, self.site_ns):
            self._add_ns(hub)
            netns.enable_forwarding(hub)
        netns.add_veth(self.router_ns, UPLINK_DEV, self.site_ns, UPLINK_DEV)
        netns.set_address(self.router_ns, UPLINK_DEV, "10.222.0.1/30")
        netns.set_address(self.site_ns, UPLINK_DEV, "10.222.0.2/30")
        netns.add_route(self.router_ns, "10.222.128.0/17", "10.222.0.2")
        netns.add_route(self.site_ns, "10.222.0.0/17", "10.222.0.1")
        uplink = self.spec.uplink_rate_bits_per_second
        if uplink:
            for hub in (self.router_ns, self.site_ns):
                netns.set_rate_limit(hub, UPLINK_DEV, uplink, self.spec.queue_latency_seconds)
        counters = {"source": 0, "destination": 0}
        for spec in self.spec.hosts:
            counters[spec.site] += 1
            self._add_host(spec, counters[spec.site])
        self._setup_ssh()

    def _add_host(self, spec: HostSpec, index: int) -> None:
        assert self.tmp is not None
        subnet = index if spec.site == "source" else 127 + index
        hub = self.router_ns if spec.site == "source" else self.site_ns
        namespace = self._add_ns(f"{self.prefix}-{spec.name}")
        peer = f"hp{index}"
        netns.add_veth(namespace, "eth0", hub, peer)
        netns.set_address(namespace, "eth0", f"10.222.{subnet}.2/24")
        netns.set_address(hub, peer, f"10.222.{subnet}.1/24")
        netns.run(["ip", "-n", namespace, "route", "add", "default", "via", f"10.222.{subnet}.1"])
        latency = self.spec.queue_latency_seconds
        if spec.egress:
            netns.set_rate_limit(namespace, "eth0", spec.egress, latency)
        if spec.ingress:
            netns.set_rate_limit(hub, peer, spec.ingress, latency)
        directory = self.tmp / "hosts" / spec.name
        (directory / "data").mkdir(parents=True)
        self.hosts[spec.name] = Host(
            spec.name, spec.site, namespace, f"10.222.{subnet}.2", f"10.222.{subnet}.1",
            peer, directory, spec,
        )  # fmt: skip

    def _setup_ssh(self) -> None:
        assert self.tmp is not None
        client_key = self.tmp / "id_ed25519"
        authorized = self.tmp / "authorized_keys"
        authorized.write_text(sshd.generate_key(client_key, "exitplan-testbed-client") + "\n")
        known: list[str] = []
        for host in self.hosts.values():
            host_key = host.directory / "ssh_host_ed25519_key"
            public = sshd.generate_key(host_key, f"exitplan-testbed-{host.name}")
            known.append(sshd.known_hosts_line(host.name, host.address, public))
            config = sshd.write_sshd_config(host.directory, host.address, host_key, authorized)
            host.sshd = sshd.start_sshd(
                host.namespace, config, host.directory / "sshd.log", host.address,
                host.directory / "home",
            )  # fmt: skip
        self.known_hosts_path.write_text("\n".join(known) + "\n")
        addresses = {host.name: host.address for host in self.hosts.values()}
        sshd.write_client_config(
            self.ssh_config_path, addresses, client_key, self.known_hosts_path, self.spec.cipher
        )

    # -- helpers for tests and benchmarks --------------------------------------------------
    @property
    def ssh_config_path(self) -> Path:
        assert self.tmp is not None, "testbed is not running"
        return self.tmp / "ssh_config"

    @property
    def known_hosts_path(self) -> Path:
        assert self.tmp is not None, "testbed is not running"
        return self.tmp / "known_hosts"

    @property
    def identity_path(self) -> Path:
        assert self.tmp is not None, "testbed is not running"
        return self.tmp / "id_ed25519"

    def host(self, name: str) -> Host:
        return self.hosts[name]

    def command(self, host: str, argv: Sequence[str] | str) -> list[str]:
        """argv running ``argv`` (a list, or a string for ``sh -c``) inside ``host``."""
        inner = ["sh", "-c", argv] if isinstance(argv, str) else list(argv)
        return netns.in_ns(self.hosts[host].namespace, inner)

    def run(
        self, host: str, argv: Sequence[str] | str, *, check: bool = True, timeout: float = 60.0
    ) -> subprocess.CompletedProcess[str]:
        return netns.run(self.command(host, argv), check=check, timeout=timeout)

    def ssh_argv(self, *extra: str) -> list[str]:
        """``ssh -F <testbed config> ...``: target hosts by name, or ``NAME-lo`` for loopback."""
        return ["ssh", "-F", str(self.ssh_config_path), *extra]

    def ssh(
        self, src: str, dst: str, remote: str, *, check: bool = True, timeout: float = 60.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``remote`` on ``dst`` over ssh from inside ``src``'s namespace."""
        return self.run(src, [*self.ssh_argv(dst), remote], check=check, timeout=timeout)

    def make_files(self, host: str, name: str, count: int, size_bytes: int, seed: int = 0) -> Path:
        """Create ``count`` files of ``size_bytes`` random bytes in ``host``'s data dir."""
        return make_files(self.hosts[host].data_dir / name, count, size_bytes, seed)

    def measure_transfer(
        self,
        src: str,
        dst: str,
        path: str | Path,
        tool: str = "rsync",
        streams: int = 1,
        extra_args: Iterable[str] = (),
        fresh: bool = True,
    ) -> TransferResult:
        """Copy ``path`` (on ``src``) to ``dst`` for real and time it; see :mod:`.transfer`."""
        job = TransferJob(src, dst, Path(path), tool, streams, tuple(extra_args), fresh)
        return measure_transfers(self, [job])[0]

    def measure_transfers(self, jobs: Iterable[TransferJob]) -> list[TransferResult]:
        """Run several transfers at the same time (e.g. hosts sharing the uplink)."""
        return measure_transfers(self, list(jobs))

    def measure_stream(
        self, src: str, dst: str, size_bytes: int, streams: int = 1, cipher: str | None = None
    ) -> TransferResult:
        """Send ``size_bytes`` of /dev/zero over ``streams`` ssh sessions; ``dst`` may be
        ``NAME-lo`` (loopback inside ``src``)."""
        return measure_stream(self, src, dst, size_bytes, streams, cipher)

    def sample(
        self, where: str, dev: str = "eth0", counter: str = "tx_bytes", interval: float = 0.02
    ) -> CounterSampler:
        """Sample a byte counter of ``where`` (a host, ``"router"`` or ``"site"``) over time.

        ``with bed.sample("router", "uplink") as s: ...`` then ``s.window_rate()``.
        """
        hubs = {"router": self.router_ns, "site": self.site_ns}
        namespace = hubs[where] if where in hubs else self.hosts[where].namespace
        return CounterSampler(namespace, dev, counter, interval)

    def wire_counters(self, host: str) -> tuple[int, int]:
        """``(rx_bytes, tx_bytes)`` of the host's ``eth0`` (Ethernet frame bytes)."""
        return netns.link_counters(self.hosts[host].namespace, "eth0")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@atexit.register
def _teardown_all() -> None:
    for bed in list(_LIVE):
        bed.teardown()
