"""Reports people read: one self-contained HTML page with charts, the same as Markdown, and an
exit-plan DRAFT mapped to DORA and the EU Data Act.

Inputs are the JSON documents of ``exitplan plan --format json`` and ``exitplan audit --format
json`` (see :mod:`planner.report.views`). Entry point: :func:`planner.report.render.render_report`.
"""
