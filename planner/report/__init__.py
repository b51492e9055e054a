"""Reports people read: one self-contained HTML page with charts, the same as Markdown, and an
exit-plan DRAFT mapped to DORA and the EU Data Act.

Inputs are the JSON documents of ``exitplan plan --format json`` and ``exitplan audit --format
json`` (see :mod:`planner.report.views` and :mod:`planner.report.audit_views`); the figures all
sections must state alike come from :mod:`planner.report.story`. Entry point:
:func:`planner.report.render.render_report`.
"""
