"""Dependency manifests: which packages a project pulls in, with the line that names each.

``requirements*.txt`` (and ``*.in``), ``pyproject.toml`` (PEP 621 dependencies, optional
dependencies and dependency groups; Poetry), ``Pipfile``, ``package.json``, ``go.mod``,
``Gemfile``, ``pom.xml`` and Gradle build files. Tokens: ``pkg:<ecosystem>:<name>`` with the
signal ``package:<ecosystem>:<name>``. A manifest that does not parse yields what its lines still
show (never an exception). Pure: text in, tokens out.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator

from planner.audit.observations import Token

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@ ]|$)")
_PEP508 = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)")
_GO_REQ = re.compile(r"^\s*(?:require\s+)?([a-zA-Z0-9][\w.-]*\.[a-z]{2,}/[^\s]+)\s+v[0-9]")
_GEM = re.compile(r"""^\s*gem\s*\(?\s*["']([A-Za-z0-9_.-]+)["']""")
_POM_DEP = re.compile(r"<dependency>(.*?)</dependency>", re.DOTALL)
_POM_TAG = re.compile(r"<(groupId|artifactId)>\s*([^<\s]+)\s*</\1>")
_GRADLE = re.compile(
    r"""^\s*(?:implementation|api|compile|runtimeOnly|compileOnly|testImplementation|kapt|"""
    r"""annotationProcessor)\s*\(?\s*["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']"""
)


def manifest_kind(name: str) -> str | None:
    """The manifest format of a file name, or None for other files."""
    lower = name.lower()
    if lower.startswith("requirements") and lower.endswith((".txt", ".in")):
        return "requirements"
    return {
        "pyproject.toml": "pyproject",
        "pipfile": "pipfile",
        "package.json": "package.json",
        "go.mod": "go.mod",
        "gemfile": "gemfile",
        "pom.xml": "pom",
        "build.gradle": "gradle",
        "build.gradle.kts": "gradle",
    }.get(lower)


def _line_of(text: str, needle: str, start: int = 0) -> int | None:
    at = text.find(needle, start)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _requirements(text: str) -> Iterator[tuple[str, str, int | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "-", "git+", "http")):
            continue
        m = _REQ.match(stripped)
        if m:
            yield "pypi", m.group(1), number


def _pep508_names(values: object) -> Iterator[str]:
    if isinstance(values, list):
        for value in values:
            if isinstance(value, str) and (m := _PEP508.match(value)):
                yield m.group(1)


def _pyproject(text: str) -> Iterator[tuple[str, str, int | None]]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    names: list[str] = []
    project = doc.get("project")
    project = project if isinstance(project, dict) else {}
    names += _pep508_names(project.get("dependencies"))
    optional = project.get("optional-dependencies")
    for values in (optional or {}).values() if isinstance(optional, dict) else []:
        names += _pep508_names(values)
    groups = doc.get("dependency-groups")
    for values in groups.values() if isinstance(groups, dict) else []:
        names += _pep508_names(values)
    tool = doc.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        tables += [
            g.get("dependencies")
            for g in (poetry.get("group") or {}).values()
            if isinstance(g, dict)
        ]
        for table in tables:
            if isinstance(table, dict):
                names += [n for n in table if n.lower() != "python"]
    yield from _located(text, names, "pypi")


def _located(text: str, names: list[str], eco: str) -> Iterator[tuple[str, str, int | None]]:
    for name in dict.fromkeys(names):
        m = re.search(rf"""(?m)(?<![\w.-]){re.escape(name)}(?=[\s"'=<>!~\[;@,]|$)""", text)
        yield eco, name, (text.count("\n", 0, m.start()) + 1 if m else None)


def _pipfile(text: str) -> Iterator[tuple[str, str, int | None]]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    names = [
        n for s in ("packages", "dev-packages") if isinstance(doc.get(s), dict) for n in doc[s]
    ]
    yield from _located(text, names, "pypi")


def _package_json(text: str) -> Iterator[tuple[str, str, int | None]]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        deps = data.get(section)
        if isinstance(deps, dict):
            for name in deps:
                yield "npm", name, _line_of(text, f'"{name}"')


def _go_mod(text: str) -> Iterator[tuple[str, str, int | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        m = _GO_REQ.match(line.split("//", 1)[0])
        if m:
            yield "go", m.group(1), number


def _gemfile(text: str) -> Iterator[tuple[str, str, int | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _GEM.match(line):
            yield "rubygems", m.group(1), number


def _pom(text: str) -> Iterator[tuple[str, str, int | None]]:
    for block in _POM_DEP.finditer(text):
        tags = dict(_POM_TAG.findall(block.group(1)))
        if "groupId" in tags and "artifactId" in tags:
            line = _line_of(text, f"<artifactId>{tags['artifactId']}", block.start())
            yield "maven", f"{tags['groupId']}:{tags['artifactId']}", line


def _gradle(text: str) -> Iterator[tuple[str, str, int | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _GRADLE.match(line):
            yield "maven", f"{m.group(1)}:{m.group(2)}", number


_READERS = {
    "requirements": _requirements,
    "pyproject": _pyproject,
    "pipfile": _pipfile,
    "package.json": _package_json,
    "go.mod": _go_mod,
    "gemfile": _gemfile,
    "pom": _pom,
    "gradle": _gradle,
}


def scan_manifest(text: str, name: str, path: str, workload: str) -> list[Token]:
    """``pkg:`` tokens for every dependency a manifest declares (empty for other files)."""
    kind = manifest_kind(name)
    if kind is None:
        return []
    out: list[Token] = []
    for eco, package, line in _READERS[kind](text):
        signal = f"package:{eco}:{package}"
        out.append(Token(f"pkg:{eco}:{package}", path, line, workload, "manifest", signal, name))
    return out
