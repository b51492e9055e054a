"""Run a stack program offline under Pulumi's mocks and record every resource it registers.

This is a *create-only* preview: no engine, no state, no provider plugin, so nothing is diffed
and no provider validates a value; the SDK still rejects unknown or missing arguments. The
recording monitor builds URNs the way the engine does and rejects duplicate URNs (the stock
mock silently overwrites them). Relies on a few SDK internals, hence the pinned ``pulumi``.

As a script (used by ``exitplan stacks preview``, one fresh process per run)::

    python -m components.offline PROJECT_DIR [--stack NAME] < {"config": {...}}

prints ``{"project", "stack", "resources": [...], "outputs": {...}}`` as JSON on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import runpy
import sys
import threading
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import mocks, rpc, settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

STACK_TYPE = "pulumi:pulumi:Stack"
DOC_NET = "203.0.113"  # RFC 5737 documentation range for mocked public addresses


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """Registered inputs as JSON-able values (resources by URN, secrets unwrapped)."""
    if isinstance(value, dict):
        if rpc._special_sig_key in value:
            return _plain(value.get("value"))
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, pulumi.Resource):
        return f"<resource {type(value).__name__}>"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class FleetMocks(pulumi.runtime.Mocks):
    """Numeric ids (Hetzner wants them), inputs echoed as outputs, documentation-range IPs.

    Ids and addresses derive from the resource's type and name, not from the order of
    registration (which the SDK's asyncio scheduling does not fix), so a preview of the same
    plan always prints the same values.
    """

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        digest = int(hashlib.sha256(f"{args.typ}::{args.name}".encode()).hexdigest(), 16)
        address = f"{DOC_NET}.{digest % 254 + 1}"
        outputs = {
            **args.inputs,
            "ipv4Address": address,
            "accessIpV4": address,
            "ipAddresses": [address],
        }
        return str(10**11 + digest % (9 * 10**11)), outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        token = args.token.rsplit(":", 1)[-1]
        return {**args.args, "id": f"mock-{token}"}, []


class RecordingMonitor(mocks.MockMonitor):
    def __init__(self, fleet_mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(fleet_mocks)
        self.registrations: list[Registration] = []
        self._lock = threading.Lock()  # registrations arrive on several executor threads
        self._seen: set[str] = set()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            qualified = parent.split("::")[2]
            if qualified != STACK_TYPE:
                type_ = f"{qualified}${type_}"
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), type_, name])

    def RegisterResource(self, request: Any) -> Any:
        if request.type == STACK_TYPE:
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]
        urn = self.make_urn(request.parent, request.type, request.name)
        with self._lock:
            if urn in self._seen:
                raise ValueError(f"duplicate resource URN {urn}")
            self._seen.add(urn)
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        registration = Registration(
            urn=response.urn,
            type=request.type,
            name=request.name,
            parent=request.parent,
            custom=bool(request.custom),
            inputs=_plain(rpc.deserialize_properties(request.object)),
        )
        with self._lock:
            self.registrations.append(registration)
        return response

    def ordered(self) -> list[Registration]:
        """Registrations in a stable order: by parent, type, then name (numbers numerically)."""

        def natural(name: str) -> list[object]:
            return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]

        depth = {r.urn: r.urn.count("$") for r in self.registrations}
        return sorted(
            self.registrations,
            key=lambda r: (depth[r.urn], r.parent, r.type, natural(r.name)),
        )


def project_name(project_dir: Path) -> str:
    data = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8"))
    return str(data["name"])


def stack_config(project_dir: Path, stack: str) -> dict[str, str]:
    """``Pulumi.<stack>.yaml`` as the engine hands it over: every value a string; objects as
    JSON; ``secure:`` values replaced by a placeholder (they cannot be decrypted offline)."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    config: dict[str, str] = {}
    for key, value in (data.get("config") or {}).items():
        if isinstance(value, dict) and "secure" in value:
            config[key] = "<secret>"
        elif isinstance(value, dict | list):
            config[key] = json.dumps(value)
        else:
            config[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return config


def run_offline(
    project_dir: Path, config: dict[str, str], stack: str = "preview"
) -> tuple[list[Registration], dict[str, Any]]:
    """Run ``project_dir/__main__.py`` under mocks; return registrations and stack outputs."""
    loop = asyncio.new_event_loop()  # a fresh loop: nothing of an earlier (failed) run leaks in
    asyncio.set_event_loop(loop)
    monitor = RecordingMonitor(FleetMocks())
    with settings.SETTINGS.lock:
        settings.SETTINGS.outputs.clear()  # tasks an earlier failed run left on its loop
    settings.ROOT.set(None)
    pulumi.runtime.set_mocks(
        monitor.mocks,
        project=project_name(project_dir),
        stack=stack,
        preview=False,
        monitor=monitor,
    )
    pulumi.runtime.set_all_config(config, [])
    main = project_dir / "__main__.py"

    def program() -> None:
        runpy.run_path(str(main), run_name="__main__")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            _sync_await(run_pulumi_func(program))
        root = settings.get_root_resource()
        outputs: dict[str, Any] = {}
        for key, value in getattr(root, "outputs", {}).items():
            outputs[key] = _plain(_sync_await(pulumi.Output.from_input(value).future()))
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        asyncio.set_event_loop(None)
    return monitor.ordered(), outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project_dir", type=Path)
    parser.add_argument("--stack", default="preview")
    args = parser.parse_args(argv)
    request = json.load(sys.stdin)
    registrations, outputs = run_offline(args.project_dir, request["config"], args.stack)
    result = {
        "project": project_name(args.project_dir),
        "stack": args.stack,
        "resources": [asdict(r) for r in registrations],
        "outputs": outputs,
    }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
