"""File side of the interop formats: read inputs, load the seeds they need, pick the format.

The parsers themselves are pure (:mod:`planner.interop`); this module reads the file (and, for
Ansible, the ``group_vars/`` and ``host_vars/`` folders next to it), loads the Terraform
service map and the instance-type catalog, and dispatches on the format name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.errors import InputError
from planner.interop.ads_csv import import_ads_csv
from planner.interop.ads_export import export_ads_csv
from planner.interop.ansible_export import export_ansible
from planner.interop.ansible_import import VarsFile, import_ansible
from planner.interop.azure_migrate import import_azure_migrate_csv
from planner.interop.merge import MergeResult, merge_inventories
from planner.interop.report import ExportResult, ImportResult
from planner.interop.service_map import SEED, TerraformServiceMap
from planner.interop.terraform_state import import_terraform_state
from planner.io.documents import read_text
from planner.io.inventory_file import load_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models import Inventory

_VARS_SUFFIXES = ("", ".yml", ".yaml", ".json")


def _terraform(text: str, source: str, path: Path) -> ImportResult:
    services = load_yaml_seed(SEED, TerraformServiceMap)
    return import_terraform_state(text, source, services, aws_instance_types())


def vars_files(inventory_path: Path) -> list[VarsFile]:
    """``group_vars/NAME[.yml]`` and ``host_vars/NAME[.yml]`` (files or folders of files)."""
    found: list[VarsFile] = []
    for kind in ("group", "host"):
        folder = inventory_path.parent / f"{kind}_vars"
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                files = [
                    f
                    for f in sorted(entry.iterdir())
                    if f.is_file() and f.suffix in _VARS_SUFFIXES and not f.name.startswith(".")
                ]
                name = entry.name
            elif entry.suffix in _VARS_SUFFIXES:
                files, name = [entry], entry.stem if entry.suffix else entry.name
            else:
                continue
            for file in files:
                found.append(VarsFile(kind, name, str(file), read_text(file)))
    return found


def _ansible(text: str, source: str, path: Path) -> ImportResult:
    return import_ansible(text, source, vars_files(path))


IMPORTERS: dict[str, Callable[[str, str, Path], ImportResult]] = {
    "ads-csv": lambda text, source, path: import_ads_csv(text, source),
    "azure-migrate-csv": lambda text, source, path: import_azure_migrate_csv(text, source),
    "ansible": _ansible,
    "terraform-state": _terraform,
}
EXPORTERS: dict[str, Callable[[Inventory], ExportResult]] = {
    "ansible": export_ansible,
    "ads-csv": export_ads_csv,
}


def import_file(fmt: str, path: str | Path) -> ImportResult:
    """Import ``path`` as ``fmt``; unreadable input raises :class:`InputError` (exit 2)."""
    if fmt not in IMPORTERS:
        raise InputError(f"unknown import format {fmt!r} (use {', '.join(IMPORTERS)})")
    file = Path(path)
    result = IMPORTERS[fmt](read_text(file), str(path), file)
    for problem in result.inventory.problems():
        result.notes.append(f"{'.'.join(str(p) for p in problem.loc)}: {problem.message}")
    return result


def export_file(fmt: str, path: str | Path) -> ExportResult:
    """Load an inventory file and render it as ``fmt``."""
    if fmt not in EXPORTERS:
        raise InputError(f"unknown export format {fmt!r} (use {', '.join(EXPORTERS)})")
    return EXPORTERS[fmt](load_inventory(path))


def merge_files(paths: list[str | Path]) -> MergeResult:
    """Load inventory files and merge them in the order given."""
    return merge_inventories([(str(p), load_inventory(p)) for p in paths])
