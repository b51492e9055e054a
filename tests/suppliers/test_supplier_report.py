"""The report shows the audit's suppliers: in the lock-in section and in the exit-plan DRAFT."""

import json
from pathlib import Path

from planner.audit.render import to_json
from planner.audit.run import run_audit
from planner.report.render import render_report

SHOP = Path(__file__).parent / "fixtures" / "webshop"
PLAN = Path(__file__).parents[1] / "report" / "fixtures" / "plan-small.json"


def test_report_shows_suppliers_from_a_real_audit():
    audit = json.loads(
        to_json(run_audit(SHOP / "inventory.yaml", dns=[SHOP / "dns" / "shop.example.zone"]))
    )
    report = render_report(json.loads(PLAN.read_text()), audit)
    md = report.markdown
    section = md.split("### Outside suppliers", 1)[1].split("\n## ", 1)[0]
    assert "Cloudflare DNS" in section and "hours (up to 1 day)" in section
    assert "34.160.111.32" in section and "unclassified" in section
    assert "outside suppliers" in md.split("## Lock-in", 1)[1].split("\n## ", 1)[0]
    plan_part = md.split("## Exit plan (DRAFT)", 1)[1]
    assert "### Outside suppliers to replace" in plan_part
    assert "Twilio (SMS and voice)" in plan_part and "within days in January 2021" in plan_part
    assert "alternatives for" in plan_part  # the 'alternative solutions' element counts them
    html = report.html
    assert "<h3>Outside suppliers to replace</h3>" in html and "Apple Push Notification" in html


def test_hand_written_supplier_lists_still_render():
    audit = json.loads((PLAN.parent / "audit.json").read_text())
    md = render_report(json.loads(PLAN.read_text()), audit).markdown
    assert "SMS provider" in md and "Outside suppliers to replace" in md
