"""Small value parsers shared by the importers: numbers, lists, addresses, OS names, ids."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

from planner.models import Provenance

_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)  # RFC 1918, RFC 6598 (carrier-grade NAT) and RFC 4193 (unique local) ranges
EC2_INSTANCE_ID = re.compile(r"^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
KIB, MIB, GIB = 2**10, 2**20, 2**30

# (keyword in the lower-cased name, os-release ID, family). First match wins, so the more
# specific keywords come first. Windows keeps its own name: the edition is the useful part.
_OS_NAMES: tuple[tuple[str, str, str], ...] = (
    ("red hat", "rhel", "rhel"),
    ("rhel", "rhel", "rhel"),
    ("centos", "centos", "rhel"),
    ("rocky", "rocky", "rhel"),
    ("alma", "almalinux", "rhel"),
    ("oracle linux", "ol", "rhel"),
    ("oracle enterprise linux", "ol", "rhel"),
    ("amazon linux", "amzn", "amazon"),
    ("amzn", "amzn", "amazon"),
    ("fedora", "fedora", "rhel"),
    ("ubuntu", "ubuntu", "debian"),
    ("debian", "debian", "debian"),
    ("opensuse", "opensuse", "suse"),
    ("suse", "sles", "suse"),
    ("sles", "sles", "suse"),
    ("alpine", "alpine", "alpine"),
)
_VERSION = re.compile(r"(?<![/\d.])\b(\d+(?:\.\d+)*)\b(?![/\d])")


def parse_number(text: str) -> float:
    """A plain number from a spreadsheet cell: ``12``, ``12.5``, ``1,024``, `` 7 % ``."""
    cleaned = text.strip().rstrip("%").strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", cleaned):
        cleaned = cleaned.replace(",", ".")  # decimal comma (European spreadsheets)
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {text!r}")
    if value < 0:
        raise ValueError(f"negative value: {text!r}")
    return value


def split_list(text: str, separators: str = ",;") -> list[str]:
    """Split a quoted list cell (``"10.0.0.1, 10.0.0.2"``) into its non-empty items."""
    items = re.split(f"[{re.escape(separators)}]", text)
    return [item.strip() for item in items if item.strip()]


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def classify_addresses(addresses: Iterable[str]) -> dict[str, str]:
    """``address`` (the one to connect to), ``private_address`` and ``public_address``."""
    private: str | None = None
    public: str | None = None
    first: str | None = None
    for text in addresses:
        ip = ipaddress.ip_address(text)
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
            continue
        first = first or text
        is_private = any(ip in net for net in _PRIVATE if net.version == ip.version)
        if is_private and private is None:
            private = text
        elif not is_private and public is None:
            public = text
    out: dict[str, str] = {}
    address = private or public or first
    if address:
        out["address"] = address
    if private:
        out["private_address"] = private
    if public:
        out["public_address"] = public
    return out


def operating_system(name: str | None, version: str | None = None) -> dict[str, str]:
    """Map an OS name as tools write it (``Red Hat Enterprise Linux 8``) to the model's fields.

    Known Linux distributions become their os-release ID (``rhel``) and family; a version
    embedded in the name is used when no version is given. Unknown names are kept as written.
    """
    out: dict[str, str] = {}
    if version and version.strip():
        out["version"] = version.strip()
    if not name or not name.strip():
        return out
    raw = name.strip()
    lower = raw.lower()
    if "windows" in lower:
        return {"name": raw, "family": "windows", **out}
    for keyword, os_id, family in _OS_NAMES:
        if keyword in lower or lower == os_id:
            out["name"] = os_id
            out["family"] = family
            if "version" not in out:
                rest = lower.split(keyword, 1)[1] if keyword in lower else ""
                rest = re.sub(r"\([^)]*\)|\b\d+-bit\b", " ", rest)
                match = _VERSION.search(rest)
                if match:
                    out["version"] = match.group(1)
            return out
    out["name"] = raw
    return out


def platform_of(os_fields: Mapping[str, str]) -> str | None:
    family = os_fields.get("family")
    if family == "windows":
        return "windows"
    if family or "linux" in os_fields.get("name", "").lower():
        return "linux"
    return None


def role_from_tags(tags: Mapping[str, str]) -> str | None:
    for key in ("Role", "role", "ROLE"):
        value = tags.get(key)
        if value and value.strip():
            return value.strip()
    return None


_NOT_PROVENANCE = {"id", "provenance", "lockin", "kind", "dependencies"}


def mark_imported(record: dict[str, Any]) -> dict[str, Any]:
    """Set ``provenance[field] = imported`` for every field the record fills."""
    provenance = record.setdefault("provenance", {})
    for key, value in record.items():
        if key in _NOT_PROVENANCE or key in provenance or value in (None, "", [], {}):
            continue
        if key == "role" and value == "unknown":
            continue
        provenance[key] = Provenance.IMPORTED.value
    return record


class UniqueIds:
    """Hand out ids that are unique within one import (``db``, ``db-2``, ...)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{wanted}-{n}"
        self.taken.add(candidate)
        return candidate


def normalize_header(text: str) -> str:
    """``*Memory (In MB)`` -> ``memory``; ``VMWare.VCenterId^`` -> ``vmware.vcenterid``."""
    cleaned = text.replace("\ufeff", "").strip().strip("*^").strip()
    cleaned = re.sub(r"\s*\([^)]*\)\s*", " ", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip().lower()


def validation_message(exc: Exception) -> str:
    """The first problem of a pydantic ValidationError as ``field: message``."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ())) or "(record)"
        return f"{loc}: {first.get('msg')}"
    return str(exc)
