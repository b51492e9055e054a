"""Supplier evidence readers: text, manifests and inventories in, tokens and endpoints out."""

from __future__ import annotations

from collections.abc import Callable

from planner.audit.observations import Token
from planner.suppliers.catalog import SupplierCatalog
from planner.suppliers.readers.manifests import scan_manifest
from planner.suppliers.readers.text import scan_supplier_text


def file_reader(cat: SupplierCatalog) -> Callable[[str, str, str, str, str], list[Token]]:
    """The reader the audit's file walk runs on every text file: hosts, names, packages, files."""

    def read(content: str, name: str, rel: str, shown: str, workload: str) -> list[Token]:
        out = scan_supplier_text(content, name, shown, workload, cat)
        out += scan_manifest(content, name, shown, workload)
        if cat.owners_of_file(rel):
            out.append(Token(f"sfile:{rel}", shown, 1, workload, "file", f"file:{rel}"))
        return out

    return read
