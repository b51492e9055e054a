"""``exitplan probe``: connect to SRC and DST, measure the path, assemble the calibration.

SRC must be a server of the inventory (its bandwidth and links give the nominal rate the
efficiency is measured against). DST is a server id or ``[user@]host[:port]`` (a target machine
need not be in the inventory). See :mod:`planner.probe.measure` for how each value is measured.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import paramiko

from planner import __version__
from planner.discovery.ssh.config import TargetError, endpoint_for
from planner.discovery.ssh.connect import ConnectError, Connector
from planner.discovery.ssh.hostkeys import fingerprint
from planner.discovery.ssh.runner import RemoteHost
from planner.errors import InputError
from planner.models import Inventory, Server
from planner.models.calibration import Calibration, Gap, ProbeEndpoint, ProbeProvenance, Side
from planner.models.seeds import AwsInstanceType
from planner.models.server import SshAccess
from planner.probe import allowlist, measure
from planner.probe.derive import nominal_path, summarize

METHOD = (
    "on SRC: head -c N /dev/zero | ssh DST 'wc -c' (SRC's own ssh client, the real path), "
    "k sessions at once for k streams; data time = t(N) - t(N/4), start-up = a session with "
    "0 bytes; "
    "cipher speed over each host's loopback; RTT by ping from SRC"
)

Step = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    src: str
    dst: str
    dst_address: str | None
    nominal: tuple[float, str] | None
    settings: measure.Settings
    forward_agent: bool
    command: str


def _dst_server(inventory: Inventory, spec: str) -> Server:
    found = next((s for s in inventory.servers if s.id == spec), None)
    if found is not None:
        return found
    user, _, rest = spec.rpartition("@")
    host, port = rest, 22
    if rest.count(":") == 1:
        host, _, number = rest.partition(":")
        if not number.isdigit() or not 1 <= int(number) <= 65535:
            raise InputError(f"DST {spec!r}: invalid port")
        port = int(number)
    try:
        allowlist.check_host(host)
    except allowlist.NotAllowed:
        raise InputError(
            f"DST {spec!r} is neither a server id in the inventory nor [user@]host[:port]"
        ) from None
    return Server(id=spec, address=host, ssh=SshAccess(user=user or None, port=port))


def _connect(
    side: Side, server: Server, config: paramiko.SSHConfig, connector: Connector, r: Request
) -> measure.Host:
    try:
        endpoint = endpoint_for(server, config)
        transport = connector.open(endpoint)
    except (TargetError, ConnectError) as exc:
        raise measure.ProbeFailed(f"{side} {server.id}: {exc}") from None
    remote = RemoteHost(
        transport,
        r.settings.timeout_seconds,
        allowed=allowlist.is_allowed,
        forward_agent=r.forward_agent,
    )
    key = transport.get_remote_server_key()
    return measure.Host(side, server.id, endpoint, transport, remote, key)


def _endpoint(host: measure.Host) -> ProbeEndpoint:
    return ProbeEndpoint(
        id=host.server_id,
        address=host.endpoint.host,
        port=host.endpoint.port,
        user=host.endpoint.user,
        host_key=f"{host.key.get_name()} {fingerprint(host.key)}",
    )


def probe(
    inventory: Inventory,
    request: Request,
    config: paramiko.SSHConfig,
    connector: Connector,
    catalog: Mapping[str, AwsInstanceType] | None = None,
    step: Step = lambda _: None,
) -> Calibration:
    """Measure SRC -> DST; raises :class:`measure.ProbeFailed` if the transfer itself fails."""
    src_server = next((s for s in inventory.servers if s.id == request.src), None)
    if src_server is None:
        raise InputError(f"SRC {request.src!r} is not a server id in the inventory")
    dst_server = _dst_server(inventory, request.dst)
    started = dt.datetime.now(dt.UTC)
    s = request.settings
    step("connecting")
    src = _connect("src", src_server, config, connector, request)
    try:
        dst = _connect("dst", dst_server, config, connector, request)
    except BaseException:
        src.transport.close()
        raise
    try:
        address = request.dst_address or dst.endpoint.host
        step("channel overhead")
        overhead = measure.channel_overhead(src, s)
        operator = {
            host.side: seconds
            for host in (src, dst)
            if (seconds := measure.operator_round_trip(host)) is not None
        }
        step("round-trip time")
        rtt = measure.round_trip(src, address, s)
        step("streams")
        try:
            runs, setup = measure.streams(src, dst.peer(address), s, overhead)
        except measure.ProbeFailed as exc:  # keep what was measured; the CLI exits 1
            runs, setup = [], 0.0
            src.gaps.append(Gap(what="throughput SRC -> DST", reason=str(exc)))
        ciphers = []
        for host in (src, dst):
            step(f"ciphers on {host.side}")
            ciphers += measure.ciphers(host, s)
    finally:
        for host in (src, dst):
            host.remote.close()
            host.transport.close()
    nominal = request.nominal or nominal_path(inventory, request.src, request.dst, catalog)
    calibrated, gaps = summarize(runs, rtt, ciphers, setup if runs else None, nominal)
    return Calibration(
        provenance=ProbeProvenance(
            command=request.command,
            started_at=started,
            finished_at=dt.datetime.now(dt.UTC),
            exitplan_version=__version__,
            operator=platform.node() or None,
            src=_endpoint(src),
            dst=_endpoint(dst),
            method=METHOD,
        ),
        streams=runs,
        round_trip=rtt,
        operator_round_trip_seconds={k: round(v, 6) for k, v in operator.items()},
        ciphers=ciphers,
        not_measured=[*src.gaps, *dst.gaps, *gaps],
        calibrated=calibrated,
    )
