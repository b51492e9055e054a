"""Import the Azure Migrate "Import using CSV" discovery template.

Headers are matched loosely, as the template and its converters differ: the leading ``*`` of
mandatory columns, capitalisation (``*Server Name`` / ``*Server name``), unit suffixes
(``Disk 1 size`` / ``Disk 1 size (In GB)``) and ``IP address`` / ``IP addresses`` all match.
Per-disk columns ``Disk N size (In GB)`` (N up to 20 in the current guide, 8 in older ones)
become volumes (GiB). ``Storage in use (In GB)`` becomes the volumes' used bytes; with several
disks it is split by disk size and that split is marked ``assumed``. Disk write throughput
(``Total disks write throughput`` or the per-disk sum, MB/s read as MiB/s) is the change rate.
OS names such as ``Red Hat Enterprise Linux 8`` (outside Azure's accepted list, azure-docs#87116)
are read as the distribution and version.
Source: Microsoft Learn, "Tutorial: Discover servers using an imported CSV file"
(``articles/migrate/tutorial-discover-import.md``).
"""

from __future__ import annotations

import re
from typing import Any

from planner.errors import InputError
from planner.interop.csvrows import read_csv
from planner.interop.report import ImportResult, RowProblem
from planner.interop.values import (
    GIB,
    MIB,
    classify_addresses,
    is_ip,
    mark_imported,
    normalize_header,
    operating_system,
    parse_number,
    platform_of,
    split_list,
    validation_message,
)
from planner.models import Inventory, Provenance, Server

FORMAT = "azure-migrate-csv"

_FIELDS = {
    "server name": "name",
    "ip address": "ips",
    "ip addresses": "ips",
    "cores": "cores",
    "memory": "memory",
    "os name": "os_name",
    "os version": "os_version",
    "os architecture": "arch",
    "hypervisor": "hypervisor",
    "number of disks": "disk_count",
    "storage in use": "storage_in_use",
    "total disks write throughput": "total_write",
}
_KNOWN_UNSTORED = {
    "server type",
    "cpu utilization percentage",
    "memory utilization percentage",
    "network adapters",
    "network in throughput",
    "network out throughput",
    "boot type",
    "firmware type",
    "mac address",
    "total disks read ops",
    "total disks write ops",
    "total disks read throughput",
}
_DISK = re.compile(r"^disk (\d+) (size|read ops|write ops|read throughput|write throughput)$")
_MANDATORY = {"cores": "*Cores", "memory": "*Memory (In MB)", "os_name": "*OS name"}
_ARCH = {"x64": "x86_64", "amd64": "x86_64", "64-bit": "x86_64", "x86": "i686", "32-bit": "i686"}
_HYPERVISORS = {"vmware": "vmware", "hyper-v": "hyperv", "xen": "xen", "aws": "aws", "gcp": "gcp"}


class _Columns:
    def __init__(self, header: list[str]) -> None:
        self.fields: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.disks: dict[int, dict[str, int]] = {}
        self.unstored: list[str] = []
        self.custom: list[str] = []
        for i, cell in enumerate(header):
            key = normalize_header(cell)
            disk = _DISK.match(key)
            if key in _FIELDS and _FIELDS[key] not in self.fields:
                self.fields[_FIELDS[key]] = i
                self.names[_FIELDS[key]] = cell.strip()
            elif disk:
                self.disks.setdefault(int(disk.group(1)), {})[disk.group(2)] = i
            elif key in _KNOWN_UNSTORED:
                self.unstored.append(cell.strip())
            elif key:
                self.custom.append(cell.strip())


class _Row:
    def __init__(self, line: int, cells: list[str], columns: _Columns) -> None:
        self.line, self.cells, self.columns = line, cells, columns
        self.problems: list[RowProblem] = []

    def cell(self, index: int | None) -> str:
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def get(self, field: str) -> str:
        return self.cell(self.columns.fields.get(field))

    def number(self, text: str, column: str) -> float | None:
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError as exc:
            self.problems.append(RowProblem(self.line, column, str(exc)))
            return None


def _volumes(row: _Row, record: dict[str, Any], notes: list[str]) -> float | None:
    """Fill ``record['volumes']``; return the summed disk write throughput (MB/s) if given."""
    volumes: list[dict[str, Any]] = []
    writes: list[float] = []
    for number in sorted(row.columns.disks):
        columns = row.columns.disks[number]
        label = f"Disk {number}"
        size = row.number(row.cell(columns.get("size")), f"{label} size (In GB)")
        write = row.number(
            row.cell(columns.get("write throughput")), f"{label} write throughput (MB per second)"
        )
        if write is not None:
            writes.append(write)
        if size:
            volumes.append({"id": f"disk-{number}", "size_bytes": round(size * GIB)})
    declared = row.number(row.get("disk_count"), "Number of disks")
    if declared and volumes and int(declared) != len(volumes):
        notes.append(
            f"line {row.line}: Number of disks is {int(declared)} but {len(volumes)} disk sizes "
            "are given"
        )
    used = row.number(row.get("storage_in_use"), "Storage in use (In GB)")
    if used is not None:
        used_bytes = round(used * GIB)
        total = sum(v["size_bytes"] for v in volumes)
        if not volumes:
            volumes.append({"id": "storage-in-use", "used_bytes": used_bytes})
        elif used_bytes > total:
            row.problems.append(
                RowProblem(row.line, "Storage in use (In GB)", f"{used} GB is more than the disks")
            )
        elif len(volumes) == 1:
            volumes[0]["used_bytes"] = used_bytes
        else:
            for volume in volumes:
                volume["used_bytes"] = round(used_bytes * volume["size_bytes"] / total)
            record.setdefault("provenance", {})["volumes.used_bytes"] = Provenance.ASSUMED.value
    if volumes:
        record["volumes"] = volumes
    return sum(writes) if writes else None


def _server(row: _Row, notes: list[str]) -> dict[str, Any] | None:
    name = row.get("name")
    if not name:
        column = row.columns.names.get("name", "*Server name")
        row.problems.append(RowProblem(row.line, column, "server name is empty", skipped=True))
        return None
    record: dict[str, Any] = {"id": name}
    if not is_ip(name):
        record["hostname"] = name
    ip_cells = split_list(row.get("ips"), ",; ")
    for bad in (ip for ip in ip_cells if not is_ip(ip)):
        row.problems.append(RowProblem(row.line, "IP addresses", f"{bad!r} is not an IP address"))
    ips = [ip for ip in ip_cells if is_ip(ip)] or ([name] if is_ip(name) else [])
    record.update(classify_addresses(ips))
    cores = row.number(row.get("cores"), "*Cores")
    if cores is not None and cores != int(cores):
        row.problems.append(RowProblem(row.line, "*Cores", f"expected a whole number: {cores}"))
    elif cores:
        record["vcpus"] = int(cores)
    memory = row.number(row.get("memory"), "*Memory (In MB)")
    if memory:
        record["memory_bytes"] = round(memory * MIB)
    os_fields = operating_system(row.get("os_name"), row.get("os_version"))
    arch = row.get("arch")
    if arch:
        os_fields["architecture"] = _ARCH.get(arch.lower(), arch)
    if os_fields:
        record["os"] = os_fields
        if platform_of(os_fields):
            record["platform"] = platform_of(os_fields)
    provider = _HYPERVISORS.get(row.get("hypervisor").lower())
    if provider:
        record["source"] = {"provider": provider}
    write_mb = row.number(row.get("total_write"), "Total disks write throughput")
    disk_writes = _volumes(row, record, notes)
    write_mb = write_mb if write_mb is not None else disk_writes
    if write_mb is not None:
        record["change_rate_bytes_per_second"] = write_mb * MIB
    missing = [col for field, col in _MANDATORY.items() if not row.get(field)]
    if missing:
        notes.append(f"line {row.line}: {name}: mandatory {', '.join(missing)} empty (unknown)")
    return mark_imported(record)


def import_azure_migrate_csv(text: str, source: str) -> ImportResult:
    """Parse an Azure Migrate import CSV; rows that cannot be used are reported and skipped."""
    table = read_csv(text, source)
    columns = _Columns(table.header)
    if "name" not in columns.fields:
        raise InputError(
            f"{source}:{table.header_line}: header: not an Azure Migrate CSV: "
            "no '*Server name' column"
        )
    result = ImportResult(source=source, format=FORMAT, inventory=Inventory())
    seen: dict[str, int] = {}
    servers: list[Server] = []
    for record in table.records:
        result.records += 1
        row = _Row(record.line, record.cells, columns)
        if len(record.cells) > len(table.header):
            row.problems.append(
                RowProblem(
                    row.line,
                    "(row)",
                    f"{len(record.cells)} cells but the header has {len(table.header)}: is a list "
                    "(IP addresses) missing its double quotes?",
                    skipped=True,
                )
            )
            result.problems.extend(row.problems)
            continue
        data = _server(row, result.notes)
        if data is not None and data["id"] in seen:
            row.problems.append(
                RowProblem(
                    row.line,
                    columns.names["name"],
                    f"duplicate server {data['id']!r} (first at line {seen[data['id']]})",
                    skipped=True,
                )
            )
        elif data is not None:
            try:
                servers.append(Server.model_validate(data))
                seen[data["id"]] = row.line
            except ValueError as exc:
                row.problems.append(
                    RowProblem(row.line, "(row)", f"invalid value: {validation_message(exc)}", True)
                )
        result.problems.extend(row.problems)
    result.inventory = Inventory(servers=servers, metadata={"imported_from": [source]})
    if columns.unstored:
        result.notes.append(
            "read but not stored (the inventory has no field for them): "
            + ", ".join(columns.unstored)
        )
    if columns.custom:
        result.notes.append(
            "columns not in the Azure Migrate template were ignored: " + ", ".join(columns.custom)
        )
    if any(p == "assumed" for s in servers for p in s.provenance.values()):
        result.notes.append(
            "'Storage in use' covers several disks on some servers: it was split by disk size "
            "(provenance volumes.used_bytes = assumed)"
        )
    return result
