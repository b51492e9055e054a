"""The AWS Application Discovery Service / Migration Hub import template: columns and spellings.

Source: AWS Application Discovery Service user guide, "Migration Hub Import"
(``discovery-import.md``, "Supported Import File Fields") and the template
``import_template.csv`` it links; the EC2 recommendations export
(``EC2InstanceRecommendations.csv``) prefixes the same fields with ``Server.`` and spells
``DiskReadOpsPerSecond`` where the import template has ``DiskReadsOpsPerSecond``.
"""

from __future__ import annotations

from planner.interop.values import normalize_header

COLUMNS: tuple[str, ...] = (
    "ExternalId",
    "SMBiosId",
    "IPAddress",
    "MACAddress",
    "HostName",
    "VMware.MoRefId",
    "VMware.VCenterId",
    "CPU.NumberOfProcessors",
    "CPU.NumberOfCores",
    "CPU.NumberOfLogicalCores",
    "OS.Name",
    "OS.Version",
    "VMware.VMName",
    "RAM.TotalSizeInMB",
    "RAM.UsedSizeInMB.Avg",
    "RAM.UsedSizeInMB.Max",
    "CPU.UsagePct.Avg",
    "CPU.UsagePct.Max",
    "DiskReadsPerSecondInKB.Avg",
    "DiskWritesPerSecondInKB.Avg",
    "DiskReadsPerSecondInKB.Max",
    "DiskWritesPerSecondInKB.Max",
    "DiskReadsOpsPerSecond.Avg",
    "DiskWritesOpsPerSecond.Avg",
    "DiskReadsOpsPerSecond.Max",
    "DiskWritesOpsPerSecond.Max",
    "NetworkReadsPerSecondInKB.Avg",
    "NetworkWritesPerSecondInKB.Avg",
    "NetworkReadsPerSecondInKB.Max",
    "NetworkWritesPerSecondInKB.Max",
    "Applications",
    "ApplicationWave",
    "Tags",
    "ServerId",
)
"""Template columns in the documented order (the export writes exactly these)."""

KEY_COLUMNS = ("ExternalId", "IPAddress", "MACAddress", "HostName", "VMware.MoRefId")
"""At least one must be filled in each row (``VMware.MoRefId`` only with ``VMware.VCenterId``)."""

STORED = {
    "ExternalId",
    "IPAddress",
    "HostName",
    "VMware.MoRefId",
    "VMware.VCenterId",
    "CPU.NumberOfProcessors",
    "CPU.NumberOfCores",
    "CPU.NumberOfLogicalCores",
    "OS.Name",
    "OS.Version",
    "RAM.TotalSizeInMB",
    "DiskWritesPerSecondInKB.Avg",
    "Applications",
    "ApplicationWave",
    "Tags",
}
"""Columns that end up in the inventory; the others are read but have no field to go to."""

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
