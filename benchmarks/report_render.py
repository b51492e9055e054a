"""Render the HTML and Markdown report for a 500-server plan; print time and size.

Targets (issue 10): under 2 s and under 5 MB for a 500-server plan.
Usage: python -m benchmarks.report_render [PLAN.json [AUDIT.json]] [--repeat N]
(default: tests/report/fixtures/plan-500.json and audit.json)
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "report" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("plan", nargs="?", type=Path, default=FIXTURES / "plan-500.json")
    parser.add_argument("audit", nargs="?", type=Path, default=FIXTURES / "audit.json")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    from planner.report.render import render_report  # import time is measured

    import_seconds = time.perf_counter() - started
    plan = json.loads(args.plan.read_text())
    audit = json.loads(args.audit.read_text()) if args.audit else None

    timings, cpu = [], []
    for _ in range(args.repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        report = render_report(plan, audit)
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    html_mb = len(report.html.encode()) / 1e6
    md_mb = len(report.markdown.encode()) / 1e6
    hosts = len(plan["transfer"]["hosts"])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"plan: {args.plan.name} ({hosts} hosts); audit: {args.audit.name if audit else '-'}")
    print(f"import (matplotlib, jinja2, report): {import_seconds:.2f} s")
    print(f"render, first call:                  {timings[0]:.2f} s (CPU {cpu[0]:.2f} s)")
    print(
        f"render, median of next {len(timings) - 1}:           "
        f"{statistics.median(timings[1:] or timings):.2f} s "
        f"(CPU {statistics.median(cpu[1:] or cpu):.2f} s; wall time grows on a busy machine)"
    )
    print(
        f"cold total (import + first render):  {import_seconds + timings[0]:.2f} s  (target < 2 s)"
    )
    print(
        f"HTML: {html_mb:.2f} MB (target < 5 MB); Markdown: {md_mb:.3f} MB; peak RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
