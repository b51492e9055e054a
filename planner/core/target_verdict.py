"""The verdict of an exit to a target: provisioning + copy + cutover, and what stands in the way.

:func:`with_capacity` embeds the capacity plan in the transfer plan and restates the deadline:
``deadline.reasons[]`` lists what keeps it from being met (``late``: provisioning + copy +
cutover exceed it; ``unplaced``: servers with no machine; ``capacity``: a blocker at the target
such as a private cluster's cores or quota) and ``deadline.meets`` is true only when there is
none. ``deadline.margin_seconds`` stays the time margin alone (``time_fits``). Suggestions start
with the changes at the target (:mod:`planner.core.suggest_target`), then the copy changes
(computed against the time left once the target changes are made), then another target when
nothing else meets the deadline; a missed deadline always gets at least one. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.cost import waiver_info
from planner.core.plan import margin, meets_deadline
from planner.core.suggest_target import (
    Alternative,
    TargetFix,
    alternative_text,
    blocking,
    not_reachable,
)
from planner.models.capacity import CapacityPlan
from planner.models.plan import (
    Deadline,
    DeadlineReason,
    Plan,
    PlanAssumption,
    PlanOptions,
    Suggestion,
)
from planner.models.transfer_seeds import TransferSeeds
from planner.units import format_duration, format_size

SEQUENTIAL = PlanAssumption(
    name="provisioning before copy",
    value="the copy starts when the target machines are ready",
    source="exitplan modelling choice (conservative; copies can start as machines arrive)",
)


def reasons_for(
    capacity: CapacityPlan, completion_seconds: float, deadline: float
) -> list[DeadlineReason]:
    """What keeps the exit from meeting ``deadline``; empty when it is met."""
    out: list[DeadlineReason] = []
    if completion_seconds > deadline:
        text = (
            f"provisioning + copy + cutover take {format_duration(completion_seconds)}, "
            f"{format_duration(completion_seconds - deadline)} more than the deadline"
        )
        if capacity.provisioning_seconds >= deadline:
            text += (
                f"; getting the machines alone takes "
                f"{format_duration(capacity.provisioning_seconds)}"
            )
        out.append(DeadlineReason(kind="late", message=text, seconds=completion_seconds - deadline))
    if capacity.unplaced:
        ids = [u.id for u in capacity.unplaced]
        out.append(
            DeadlineReason(
                kind="unplaced",
                message=f"{len(ids)} {'server has' if len(ids) == 1 else 'servers have'} no "
                f"machine at {capacity.target.title} "
                f"({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})",
                ids=ids,
            )
        )
    out.extend(DeadlineReason(kind="capacity", message=m) for m in blocking(capacity))
    return out


def with_capacity(
    plan: Plan,
    capacity: CapacityPlan,
    deadline_seconds: float | None,
    fixes: Sequence[TargetFix] = (),
    alternative: Alternative | None = None,
    seeds: TransferSeeds | None = None,
    copy_options: PlanOptions | None = None,
) -> Plan:
    """Embed ``capacity`` and restate the deadline verdict as provisioning + copy + cutover.

    ``plan.suggestions`` (the copy changes) were computed against the deadline minus the
    provisioning left after ``fixes``; they are shifted to end-to-end times here."""
    completion = capacity.provisioning_seconds + plan.cutover.completion_seconds
    unknown = bool(plan.inventory.unknown_size)
    reasons = (
        [] if deadline_seconds is None else reasons_for(capacity, completion, deadline_seconds)
    )
    warnings = list(plan.warnings)
    if deadline_seconds is not None and capacity.provisioning_seconds >= deadline_seconds:
        warnings.append(
            "getting the target machines alone takes longer than the deadline: "
            "see capacity.blockers for what would shorten it"
        )
    if capacity.unplaced:
        warnings.append(
            f"{len(capacity.unplaced)} servers have no machine at {capacity.target.provider}: "
            "the deadline cannot be met there until they are placed (see capacity.unplaced)"
        )
    monthly = None if capacity.unpriced_machines else capacity.monthly_usd
    if capacity.unpriced_machines:
        warnings.append(
            f"{capacity.unpriced_machines} of {capacity.machines} machines at "
            f"{capacity.target.title} have no price (none given for their flavor or volumes): "
            "the target's monthly cost is unknown"
        )
    placed = {p.id for p in capacity.servers}
    not_costed = [h.id for h in plan.transfer.hosts if h.kind != "server" and h.id not in placed]
    not_costed += [u.id for u in capacity.unplaced]
    stores = [h for h in plan.transfer.hosts if h.kind != "server" and h.id not in placed]
    if stores:
        size = sum(h.bytes for h in stores)
        kinds = ", ".join(sorted({h.kind for h in stores}))
        warnings.append(
            f"{len(stores)} data store{'s' if len(stores) > 1 else ''} ({kinds}; "
            f"{format_size(size)}) {'are' if len(stores) > 1 else 'is'} not sized or costed "
            f"at {capacity.target.title}: the target's monthly cost covers servers only "
            "(see cost.target_not_costed)"
        )
    cost = plan.cost.model_copy(
        update={"target_monthly_usd": monthly, "target_not_costed": not_costed}
    )
    if seeds is not None and cost.waiver is not None:
        partial = bool(plan.inventory.unknown_size)
        cost = cost.model_copy(update={"waiver": waiver_info(seeds.egress, completion, partial)})
    suggestions: list[Suggestion] = []
    if deadline_seconds is not None and reasons:
        suggestions = _suggestions(
            plan, capacity, deadline_seconds, reasons, fixes, alternative, copy_options
        )
    return plan.model_copy(
        update={
            "capacity": capacity,
            "deadline": Deadline(
                seconds=deadline_seconds,
                meets=_meets(plan, deadline_seconds, reasons),
                margin_seconds=margin(completion, deadline_seconds, unknown),
                time_fits=meets_deadline(completion, deadline_seconds, unknown),
                reasons=reasons,
                provisioning_seconds=capacity.provisioning_seconds,
                completion_seconds=completion,
            ),
            "cost": cost,
            "suggestions": suggestions,
            "assumptions": [*plan.assumptions, SEQUENTIAL, *capacity.assumptions],
            "warnings": warnings,
        }
    )


def _meets(plan: Plan, deadline: float | None, reasons: list[DeadlineReason]) -> bool | None:
    """False with a reason; None without a deadline, or when items of unknown size are left
    out of the plan (the known part fitting proves nothing); else True."""
    if deadline is None:
        return None
    if reasons:
        return False
    return None if plan.inventory.unknown_size else True


def proven(fits: bool, unproven: bool) -> bool | None:
    """A suggestion's ``meets``: False if it does not fit; None if it fits but that is not
    proven (items of unknown size left out, or a precondition of uncounted time); else True."""
    if not fits:
        return False
    return None if unproven else True


def _suggestions(
    plan: Plan,
    capacity: CapacityPlan,
    deadline: float,
    reasons: list[DeadlineReason],
    fixes: Sequence[TargetFix],
    alternative: Alternative | None,
    copy_options: PlanOptions | None,
) -> list[Suggestion]:
    unchanged = copy_options or PlanOptions()  # target changes leave the copy as it is
    unknown = bool(plan.inventory.unknown_size)
    needed = {r.kind for r in reasons} - {"late"}
    resolved: set[str] = set()
    copy_seconds = plan.cutover.completion_seconds
    out: list[Suggestion] = []
    condition: str | None = None  # cumulative: a precondition holds for what follows
    for fix in fixes:
        resolved.update(fix.resolves)
        condition = fix.condition or condition
        done = fix.provisioning_seconds + copy_seconds
        out.append(
            Suggestion(
                action=fix.action,
                summary=fix.summary,
                targets=fix.targets,
                resulting_bulk_seconds=plan.transfer.bulk_seconds,
                resulting_completion_seconds=done,
                meets=proven(done <= deadline and needed <= resolved, unknown or bool(condition)),
                condition=condition,
                cumulative=True,
                options=unchanged,
                resolves=list(fix.resolves),
            )
        )
    provisioning = fixes[-1].provisioning_seconds if fixes else capacity.provisioning_seconds
    for copy in plan.suggestions:
        done = provisioning + copy.resulting_completion_seconds
        out.append(
            copy.model_copy(
                update={
                    "resulting_completion_seconds": done,
                    "meets": proven(
                        done <= deadline and needed <= resolved and copy.action != "none",
                        unknown or bool(condition),
                    ),
                    "condition": condition,
                }
            )
        )
    if any(s.meets is not False for s in out):
        return out
    if provisioning >= deadline:
        out.append(
            Suggestion(
                action="none",
                summary=not_reachable(capacity, provisioning, deadline),
                resulting_bulk_seconds=plan.transfer.bulk_seconds,
                resulting_completion_seconds=provisioning + copy_seconds,
                meets=False,
                cumulative=True,
                options=unchanged,
            )
        )
    if alternative is not None:
        out.append(
            Suggestion(
                action="another-target",
                summary=alternative_text(alternative),
                targets=[alternative.catalog.provider],
                resulting_bulk_seconds=alternative.bulk_seconds,
                resulting_completion_seconds=alternative.completion_seconds,
                meets=proven(alternative.completion_seconds <= deadline, unknown),
                cumulative=False,
                options=alternative.options,
            )
        )
    return out
