"""Render the report as one self-contained HTML page with Jinja2 (templates in ``templates/``).

CSS and the SVG charts are inlined; the page loads nothing from anywhere. Autoescaping is on:
every value from the input documents is escaped, only our own chart SVG is inserted as markup.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from planner.report.model import ReportData


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("planner.report", "templates"),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals["verdict_cells"] = ("yes", "NO")
    return env


def render_html(data: ReportData, charts: dict[str, str | None], meta: dict[str, Any]) -> str:
    """The whole page as text."""
    template = environment().get_template("report.html.j2")
    return template.render(r=data, charts=charts, meta=meta)
