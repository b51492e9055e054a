"""Where and how to reach each server: inventory ``ssh`` settings plus ``~/.ssh/config``.

Precedence follows OpenSSH (command line over config): values written in the inventory (user,
port, jump host) win over the ssh config, which wins over defaults. The ssh config is read with
``paramiko.SSHConfig`` (Host, HostName, User, Port, IdentityFile, IdentitiesOnly, ProxyJump).
A server whose id has its own ``Host`` block with a ``HostName`` is reached through that alias;
otherwise its address (or host name) is looked up.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from planner.errors import InputError
from planner.models import Server

DEFAULT_CONFIG = Path("~/.ssh/config")
MAX_JUMP_DEPTH = 5


class TargetError(Exception):
    """A server cannot be turned into an SSH endpoint (e.g. an unsupported ProxyCommand)."""


@dataclass(frozen=True)
class Endpoint:
    """One SSH destination; ``jump`` lists the jump hosts to go through, outermost first."""

    host: str
    port: int = 22
    user: str = field(default_factory=getpass.getuser)
    identity_files: tuple[str, ...] = ()
    identities_only: bool = False
    jump: tuple[Endpoint, ...] = ()

    @property
    def label(self) -> str:
        text = f"{self.user}@{self.host}:{self.port}"
        if self.jump:
            text += " via " + " -> ".join(f"{h.user}@{h.host}:{h.port}" for h in self.jump)
        return text


def load_ssh_config(path: Path | None) -> paramiko.SSHConfig:
    """Read an ssh config; the default ``~/.ssh/config`` may be missing, an explicit one not."""
    target = (path or DEFAULT_CONFIG).expanduser()
    if not target.exists():
        if path is not None:
            raise InputError(f"{path}: no such ssh config file")
        return paramiko.SSHConfig()
    try:
        return paramiko.SSHConfig.from_path(str(target))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{target}: cannot read ssh config: {exc}") from None
    except Exception as exc:  # paramiko raises plain exceptions for bad config lines
        raise InputError(f"{target}: invalid ssh config: {exc}") from None


def _split_spec(spec: str) -> tuple[str | None, str, int | None]:
    """``[user@]host[:port]`` -> (user, host, port)."""
    user, _, rest = spec.rpartition("@")
    host, port = rest, None
    if rest.startswith("["):
        host, _, tail = rest[1:].partition("]")
        port = int(tail[1:]) if tail.startswith(":") and tail[1:].isdigit() else None
    elif rest.count(":") == 1:
        host, _, number = rest.partition(":")
        if not number.isdigit():
            raise TargetError(f"invalid port in jump host {spec!r}")
        port = int(number)
    return user or None, host, port


def _endpoint(
    config: paramiko.SSHConfig,
    alias: str,
    user: str | None,
    port: int | None,
    default_user: str,
    jump: tuple[Endpoint, ...],
) -> Endpoint:
    found = config.lookup(alias)
    return Endpoint(
        host=found.get("hostname", alias),
        port=port or int(found.get("port", 22)),
        user=user or found.get("user") or default_user,
        identity_files=tuple(found.get("identityfile", [])),
        identities_only=str(found.get("identitiesonly", "no")).lower() == "yes",
        jump=jump,
    )


def _hops(
    config: paramiko.SSHConfig, spec: str, default_user: str, depth: int = 0
) -> tuple[Endpoint, ...]:
    if depth > MAX_JUMP_DEPTH:
        raise TargetError(f"ProxyJump chain deeper than {MAX_JUMP_DEPTH} hops (a loop?)")
    hops: list[Endpoint] = []
    for index, part in enumerate(p.strip() for p in spec.split(",") if p.strip()):
        user, host, port = _split_spec(part)
        before: tuple[Endpoint, ...] = tuple(hops)
        nested = config.lookup(host).get("proxyjump")
        if index == 0 and nested and nested.lower() != "none":
            before = _hops(config, nested, default_user, depth + 1)
            hops.extend(before)
        hops.append(_endpoint(config, host, user, port, default_user, before))
    return tuple(hops)


def endpoint_for(
    server: Server, config: paramiko.SSHConfig, default_user: str | None = None
) -> Endpoint:
    """The SSH endpoint for ``server``; raises :class:`TargetError` for unsupported setups."""
    user_default = default_user or getpass.getuser()
    by_id = config.lookup(server.id)
    if by_id.get("hostname", server.id) != server.id:
        alias = server.id
    else:
        alias = (
            server.address
            or server.private_address
            or server.hostname
            or server.public_address
            or server.id
        )
    found = config.lookup(alias)
    jump_spec = server.ssh.jump_host or found.get("proxyjump")
    if jump_spec and jump_spec.lower() == "none":
        jump_spec = None
    if found.get("proxycommand") and not jump_spec:
        raise TargetError(f"ProxyCommand (ssh config for {alias}) is not supported; use ProxyJump")
    jump = _hops(config, jump_spec, user_default) if jump_spec else ()
    explicit_port = server.ssh.port if "port" in server.ssh.model_fields_set else None
    return _endpoint(config, alias, server.ssh.user, explicit_port, user_default, jump)
