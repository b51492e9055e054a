"""Benchmarks: scripts that print measured figures. Run with ``python -m benchmarks.NAME``."""
