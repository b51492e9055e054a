"""The figures every section of the report must state alike, taken from the plan and the audit.

One place decides the time to exit (the plan's own end-to-end figure), why a deadline whose time
fits is still missed, what counts as a blocker, how outside suppliers are counted, how the audit's
scores are named and how confident the plan is. The verdict, the schedule, the blocker table and
the exit-plan draft all read these, so they cannot tell different stories. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.report.audit_views import AuditView, DimensionView
from planner.report.model import duration, money
from planner.report.views import CapacityBlockerView, PlanView, StuckHostView
from planner.units import format_size


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 server``, ``3 servers`` (``many`` for irregular plurals)."""
    return f"{count} {one if count == 1 else many or one + 's'}"


# ----------------------------------------------------------------------------------- time


def exit_seconds(plan: PlanView) -> float | None:
    """The plan's end-to-end time to exit: provisioning, bulk copy, then the pre-copy rounds
    until the last host is switched over (``deadline.completion_seconds``, the number behind the
    plan's verdict). Plans without it fall back to the same sum from their parts."""
    deadline = plan.deadline
    if deadline is not None and deadline.completion_seconds is not None:
        return deadline.completion_seconds
    provisioning = plan.capacity.provisioning_seconds if plan.capacity else None
    if plan.cutover.completion_seconds is not None:
        return (provisioning or 0.0) + plan.cutover.completion_seconds
    bulk = plan.transfer.bulk_seconds
    if bulk is None:
        return None
    return (provisioning or 0.0) + bulk + (plan.cutover.downtime_seconds or 0.0)


def provisioning_seconds(plan: PlanView) -> float | None:
    deadline = plan.deadline
    if deadline is not None and deadline.provisioning_seconds is not None:
        return deadline.provisioning_seconds
    return plan.capacity.provisioning_seconds if plan.capacity else None


# ---------------------------------------------------------------------- unknown sizes


def unknown_items(plan: PlanView) -> list[str]:
    """Ids of items whose size the plan does not know (``inventory.unknown_size``)."""
    return list(plan.inventory.unknown_size)


def incomplete(plan: PlanView) -> bool:
    """True when the plan's sizes, times and costs leave items out: items of unknown size, or
    no total size at all. Its figures are then lower bounds at best, never totals."""
    return bool(plan.inventory.unknown_size) or plan.inventory.total_bytes is None


def _bounded(plan: PlanView, value: float | None, text: str) -> str:
    if not incomplete(plan):
        return text
    if value is None or value <= 0:
        return "unknown"
    return f"at least {text}"


def size_text(plan: PlanView, size_bytes: float | None = None) -> str:
    """The fleet's size (or ``size_bytes``): ``unknown`` or ``at least ...`` when items of
    unknown size are left out."""
    value = plan.inventory.total_bytes if size_bytes is None else size_bytes
    return _bounded(plan, value, format_size(value) if value is not None else "unknown")


def time_text(plan: PlanView, seconds: float | None) -> str:
    """A time that grows with the data: ``unknown`` or ``at least ...`` when items of unknown
    size are left out."""
    return _bounded(plan, seconds, duration(seconds))


def money_text(plan: PlanView, usd: float | None) -> str:
    """A cost that grows with the data (egress), bounded like :func:`time_text`."""
    return _bounded(plan, usd, money(usd))


def unknown_note(plan: PlanView) -> str:
    """``1 item of unknown size (web-001) is not in the plan`` or ``""``."""
    items = unknown_items(plan)
    if not items:
        return "the fleet's size is unknown" if incomplete(plan) else ""
    shown = ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
    verb = "is" if len(items) == 1 else "are"
    return f"{plural(len(items), 'item')} of unknown size ({shown}) {verb} not in the plan"


def margin_known(plan: PlanView) -> float | None:
    """The plan's margin against its deadline when it is proven, else None (unknown sizes)."""
    deadline = plan.deadline
    if deadline is None or incomplete(plan):
        return None
    return deadline.margin_seconds


# ------------------------------------------------------------------------------- blockers


def capacity_blockers(plan: PlanView) -> list[CapacityBlockerView]:
    """Capacity findings of severity ``blocker`` (warnings and notes stay in the capacity
    section)."""
    return [b for b in plan.capacity.blockers if b.severity == "blocker"] if plan.capacity else []


def unplaced_count(plan: PlanView) -> int:
    return len(plan.capacity.unplaced) if plan.capacity else 0


def stuck_hosts(plan: PlanView) -> list[StuckHostView]:
    """Hosts whose pre-copy does not converge (listed by the cutover or flagged per host)."""
    listed = list(plan.cutover.not_converging)
    seen = {h.id for h in listed}
    return listed + [
        StuckHostView(id=h.id)
        for h in plan.transfer.hosts
        if h.converges is False and h.id not in seen
    ]


def miss_reasons(plan: PlanView, *, besides_time: bool = False) -> list[str]:
    """Why the plan misses its deadline apart from time: ``deadline.reasons`` when the plan
    gives them, else servers with no machine and capacity blockers. ``besides_time`` leaves out
    the plan's ``late`` reason (for lines next to a headline that already says by how much)."""
    if plan.deadline is not None and plan.deadline.reasons:
        if besides_time:
            return list(plan.deadline.not_time_reasons)
        return list(plan.deadline.reasons)
    reasons = []
    unplaced = unplaced_count(plan)
    if unplaced:
        verb = "has" if unplaced == 1 else "have"
        reasons.append(f"{plural(unplaced, 'server')} {verb} no machine at the target")
    reasons += [b.text for b in capacity_blockers(plan) if not (unplaced and b.kind == "unplaced")]
    return reasons


@dataclass(frozen=True)
class BlockerCount:
    """The rows of the report's blocker table, by origin.

    Hosts whose pre-copy does not converge are not blockers: their final round runs with
    services stopped and the plan's downtime already counts it.
    """

    lockin: int
    capacity: int

    @property
    def total(self) -> int:
        return self.lockin + self.capacity

    def text(self) -> str:
        """``2 blockers (1 lock-in, 1 capacity)`` or ``no blockers``."""
        if not self.total:
            return "no blockers"
        parts = [
            f"{n} {what}"
            for n, what in ((self.lockin, "lock-in"), (self.capacity, "capacity"))
            if n
        ]
        return f"{plural(self.total, 'blocker')} ({', '.join(parts)})"


def blocker_count(plan: PlanView, audit: AuditView | None) -> BlockerCount:
    return BlockerCount(
        lockin=len(audit.blockers) if audit else 0,
        capacity=len(capacity_blockers(plan)),
    )


# ------------------------------------------------------------------------------ suppliers


def suppliers_text(audit: AuditView) -> str:
    """``9 suppliers + 1 unclassified endpoint``: classified suppliers and outside endpoints
    no rule recognises are counted apart, everywhere."""
    known = sum(1 for s in audit.suppliers if s.classified)
    unknown = len(audit.suppliers) - known
    parts = [plural(known, "supplier")] if known or not unknown else []
    if unknown:
        parts.append(plural(unknown, "unclassified endpoint"))
    return " + ".join(parts)


def single_points(audit: AuditView) -> list[str]:
    """Classified suppliers that are single points of failure, in audit order."""
    return [s.name for s in audit.suppliers if s.classified and s.single_point]


# ---------------------------------------------------------------------------------- audit


def dimension(audit: AuditView, dimension_id: str) -> DimensionView | None:
    return next((d for d in audit.dimensions if d.id == dimension_id), None)


def score_text(score: float | None, level: str | None) -> str:
    if score is None:
        return "unknown"
    return f"{score:.0f}/100" + (f" ({level})" if level else "")


def audit_text(audit: AuditView) -> str:
    """``audit 91/100 (very-high): lock-in 35/100 (medium), suppliers 91/100 (very-high)``.

    The overall score combines the dimensions; it is never called lock-in."""
    text = f"audit {score_text(audit.score, audit.level)}"
    if audit.dimensions:
        text += ": " + ", ".join(f"{d.id} {score_text(d.score, d.level)}" for d in audit.dimensions)
    return text


# ----------------------------------------------------------------------------- confidence


def confidence_text(plan: PlanView) -> str | None:
    """``low: 0% of the bytes measured or discovered; <notes>`` or None when not given."""
    conf = plan.confidence
    if conf is None or not conf.level:
        return None
    parts = []
    if conf.measured_bytes_fraction is not None:
        parts.append(f"{conf.measured_bytes_fraction:.0%} of the bytes measured or discovered")
    parts += conf.notes
    return conf.level + (": " + "; ".join(parts) if parts else "")
