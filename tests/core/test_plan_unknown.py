"""Unknown sizes are never zero: a plan with them does not call the deadline met (review 8, 20)."""

from planner.core.plan import build_plan, meets_deadline
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from planner.plan_text import to_markdown, verdict_lines
from planner.units import format_duration
from tests.core.plan_helpers import FAST_OPTIONS, fast_server, inventory

SEEDS = transfer_seeds()
MYSTERY = {"id": "mystery-01", "source": {"provider": "aws", "region": "us-east-1"}}


def test_meets_deadline_is_unproven_only_when_the_known_part_fits():
    assert meets_deadline(100.0, None, unknown_size=True) is None
    assert meets_deadline(100.0, 200.0, unknown_size=False) is True
    assert meets_deadline(100.0, 200.0, unknown_size=True) is None  # unknown items may not fit
    assert meets_deadline(300.0, 200.0, unknown_size=True) is False  # late even without them


def test_a_server_without_volumes_is_not_planned_as_zero_and_not_met():
    plan = build_plan(inventory(MYSTERY), SEEDS, PlanOptions(deadline_seconds=86400))
    assert plan.inventory.unknown_size == ["mystery-01"]
    assert plan.transfer.hosts == [] and plan.cutover.hosts == []
    assert plan.inventory.total_bytes is None  # nothing known: not 0 B
    assert plan.deadline.meets is None
    assert plan.deadline.time_fits is None and plan.deadline.margin_seconds is None
    assert any("mystery-01" in w and "cannot be shown" in w for w in plan.warnings)
    lines = verdict_lines(plan)
    text = "\n".join(lines)
    assert "MET" not in text and "NOT PROVEN" in lines[0] and "mystery-01" in lines[0]
    assert "0 B" not in text and "None" not in text
    assert lines[2] == "Cutover: no host of known size to cut over."
    markdown = to_markdown(plan)
    assert "Hosts by limit: ." not in markdown and "None" not in markdown
    assert "## Items of unknown size (not in the plan)\n\n- mystery-01\n" in markdown


def test_the_known_part_is_planned_and_its_margin_not_claimed():
    known = fast_server("known-01", "1TB")
    options = PlanOptions(deadline_seconds=86400, **FAST_OPTIONS)
    plan = build_plan(inventory(known, MYSTERY), SEEDS, options)
    alone = build_plan(inventory(known), SEEDS, options)
    assert alone.deadline.meets is True
    assert plan.deadline.meets is None
    # the known part's margin is not the exit's: null in the plan, shown only as the known part's
    assert alone.deadline.margin_seconds is not None and alone.deadline.time_fits is True
    assert plan.deadline.margin_seconds is None and plan.deadline.time_fits is None
    spare = f"The known part fits with {format_duration(alone.deadline.margin_seconds)} to spare"
    assert spare in verdict_lines(plan)[0]
    assert plan.inventory.total_bytes == 10**12
    first = verdict_lines(plan)[0]
    assert first.startswith("Deadline 24 h: NOT PROVEN - 1 item(s) of unknown size")
    assert "The known part fits with" in first and "everything of known size" in first
    assert "(and 1 item(s) of unknown size, not counted)" in verdict_lines(plan)[1]
    assert "for the sizes known" in verdict_lines(plan)[3]


def test_a_known_part_that_is_late_is_missed_all_the_same():
    big = fast_server("big", "100TB", vcpus=2, network={"baseline": "1Gbps"})
    plan = build_plan(inventory(big, MYSTERY), SEEDS, PlanOptions(deadline_seconds=3600))
    assert plan.deadline.meets is False
    assert "MISSED by" in verdict_lines(plan)[0]
