"""``exitplan stacks``: Pulumi exit stacks — list targets, write stack config, preview offline."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planner.cli._app import console, err_console, new_app
from planner.errors import InputError
from planner.models.capacity import CapacityPlan
from planner.stacks import config as stack_config
from planner.stacks import export, files, preview, session
from planner.stacks.config import check_public_key

app = new_app("Pulumi exit stacks: list targets, write stack config, preview offline (mocks).")


class Format(StrEnum):
    table = "table"
    json = "json"


Provider = Annotated[
    str, typer.Option("--provider", metavar="P", help="Stack target (see `stacks list`).")
]
PlanFile = Annotated[
    Path,
    typer.Argument(metavar="PLAN.json", help="Plan with a capacity section (plan --target)."),
]
TestStack = Annotated[
    bool, typer.Option("--test-stack", help="Exactly one server per role (a small test stack).")
]
InventoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--inventory", metavar="FILE", help="The plan's inventory: roles, ports, data mounts."
    ),
]
SshKey = Annotated[
    list[str] | None,
    typer.Option("--ssh-key", help="SSH public key, or a .pub file (repeatable)."),
]
AdminCidr = Annotated[
    list[str] | None, typer.Option("--admin-cidr", help="Network allowed to SSH (repeatable).")
]
PublicPort = Annotated[
    list[int] | None,
    typer.Option("--public-port", help="Port open to everyone (repeatable; default 80, 443)."),
]
RolePackages = Annotated[
    list[str] | None,
    typer.Option("--role-packages", help="ROLE=PKG,PKG: packages of a role (repeatable)."),
]
Setting = Annotated[
    list[str] | None, typer.Option("--set", help="Provider setting KEY=VALUE (repeatable).")
]
TargetFile = Annotated[
    Path | None, typer.Option("--target", help="Private target file, if not where the plan says.")
]
StacksDir = Annotated[
    Path | None,
    typer.Option(
        "--stacks-dir", metavar="DIR", help="Folder of the Pulumi projects (default: bundled)."
    ),
]
DEFAULT_OUT = Path("exitplan-stacks")


def _pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{flag} {item!r}: expected KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


def _keys(values: list[str] | None) -> list[str]:
    keys = []
    for value in values or []:
        path = Path(value).expanduser()
        text = path.read_text(encoding="utf-8") if path.is_file() else value
        keys += [check_public_key(line) for line in text.splitlines() if line.strip()]
    return keys


@app.command("list")
def list_targets(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Targets with a Pulumi project, and what each needs to run for real."""
    catalog = files.stack_catalog()
    if fmt == Format.json:
        data = {name: t.model_dump(mode="json") for name, t in catalog.targets.items()}
        typer.echo(json.dumps({"schema_version": 1, "targets": data}, indent=2))
        return
    for name, t in catalog.targets.items():
        serves = ", ".join(t.catalog_providers + [f"private {k} targets" for k in t.private_kinds])
        secret = " or ".join(f"pulumi config set --secret {k}" for k in t.secret_config)
        lines = [
            f"{name}: {t.title} (serves {serves})",
            f"  SDK:         {t.sdk.package}=={t.sdk.version} (import {t.sdk.module})",
            f"  credentials: {' '.join(t.credentials_env)}"
            + (f"  (or {secret})" if secret else ""),
            f"  firewall:    {t.firewall}",
            f"  placement:   {t.placement}",
            *[f"  note:        {n}" for n in t.notes],
        ]
        console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)
    console.print(
        "\nEvery target needs the Pulumi CLI for preview/up/destroy (not on PyPI: "
        "pulumi.com/docs/iac/download-install). `exitplan stacks preview` runs offline with "
        "the SDKs only: pip install 'exitplan[stacks]'.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command("config")
def config(
    plan_file: PlanFile,
    provider: Provider,
    stack: Annotated[str, typer.Option("--stack", help="Stack name.")] = "exit",
    test_stack: TestStack = False,
    inventory: InventoryOpt = None,
    ssh_key: SshKey = None,
    admin_cidr: AdminCidr = None,
    public_port: PublicPort = None,
    role_packages: RolePackages = None,
    setting: Setting = None,
    target_file: TargetFile = None,
    stacks_dir: StacksDir = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Copy the Pulumi project here and write its stack file [default: "
            "./exitplan-stacks; with --stacks-dir and no --out: in that folder, in place].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write <out>/<provider>/Pulumi.<stack>.yaml from the plan (no secrets in it).

    The Pulumi project (<provider>/ and the shared components/) is copied to --out first, so
    nothing is written into the installed package; program files there are refreshed from this
    exitplan version, other stack files are kept. --stacks-dir alone writes into an existing
    copy or checkout of stacks/ instead.

    Exit codes, as for ``stacks preview``: 0 every planned server is in the stack file; 1 the
    file is written but planned servers are left out (out of stock, or no offering fits them)
    or (full stacks) the plan's capacity check says the target cannot hold them; 2 bad usage
    or input.
    """
    extra = {
        "ssh_public_keys": _keys(ssh_key),
        "admin_cidrs": admin_cidr or [],
        "public_ports": public_port,
        "role_packages": {
            k: v.split(",") for k, v in _pairs(role_packages, "--role-packages").items()
        },
        "settings": _pairs(setting, "--set"),
    }
    capacity = files.load_capacity(plan_file)
    document, warnings, target = session.build_config(
        capacity, provider, test_stack, inventory, target_file, extra
    )
    text = files.stack_file_text(target, document, plan_file.name)
    source = files.stacks_dir(stacks_dir)
    if stacks_dir is not None and out is None:
        folder = files.project_dir(source, provider)
    else:
        folder, copied = export.copy_project(source, out or DEFAULT_OUT, provider)
        if copied:
            err_console.print(
                f"copied {copied} program files of the {provider} project to {folder.parent}",
                markup=False,
                highlight=False,
            )
    path = files.write_stack_file(folder, stack, text)
    for warning in warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    console.print(
        f"wrote {path}: {len(document['servers'])} servers in {len(document['roles'])} roles"
        f"{' (test stack)' if test_stack else ''}; next: cd {folder} && pulumi stack select "
        f"--create {stack} && pulumi preview",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    _left_out_gate(capacity, [] if test_stack else _cannot_hold(capacity), err_console)


@app.command("preview")
def preview_cmd(
    plan_file: PlanFile,
    provider: Provider,
    test_stack: TestStack = False,
    inventory: InventoryOpt = None,
    target_file: TargetFile = None,
    stacks_dir: StacksDir = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Run the real stack program offline under Pulumi's mocks and show what it would create.

    Exit codes: 0 every planned server is in the stack; 1 the preview ran but planned servers
    are left out (out of stock, or no offering at the target fits them), or (full stacks) the
    plan's capacity check says the target cannot hold them (cluster capacity, quota, server or
    network limits); 2 bad usage or input.
    """
    capacity = files.load_capacity(plan_file)
    with console.status("running the stack program under Pulumi mocks..."):
        report, warnings = session.preview_report(
            capacity,
            provider,
            test_stack=test_stack,
            inventory=inventory,
            target_file=target_file,
            stacks_dir=stacks_dir,
        )
    too_small = [] if test_stack else _cannot_hold(capacity)
    if fmt == Format.json:
        typer.echo(json.dumps({"schema_version": 1, **report}, indent=2))
        _left_out_gate(capacity, too_small, err_console)
        return
    console.print(f"Previewing {report['project']}/{report['stack']} (offline)", markup=False)
    for line in preview.tree_lines(report):
        console.print(line, markup=False, highlight=False)
    console.print(f"Resources: + {report['total']} to create", markup=False)
    for kind, count in report["counts"].items():
        console.print(f"  {count:>6}  {kind}", markup=False, highlight=False)
    console.print("Outputs:", markup=False)
    for key, value in report["outputs"].items():
        console.print(f"  {key}: {preview.summary(value)}", markup=False, highlight=False)
    for warning in warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)
    console.print(f"Note: {preview.DISCLAIMER}", markup=False, highlight=False, soft_wrap=True)
    _left_out_gate(capacity, too_small, console)


# capacity findings that say the target cannot hold the full stack (not: it takes too long)
HOLD_KINDS = {"cluster-capacity", "cluster-storage", "quota", "server-limit", "network-limit"}


def _cannot_hold(capacity: CapacityPlan) -> list[str]:
    return [
        b.message for b in capacity.blockers if b.severity == "blocker" and b.kind in HOLD_KINDS
    ]


def _left_out_gate(capacity: CapacityPlan, too_small: list[str], out: Console) -> None:
    """Exit 1 when the plan has servers the stack cannot build (out of stock, or no offering
    fits them) or the target cannot hold the full stack (cluster capacity, quotas, limits)."""
    for message in too_small:
        out.print(f"the target cannot hold this stack: {message}", markup=False, highlight=False)
    left_out = stack_config.left_out_text(capacity.unplaced)
    if left_out:
        out.print(left_out, markup=False, highlight=False, soft_wrap=True)
    if left_out or too_small:
        out.print("exit code 1", markup=False, highlight=False)
        raise typer.Exit(1)
