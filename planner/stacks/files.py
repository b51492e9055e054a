"""Stack files: find the Pulumi projects, read PLAN.json and the catalog, write stack config.

In a checkout the projects are the top-level ``stacks/``; in a wheel ``planner/_stacks``;
``EXITPLAN_STACKS`` or ``--stacks-dir`` override both. ``Pulumi.<stack>.yaml`` is written
atomically and only after :func:`~planner.stacks.config.find_secrets` found nothing, into the
copy :mod:`planner.stacks.export` made (or an existing checkout given with ``--stacks-dir``).
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from planner.errors import InputError
from planner.io.atomic import write_text
from planner.io.catalog import load_provider, load_target
from planner.io.documents import format_loc, read_text
from planner.io.seeds import load_yaml_seed
from planner.models.capacity import CapacityPlan
from planner.models.catalog import Catalog
from planner.models.private_target import PrivateTarget
from planner.models.stacks import StackCatalog, StackTarget
from planner.stacks.config import find_secrets


def stacks_dir(override: Path | None = None) -> Path:
    """The folder holding ``components/`` and one Pulumi project per target."""
    if override is not None:
        return override
    env = os.environ.get("EXITPLAN_STACKS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_stacks", package.parent / "stacks"):
        if (candidate / "components").is_dir():
            return candidate
    raise InputError("Pulumi stacks not found: pass --stacks-dir or set EXITPLAN_STACKS")


@functools.cache
def stack_catalog() -> StackCatalog:
    return load_yaml_seed("stacks/targets.yaml", StackCatalog)


def stack_target(name: str) -> StackTarget:
    targets = stack_catalog().targets
    if name not in targets:
        raise InputError(f"unknown --provider {name!r} (known: {', '.join(targets)})")
    return targets[name]


def load_capacity(path: Path) -> CapacityPlan:
    """The ``capacity`` section of a plan JSON (``exitplan plan --target``), or a capacity
    JSON (``exitplan capacity --format json``)."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object")
    section = data if "servers" in data and "target" in data else data.get("capacity")
    if section is None:
        raise InputError(
            f"{path}: no capacity section; plan with a target: exitplan plan INVENTORY "
            "--target PROVIDER --format json -o PLAN.json"
        )
    section = {k: v for k, v in section.items() if k != "schema_version"}
    try:
        return CapacityPlan.model_validate(section)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            f"{path}: capacity.{format_loc(tuple(first['loc']))}: {first['msg']}"
        ) from None


def load_catalog(capacity: CapacityPlan, target_file: Path | None) -> Catalog:
    """The catalog the plan was made against (limits, offerings)."""
    info = capacity.target
    if target_file is not None:
        return load_target(str(target_file))
    if info.kind == "private":
        origin = Path(info.origin)
        if not origin.is_file():
            raise InputError(
                f"the plan's private target file {origin} is not here: pass --target FILE"
            )
        return load_target(str(origin))
    return load_provider(info.provider)


def proxmox_nodes(catalog: Catalog) -> list[str]:
    """Node names guessed from a Proxmox target file's hosts (``pve`` x 3 -> pve1..pve3)."""
    if catalog.private_kind != "proxmox" or not Path(catalog.origin).is_file():
        return []
    data = yaml.safe_load(read_text(catalog.origin))
    target = PrivateTarget.model_validate(data)
    names: list[str] = []
    for host in target.hosts:
        names += (
            [host.name] if host.count == 1 else [f"{host.name}{i + 1}" for i in range(host.count)]
        )
    return names


def check_target_matches(provider: str, catalog: Catalog) -> None:
    served = stack_catalog().target_for(catalog.provider, catalog.private_kind)
    if served != provider:
        hint = f"use --provider {served}" if served else "no stack serves that target"
        raise InputError(
            f"the plan's target is {catalog.provider!r}"
            + (f" ({catalog.private_kind})" if catalog.private_kind else "")
            + f", not a {provider!r} target: {hint}"
        )


def project_dir(root: Path, provider: str) -> Path:
    folder = root / provider
    if not (folder / "Pulumi.yaml").is_file() or not (folder / "__main__.py").is_file():
        raise InputError(f"{folder}: not a Pulumi project (Pulumi.yaml and __main__.py)")
    return folder


def stack_file_text(target: StackTarget, document: dict[str, Any], source: str) -> str:
    secrets = find_secrets(document)
    if secrets:
        raise InputError(f"refusing to write secret-looking config: {', '.join(secrets)}")
    setters = "\n".join(f"#   pulumi config set --secret {key}" for key in target.secret_config)
    header = (
        f"# Written by `exitplan stacks config` from {source}. Edit settings freely; re-running\n"
        "# the command overwrites this file. It holds NO secrets. Give the provider credentials\n"
        f"# as environment variables ({', '.join(target.credentials_env)}) or encrypted:\n"
        f"{setters}\n"
    )
    body = yaml.safe_dump(
        {"config": {f"{target.project}:fleet": document}}, sort_keys=False, width=100
    )
    return header + body


def write_stack_file(folder: Path, stack: str, text: str) -> Path:
    return write_text(folder / f"Pulumi.{stack}.yaml", text)
