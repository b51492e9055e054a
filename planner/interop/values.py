"""Small value parsers shared by the importers: numbers, lists, addresses, OS names, ids."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

from planner.models import Provenance

_ULA = ipaddress.IPv6Network("fc00::/7")
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
    try:
        value = float(text)  # the common case, fast
        if 0 <= value < float("inf"):
            return value
    except ValueError:
        pass
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
    if not text:
        return []
    if len(separators) == 1:
        return [item.strip() for item in text.split(separators) if item.strip()]
    items = re.split(f"[{re.escape(separators)}]", text)
    return [item.strip() for item in items if item.strip()]


_IPV4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


def _ipv4(text: str) -> tuple[int, int, int, int] | None:
    """Octets of a dotted IPv4 address (no leading zeros), else None. Fast: no ipaddress."""
    match = _IPV4.match(text)
    if not match or any(len(o) > 1 and o[0] == "0" for o in match.groups()):
        return None
    a, b, c, d = (int(o) for o in match.groups())
    return (a, b, c, d) if max(a, b, c, d) <= 255 else None


def _ipv6(text: str) -> ipaddress.IPv6Address | None:
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        return None


def is_ip(text: str) -> bool:
    return _ipv4(text) is not None or (":" in text and _ipv6(text) is not None)


def _kind(text: str) -> str | None:
    """``private``, ``public`` or None (loopback, link-local, unspecified, not an address)."""
    octets = _ipv4(text)
    if octets is not None:
        a, b = octets[0], octets[1]
        if a in (0, 127) or (a == 169 and b == 254):
            return None
        private = (
            a == 10
            or (a == 172 and 16 <= b <= 31)
            or (a == 192 and b == 168)
            or (a == 100 and 64 <= b <= 127)
        )  # RFC 1918 and RFC 6598 (carrier-grade NAT)
        return "private" if private else "public"
    ip = _ipv6(text) if ":" in text else None
    if ip is None or ip.is_loopback or ip.is_link_local or ip.is_unspecified:
        return None
    return "private" if ip in _ULA else "public"  # RFC 4193 unique local addresses


def classify_addresses(addresses: Iterable[str]) -> dict[str, str]:
    """``address`` (the one to connect to), ``private_address`` and ``public_address``."""
    found: dict[str, str] = {}
    for text in addresses:
        kind = _kind(text)
        if kind is not None:
            found.setdefault(f"{kind}_address", text)
    address = found.get("private_address") or found.get("public_address")
    return {"address": address, **found} if address else found


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
_IMPORTED = Provenance.IMPORTED.value


def mark_imported(record: dict[str, Any]) -> dict[str, Any]:
    """Set ``provenance[field] = imported`` for every field the record fills."""
    provenance = record.setdefault("provenance", {})
    for key, value in record.items():
        if key in _NOT_PROVENANCE or key in provenance or value in (None, "", [], {}):
            continue
        if key == "role" and value == "unknown":
            continue
        provenance[key] = _IMPORTED
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
