"""The report in a real browser: headless Chromium loads it offline, without console errors or
network requests, shows the verdict and draws every chart; a screenshot and a PDF are kept in
``test-artifacts/`` for people to look at."""

from __future__ import annotations

import json

import pytest

from planner.report.render import render_report
from tests.report.cdp import Browser, chromium_path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium (tests/run)"),
]

PROBE = """JSON.stringify({
  headline: document.querySelector('.verdict .headline')?.textContent,
  draft: document.querySelector('#exit-plan .draft-banner')?.textContent,
  charts: [...document.querySelectorAll('figure.chart-box')].map(f => {
    const svg = f.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : null;
    return {name: f.dataset.chart, width: box ? box.width : 0, height: box ? box.height : 0,
            marks: svg ? svg.querySelectorAll('path, rect, use, text, image').length : 0};
  }),
  external: [...document.querySelectorAll('[src], link[href], script')].length,
  sections: [...document.querySelectorAll('main section[id]')].map(s => s.id),
  scrollWidth: document.documentElement.scrollWidth,
})"""


@pytest.mark.parametrize(
    ("plan_fixture", "with_audit", "charts"),
    [
        ("plan500", True, {"gantt", "progress", "bottlenecks", "roles", "rounds", "heat"}),
        ("plan_small", False, {"gantt", "waves", "progress", "bottlenecks"}),
    ],
)
def test_report_renders_in_chromium(
    request, tmp_path, artifacts, plan_fixture, with_audit, charts, audit
):
    plan = request.getfixturevalue(plan_fixture)
    report = render_report(plan, audit if with_audit else None)
    page = tmp_path / "report.html"
    page.write_text(report.html, encoding="utf-8")
    name = f"report-{plan_fixture}"
    with Browser(tmp_path / "profile", width=1280, height=900) as browser:
        browser.open(page.as_uri())
        facts = json.loads(browser.evaluate(PROBE))
        shot = browser.screenshot(artifacts / f"{name}.png")
        pdf = browser.pdf(artifacts / f"{name}.pdf")
        problems = browser.problems()
        requests = browser.requests()
    assert problems == []
    assert requests == [page.as_uri()], "the page must load nothing but itself"
    assert facts["external"] == 0
    assert facts["headline"] == report.data.verdict.headline
    assert facts["draft"] == "DRAFT"
    drawn = {c["name"] for c in facts["charts"] if c["width"] > 200 and c["height"] > 100}
    assert drawn == charts, facts["charts"]
    assert all(c["marks"] > 10 for c in facts["charts"]), facts["charts"]
    assert facts["scrollWidth"] <= 1280, "nothing may overflow a laptop-width window"
    assert {
        "verdict",
        "schedule",
        "time",
        "data",
        "cutover",
        "capacity",
        "lockin",
        "blockers",
        "assumptions",
        "suggestions",
        "exit-plan",
    } <= set(facts["sections"])
    assert shot.stat().st_size > 50_000
    assert pdf.read_bytes().startswith(b"%PDF")


def test_demo_report_renders_in_chromium(tmp_path, artifacts):
    """The report `exitplan demo` writes, as a person would open it."""
    from planner.demo import run_demo

    ctx = run_demo(tmp_path / "demo")
    page = ctx.files["report_html"]
    with Browser(tmp_path / "profile", width=1280, height=900) as browser:
        browser.open(page.as_uri())
        facts = json.loads(browser.evaluate(PROBE))
        shot = browser.screenshot(artifacts / "report-demo.png")
        problems = browser.problems()
        requests = browser.requests()
    assert problems == []
    assert requests == [page.as_uri()]
    plan = json.loads(ctx.files["plan"].read_text())
    missed = "missed" if plan["deadline"]["meets"] is False else "met"
    assert missed in facts["headline"].lower()
    drawn = [c for c in facts["charts"] if c["width"] > 200 and c["height"] > 100]
    assert {"gantt", "progress", "heat"} <= {c["name"] for c in drawn}
    assert all(c["marks"] > 10 for c in drawn)
    assert {"verdict", "capacity", "lockin", "exit-plan"} <= set(facts["sections"])
    assert shot.stat().st_size > 50_000
