"""Terraform evidence: ``.tf``/``.tf.json`` configuration, ``terraform.tfstate`` (v4), plan JSON.

Resources and data sources become :class:`Resource` observations of kind ``terraform``; module
calls become kind ``terraform-module`` with a normalised registry source
(``terraform-aws-modules/eks/aws``, plus ``//submodule`` when present) so git and registry
spellings of the same module match one rule. Pure: text or parsed JSON in, observations out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from planner.audit.observations import PRESENT, UNRESOLVED, Observations, Resource, attr_map
from planner.audit.readers import hcl

_REGISTRY = re.compile(r"^([\w.-]+)/([\w.-]+)/([\w.-]+)(//[\w./-]+)?$")
_GIT_TAM = re.compile(r"terraform-aws-modules/terraform-aws-([\w.-]+?)(?:\.git)?(//[\w./-]+)?$")


def normalize_module_source(source: str) -> str | None:
    """Registry form of a module source, or None for local paths and unknown shapes."""
    s = source.strip()
    if s.startswith((".", "/")):
        return None
    s = re.sub(r"\?.*$", "", s)
    for prefix in (
        "git::",
        "https://",
        "http://",
        "ssh://",
        "git@github.com:",
        "github.com/",
        "registry.terraform.io/",
        "app.terraform.io/",
    ):
        if s.startswith(prefix):
            s = s[len(prefix) :]
    s = s.replace("git@github.com:", "").removeprefix("github.com/")
    m = _GIT_TAM.search(s)
    if m:
        return f"terraform-aws-modules/{m.group(1)}/aws{m.group(2) or ''}"
    m = _REGISTRY.match(s)
    if m:
        return f"{m.group(1)}/{m.group(2)}/{m.group(3)}{m.group(4) or ''}"
    return None


def read_hcl(text: str, path: str, workload: str) -> Observations:
    obs = Observations()
    for block in hcl.scan(text):
        if block.kind in ("resource", "data") and block.labels:
            obs.resources.append(
                Resource(
                    "terraform",
                    block.labels[0],
                    ".".join(block.labels[1:2]) or "",
                    attr_map(block.attrs),
                    path,
                    block.line,
                    workload,
                    "terraform",
                )
            )
        elif block.kind == "module":
            sources = [v for k, v in block.attrs if k == "source"]
            normal = normalize_module_source(sources[0]) if sources else None
            if normal:
                attrs = attr_map([(k, v) for k, v in block.attrs if k != "source"])
                obs.resources.append(
                    Resource(
                        "terraform-module",
                        normal,
                        block.labels[0] if block.labels else "",
                        attrs,
                        path,
                        block.line,
                        workload,
                        "terraform",
                    )
                )
    return obs


def flatten(value: Any, prefix: str | None = None) -> Iterator[tuple[str, str]]:
    """``(key, scalar)`` pairs from nested JSON-like data; mappings/lists give PRESENT."""
    if isinstance(value, dict):
        for key, sub in value.items():
            key = str(key)
            if isinstance(sub, dict):
                only = next(iter(sub)) if len(sub) == 1 else ""
                if only == "Ref" or only.startswith("Fn::"):
                    yield key, UNRESOLVED
                    continue
                yield key, PRESENT
                yield from flatten(sub, key)
            elif isinstance(sub, list):
                scalars = [x for x in sub if not isinstance(x, dict | list)]
                yield from ((key, _scalar(x)) for x in scalars)
                if len(scalars) < len(sub):
                    yield key, PRESENT
                for item in sub:
                    if isinstance(item, dict | list):
                        yield from flatten(item, key)
            else:
                yield key, _scalar(sub)
    elif isinstance(value, list):
        for item in value:
            yield from flatten(item, prefix)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return UNRESOLVED if "${" in text else text


def _line_finder(text: str) -> Any:
    """Return ``find(needle) -> line`` that searches forward, so repeated names get later lines."""
    positions: dict[str, int] = {}

    def find(needle: str) -> int | None:
        start = positions.get(needle, 0)
        at = text.find(needle, start)
        if at < 0:
            at = text.find(needle)
            if at < 0:
                return None
        positions[needle] = at + len(needle)
        return text.count("\n", 0, at) + 1

    return find


def read_tf_json(data: Any, text: str, path: str, workload: str) -> Observations:
    """Terraform JSON syntax (``*.tf.json``)."""
    obs = Observations()
    if not isinstance(data, dict):
        return obs
    find = _line_finder(text)
    for mode in ("resource", "data"):
        section = data.get(mode)
        for rtype, named in _pairs(section):
            for name, body in _pairs(named):
                obs.resources.append(
                    Resource(
                        "terraform",
                        rtype,
                        name,
                        attr_map(list(flatten(body))),
                        path,
                        find(f'"{rtype}"'),
                        workload,
                        "terraform",
                    )
                )
    for name, body in _pairs(data.get("module")):
        source = body.get("source") if isinstance(body, dict) else None
        normal = normalize_module_source(source) if isinstance(source, str) else None
        if normal and isinstance(body, dict):
            attrs = attr_map([p for p in flatten(body) if p[0] != "source"])
            obs.resources.append(
                Resource(
                    "terraform-module",
                    normal,
                    name,
                    attrs,
                    path,
                    find(f'"{name}"'),
                    workload,
                    "terraform",
                )
            )
    return obs


def _pairs(section: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(section, dict):
        yield from ((str(k), v) for k, v in section.items())
    elif isinstance(section, list):
        for item in section:
            yield from _pairs(item)


def is_state(data: Any) -> bool:
    return isinstance(data, dict) and "terraform_version" in data and "resources" in data


def is_plan(data: Any) -> bool:
    return isinstance(data, dict) and ("planned_values" in data or "resource_changes" in data)


def read_state(data: dict[str, Any], text: str, path: str, workload: str) -> Observations:
    """Terraform state v4: ``resources[]`` with ``mode``, ``type``, ``name`` and instances."""
    obs = Observations()
    find = _line_finder(text)
    for res in data.get("resources") or []:
        if not isinstance(res, dict) or not isinstance(res.get("type"), str):
            continue
        instances = res.get("instances") or [{}]
        attrs = attrs_of(instances[0].get("attributes") if isinstance(instances[0], dict) else {})
        obs.resources.append(
            Resource(
                "terraform",
                res["type"],
                str(res.get("name", "")),
                attrs,
                path,
                find(f'"type": "{res["type"]}"') or find(f'"{res["type"]}"'),
                workload,
                "terraform-state",
            )
        )
    return obs


def attrs_of(values: Any) -> dict[str, tuple[str, ...]]:
    return attr_map(list(flatten(values))) if isinstance(values, dict) else {}


def read_plan(data: dict[str, Any], text: str, path: str, workload: str) -> Observations:
    """``terraform show -json`` output: resource changes (or planned values) and module calls."""
    obs = Observations()
    find = _line_finder(text)
    changes = data.get("resource_changes")
    if isinstance(changes, list) and changes:
        for rc in changes:
            if not isinstance(rc, dict) or not isinstance(rc.get("type"), str):
                continue
            change: dict[str, Any] = rc["change"] if isinstance(rc.get("change"), dict) else {}
            after = change.get("after") or change.get("before") or {}
            obs.resources.append(
                Resource(
                    "terraform",
                    rc["type"],
                    str(rc.get("name", "")),
                    attrs_of(after),
                    path,
                    find(f'"type": "{rc["type"]}"'),
                    workload,
                    "terraform-plan",
                )
            )
    else:
        root = (data.get("planned_values") or {}).get("root_module") or {}
        for res in _module_resources(root):
            obs.resources.append(
                Resource(
                    "terraform",
                    res["type"],
                    str(res.get("name", "")),
                    attrs_of(res.get("values")),
                    path,
                    find(f'"type": "{res["type"]}"'),
                    workload,
                    "terraform-plan",
                )
            )
    config_root = (data.get("configuration") or {}).get("root_module") or {}
    for name, call in (config_root.get("module_calls") or {}).items():
        source = call.get("source") if isinstance(call, dict) else None
        normal = normalize_module_source(source) if isinstance(source, str) else None
        if normal:
            obs.resources.append(
                Resource(
                    "terraform-module",
                    normal,
                    name,
                    {},
                    path,
                    find(f'"{source}"'),
                    workload,
                    "terraform-plan",
                )
            )
    return obs


def _module_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for res in module.get("resources") or []:
        if isinstance(res, dict) and isinstance(res.get("type"), str):
            yield res
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            yield from _module_resources(child)


def parse_json(text: str) -> Any:
    return json.loads(text)
