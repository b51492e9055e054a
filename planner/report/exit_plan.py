"""The exit-plan DRAFT: maps the plan and audit to what DORA and the Data Act ask for.

Elements, periods and scenarios come from ``seeds/regulation/exit_plan.yaml``; this module fills
in what exitplan knows (volumes, timeline, alternatives, costs) and leaves blanks for what only
the team can say (owners, triggers, acceptance tests, test dates). Pure.
"""

from __future__ import annotations

from planner.models.seeds import SourceRef
from planner.report import story
from planner.report.audit_views import AuditView
from planner.report.model import ExitPlan, Table, duration, money
from planner.report.regulation import RegulationSeed
from planner.report.views import PlanView

DAY = 86_400.0
BLANK = "______"


def _fits(plan: PlanView, estimate: float | None, limit_seconds: float | None) -> str:
    """``yes``/``NO`` on time; ``yes (time only)`` when the plan names other reasons it fails;
    ``unknown`` when the plan leaves items of unknown size out (its time is a lower bound)."""
    if estimate is None or limit_seconds is None:
        return "unknown"
    if story.incomplete(plan):
        return "NO" if estimate > limit_seconds else "unknown"
    if estimate > limit_seconds:
        return "NO"
    return "yes (time only)" if story.miss_reasons(plan) else "yes"


def _provided(plan: PlanView, audit: AuditView | None) -> dict[str, str]:
    size = story.size_text(plan)
    inv = f"{plan.inventory.servers} servers holding " + (
        "data of unknown size" if size == "unknown" else size
    )
    cap = plan.capacity
    audit_scope = (
        f"; the audit found {len(audit.services)} provider services in {len(audit.workloads)} "
        "workloads"
        if audit
        else "; no lock-in audit was supplied"
    )
    alternatives = [f"a replacement for each of {len(audit.services)} services"] if audit else []
    if audit and audit.suppliers:
        single = len(story.single_points(audit))
        alternatives.append(
            f"alternatives for {story.suppliers_text(audit)} outside the fleet ({single} single "
            "points of failure)"
        )
    if cap is not None:
        alternatives.append(
            f"a target offering for {len(cap.servers)} servers"
            + (f" at {cap.provider}" if cap.provider else "")
        )
    blockers = len(audit.blockers) if audit else 0
    flagged = (
        f"{blockers} non-exportable or blocking items flagged by the audit"
        if audit
        else "no lock-in audit was supplied, so non-exportable items are not known"
    )
    cost = plan.cost
    return {
        "scope": inv + audit_scope + ".",
        "scenarios": (
            f"The plan models an exit within {duration(plan.deadline.seconds)}."
            if plan.deadline and plan.deadline.seconds is not None
            else "The plan has no deadline."
        )
        + " See the scenario table.",
        "alternatives": ("; ".join(alternatives) or "none yet (run the audit and plan --target)")
        + ".",
        "transition": "Time to exit "
        + story.time_text(plan, story.exit_seconds(plan))
        + " (the plan's verdict): "
        + (f"provisioning {duration(cap.provisioning_seconds)}, " if cap else "")
        + f"copy {story.time_text(plan, plan.transfer.bulk_seconds)}, then pre-copy rounds; "
        f"cutover downtime {story.time_text(plan, plan.cutover.downtime_seconds)}; see the "
        "timeline checks.",
        "data": f"{inv}; egress {story.money_text(plan, cost.egress_usd)}; {flagged}.",
        "security": (
            f"{blockers} audit blockers to resolve first (e.g. provider-held keys)"
            if audit
            else "no lock-in audit was supplied (audit blockers such as provider-held keys are "
            "not known)"
        )
        + "; exitplan does not verify integrity.",
        "continuity": "Downtime at cutover "
        + story.time_text(plan, plan.cutover.downtime_seconds)
        + "; pre-copy "
        + (
            "convergence unknown."
            if story.incomplete(plan)
            else "converges."
            if plan.cutover.converges
            else "does not converge for some hosts."
            if plan.cutover.converges is False
            else "convergence unknown."
        ),
        "roles": "Not derivable from an inventory: see the roles table.",
        "testing": "This report can be regenerated at every review; the test date is not known.",
        "erasure": f"The {plan.inventory.servers} servers and their volumes are in the plan; "
        "add snapshots, backups, logs and managed services.",
        "costs": f"Egress {story.money_text(plan, cost.egress_usd)} "
        f"({story.money_text(plan, cost.egress_usd_if_waived)} if waived)"
        + (
            f"; target {money(cost.target_monthly_usd)}/month"
            if cost.target_monthly_usd is not None
            else ""
        )
        + ".",
    }


def _timeline(plan: PlanView, seed: RegulationSeed) -> Table:
    estimate = story.exit_seconds(plan)
    rows = []
    deadline = plan.deadline
    if deadline is not None and deadline.seconds is not None:
        meets = {True: "yes", False: "NO", None: "unknown"}[deadline.meets]
        time_fits = (
            deadline.time_fits
            if deadline.time_fits is not None
            else deadline.margin_seconds is not None and deadline.margin_seconds >= 0
        ) and not story.incomplete(plan)
        rows.append(
            (
                "the plan's deadline",
                duration(deadline.seconds),
                story.time_text(plan, estimate),
                meets,
                "planner verdict" + ("; the time fits (see the verdict)" if time_fits else "")
                if deadline.meets is False
                else "planner verdict",
            )
        )
    for period_id in ("data-act-transition", "data-act-transition-extended", "aws-exit-waiver"):
        period = seed.period(period_id)
        if period is not None:
            rows.append(
                (
                    period.label,
                    period.text,
                    story.time_text(plan, estimate),
                    _fits(plan, estimate, period.days * DAY),
                    period.reference,
                )
            )
    retrieval = seed.period("data-act-retrieval")
    if retrieval is not None:
        rows.append(
            (
                f"{retrieval.label}: a second full copy fits",
                retrieval.text,
                f"{story.time_text(plan, plan.transfer.bulk_seconds)} (copy only)",
                _fits(plan, plan.transfer.bulk_seconds, retrieval.days * DAY),
                retrieval.reference,
            )
        )
    notice = seed.period("data-act-notice")
    if notice is not None:
        rows.append((notice.label, notice.text, "–", "–", notice.reference))
    for key_date in seed.dates:
        rows.append((key_date.label, key_date.date, "–", "–", key_date.reference))
    return Table(
        ("window", "limit", "time to exit", "fits", "source"),
        rows,
        (False, True, True, False, False),
    )


def _scenarios(plan: PlanView, seed: RegulationSeed) -> Table:
    estimate = story.exit_seconds(plan)
    rows = []
    for scenario in seed.scenarios:
        if scenario.window == "deadline":
            limit = plan.deadline.seconds if plan.deadline else None
            window = duration(limit) if limit is not None else "as notified"
        else:
            period = seed.period(scenario.window)
            limit = period.days * DAY if period else None
            window = period.text if period else scenario.window
        rows.append(
            (
                scenario.title,
                scenario.reference,
                "; ".join(scenario.triggers),
                window,
                _fits(plan, estimate, limit),
                BLANK,
            )
        )
    return Table(
        (
            "scenario",
            "source",
            "example triggers (to agree)",
            "time available",
            "plan fits",
            "owner",
        ),
        rows,
    )


def _roles(plan: PlanView, audit: AuditView | None) -> Table:
    if audit is not None and audit.workloads:
        names = [w.id for w in audit.workloads]
    else:
        names = sorted({h.role for h in plan.transfer.hosts if h.role}) or ["whole fleet"]
    return Table(
        ("workload", "critical or important function?", "owner", "acceptance test"),
        [(n, BLANK, BLANK, BLANK) for n in names],
    )


def _data(plan: PlanView, audit: AuditView | None) -> Table:
    rows = [
        (
            "server data",
            story.size_text(plan),
            f"{plan.inventory.servers} servers, per-host copy as planned"
            + (f"; {story.unknown_note(plan)}" if story.incomplete(plan) else ""),
            story.time_text(plan, plan.transfer.bulk_seconds),
            story.money_text(plan, plan.cost.egress_usd),
        )
    ]
    for blocker in audit.blockers if audit else []:
        rows.append(
            (
                f"BLOCKER{': ' + blocker.service if blocker.service else ''}",
                "–",
                blocker.workaround or "workaround to define",
                "–",
                blocker.text,
            )
        )
    return Table(
        ("data or asset", "volume", "method", "duration", "cost / note"),
        rows,
        (False, True, False, True, False),
    )


def _suppliers(audit: AuditView | None) -> Table | None:
    """Every outside supplier: what to line up before it drops the customer, and by when."""
    if audit is None or not audit.suppliers:
        return None
    rows = []
    for s in audit.suppliers:
        cloud = f"; lost with the {s.with_cloud} account" if s.with_cloud else ""
        rows.append(
            (
                s.name,
                s.function or s.kind or "",
                (s.replacement_time or s.replacement or "unknown") + cloud,
                (s.alternatives[0] if s.alternatives else s.replacement or "")
                if s.classified
                else "classify it first",
                "unclassified"
                if not s.classified
                else "yes"
                if s.single_point
                else "no"
                if s.single_point is False
                else "–",
                BLANK,
                BLANK,
            )
        )
    return Table(
        (
            "supplier",
            "function",
            "time to replace",
            "alternative to line up",
            "single point",
            "contract / notice",
            "owner",
        ),
        rows,
    )


def cite(source: SourceRef) -> str:
    """``title — publisher, date, url``."""
    return " — ".join(
        p
        for p in (
            source.title,
            ", ".join(x for x in (source.publisher, source.date, source.url) if x),
        )
        if p
    )


def exit_plan(plan: PlanView, audit: AuditView | None, seed: RegulationSeed) -> ExitPlan:
    """Build the DRAFT exit-plan section."""
    provided = _provided(plan, audit)
    elements = Table(
        ("element", "source", "what is asked", "what this report provides", "to complete"),
        [
            (e.title, e.reference, e.requirement, provided.get(e.id, "–"), "; ".join(e.team))
            for e in seed.elements
        ],
    )
    lines = [
        "DRAFT, generated from the plan and the audit. The team must complete, review and "
        "approve it; it is not legal advice. Blanks (" + BLANK + ") are for the team.",
        f"Estimated time to exit: {story.time_text(plan, story.exit_seconds(plan))}, the plan's "
        "end-to-end "
        "figure, as in its verdict (provisioning, if known, then the bulk copy, then the pre-copy "
        "rounds until the last host is switched over).",
    ]
    reasons = story.miss_reasons(plan)
    if reasons:
        lines.append("The plan cannot be carried out as it stands: " + "; ".join(reasons) + ".")
    confidence = story.confidence_text(plan)
    if confidence is not None:
        lines.append(
            f"Confidence of the plan: {confidence}. Measure the links (exitplan probe) and "
            "discover the servers before relying on these figures."
        )
    if audit and audit.suppliers:
        cloud = [s.name for s in audit.suppliers if s.with_cloud]
        lines.append(
            f"Outside suppliers: {story.suppliers_text(audit)} found"
            + (
                f", of which {len(cloud)} are run by the cloud provider and go with the account"
                if cloud
                else ""
            )
            + ". Any of them can drop the customer on its own, as the SMS provider, the DNS/CDN "
            "companies and the app stores did within days in January 2021: line up each "
            "alternative before it is needed."
        )
    testing = [
        f"Last full test of this plan: {BLANK} (date, scope, result, approver).",
        "Test at the target with one server per role before relying on the plan.",
        "Measure the real links and re-plan with the measured rates.",
        "Re-run the plan, the audit and this report at every periodic review; keep the diff.",
    ]
    return ExitPlan(
        lines=lines,
        elements=elements,
        timeline=_timeline(plan, seed),
        scenarios=_scenarios(plan, seed),
        roles=_roles(plan, audit),
        data=_data(plan, audit),
        testing=testing,
        sources=[cite(s) for s in seed.sources] + [f"Regulation summary as of {seed.as_of}."],
        suppliers=_suppliers(audit),
    )
