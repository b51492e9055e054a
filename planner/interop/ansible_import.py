"""Import an Ansible inventory (INI or YAML, plus ``group_vars``/``host_vars`` files).

Each host becomes a server whose id is its inventory name. The deepest group that lists the host
becomes its role (an ``exitplan_role`` variable, written by the export, wins); every group it
belongs to becomes a ``group.NAME: "true"`` tag.
``ansible_host`` (else the inventory name) becomes the address if it is an IP address and the
hostname otherwise (a dotted inventory name is kept as the hostname); ``ansible_user`` and
``ansible_port`` become the SSH access and a ``ProxyJump`` (or ``-J``) in
``ansible_ssh_common_args`` the jump host. No other variable is
imported: passwords, become passwords and key paths never leave the inventory.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from planner.interop.ansible_ini import parse_ini
from planner.interop.ansible_model import (
    ALL,
    UNGROUPED,
    AnsibleInventory,
    Var,
    host_vars,
)
from planner.interop.ansible_yaml import compose, parse_yaml, read_vars
from planner.interop.report import ImportResult, RowProblem
from planner.interop.values import classify_addresses, is_ip, mark_imported, validation_message
from planner.models import Inventory, Server

FORMAT = "ansible"
GROUP_TAG = "group."
SECRET_VARS = re.compile(
    r"^ansible_(ssh_)?(pass|password)$|^ansible_(become|sudo|su)_(pass|password)$"
    r"|^ansible_(ssh_)?private_key_file$|^ansible_.*(passphrase|secret|token)$"
)
_ADDRESS = ("ansible_host", "ansible_ssh_host")
_USER = ("ansible_user", "ansible_ssh_user")
_PORT = ("ansible_port", "ansible_ssh_port")
_SSH_ARGS = ("ansible_ssh_common_args", "ansible_ssh_extra_args")
_JUMP = re.compile(r"(?:ProxyJump[= ]\s*|-J\s*)([^\s'\"]+)")
_PROXY_COMMAND = re.compile(r"ProxyCommand[= ]\s*['\"]?ssh\b[^'\"]*?-W\s*\S+\s+([^\s'\"]+)")


@dataclass(frozen=True)
class VarsFile:
    """One ``group_vars/NAME.yml`` or ``host_vars/NAME.yml`` file next to the inventory."""

    kind: str  # "group" or "host"
    name: str
    label: str  # the file name shown in problems
    text: str


def looks_like_yaml(text: str, source: str) -> bool:
    """Ansible picks the parser by extension; without one, INI section headers decide."""
    lower = source.lower()
    if lower.endswith((".yml", ".yaml", ".json")):
        return True
    if lower.endswith((".ini", ".cfg", ".hosts")):
        return False
    if re.search(r"(?m)^\s*\[[^\]\n]+\]\s*$", text):
        return False
    return bool(re.search(r"(?m)^[^#;\s][^=\n]*:\s*$", text))


def _apply_files(inventory: AnsibleInventory, files: list[VarsFile], notes: list[str]) -> None:
    for file in files:
        if file.text.lstrip().startswith("$ANSIBLE_VAULT"):
            notes.append(f"{file.label}: vault-encrypted file not read")
            continue
        root = compose(file.text, file.label)
        if root is None:
            continue
        variables = read_vars(root, "(document)", inventory.problems, file.label)
        if file.kind == "group" and file.name in inventory.groups:
            inventory.groups[file.name].file_vars.update(variables)
        elif file.kind == "host" and file.name in inventory.hosts:
            inventory.hosts[file.name].file_vars.update(variables)


class _HostVars:
    def __init__(self, host: str, variables: dict[str, Var], problems: list[RowProblem]) -> None:
        self.host, self.vars, self.problems = host, variables, problems

    def text(self, names: tuple[str, ...]) -> str | None:
        for name in names:
            var = self.vars.get(name)
            if var is None:
                continue
            if var.kind == "plain":
                return var.value.strip() if var.value and var.value.strip() else None
            why = {
                "vault": "vault-encrypted value not imported",
                "template": f"templated value {var.value!r} needs Ansible to resolve",
                "complex": "expected a plain value",
            }[var.kind]
            self.problems.append(RowProblem(var.line, f"{self.host}: {name}", why, file=var.file))
            return None
        return None

    def port(self) -> int | None:
        text = self.text(_PORT)
        if text is None:
            return None
        try:
            port = ast.literal_eval(text) if text[:1].isdigit() else int(text)
        except (ValueError, SyntaxError):
            port = None
        if isinstance(port, int) and 1 <= port <= 65535:
            return port
        var = next(self.vars[n] for n in _PORT if n in self.vars)
        self.problems.append(
            RowProblem(
                var.line, f"{self.host}: ansible_port", f"{text!r} is not a port", file=var.file
            )
        )
        return None

    def jump_host(self) -> str | None:
        for name in _SSH_ARGS:
            args = self.text((name,))
            if args:
                match = _JUMP.search(args) or _PROXY_COMMAND.search(args)
                if match:
                    return match.group(1)
        return None


def _server(
    inventory: AnsibleInventory,
    name: str,
    depth: dict[str, int],
    secrets: set[str],
    problems: list[RowProblem],
) -> dict[str, Any]:
    variables = host_vars(inventory, name, depth)
    secrets.update(key for key in variables if SECRET_VARS.match(key))
    access = _HostVars(name, variables, problems)
    record: dict[str, Any] = {"id": name}
    target = access.text(_ADDRESS) or name  # without ansible_host, the name is the target
    if is_ip(target):
        record.update(classify_addresses([target]))
        record["address"] = target
        if "." in name and not is_ip(name):
            record["hostname"] = name  # an FQDN inventory name with ansible_host set
    else:
        record["hostname"] = target
    ssh: dict[str, Any] = {}
    user, port, jump = access.text(_USER), access.port(), access.jump_host()
    if user:
        ssh["user"] = user
    if port:
        ssh["port"] = port
    if jump:
        ssh["jump_host"] = jump
    if ssh:
        record["ssh"] = ssh
    connection = access.text(("ansible_connection",))
    if connection in ("winrm", "psrp"):
        record["platform"] = "windows"
    groups = [g for g in inventory.groups_of(name) if g not in (ALL, UNGROUPED)]
    direct = [g for g in groups if name in inventory.groups[g].hosts]
    role = access.text(("exitplan_role",))
    if role:
        record["role"] = role
    elif direct:
        deepest = max(depth.get(g, 1) for g in direct)
        record["role"] = next(g for g in direct if depth.get(g, 1) == deepest)
    if groups:
        record["tags"] = {f"{GROUP_TAG}{g}": "true" for g in groups}
    return mark_imported(record)


def import_ansible(text: str, source: str, files: list[VarsFile] | None = None) -> ImportResult:
    """Parse an INI or YAML inventory; hosts that cannot be used are reported and skipped."""
    parsed = parse_yaml(text, source) if looks_like_yaml(text, source) else parse_ini(text)
    result = ImportResult(source=source, format=FORMAT, inventory=Inventory())
    _apply_files(parsed, files or [], result.notes)
    depth = parsed.depths()
    secrets: set[str] = set()
    servers: list[Server] = []
    problems: list[RowProblem] = []
    for name, host in parsed.hosts.items():
        data = _server(parsed, name, depth, secrets, problems)
        try:
            servers.append(Server.model_validate(data))
        except ValueError as exc:
            problems.append(RowProblem(host.line, name, validation_message(exc), skipped=True))
    unique: dict[tuple[str | None, int | None, str], RowProblem] = {}
    for problem in parsed.problems + problems:  # a shared group variable: report it once
        unique.setdefault((problem.file, problem.line, problem.message), problem)
    result.problems = sorted(
        unique.values(), key=lambda p: (p.file is not None, p.file or "", p.line or 0)
    )
    result.records = parsed.records
    result.inventory = Inventory(servers=servers, metadata={"imported_from": [source]})
    if secrets:
        result.notes.append("not imported (secrets stay in Ansible): " + ", ".join(sorted(secrets)))
    return result


__all__ = ["VarsFile", "import_ansible", "looks_like_yaml"]
