"""A line-aware scan of Terraform HCL: top-level blocks, their line and their attributes.

Not a full HCL parser, on purpose: real-world files use every HCL feature, and the audit only needs
block headers (``resource "aws_db_instance" "main" {``), the line they start on, and the
attributes set anywhere inside (``engine = "postgres"``). Comments, strings (with nested
``${...}`` templates) and heredocs are masked first, so braces inside them never confuse the
block depth. Pure: text in, blocks out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from planner.audit.observations import PRESENT, UNRESOLVED

_SPECIAL = re.compile(r'[#/"<]')
_HEREDOC = re.compile(r"<<-?\s*([A-Za-z_][\w-]*)[ \t]*\r?\n")
_HEADER = re.compile(
    r'^\s*(resource|data|module|provider)\s+("([^"\n]*)"|[\w-]+)\s*(?:("([^"\n]*)"|[\w-]+)\s*)?\{'
)
_ATTR = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=(?!=)")
_NESTED = re.compile(r'^\s*([A-Za-z_][\w-]*)\s*(?:"[^"\n]*"\s*)*\{')
_PLAIN_VALUE = re.compile(r"^(true|false|null|-?[0-9][0-9.eE+-]*)$")
_LEFTOVER = re.compile(r'[\s\[\]{}(),"]+')


@dataclass
class Block:
    kind: str
    labels: tuple[str, ...]
    line: int
    attrs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Literal:
    start: int
    end: int
    text: str


def mask(text: str) -> tuple[str, list[_Literal]]:
    """Blank out comments, string contents and heredoc bodies (newlines kept).

    Returns the masked text (same length, same line breaks) and the string literals found.
    """
    out: list[str] = []
    literals: list[_Literal] = []
    i, n = 0, len(text)
    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            out.append(text[i:])
            break
        j = m.start()
        out.append(text[i:j])
        ch = text[j]
        if ch == "#" or text.startswith("//", j):
            end = text.find("\n", j)
            end = n if end < 0 else end
            out.append(" " * (end - j))
            i = end
        elif text.startswith("/*", j):
            end = text.find("*/", j + 2)
            end = n if end < 0 else end + 2
            out.append(_blank(text[j:end]))
            i = end
        elif ch == '"':
            end = _string_end(text, j + 1)
            literals.append(_Literal(j, end, text[j + 1 : max(end - 1, j + 1)]))
            out.append('"' + _blank(text[j + 1 : end - 1]) + '"' if end - j >= 2 else '"')
            i = end
        elif text.startswith("<<", j) and (h := _HEREDOC.match(text, j)):
            tag = h.group(1)
            body_start = h.end()
            close = re.compile(rf"^[ \t]*{re.escape(tag)}[ \t]*\r?$", re.M).search(text, body_start)
            end = close.end() if close else n
            body_end = close.start() if close else n
            literals.append(_Literal(j, end, text[body_start:body_end]))
            out.append(_blank(text[j:end]))
            i = end
        else:
            out.append(ch)
            i = j + 1
    return "".join(out), literals


def _blank(chunk: str) -> str:
    return re.sub(r"[^\n]", " ", chunk)


def _string_end(text: str, i: int) -> int:
    """Index just past the closing quote of a string whose body starts at ``i``."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == '"':
            return i + 1
        elif ch == "\n":
            return i  # unterminated on this line: HCL strings are single-line
        elif ch in "$%" and text.startswith("{", i + 1):
            i = _template_end(text, i + 2)
        else:
            i += 1
    return n


def _template_end(text: str, i: int) -> int:
    depth, n = 1, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            i = _string_end(text, i + 1)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and depth > 0 and text.startswith("\n\n", i):
            return i  # runaway template: give up at a blank line
        i += 1
    return n


def _within(literals: list[_Literal], starts: list[int], start: int, end: int) -> list[_Literal]:
    return literals[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _value(
    masked: str, literals: list[_Literal], starts: list[int], start: int, end: int
) -> list[str]:
    inside = _within(literals, starts, start, end)
    leftover = masked[start:end]
    for lit in inside:
        rel_s, rel_e = lit.start - start, min(lit.end, end) - start
        leftover = leftover[:rel_s] + " " * (rel_e - rel_s) + leftover[rel_e:]
    rest = _LEFTOVER.sub("", leftover)
    values = [UNRESOLVED if ("${" in lit.text or "%{" in lit.text) else lit.text for lit in inside]
    if not inside:
        raw = masked[start:end].strip()
        if _PLAIN_VALUE.match(raw):
            return [raw]
        if raw.startswith(("{", "[")) and not rest:
            return [PRESENT]
        return [UNRESOLVED]
    if rest:
        values.append(UNRESOLVED)
    return values


def _expression_end(masked: str, start: int) -> int:
    """End of an attribute expression: the first newline at bracket balance zero."""
    balance, i, n = 0, start, len(masked)
    while i < n:
        ch = masked[i]
        if ch in "([{":
            balance += 1
        elif ch in ")]}":
            balance -= 1
            if balance < 0:
                return i
        elif ch == "\n" and balance <= 0:
            return i
        i += 1
    return n


def scan(text: str) -> list[Block]:
    """Top-level ``resource``, ``data``, ``module`` and ``provider`` blocks with attributes."""
    masked, literals = mask(text)
    starts = [lit.start for lit in literals]
    blocks: list[Block] = []
    depth = 0
    current: Block | None = None
    offset = 0
    orig_lines = text.split("\n")
    for number, mline in enumerate(masked.split("\n"), start=1):
        line_start = offset
        offset += len(mline) + 1
        if depth == 0:
            head = _HEADER.match(orig_lines[number - 1]) if mline.lstrip()[:1].isalpha() else None
            if head and mline.lstrip().startswith(head.group(1)):
                labels = tuple(
                    g for g in (head.group(3) or head.group(2), head.group(5) or head.group(4)) if g
                )
                current = Block(head.group(1), labels, number)
        elif current is not None:
            attr = _ATTR.match(mline)
            if attr:
                start = line_start + attr.end()
                end = _expression_end(masked, start)
                current.attrs.extend(
                    (attr.group(1), v) for v in _value(masked, literals, starts, start, end)
                )
            else:
                nested = _NESTED.match(mline)
                if nested:
                    name = nested.group(1)
                    if name == "dynamic":
                        found = _within(literals, starts, line_start, offset)
                        name = found[0].text if found else name
                    current.attrs.append((name, PRESENT))
        depth += mline.count("{") - mline.count("}")
        if depth <= 0:
            if current is not None:
                blocks.append(current)
                current = None
            depth = 0
    if current is not None:
        blocks.append(current)
    return blocks
