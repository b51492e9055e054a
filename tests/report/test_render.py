"""The rendered HTML and Markdown: same content, self-contained, escaped, within size."""

from __future__ import annotations

import copy
import re

from planner.report.render import render_report


def test_html_is_self_contained_and_has_every_section(plan500, audit):
    report = render_report(plan500, audit, generated_at="2026-11-22T00:00:00+00:00")
    html = report.html
    assert html.startswith("<!doctype html>")
    assert "Deadline missed by 24 h 49 min" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert (
        html.count('<svg class="chart"') == 6
    )  # gantt, progress, bottlenecks, roles, rounds, heat
    assert "<image" not in html, "charts are vector only"
    for anchor in (
        "verdict",
        "suggestions",
        "schedule",
        "time",
        "data",
        "cutover",
        "capacity",
        "lockin",
        "blockers",
        "assumptions",
        "exit-plan",
    ):
        assert f'id="{anchor}"' in html
    assert "DRAFT" in html and "DORA Art. 28(8)" in html and "Data Act Art. 25" in html
    assert html.count("<tr>") > 500  # the full schedule table lists every host
    assert len(html.encode()) < 5 * 2**20


def test_markdown_has_the_same_content_without_charts(plan500, audit):
    report = render_report(plan500, audit)
    md = report.markdown
    assert md.startswith("# Exit report")
    assert f"## Verdict: {report.data.verdict.headline}" in md
    assert "<svg" not in md
    for heading in (
        "## What would meet the deadline",
        "## Transfer schedule",
        "## Where the time goes",
        "## Data by role and the largest hosts",
        "## Cutover",
        "## Capacity at the target",
        "## Lock-in",
        "## Blockers",
        "## Assumptions and sources",
        "## Exit plan (DRAFT)",
        "### Services per workload and lock-in class",
    ):
        assert heading in md
    for assumption in plan500["assumptions"]:
        assert assumption["name"] in md
    rows = [line for line in md.splitlines() if line.startswith("|")]
    widths = {line.count(" | ") for line in rows if not line.startswith("| ---")}
    assert rows and widths  # tables are well-formed pipes tables
    assert "media-005" in md


def test_values_from_documents_are_escaped(plan_small):
    doc = copy.deepcopy(plan_small)
    doc["transfer"]["hosts"][0]["id"] = "<script>alert(1)</script>|x"
    doc["assumptions"][0]["source"] = "a | b <img src=x onerror=alert(1)>"
    report = render_report(doc, None)
    assert "<script>alert(1)" not in report.html and "&lt;script&gt;" in report.html
    assert "<img src=x" not in report.html
    assert "a \\| b &lt;img" in report.markdown
    assert "<script>alert" not in report.markdown


def test_without_audit_and_capacity_the_sections_say_so(plan_small):
    report = render_report(plan_small, None)
    assert "No lock-in audit was given" in report.html
    assert "The plan has no capacity section" in report.html
    assert "NO SOURCE GIVEN" in report.html  # the fixture has one assumption without a source
    assert "Hosts whose pre-copy does not converge" in report.markdown  # the fixture has one
    assert 'data-chart="waves"' in report.html and 'data-chart="heat"' not in report.html


def test_rendering_is_deterministic(plan_small, audit):
    first = render_report(plan_small, audit, generated_at="t")
    second = render_report(plan_small, audit, generated_at="t")
    assert first.html == second.html and first.markdown == second.markdown


def test_sparse_plan_with_unknowns_renders(tmp_path):
    plan = {
        "schema_version": 1,
        "inventory": {"servers": 0, "total_bytes": 0},
        "deadline": None,
        "transfer": {
            "bulk_seconds": None,
            "lower_bound_seconds": None,
            "bottleneck": None,
            "hosts": [],
        },
        "cutover": {"downtime_seconds": None, "rounds": None, "converges": None},
        "cost": {"egress_usd": None, "egress_usd_if_waived": None, "target_monthly_usd": None},
        "assumptions": [],
    }
    report = render_report(plan, None)
    assert report.data.verdict.headline == "No deadline set; the time to exit is unknown"
    assert '<svg class="chart"' not in report.html
    assert "## Exit plan (DRAFT)" in report.markdown
    one = dict(
        plan,
        inventory={"servers": 1, "total_bytes": 10},
        transfer={
            "bulk_seconds": 0,
            "lower_bound_seconds": 0,
            "bottleneck": "x",
            "hosts": [
                {
                    "id": "a",
                    "bytes": 10,
                    "start_seconds": 0,
                    "end_seconds": 0,
                    "rate_bits_per_second": None,
                    "limited_by": None,
                }
            ],
        },
    )
    report = render_report(one, None)
    assert 'data-chart="gantt"' in report.html and "unknown" in report.markdown


def test_real_plan_suggestions_show_their_resulting_time():
    from planner.core.plan import build_plan
    from planner.io.transfer_seeds import transfer_seeds
    from planner.models import Inventory
    from planner.models.plan import PlanOptions

    inventory = Inventory.model_validate(
        {
            "servers": [
                {
                    "id": "big",
                    "vcpus": 64,
                    "network": {"baseline": "25Gbps"},
                    "volumes": [
                        {
                            "size": "20TB",
                            "used": "10TB",
                            "volume_type": "gp3",
                            "throughput": "2000 MiB/s",
                        }
                    ],
                }
            ]
        }
    )
    plan = build_plan(inventory, transfer_seeds(), PlanOptions(deadline_seconds=12 * 3600))
    assert plan.suggestions, "a 10 TB host on a 1 Gbps port misses 12 h"
    report = render_report(plan.model_dump(mode="json"))
    for suggestion in plan.suggestions:
        (row,) = [
            x for x in report.markdown.splitlines() if x.startswith(f"| {suggestion.summary} |")
        ]
        resulting = row.split("|")[2].strip()
        hours = suggestion.resulting_completion_seconds / 3600
        assert resulting.startswith(f"{int(hours)} h"), (row, hours)
