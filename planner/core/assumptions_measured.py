"""``assumptions[]`` entries for values a probe can measure: efficiency, start-up, RTT, ciphers.

Each entry names its source: the seed file, the option the user gave, or the calibration file
(``exitplan probe``, with when it was measured). A calibration that could not be used for
something (its probed host is not in this inventory) says so too.
"""

from __future__ import annotations

from planner.core.calibrate import probed_rate
from planner.core.evaluate import Evaluation
from planner.models.plan import PlanAssumption
from planner.models.transfer_seeds import SeedRecord
from planner.units import format_duration, format_rate

SEED_FILE = "seeds/transfer/"


def _seed(name: str, value: str, record: SeedRecord, file: str) -> PlanAssumption:
    return PlanAssumption(name=name, value=value, source=f"{SEED_FILE}{file}: {record.cite()}")


def _calibration_source(ev: Evaluation) -> str:
    applied = ev.ctx.seeds.calibration
    return applied.cite() if applied is not None else "calibration"


def efficiency(ev: Evaluation) -> list[PlanAssumption]:
    ctx = ev.ctx
    net = ctx.seeds.network
    applied = ctx.seeds.calibration
    if "efficiency" in ctx.measured.calibrated and applied is not None:
        cal = applied.calibration.calibrated
        nominal = format_rate(cal.nominal_bits_per_second or 0)
        return [
            PlanAssumption(
                name="transfer efficiency",
                value=(
                    f"{ctx.efficiency:.3f} of every nominal network rate carries payload "
                    f"(measured against {nominal} from {cal.nominal_source or 'the inventory'})"
                ),
                source=_calibration_source(ev),
            )
        ]
    return [
        _seed(
            "transfer efficiency",
            f"{net.ethernet_goodput.fraction} Ethernet goodput x "
            f"{net.protocol_efficiency.fraction} rsync/ssh protocol x "
            f"{net.transfer_efficiency.fraction} = {ctx.efficiency:.3f} of every nominal network "
            "rate carries payload",
            net.transfer_efficiency,
            "network_rules.yaml",
        ),
        _seed(
            "protocol efficiency",
            f"rsync over ssh carries {net.protocol_efficiency.fraction} of plain TCP's payload",
            net.protocol_efficiency,
            "network_rules.yaml",
        ),
    ]


def session(ev: Evaluation) -> list[PlanAssumption]:
    """The fixed start-up of every host's copy."""
    ctx = ev.ctx
    tools = ctx.seeds.tools
    m = ctx.measured
    if "setup" in m.calibrated:
        entry = PlanAssumption(
            name="session start-up",
            value=(
                f"{format_duration(m.setup_seconds)} per host: an ssh session measured on the "
                "path (its round trips included) plus rsync's own start "
                f"({tools.session_setup.rsync_seconds - tools.session_setup.ssh_seconds:.2f} s, "
                "seeds/transfer/tools.yaml session_setup), then TCP slow start"
            ),
            source=_calibration_source(ev),
        )
        return [entry, _slow_start(ev)]
    return [
        _seed(
            "session start-up",
            f"{tools.session_setup.rsync_seconds:g} s of CPU per rsync-over-ssh session, plus "
            f"{m.handshake_round_trips} round trips and TCP slow start before data flows",
            tools.session_setup,
            "tools.yaml",
        ),
        _seed(
            "session round trips",
            f"{tools.handshake.round_trips} round trips (TCP, SSH key exchange, authentication, "
            "channel, rsync start)",
            tools.handshake,
            "tools.yaml",
        ),
        _slow_start(ev),
    ]


def _slow_start(ev: Evaluation) -> PlanAssumption:
    slow = ev.ctx.seeds.tools.slow_start
    return _seed(
        "TCP slow start",
        f"initial window {slow.initial_window_segments} segments, doubling per round trip up to "
        "each stream's rate",
        slow,
        "tools.yaml",
    )


def cipher(ev: Evaluation) -> PlanAssumption:
    ctx = ev.ctx
    rate = format_rate(ctx.measured.cipher_rates[ctx.cipher] * 8)
    applied = ctx.seeds.calibration
    if applied is not None and ctx.cipher in applied.calibration.calibrated.cipher_bytes_per_second:
        return PlanAssumption(
            name="cipher speed",
            value=f"{ctx.cipher}: {rate} per core (measured, the slower side)",
            source=_calibration_source(ev),
        )
    tools = ctx.seeds.tools
    return _seed("cipher speed", f"{ctx.cipher}: {rate} per core", tools.ciphers, "tools.yaml")


def round_trip(ev: Evaluation) -> PlanAssumption:
    ctx = ev.ctx
    value = f"{ctx.rtt_seconds * 1000:g} ms"
    if ev.options.rtt_seconds is not None:
        return PlanAssumption(name="round-trip time", value=value, source="option --rtt")
    if "rtt" in ctx.measured.calibrated:
        return PlanAssumption(
            name="round-trip time", value=value + " (measured)", source=_calibration_source(ev)
        )
    return _seed("round-trip time", value, ctx.seeds.tools.path, "tools.yaml")


def probe(ev: Evaluation) -> list[PlanAssumption]:
    """The probed path and per-stream limit, or why the calibration's path was not used."""
    m = ev.ctx.measured
    out: list[PlanAssumption] = []
    source = _calibration_source(ev)
    if m.per_stream_bits_per_second is not None:
        out.append(
            PlanAssumption(
                name="per-stream limit",
                value=(
                    f"{format_rate(m.per_stream_bits_per_second)} per stream (more streams gave "
                    "proportionally more on the probed path): applied to every host"
                ),
                source=source,
            )
        )
    if m.probed_host is None:
        return out
    host = next((item for item in ev.items if item.id == m.probed_host), None)
    if host is None:
        out.append(
            PlanAssumption(
                name="probed path",
                value=f"{m.probed_host} is not in this inventory: its measured rate is not used",
                source=source,
            )
        )
        return out
    streams = ev.options.host_overrides.get(host.id)
    count = (streams.streams if streams else None) or ev.ctx.streams
    rate = probed_rate(m.probed_runs, count)
    if rate is not None:
        measured = ", ".join(f"{k}: {format_rate(r)}" for k, r in m.probed_runs)
        out.append(
            PlanAssumption(
                name="probed path",
                value=(
                    f"{host.id} limited to {format_rate(rate)} (measured with up to {count} "
                    f"streams; by stream count {measured})"
                ),
                source=source,
            )
        )
    return out


def pacing(ev: Evaluation) -> list[PlanAssumption]:
    """How hosts share a full link in this schedule (only when a link holds some host back)."""
    paced = [item.id for i, item in enumerate(ev.items) if ev.limited_by(i).startswith("link:")]
    if not paced:
        return []
    shown = ", ".join(paced[:5]) + (", ..." if len(paced) > 5 else "")
    return [
        PlanAssumption(
            name="link sharing",
            value=(
                f"{len(paced)} host(s) ({shown}) share a full link at rates that make them "
                "finish together: pace each at its planned rate_bits_per_second (e.g. rsync "
                "--bwlimit); left to TCP, which shares per stream, small hosts finish first and "
                "the largest runs alone at the end, later than planned"
            ),
            source="exitplan schedule: weighted water-filling (planner/core/schedule.py)",
        )
    ]
