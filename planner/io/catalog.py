"""Load target catalogs: bundled providers, a user's catalog folder, or a private target file.

A catalog folder holds one sub-folder per provider (``offerings.csv`` + ``limits.yaml``) and may
hold its own ``exchange_rates.yaml`` (otherwise the bundled one is used). The default folder is
``<seeds>/providers``; ``--catalog-dir`` or ``EXITPLAN_SEEDS`` point elsewhere, so adding a
provider is a matter of data files only. A target given as a path to a YAML file is a private
target (Proxmox VE, OpenStack, MAAS) written by its owner.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from planner.errors import InputError, SeedError
from planner.io.documents import format_loc, parse_document, read_text
from planner.io.inventory_file import validate_document
from planner.io.seeds import load_csv_seed, load_yaml_seed, seeds_dir
from planner.models.capacity import SizingDefaults
from planner.models.catalog import Catalog, ExchangeRates, Offering, ProviderLimits
from planner.models.private_target import PrivateTarget

COLUMNS = [
    "id",
    "name",
    "kind",
    "architecture",
    "cpu",
    "vcpus",
    "dedicated_cpu",
    "memory",
    "disks",
    "nic",
    "included_traffic",
    "currency",
    "monthly_price",
    "hourly_price",
    "setup_fee",
    "monthly_usd",
    "hourly_usd",
    "setup_usd",
    "locations",
    "lead_time",
    "lead_time_out_of_stock",
    "typical_stock",
    "confidence",
    "source",
    "as_of",
    "note",
]
"""Columns of ``offerings.csv``, in order."""

USD_COLUMNS = {
    "monthly_price": "monthly_usd",
    "hourly_price": "hourly_usd",
    "setup_fee": "setup_usd",
}
USD_DIGITS = {"monthly_usd": 2, "hourly_usd": 5, "setup_usd": 2}


def providers_dir(catalog_dir: Path | None = None) -> Path:
    """The folder of provider folders: ``catalog_dir`` if given, else ``<seeds>/providers``."""
    return catalog_dir if catalog_dir is not None else seeds_dir() / "providers"


def list_providers(catalog_dir: Path | None = None) -> list[str]:
    root = providers_dir(catalog_dir)
    if not root.is_dir():
        raise InputError(f"{root}: catalog folder not found")
    return sorted(p.name for p in root.iterdir() if (p / "offerings.csv").is_file())


def load_exchange_rates(catalog_dir: Path | None = None) -> ExchangeRates:
    own = providers_dir(catalog_dir) / "exchange_rates.yaml"
    path = own if own.is_file() else seeds_dir() / "providers" / "exchange_rates.yaml"
    return load_yaml_seed(path, ExchangeRates)


def load_sizing_defaults() -> SizingDefaults:
    return load_yaml_seed("sizing/defaults.yaml", SizingDefaults)


def load_provider(provider: str, catalog_dir: Path | None = None) -> Catalog:
    """Load and cross-check one provider folder.

    Bad bundled data is a :class:`SeedError` (a defect); bad data in a folder the user named
    with ``catalog_dir`` is an :class:`InputError` (exit code 2).
    """
    try:
        return _load_provider(provider, catalog_dir)
    except SeedError as exc:
        if catalog_dir is None:
            raise
        raise InputError(str(exc)) from None


def _load_provider(provider: str, catalog_dir: Path | None) -> Catalog:
    folder = providers_dir(catalog_dir) / provider
    if not (folder / "offerings.csv").is_file():
        known = ", ".join(list_providers(catalog_dir)) or "none"
        raise InputError(f"unknown target {provider!r} (known: {known}; or a target file path)")
    limits = load_yaml_seed(folder / "limits.yaml", ProviderLimits)
    if limits.provider != provider:
        raise SeedError(
            f"{folder / 'limits.yaml'}: provider is {limits.provider!r}, folder is {provider!r}"
        )
    offerings = load_csv_seed(folder / "offerings.csv", Offering)
    rates = load_exchange_rates(catalog_dir)
    try:
        return Catalog(
            provider=provider,
            origin=str(folder),
            limits=limits,
            offerings=offerings,
            usd_per_unit=rates.usd_per_unit,
            usd_rate_source=_rate_source(rates),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = format_loc(tuple(first["loc"]))
        raise SeedError(
            f"{folder}: {where}: {first['msg'].removeprefix('Value error, ')}"
        ) from None


def _rate_source(rates: ExchangeRates) -> str:
    ref = rates.sources[0]
    where = f", {ref.url}" if ref.url else ""
    return f"{ref.title} ({ref.publisher or 'unknown publisher'}{where}), as of {rates.as_of}"


def load_private_target(path: Path) -> Catalog:
    """Read a private target file; errors are ``file:line: path: problem`` (exit 2)."""
    text = read_text(path)
    data = parse_document(text, path)
    target: PrivateTarget = validate_document(data, path, text, PrivateTarget)
    return target.to_catalog(str(path))


def load_target(spec: str, catalog_dir: Path | None = None) -> Catalog:
    """A provider id from the catalog folder, or the path of a private target file."""
    path = Path(spec)
    if path.suffix.lower() in {".yaml", ".yml", ".json"} or path.is_file():
        return load_private_target(path)
    return load_provider(spec, catalog_dir)


def normalised_row(row: dict[str, str], usd_per_unit: dict[str, float]) -> dict[str, str]:
    """Fill a CSV row's USD columns from its native prices and the exchange rate."""
    out = dict(row)
    rate = usd_per_unit.get(row.get("currency", ""))
    if rate is None:
        raise SeedError(f"{row.get('id')}: no exchange rate for {row.get('currency')!r}")
    for native, usd in USD_COLUMNS.items():
        value = (row.get(native) or "").strip()
        if not value:
            out[usd] = ""
            continue
        text = f"{float(value) * rate:.{USD_DIGITS[usd]}f}"
        out[usd] = text.rstrip("0").rstrip(".") if "." in text else text
    return out


def rows_to_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return buffer.getvalue()


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(read_text(path).splitlines()))
