"""Export servers as an AWS Application Discovery Service / Migration Hub import CSV.

Writes exactly the template columns (see :mod:`planner.interop.ads_columns`), in order. Lists
(``IPAddress``, ``Applications``, ``Tags``) are comma lists in double quotes; the role travels as
a ``Role:NAME`` tag. Change rates with ``assumed`` provenance are not written as measured disk
writes. Data stores have no place in the template and are left out (reported as a note).
"""

from __future__ import annotations

import csv
import io

from planner.interop import ads_columns as cols
from planner.interop.report import ExportResult, RowProblem
from planner.interop.values import KIB, MIB
from planner.models import Inventory, Provenance, Server

FORMAT = "ads-csv"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0")


def _tags(server: Server, where: str, problems: list[RowProblem]) -> str:
    tags = {k: v for k, v in server.tags.items() if k not in (cols.APPLICATIONS_TAG, cols.WAVE_TAG)}
    if server.role != "unknown" and not any(k.lower() == "role" for k in tags):
        tags = {"Role": server.role, **tags}
    items: list[str] = []
    for key, value in tags.items():
        if "," in key or ":" in key or "," in value or not key.strip():
            problems.append(
                RowProblem(
                    None, f"{where}.tags.{key}", "ADS tags cannot hold ',' (or ':' in names)"
                )
            )
            continue
        if len(items) == cols.MAX_TAGS:
            problems.append(
                RowProblem(
                    None, f"{where}.tags.{key}", f"ADS allows {cols.MAX_TAGS} tags per server"
                )
            )
            continue
        items.append(f"{key}:{value}")
    return ", ".join(items)


def _row(server: Server, where: str, problems: list[RowProblem]) -> dict[str, str]:
    row = {"ExternalId": server.id}
    addresses = [server.address, server.private_address, server.public_address]
    unique = list(dict.fromkeys(a for a in addresses if a))
    if unique:
        row["IPAddress"] = ", ".join(unique)
    if server.hostname:
        row["HostName"] = server.hostname
    if server.source.provider == "vmware" and server.source.resource_id and server.source.account:
        row["VMware.MoRefId"] = server.source.resource_id
        row["VMware.VCenterId"] = server.source.account
    if server.vcpus:
        row["CPU.NumberOfLogicalCores"] = str(server.vcpus)
    if server.os.name:
        row["OS.Name"] = server.os.name
    if server.os.version:
        row["OS.Version"] = server.os.version
    if server.memory_bytes:
        row["RAM.TotalSizeInMB"] = _number(server.memory_bytes / MIB)
    change = server.change_rate_bytes_per_second
    provenance = server.provenance.get("change_rate_bytes_per_second")
    if change is not None and provenance != Provenance.ASSUMED:
        row["DiskWritesPerSecondInKB.Avg"] = _number(change / KIB)
    if cols.APPLICATIONS_TAG in server.tags:
        row["Applications"] = server.tags[cols.APPLICATIONS_TAG]
    if cols.WAVE_TAG in server.tags:
        row["ApplicationWave"] = server.tags[cols.WAVE_TAG]
    tags = _tags(server, where, problems)
    if tags:
        row["Tags"] = tags
    return row


def export_ads_csv(inventory: Inventory) -> ExportResult:
    """Render the inventory's servers as an ADS import CSV."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(cols.COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    result = ExportResult(format=FORMAT, text="")
    for index, server in enumerate(inventory.servers):
        writer.writerow(_row(server, f"servers[{index}]", result.problems))
        result.records += 1
    result.text = buffer.getvalue()
    if inventory.data_stores:
        result.notes.append(
            f"{len(inventory.data_stores)} data stores not exported: the ADS template holds "
            "servers only"
        )
    if any(s.used_bytes for s in inventory.servers):
        result.notes.append("volume sizes not exported: the ADS template has no disk columns")
    return result
