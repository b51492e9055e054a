"""What the plan assumed, with sources, and how much of it was measured.

Every seed value the plan used becomes an ``assumptions[]`` entry (name, value, source); options
the user set say so. The confidence says which share of the bytes was measured on the hosts or
read from the provider, and which inputs were assumed.
"""

from __future__ import annotations

from planner.core import assumptions_measured as measured
from planner.core.assumptions_egress import egress_assumptions
from planner.core.evaluate import Evaluation
from planner.models.base import Provenance
from planner.models.plan import Confidence, PlanAssumption
from planner.models.transfer_seeds import SeedRecord
from planner.units import format_duration, format_rate, format_size

SEED_FILE = "seeds/transfer/"


def _seed(name: str, value: str, record: SeedRecord, file: str) -> PlanAssumption:
    return PlanAssumption(name=name, value=value, source=f"{SEED_FILE}{file}: {record.cite()}")


def assumptions_for(ev: Evaluation) -> list[PlanAssumption]:
    """Every number behind the plan, with where it came from."""
    seeds = ev.ctx.seeds
    net, tools = seeds.network, seeds.tools
    opts = ev.options
    ctx = ev.ctx
    out = [
        *measured.efficiency(ev),
        _seed(
            "internet gateway cap",
            f"{format_rate(net.internet_gateway.small_instance_cap)} below "
            f"{net.internet_gateway.vcpu_threshold} vCPUs; above, "
            f"max({format_rate(net.internet_gateway.large_instance_floor)}, "
            f"{net.internet_gateway.large_instance_fraction:.0%} of bandwidth)",
            net.internet_gateway,
            "network_rules.yaml",
        ),
        _seed(
            "single-flow limit",
            f"{format_rate(net.single_flow.rate)} per stream",
            net.single_flow,
            "network_rules.yaml",
        ),
        _seed(
            "network burst",
            f"{format_duration(net.burst.min_duration)}-{format_duration(net.burst.max_duration)};"
            " copies longer than the shortest burst plan on baseline bandwidth",
            net.burst,
            "network_rules.yaml",
        ),
        _seed(
            "SSH channel window",
            f"{tools.ssh_window.window / 2**20:g} MiB per stream per round trip",
            tools.ssh_window,
            "tools.yaml",
        ),
        measured.cipher(ev),
        _seed(
            "per-file cost",
            f"{tools.per_file.first_copy * 1000:g} ms per file on the first copy, "
            f"{tools.per_file.rescan * 1e6:g} us per file on rescans (warm page cache), "
            "overlapping the byte stream (the slower sets the time), in parallel up to the "
            "streams and cores",
            tools.per_file,
            "tools.yaml",
        ),
        *measured.session(ev),
        _seed(
            "TCP loss bound (Mathis)",
            f"C = {tools.mathis.constant}, MSS = {tools.mathis.mss} bytes",
            tools.mathis,
            "tools.yaml",
        ),
    ]
    out.append(
        _choice("streams per host", str(ctx.streams), opts.streams, "--streams", tools.streams)
    )
    out.append(measured.round_trip(ev))
    out.append(_choice("packet loss", f"{ctx.loss_rate:g}", opts.loss_rate, "--loss", tools.path))
    out.append(
        _choice(
            "target port",
            f"{format_rate(ctx.target_port_bits_per_second)} per target server",
            opts.target_port_bits_per_second,
            "--target-port",
            net.target_port,
            "network_rules.yaml",
        )
    )
    if opts.concurrency is not None:
        out.append(
            PlanAssumption(
                name="concurrency", value=str(opts.concurrency), source="option --concurrency"
            )
        )
    if opts.compression_ratio > 1:
        out.append(
            PlanAssumption(
                name="compression ratio",
                value=f"{opts.compression_ratio:g}",
                source="option --compression",
            )
        )
        out.append(
            _seed(
                "compression speed",
                f"{format_rate(tools.compression.per_stream * 8)} per stream",
                tools.compression,
                "tools.yaml",
            )
        )
    for link in ev.nominal_links.values():
        from_option = any(x.name == link.name for x in opts.links)
        out.append(
            PlanAssumption(
                name=f"link {link.name}",
                value=(
                    f"{format_rate(link.capacity_bits_per_second)} shared by "
                    f"{', '.join(link.members)}"
                ),
                source="option --link" if from_option else "inventory links",
            )
        )
    out.extend(measured.probe(ev))
    out.extend(measured.pacing(ev))
    out.extend(_volume_types(ev))
    out.extend(_stores(ev))
    pre = seeds.cutover.pre_copy
    out.append(
        _seed(
            "pre-copy rounds",
            f"stop when a round takes <= {format_duration(pre.final_round)}, shrinks < "
            f"{pre.min_shrink:.0%}, or after {pre.max_rounds} rounds; switch-over "
            f"{format_duration(pre.switch_over)}",
            pre,
            "cutover.yaml",
        )
    )
    out.extend(egress_assumptions(ev))
    unknown_change = sum(1 for it in ev.items if it.change_bytes_per_second is None)
    if unknown_change:
        out.append(
            PlanAssumption(
                name="change rate",
                value=f"unknown for {unknown_change} host(s): assumed 0 (cutover optimistic there)",
                source="inventory (missing change_rate_bytes_per_second)",
            )
        )
    return out


def _choice(
    name: str, value: str, given: object, flag: str, record: SeedRecord, file: str = "tools.yaml"
) -> PlanAssumption:
    if given is not None:
        return PlanAssumption(name=name, value=value, source=f"option {flag}")
    return _seed(name, value, record, file)


def _volume_types(ev: Evaluation) -> list[PlanAssumption]:
    types = ev.ctx.seeds.ebs.volume_types
    seen: set[str] = set()
    unknown = 0
    for item in ev.items:
        for volume in getattr(item.source, "volumes", []):
            kind = (volume.volume_type or "").lower()
            if kind in types:
                seen.add(kind)
            elif (volume.used_bytes or 0) > 0 and volume.throughput_bytes_per_second is None:
                unknown += 1
    out = [
        _seed(f"EBS {k} throughput", types[k].describe_short(), types[k], "ebs_volume_types.yaml")
        for k in sorted(seen)
    ]
    if unknown:
        out.append(
            PlanAssumption(
                name="volume throughput",
                value=f"{unknown} volume(s) of unknown type: source disk not modelled for them",
                source="inventory (volume_type missing or not in seeds)",
            )
        )
    return out


def _stores(ev: Evaluation) -> list[PlanAssumption]:
    seeds = ev.ctx.seeds
    kinds = {it.kind for it in ev.items}
    out: list[PlanAssumption] = []
    if "object-storage" in kinds:
        s3 = seeds.s3
        out.append(
            _seed(
                "S3 requests",
                f"{s3.requests.latency * 1000:g} ms latency, at most "
                f"{format_rate(s3.requests.max_per_request * 8)} per request",
                s3.requests,
                "s3.yaml",
            )
        )
        out.append(
            _seed(
                "S3 GET rate",
                f"{s3.get_rate.per_prefix:g}/s per prefix, "
                f"{s3.get_rate.default_partitions} partition(s)",
                s3.get_rate,
                "s3.yaml",
            )
        )
        out.append(
            _seed(
                "S3 listing",
                f"{s3.listing.keys_per_page} keys per {s3.listing.page_latency * 1000:g} ms page",
                s3.listing,
                "s3.yaml",
            )
        )
        out.append(
            _seed(
                "S3 concurrency",
                f"{s3.concurrency.default} requests per bucket",
                s3.concurrency,
                "s3.yaml",
            )
        )
    if "database" in kinds:
        rep = seeds.databases.replication
        out.append(
            _seed(
                "database replication",
                f"{rep.streams} stream(s); cutover {format_duration(rep.cutover)}",
                rep,
                "databases.yaml",
            )
        )
    return out


def confidence_for(ev: Evaluation) -> Confidence:
    """Share of bytes measured/discovered, and the inputs that are assumptions."""
    by: dict[str, int] = {}
    for item in ev.items:
        by[item.provenance] = by.get(item.provenance, 0) + item.size_bytes
    total = sum(by.values())
    observed = by.get(Provenance.MEASURED, 0) + by.get(Provenance.DISCOVERED, 0)
    fraction = observed / total if total else 0.0
    notes: list[str] = []
    rtt_known = ev.options.rtt_seconds is not None or "rtt" in ev.ctx.measured.calibrated
    assumed_path = not rtt_known or ev.options.loss_rate is None
    if not rtt_known:
        notes.append(
            "round-trip time and loss are assumed (no probe): per-stream TCP limits are estimates"
        )
    elif ev.options.loss_rate is None:
        notes.append(
            "packet loss is assumed (a probe cannot measure it): the Mathis bound is an estimate"
        )
    if by.get(Provenance.ASSUMED):
        notes.append(
            f"{format_size(by[Provenance.ASSUMED])} of sizes are assumed (generated "
            "or defaulted), not observed"
        )
    unknown_change = sum(1 for it in ev.items if it.change_bytes_per_second is None)
    if unknown_change:
        notes.append(f"{unknown_change} host(s) have no change rate: cutover assumes none")
    if ev.unknown_size:
        notes.append(f"{len(ev.unknown_size)} item(s) of unknown size are not in the plan")
    level = "high" if fraction >= 0.8 else "medium" if fraction >= 0.3 else "low"
    if level == "high" and assumed_path:
        level = "medium"
    return Confidence(
        level=level, measured_bytes_fraction=round(fraction, 4), bytes_by_provenance=by, notes=notes
    )
