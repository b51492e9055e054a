"""Import the AWS Application Discovery Service / Migration Hub import CSV.

Mapping (one row = one server): ``ExternalId`` (else ``HostName``, ``VMware.VMName``, the first IP,
``ServerId``) becomes the server id; an ``ExternalId`` that is an EC2 instance id also becomes
``source.resource_id``; ``VMware.MoRefId`` with ``VMware.VCenterId`` become a VMware source.
``IPAddress`` is a quoted comma list; ``Tags`` is ``"name:value, name:value"`` and a ``Role`` tag
sets the role; ``Applications`` and ``ApplicationWave`` are kept as tags of those names.
``CPU.NumberOfLogicalCores`` gives vCPUs (else cores x processors, the guide defining cores "in a
processor"); ``RAM.TotalSizeInMB`` is MiB; ``DiskWritesPerSecondInKB.Avg`` (KiB/s) is the change
rate. The template has no disk-capacity column, so bytes to move stay unknown.
"""

from __future__ import annotations

from typing import Any

from planner.errors import InputError
from planner.interop import ads_columns as cols
from planner.interop.csvrows import CsvRecord, read_csv
from planner.interop.report import ImportResult, RowProblem
from planner.interop.values import (
    EC2_INSTANCE_ID,
    KIB,
    MIB,
    classify_addresses,
    is_ip,
    mark_imported,
    operating_system,
    parse_number,
    platform_of,
    role_from_tags,
    split_list,
    validation_message,
)
from planner.models import Inventory, Server

FORMAT = "ads-csv"


class _Row:
    """Cell access by template column name, collecting problems for one record."""

    def __init__(self, record: CsvRecord, index: dict[str, int]) -> None:
        self.line = record.line
        self.cells = record.cells
        self.index = index
        self.problems: list[RowProblem] = []

    def get(self, column: str) -> str:
        i = self.index.get(column, 1 << 30)
        return self.cells[i].strip() if i < len(self.cells) else ""

    def problem(self, column: str, message: str, skipped: bool = False) -> None:
        self.problems.append(RowProblem(self.line, column, message, skipped))

    def number(self, column: str) -> float | None:
        text = self.get(column)
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError as exc:
            self.problem(column, str(exc))
            return None

    def integer(self, column: str) -> int | None:
        value = self.number(column)
        if value is None:
            return None
        if value != int(value):
            self.problem(column, f"expected a whole number, got {self.get(column)!r}")
            return None
        return int(value)


def _tags(row: _Row) -> dict[str, str]:
    tags: dict[str, str] = {}
    for item in split_list(row.get("Tags"), ","):
        key, sep, value = item.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            row.problem("Tags", f"tag {item!r} is not name:value")
        elif key in tags:
            row.problem("Tags", f"tag {key!r} appears twice; kept {key}:{tags[key]}")
        else:
            tags[key] = value
    applications = split_list(row.get("Applications"), ",")
    if applications:
        tags[cols.APPLICATIONS_TAG] = ", ".join(applications)
    wave = row.get("ApplicationWave")
    if wave:
        tags[cols.WAVE_TAG] = wave
    return tags


def _vcpus(row: _Row) -> int | None:
    logical = row.integer("CPU.NumberOfLogicalCores")
    cores = row.integer("CPU.NumberOfCores")
    processors = row.integer("CPU.NumberOfProcessors")
    if logical:
        return logical
    if cores and processors:
        return cores * processors
    return cores or processors or None


def _server(row: _Row) -> dict[str, Any] | None:
    """The server record for one row, or None (with a skipped-row problem) if unusable."""
    external = row.get("ExternalId")
    hostname = row.get("HostName")
    moref, vcenter = row.get("VMware.MoRefId"), row.get("VMware.VCenterId")
    ip_cells = split_list(row.get("IPAddress"), ",")
    macs = split_list(row.get("MACAddress"), ",")
    ips: list[str] = []
    for ip in ip_cells:
        if is_ip(ip):
            ips.append(ip)
        else:
            row.problem("IPAddress", f"{ip!r} is not an IP address")
    if bool(moref) != bool(vcenter):
        have, missing = (
            ("VMware.MoRefId", "VMware.VCenterId")
            if moref
            else ("VMware.VCenterId", "VMware.MoRefId")
        )
        row.problem(have, f"{have} needs {missing} in the same row")
        moref = vcenter = ""
    if not (external or hostname or ip_cells or macs or moref):
        row.problem(
            "ExternalId",
            "no matching key: fill one of ExternalId, IPAddress, MACAddress, HostName, "
            "VMware.MoRefId (with VMware.VCenterId)",
            skipped=True,
        )
        return None
    server_id = (
        external
        or hostname
        or row.get("VMware.VMName")
        or (ips[0] if ips else "")
        or row.get("ServerId")
        or (macs[0] if macs else "")
        or moref
    )
    if not server_id:
        row.problem("IPAddress", "no usable identifier in this row", skipped=True)
        return None
    record: dict[str, Any] = {"id": server_id, **classify_addresses(ips)}
    if hostname:
        record["hostname"] = hostname
    if EC2_INSTANCE_ID.match(external):
        record["source"] = {"provider": "aws", "resource_id": external}
    elif moref:
        record["source"] = {"provider": "vmware", "account": vcenter, "resource_id": moref}
    vcpus = _vcpus(row)
    if vcpus:
        record["vcpus"] = vcpus
    memory_mb = row.number("RAM.TotalSizeInMB")
    if memory_mb:
        record["memory_bytes"] = round(memory_mb * MIB)
    os_fields = operating_system(row.get("OS.Name"), row.get("OS.Version"))
    if os_fields:
        record["os"] = os_fields
        platform = platform_of(os_fields)
        if platform:
            record["platform"] = platform
    writes_kb = row.number("DiskWritesPerSecondInKB.Avg")
    if writes_kb is not None:
        record["change_rate_bytes_per_second"] = writes_kb * KIB
    tags = _tags(row)
    if tags:
        record["tags"] = tags
    record["role"] = role_from_tags(tags) or "unknown"
    return mark_imported(record)


def _index(header: list[str], source: str, result: ImportResult) -> dict[str, int]:
    index: dict[str, int] = {}
    custom: list[str] = []
    for i, cell in enumerate(header):
        name = cols.canonical(cell)
        if name is None:
            if cell.strip():
                custom.append(cell.strip())
        elif name in index:
            result.notes.append(f"column {name} appears twice; the first one is used")
        else:
            index[name] = i
    if not any(key in index for key in cols.KEY_COLUMNS):
        raise InputError(
            f"{source}:1: header: not an ADS import CSV: none of "
            f"{', '.join(cols.KEY_COLUMNS)} is a column"
        )
    if custom:
        result.notes.append(
            "columns not in the ADS import template were ignored: " + ", ".join(custom)
        )
    return index


def import_ads_csv(text: str, source: str) -> ImportResult:
    """Parse an ADS import CSV; rows that cannot be used are reported and skipped."""
    table = read_csv(text, source)
    result = ImportResult(source=source, format=FORMAT, inventory=Inventory())
    index = _index(table.header, source, result)
    width = len(table.header)
    seen: dict[str, int] = {}
    servers: list[Server] = []
    unstored: set[str] = set()
    unseen = [c for c in index if c not in cols.STORED]
    for record in table.records:
        result.records += 1
        row = _Row(record, index)
        if len(record.cells) > width:
            row.problem(
                "(row)",
                f"{len(record.cells)} cells but the header has {width}: is a list "
                "(IPAddress, MACAddress, Applications, Tags) missing its double quotes?",
                skipped=True,
            )
            result.problems.extend(row.problems)
            continue
        data = _server(row)
        if data is not None:
            first = seen.get(data["id"])
            if first is not None:
                row.problem(
                    "ExternalId", f"duplicate server {data['id']!r} (first at line {first})", True
                )
            else:
                try:
                    servers.append(Server.model_validate(data))
                    seen[data["id"]] = row.line
                except ValueError as exc:
                    row.problem("(row)", f"invalid value: {validation_message(exc)}", True)
        result.problems.extend(row.problems)
        if unseen:
            found = [c for c in unseen if row.get(c)]
            unstored.update(found)
            unseen = [c for c in unseen if c not in unstored]
    result.inventory = Inventory(servers=servers, metadata={"imported_from": [source]})
    if unstored:
        result.notes.append(
            "read but not stored (the inventory has no field for them): "
            + ", ".join(c for c in cols.COLUMNS if c in unstored)
        )
    if servers:
        result.notes.append(
            "the ADS template has no disk-capacity column: bytes to move are unknown; "
            "run `exitplan discover ssh` or merge with a source that has volumes"
        )
    return result
