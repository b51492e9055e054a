"""The AWS Application Discovery Service / Migration Hub import template: columns and spellings.

Source: AWS Application Discovery Service user guide, "Migration Hub Import"
(``discovery-import.md``, "Supported Import File Fields") and the template
``import_template.csv`` it links; the EC2 recommendations export
(``EC2InstanceRecommendations.csv``) prefixes the same fields with ``Server.`` and spells
``DiskReadOpsPerSecond`` where the import template has ``DiskReadsOpsPerSecond``.
"""

from __future__ import annotations

from planner.interop.values import normalize_header

# Each template column once, in the documented order, with whether the inventory keeps it.
_TEMPLATE: tuple[tuple[str, bool], ...] = (
    ("ExternalId", True),
    ("SMBiosId", False),
    ("IPAddress", True),
    ("MACAddress", False),
    ("HostName", True),
    ("VMware.MoRefId", True),
    ("VMware.VCenterId", True),
    ("CPU.NumberOfProcessors", True),
    ("CPU.NumberOfCores", True),
    ("CPU.NumberOfLogicalCores", True),
    ("OS.Name", True),
    ("OS.Version", True),
    ("VMware.VMName", False),
    ("RAM.TotalSizeInMB", True),
    ("RAM.UsedSizeInMB.Avg", False),
    ("RAM.UsedSizeInMB.Max", False),
    ("CPU.UsagePct.Avg", False),
    ("CPU.UsagePct.Max", False),
    ("DiskReadsPerSecondInKB.Avg", False),
    ("DiskWritesPerSecondInKB.Avg", True),
    ("DiskReadsPerSecondInKB.Max", False),
    ("DiskWritesPerSecondInKB.Max", False),
    ("DiskReadsOpsPerSecond.Avg", False),
    ("DiskWritesOpsPerSecond.Avg", False),
    ("DiskReadsOpsPerSecond.Max", False),
    ("DiskWritesOpsPerSecond.Max", False),
    ("NetworkReadsPerSecondInKB.Avg", False),
    ("NetworkWritesPerSecondInKB.Avg", False),
    ("NetworkReadsPerSecondInKB.Max", False),
    ("NetworkWritesPerSecondInKB.Max", False),
    ("Applications", True),
    ("ApplicationWave", True),
    ("Tags", True),
    ("ServerId", False),
)
COLUMNS: tuple[str, ...] = tuple(name for name, _ in _TEMPLATE)
"""Template columns in the documented order (the export writes exactly these)."""

STORED = frozenset(name for name, stored in _TEMPLATE if stored)
"""Columns that end up in the inventory; the others are read but have no field to go to."""

KEY_COLUMNS = ("ExternalId", "IPAddress", "MACAddress", "HostName", "VMware.MoRefId")
"""At least one must be filled in each row (``VMware.MoRefId`` only with ``VMware.VCenterId``)."""

APPLICATIONS_TAG = "Applications"
WAVE_TAG = "ApplicationWave"
MAX_TAGS = 30  # ADS quota: 30 tags per server (ads_service_limits.md)

_CANONICAL = {normalize_header(name): name for name in COLUMNS}
_SPELLINGS = {"diskreadopspersecond": "diskreadsopspersecond"}
_SPELLINGS["diskwriteopspersecond"] = "diskwritesopspersecond"


def canonical(header: str) -> str | None:
    """The template column a header cell means, or None for a custom column."""
    key = normalize_header(header)
    if key.startswith("server.") and key != "serverid":
        key = key[len("server.") :]
    for wrong, right in _SPELLINGS.items():
        if key.startswith(wrong):
            key = right + key[len(wrong) :]
    return _CANONICAL.get(key)
