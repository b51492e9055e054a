"""DNS zone data the user passes in: BIND master files and Route 53 JSON exports.

BIND syntax (RFC 1035 §5 plus BIND's ``$TTL``): ``$ORIGIN``, ``$TTL`` with unit suffixes
(``1h30m``), ``@``, relative and absolute names, a blank owner repeating the previous one, TTL and
class in either order, parenthesised multi-line records (SOA, long TXT), quoted strings with
``\\"``/``\\DDD`` escapes, ``;`` comments outside quotes. ``$INCLUDE`` is not followed (pass
the file too); ``$GENERATE`` ranges are skipped. A Route 53 export is the JSON that ``aws route53
list-resource-record-sets`` prints (or its ``ResourceRecordSets`` list): values are parsed with
the same tokenizer, alias targets become ``ALIAS`` records, octal escapes in names are decoded.

Every problem (unclosed parenthesis or quote, missing data, unknown type) is returned with its line
and the parser goes on with the next record. Pure: text in, records and problems out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

MAX_PROBLEMS = 20
_CLASSES = {"IN", "CH", "HS", "CS", "ANY", "NONE"}
_TTL = re.compile(r"^(?:\d+|(?:\d+[smhdw])+)$", re.IGNORECASE)
_TYPE = re.compile(r"^(?:[A-Z][A-Z0-9-]*|TYPE\d+)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_NAME_TYPES = {"NS", "CNAME", "DNAME", "ALIAS", "ANAME", "PTR"}
_MIN_DATA = {"NS": 1, "CNAME": 1, "DNAME": 1, "ALIAS": 1, "ANAME": 1, "MX": 2, "SRV": 4, "SOA": 7}
_MIN_DATA |= {"CAA": 3, "A": 1, "AAAA": 1, "TXT": 1, "PTR": 1}


@dataclass(frozen=True)
class DnsRecord:
    """One resource record; names are lower case without the trailing dot."""

    owner: str
    ttl: int | None
    rtype: str
    data: tuple[str, ...]
    line: int | None

    @property
    def targets(self) -> list[str]:
        """Host names this record points at (NS/CNAME/ALIAS target, MX exchange, SRV target)."""
        if self.rtype in _NAME_TYPES and self.data:
            return [self.data[0]]
        if self.rtype == "MX" and len(self.data) >= 2:
            return [self.data[1]]
        if self.rtype == "SRV" and len(self.data) >= 4:
            return [self.data[3]]
        return []

    @property
    def text(self) -> str:
        return "".join(self.data) if self.rtype == "TXT" else " ".join(self.data)


@dataclass
class ZoneData:
    records: list[DnsRecord] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    origin: str | None = None
    format: str = "bind"

    def problem(self, line: int | None, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, text))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append((line, "more problems not listed"))


@dataclass
class _Entry:
    tokens: list[tuple[str, bool]]  # (text, was quoted)
    line: int
    indented: bool


def ttl_seconds(text: str) -> int | None:
    """``3600``, ``1h``, ``1h30m``, ``2w`` -> seconds; None when it is not a TTL."""
    if not _TTL.match(text):
        return None
    if text.isdigit():
        return int(text)
    return sum(int(n) * _UNITS[u.lower()] for n, u in re.findall(r"(\d+)([smhdwSMHDW])", text))


def _decode_escape(text: str, i: int) -> tuple[str, int]:
    """The character a backslash escape at ``text[i]`` stands for, and the index after it."""
    digits = text[i + 1 : i + 4]
    if len(digits) == 3 and digits.isdigit():
        return chr(int(digits) % 256), i + 4
    return (text[i + 1], i + 2) if i + 1 < len(text) else ("\\", i + 1)


def entries(text: str, data: ZoneData) -> list[_Entry]:
    """Logical entries: physical lines joined inside parentheses, comments and quotes handled."""
    out: list[_Entry] = []
    tokens: list[tuple[str, bool]] = []
    depth, open_line, line, start_line = 0, 0, 1, 1
    indented = text[:1] in (" ", "\t")
    i, n = 0, len(text)
    current: list[str] = []

    def flush_token(quoted: bool = False) -> None:
        if current or quoted:
            tokens.append(("".join(current), quoted))
            current.clear()

    def end_entry() -> None:
        nonlocal tokens
        if tokens:
            out.append(_Entry(tokens, start_line, indented))
        tokens = []

    while i < n:
        ch = text[i]
        if ch == "\\":
            char, i = _decode_escape(text, i)
            current.append(char)
            continue
        if ch == '"':
            flush_token()
            j, buf, closed = i + 1, [], False
            while j < n:
                c = text[j]
                if c == "\\":
                    char, j = _decode_escape(text, j)
                    buf.append(char)
                    continue
                if c == '"':
                    closed = True
                    break
                if c == "\n":
                    break
                buf.append(c)
                j += 1
            tokens.append(("".join(buf), True))
            if not closed:
                data.problem(line, "unterminated quoted string")
                i = j
                continue
            i = j + 1
            continue
        if ch == ";":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "(":
            flush_token()
            if depth == 0:
                open_line = line
            depth += 1
        elif ch == ")":
            flush_token()
            if depth == 0:
                data.problem(line, "')' without '('")
            else:
                depth -= 1
        elif ch == "\n":
            flush_token()
            line += 1
            if depth == 0:
                end_entry()
                start_line = line
                indented = text[i + 1 : i + 2] in (" ", "\t")
        elif ch in " \t\r":
            flush_token()
        else:
            current.append(ch)
        i += 1
    flush_token()
    if depth > 0:
        data.problem(open_line, f"'(' opened on line {open_line} is never closed")
        tokens = []
    end_entry()
    return out


def _absolute(name: str, origin: str | None) -> str:
    """A name made absolute against the origin; lower case, no trailing dot."""
    lower = name.lower()
    if lower == "@":
        return origin or ""
    if lower.endswith("."):
        return lower.rstrip(".")
    return f"{lower}.{origin}" if origin else lower


def _directive(entry: _Entry, state: dict[str, object], data: ZoneData) -> None:
    words = [t for t, _ in entry.tokens]
    name = words[0].upper()
    if name == "$ORIGIN" and len(words) >= 2:
        state["origin"] = _absolute(words[1], state.get("origin"))  # type: ignore[arg-type]
        data.origin = data.origin or str(state["origin"])
    elif name == "$TTL" and len(words) >= 2 and ttl_seconds(words[1]) is not None:
        state["ttl"] = ttl_seconds(words[1])
    elif name == "$INCLUDE":
        data.problem(
            entry.line, f"$INCLUDE {' '.join(words[1:2])} not followed: pass it with --dns"
        )
    elif name == "$GENERATE":
        return
    else:
        data.problem(entry.line, f"cannot read directive {' '.join(words)[:80]!r}")


def parse_bind(text: str, origin: str | None = None) -> ZoneData:
    """Records of a BIND master file (see the module docstring)."""
    data = ZoneData(origin=origin.lower().rstrip(".") if origin else None)
    state: dict[str, object] = {"origin": data.origin, "ttl": None, "owner": None}
    for entry in entries(text, data):
        first, quoted = entry.tokens[0]
        if first.startswith("$") and not quoted and not entry.indented:
            _directive(entry, state, data)
            continue
        _record(entry, state, data)
    return data


def _record(entry: _Entry, state: dict[str, object], data: ZoneData) -> None:
    words = list(entry.tokens)
    origin = state.get("origin")
    if entry.indented:
        owner = state.get("owner")
        if owner is None:
            data.problem(entry.line, "record without an owner name (no earlier record)")
            return
    else:
        owner = _absolute(words.pop(0)[0], origin)  # type: ignore[arg-type]
    ttl = state.get("ttl")
    for _ in range(2):
        if words and not words[0][1] and ttl_seconds(words[0][0]) is not None:
            ttl = ttl_seconds(words.pop(0)[0])
        elif words and not words[0][1] and words[0][0].upper() in _CLASSES:
            words.pop(0)
    if not words:
        data.problem(entry.line, f"record for {owner or '@'} has no type")
        return
    rtype = words.pop(0)[0].upper()
    if not _TYPE.match(rtype):
        data.problem(entry.line, f"unknown record type {rtype[:40]!r}")
        return
    state["owner"] = owner
    if state.get("ttl") is None and ttl is not None:
        state["ttl"] = ttl
    if origin is None and rtype == "SOA" and data.origin is None:
        data.origin = str(owner)
    _add(str(owner), ttl, rtype, [w for w, _ in words], entry.line, origin, data)  # type: ignore[arg-type]


def _add(
    owner: str,
    ttl: int | None,
    rtype: str,
    values: list[str],
    line: int | None,
    origin: str | None,
    data: ZoneData,
) -> None:
    need = _MIN_DATA.get(rtype, 0)
    if len(values) < need:
        data.problem(line, f"{rtype} record for {owner or '@'} needs {need} data fields")
        return
    at = {"MX": 1, "SRV": 3, "SOA": 0}.get(rtype, 0 if rtype in _NAME_TYPES else None)
    if at is not None:
        values[at] = _absolute(values[at], origin)
    data.records.append(DnsRecord(owner, ttl, rtype, tuple(values), line))


# ----------------------------------------------------------------------------- Route 53 JSON


def looks_like_route53(text: str) -> bool:
    """JSON (zone files never start with a brace or a bracket)."""
    return text.lstrip().startswith(("{", "["))


def _name(value: object) -> str:
    text = str(value)
    return re.sub(r"\\(\d{3})", lambda m: chr(int(m.group(1), 8)), text).lower().rstrip(".")


def _lines(text: str, key: str) -> list[int]:
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(rf'"{key}"\s*:', text)]


def parse_route53(text: str) -> ZoneData:
    """Records of ``aws route53 list-resource-record-sets`` output (see the module docstring)."""
    data = ZoneData(format="route53")
    try:
        doc = json.loads(text)
    except ValueError as exc:
        data.problem(getattr(exc, "lineno", None), f"JSON syntax: {exc}")
        return data
    sets = doc.get("ResourceRecordSets") if isinstance(doc, dict) else doc
    if not isinstance(sets, list):
        data.problem(1, "no ResourceRecordSets list: not a Route 53 export")
        return data
    name_lines = _lines(text, "Name")
    for index, rrset in enumerate(sets):
        line = name_lines[index] if index < len(name_lines) else None
        if not isinstance(rrset, dict) or "Name" not in rrset or "Type" not in rrset:
            data.problem(line, f"record set {index + 1} lacks Name or Type")
            continue
        owner, rtype = _name(rrset["Name"]), str(rrset["Type"]).upper()
        ttl = rrset.get("TTL") if isinstance(rrset.get("TTL"), int) else None
        if rtype == "SOA" and data.origin is None:
            data.origin = owner
        alias = rrset.get("AliasTarget")
        if isinstance(alias, dict) and alias.get("DNSName"):
            data.records.append(DnsRecord(owner, ttl, "ALIAS", (_name(alias["DNSName"]),), line))
        for item in rrset.get("ResourceRecords") or []:
            value = item.get("Value") if isinstance(item, dict) else None
            if not isinstance(value, str):
                data.problem(line, f"{rtype} record for {owner}: value is not text")
                continue
            scratch = ZoneData()
            values = [t for e in entries(value, scratch) for t, _ in e.tokens]
            for _, problem in scratch.problems:
                data.problem(line, f"{rtype} record for {owner}: {problem}")
            _add(owner, ttl, rtype, values, line, data.origin, data)
    if data.origin is None:
        apex = [r.owner for r in data.records if r.rtype == "NS"]
        data.origin = min(apex, key=len) if apex else None
    return data


def parse_zone(text: str, origin: str | None = None) -> ZoneData:
    """A Route 53 export when the text looks like one, else a BIND master file."""
    return parse_route53(text) if looks_like_route53(text) else parse_bind(text, origin)
