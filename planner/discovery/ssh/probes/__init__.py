"""Probes: one module per fact, each an allow-listed command plus pure parse/contribute.

This package is pure (an import-linter contract forbids I/O, paramiko and the CLI here), so
every parser is tested on recorded outputs in ``tests/discovery/ssh/golden/<probe>/``.
"""
