"""Evidence readers: pure parsers that turn file text (or an inventory) into observations.

Each reader takes text (or parsed data) plus the file's path and workload and returns
:class:`~planner.audit.observations.Resource` / ``Token`` observations with line numbers. File
access, size limits and error handling live in :mod:`planner.audit.files`.
"""
