"""One planning pass: inventory + options -> per-host limits, schedule, bound and cutover.

:func:`evaluate` is what :mod:`planner.core.plan` turns into the ``Plan`` output and what
:mod:`planner.core.suggest` re-runs to check a change. It keeps plain dataclasses (no pydantic
output models), so re-planning a 100,000-server fleet stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planner.core.bounds import lower_bound_terms
from planner.core.calibrate import resolve_measured, session_seconds
from planner.core.cutover import Busy, CutoverResult, delta_rates, pre_copy, replication
from planner.core.rates import RateContext, binding, server_constraints, store_constraints
from planner.core.schedule import Job, SharedLink, Slot, schedule
from planner.models import DataStore, Inventory, Link, Server
from planner.models.base import Provenance
from planner.models.plan import PlanOptions
from planner.models.seeds import AwsInstanceType
from planner.models.transfer_seeds import TransferSeeds


@dataclass(slots=True)
class Item:
    """A server or data store to copy, with its limits."""

    id: str
    kind: str
    size_bytes: int
    region: str | None
    constraints: dict[str, float]
    cap_bits_per_second: float
    own_limit: str
    change_bytes_per_second: float | None
    scan_seconds: float
    provenance: str
    source: Server | DataStore
    setup_seconds: float = 0.0


@dataclass(slots=True)
class Evaluation:
    options: PlanOptions
    ctx: RateContext
    items: list[Item]
    links: list[SharedLink]
    slots: list[Slot]
    bounds: list[tuple[str, float]]
    cutovers: list[CutoverResult]
    unknown_size: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    nominal_links: dict[str, Link] = field(default_factory=dict)

    def index(self, item_id: str) -> int:
        if len(self._index) != len(self.items):
            self._index.update({item.id: i for i, item in enumerate(self.items)})
        return self._index[item_id]

    _index: dict[str, int] = field(default_factory=dict)

    @property
    def bulk_seconds(self) -> float:
        return max((s.end_seconds for s in self.slots), default=0.0)

    @property
    def lower_bound_seconds(self) -> float:
        return self.bounds[0][1] if self.bounds else 0.0

    @property
    def completion_seconds(self) -> float:
        return max((c.completion_seconds for c in self.cutovers), default=0.0)

    def limited_by(self, index: int) -> str:
        limiter = self.slots[index].limited_by()
        return self.items[index].own_limit if limiter < 0 else f"link:{self.links[limiter].name}"


def resolve_context(
    seeds: TransferSeeds, options: PlanOptions, catalog: dict[str, AwsInstanceType] | None = None
) -> RateContext:
    """Fill unset options from the calibration (if any), then from the seeds."""
    tools = seeds.tools
    measured = resolve_measured(seeds)
    cipher = options.cipher or tools.ciphers.default
    if cipher not in measured.cipher_rates:
        known = ", ".join(sorted(measured.cipher_rates))
        raise ValueError(f"unknown cipher {cipher!r} (known: {known})")
    return RateContext(
        seeds=seeds,
        streams=options.streams or tools.streams.default,
        rtt_seconds=options.rtt_seconds or measured.rtt_seconds or tools.path.rtt,
        loss_rate=tools.path.loss if options.loss_rate is None else options.loss_rate,
        cipher=cipher,
        target_port_bits_per_second=(
            options.target_port_bits_per_second or seeds.network.target_port.default
        ),
        compression_ratio=options.compression_ratio,
        catalog=catalog or {},
        measured=measured,
    )


def _provenance(record: Server | DataStore) -> str:
    key = "volumes" if isinstance(record, Server) else "used_bytes"
    return str(record.provenance.get(key, Provenance.DECLARED))


def _item(record: Server | DataStore, ctx: RateContext, options: PlanOptions) -> Item | None:
    override = options.host_overrides.get(record.id)
    streams = (override.streams if override else None) or ctx.streams
    rescan = ctx.seeds.tools.per_file.rescan
    if isinstance(record, Server):
        size = record.used_bytes
        constraints = server_constraints(record, ctx, override, size)
        kind = "server"
        scan = (record.file_count or 0) * rescan / streams
    else:
        size = record.used_bytes
        constraints = store_constraints(record, ctx, override)
        kind = str(record.kind)
        if kind == "object-storage":
            listing = ctx.seeds.s3.listing
            pages = math.ceil((record.object_count or 0) / listing.keys_per_page)
            scan = pages * listing.page_latency
        elif kind == "database":
            scan = 0.0
        else:
            scan = (record.object_count or 0) * rescan / streams
    if size is None:
        return None
    name, cap = binding(constraints)
    setup = 0.0
    if kind not in {"object-storage", "database"} and cap > 0:
        tools = ctx.seeds.tools
        setup = session_seconds(
            ctx.measured.setup_seconds,
            ctx.measured.handshake_round_trips,
            ctx.rtt_seconds,
            cap / streams,
            tools.mathis.mss,
            tools.slow_start.initial_window_segments,
        )
    return Item(
        id=record.id,
        kind=kind,
        size_bytes=size,
        region=record.source.region,
        constraints=constraints,
        cap_bits_per_second=cap,
        own_limit=name,
        change_bytes_per_second=record.change_rate_bytes_per_second,
        scan_seconds=scan,
        provenance=_provenance(record),
        source=record,
        setup_seconds=setup,
    )


def _links(inventory: Inventory, options: PlanOptions) -> list[Link]:
    by_name = {link.name: link for link in inventory.links}
    for link in options.links:
        by_name[link.name] = link
    return list(by_name.values())


def _same_context(a: RateContext, b: RateContext) -> bool:
    return (
        a.seeds is b.seeds
        and a.catalog is b.catalog
        and (a.streams, a.rtt_seconds, a.loss_rate, a.cipher)
        == (b.streams, b.rtt_seconds, b.loss_rate, b.cipher)
        and (a.target_port_bits_per_second, a.compression_ratio)
        == (b.target_port_bits_per_second, b.compression_ratio)
    )


def evaluate(
    inventory: Inventory,
    seeds: TransferSeeds,
    options: PlanOptions,
    catalog: dict[str, AwsInstanceType] | None = None,
    reuse: Evaluation | None = None,
) -> Evaluation:
    """Plan the bulk copy and cutover of every server and data store with a known size.

    ``reuse``: an earlier evaluation of the same inventory; hosts whose options did not change
    keep their computed limits (re-planning after a suggestion touches only a few hosts).
    """
    ctx = resolve_context(seeds, options, catalog)
    known: dict[str, Item] = {}
    if reuse is not None and _same_context(reuse.ctx, ctx):
        known = {item.id: item for item in reuse.items}
        ctx = reuse.ctx
    old = reuse.options.host_overrides if reuse is not None else {}
    new = options.host_overrides
    items: list[Item] = []
    unknown: list[str] = []
    warnings: list[str] = []
    for record in inventory.items():
        cached = known.get(record.id)
        if (
            cached is not None
            and cached.source is record
            and old.get(record.id) == new.get(record.id)
        ):
            items.append(cached)
            continue
        item = _item(record, ctx, options)
        if item is None:
            unknown.append(record.id)
        elif item.size_bytes > 0 and item.cap_bits_per_second <= 0:
            warnings.append(f"{item.id}: {item.own_limit} is zero: it cannot be copied as given")
            unknown.append(record.id)
        else:
            items.append(item)
    index = {item.id: i for i, item in enumerate(items)}
    scale = ctx.efficiency * ctx.compression_ratio
    links: list[SharedLink] = []
    nominal = _links(inventory, options)
    same_items = reuse is not None and [i.id for i in reuse.items] == [i.id for i in items]
    earlier = {link.name: link for link in reuse.links} if reuse is not None else {}
    for link in nominal:
        if same_items and reuse is not None and reuse.nominal_links.get(link.name) == link:
            members = earlier[link.name].members
        else:
            members = tuple(
                sorted(index[m.id] for m in inventory.link_members(link) if m.id in index)
            )
        if link.capacity_bits_per_second <= 0:
            raise ValueError(f"link {link.name!r} has no capacity")
        links.append(SharedLink(link.name, link.capacity_bits_per_second * scale, members))
    jobs = [Job(it.id, it.size_bytes, it.cap_bits_per_second, it.setup_seconds) for it in items]
    slots = schedule(jobs, links, options.concurrency)
    bounds = lower_bound_terms(jobs, links, options.concurrency)
    after = delta_rates(
        [
            Busy(
                it.cap_bits_per_second,
                it.size_bytes,
                slot.start_seconds + it.setup_seconds,
                slot.end_seconds,
                (it.change_bytes_per_second or 0.0) * 8,
            )
            for it, slot in zip(items, slots, strict=True)
        ],
        links,
        options.concurrency,
    )
    cutovers = [
        _cutover(it, slot, rate / 8, seeds)
        for it, slot, rate in zip(items, slots, after, strict=True)
    ]
    return Evaluation(
        options,
        ctx,
        items,
        links,
        slots,
        bounds,
        cutovers,
        unknown,
        warnings,
        {link.name: link for link in nominal},
    )


def _cutover(
    item: Item, slot: Slot, rate_bytes_per_second: float, seeds: TransferSeeds
) -> CutoverResult:
    """Delta rounds (or replication) at the rate the host gets after its bulk copy."""
    duration = slot.end_seconds - slot.start_seconds
    change = item.change_bytes_per_second or 0.0
    if item.kind == "database":
        return replication(
            end_seconds=slot.end_seconds,
            bulk_seconds=duration,
            rate_bytes_per_second=rate_bytes_per_second,
            change_bytes_per_second=change,
            seeds=seeds.databases,
        )
    return pre_copy(
        end_seconds=slot.end_seconds,
        bulk_seconds=duration,
        size_bytes=item.size_bytes,
        rate_bytes_per_second=rate_bytes_per_second,
        change_bytes_per_second=change,
        scan_seconds=item.scan_seconds,
        seeds=seeds.cutover,
    )
