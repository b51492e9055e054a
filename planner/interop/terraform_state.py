"""Import a Terraform state file (format version 4, Terraform 0.12 and later).

Managed AWS resources become servers (``aws_instance`` with its root, inline and attached EBS
volumes), data stores (buckets, databases, file systems, caches: see
:mod:`planner.interop.terraform_resources`) or, for everything else, account-level lock-in
evidence with origin ``import``. Data sources and other providers are skipped. Attributes are
read one by one and never copied wholesale, so secrets in the state (database passwords) stay
there. Each resource keeps the line where it starts in the state file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from planner.errors import InputError
from planner.interop import terraform_resources as tfr
from planner.interop.report import ImportResult, RowProblem
from planner.interop.service_map import TerraformServiceMap
from planner.interop.terraform_stores import Unusable
from planner.interop.values import validation_message
from planner.models import DataStore, Inventory, LockinEvidence, Server
from planner.models.seeds import AwsInstanceType

FORMAT = "terraform-state"
_AWS_TYPE = re.compile(r"^(aws|awscc)_")


@dataclass(frozen=True)
class StateResource:
    """One instance of one resource, with the address Terraform would print."""

    type: str
    address: str
    line: int | None
    attributes: Mapping[str, Any]


def _address(resource: Mapping[str, Any], index_key: Any) -> str:
    base = f"{resource['type']}.{resource['name']}"
    if resource.get("module"):
        base = f"{resource['module']}.{base}"
    if index_key is None:
        return base
    return f"{base}[{json.dumps(index_key)}]"


def _load(text: str, source: str) -> dict[str, Any]:
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}:{exc.lineno}: syntax: {exc.msg}") from None
    if not isinstance(state, dict):
        raise InputError(f"{source}:1: (document): expected a Terraform state object")
    if "format_version" in state and "values" in state:
        raise InputError(
            f"{source}: this is `terraform show -json` output; pass the state itself "
            "(`terraform state pull > terraform.tfstate`)"
        )
    version = state.get("version")
    if version != 4:
        raise InputError(
            f"{source}: version: Terraform state version {version!r} is not supported "
            "(expected 4: Terraform 0.12 or later; run `terraform state pull` with a current "
            "Terraform to upgrade it)"
        )
    if not isinstance(state.get("resources", []), list):
        raise InputError(f"{source}: resources: expected a list")
    return state


def _resources(text: str, state: dict[str, Any], result: ImportResult) -> Iterator[StateResource]:
    position, line = 0, 1
    skipped: dict[str, int] = {}
    for resource in state.get("resources", []):
        if not isinstance(resource, dict) or "type" not in resource or "name" not in resource:
            result.problems.append(
                RowProblem(None, "resources", "entry without type and name", True)
            )
            continue
        pattern = re.compile(
            rf'"type"\s*:\s*{re.escape(json.dumps(resource["type"]))}\s*,\s*'
            rf'"name"\s*:\s*{re.escape(json.dumps(resource["name"]))}'
        )
        match = pattern.search(text, position)
        start: int | None = None
        if match:
            line += text.count("\n", position, match.start())
            position, start = match.start(), line
        kind = resource["type"]
        if resource.get("mode", "managed") != "managed":
            skipped["data sources"] = skipped.get("data sources", 0) + 1
            continue
        if not _AWS_TYPE.match(kind):
            provider = kind.split("_", 1)[0]
            skipped[f"{provider} resources"] = skipped.get(f"{provider} resources", 0) + 1
            continue
        for instance in resource.get("instances") or []:
            address = _address(resource, instance.get("index_key"))
            attributes = instance.get("attributes")
            if not isinstance(attributes, dict):
                result.problems.append(
                    RowProblem(start, address, "instance has no attributes", skipped=True)
                )
                continue
            result.records += 1
            yield StateResource(kind, address, start, attributes)
    if skipped:
        result.notes.append(
            "skipped (not AWS resources we manage): "
            + ", ".join(f"{n} {what}" for what, n in sorted(skipped.items()))
        )


def import_terraform_state(
    text: str,
    source: str,
    services: TerraformServiceMap,
    instance_types: Mapping[str, AwsInstanceType] | None = None,
) -> ImportResult:
    """Parse a v4 state; resources that cannot be used are reported and skipped."""
    state = _load(text, source)
    result = ImportResult(source=source, format=FORMAT, inventory=Inventory())
    builder = tfr.Builder(source, services, instance_types or {})
    for resource in _resources(text, state, result):
        try:
            builder.add(resource)
        except Unusable as exc:
            result.problems.append(RowProblem(resource.line, resource.address, str(exc), True))
    records = builder.finish()
    servers: list[Server] = []
    stores: list[DataStore] = []
    for kind, line, address, data in records:
        try:
            if kind == "server":
                servers.append(Server.model_validate(data))
            else:
                stores.append(DataStore.model_validate(data))
        except ValueError as exc:
            result.problems.append(RowProblem(line, address, validation_message(exc), True))
    result.inventory = Inventory(
        servers=servers,
        data_stores=stores,
        lockin=[LockinEvidence.model_validate(e) for e in builder.evidence],
        metadata={"imported_from": [source], "terraform_version": state.get("terraform_version")},
    )
    result.notes.extend(builder.notes)
    return result
