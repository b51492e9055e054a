"""Read and write calibration files (``exitplan probe`` output, ``plan --calibration`` input).

Problems are reported as ``file:line: path: problem`` (exit code 2), like inventories.
"""

from __future__ import annotations

import json
from pathlib import Path

from planner.io.atomic import write_text
from planner.io.documents import parse_document, read_text
from planner.io.inventory_file import validate_document
from planner.models.calibration import AppliedCalibration, Calibration


def load_calibration(path: str | Path) -> AppliedCalibration:
    """A validated calibration, tagged with the file it came from."""
    text = read_text(path)
    data = parse_document(text, path)
    calibration: Calibration = validate_document(data, path, text, Calibration)
    return AppliedCalibration(file=str(path), calibration=calibration)


def save_calibration(calibration: Calibration, path: str | Path) -> Path:
    """Write ``calibration`` as JSON (``schema_version: 1``), atomically."""
    data = calibration.model_dump(mode="json")
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
