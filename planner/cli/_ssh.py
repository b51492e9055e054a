"""SSH options and the connector shared by the commands that log in to hosts.

``exitplan discover ssh`` and ``exitplan probe`` check host keys and read ssh config the same
way; their options are declared once here so the two commands cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.discovery.ssh.connect import Connector
from planner.discovery.ssh.hostkeys import KnownHosts

DEFAULT_KNOWN_HOSTS = Path("~/.ssh/known_hosts")

KnownHostsOption = Annotated[
    Path, typer.Option("--known-hosts", help="known_hosts file to check host keys against.")
]
AcceptNewHostKeysOption = Annotated[
    bool,
    typer.Option(
        "--accept-new-host-keys",
        help="Accept and record keys of hosts not in known_hosts (never changed keys).",
    ),
]
SshConfigOption = Annotated[
    Path | None, typer.Option("--ssh-config", help="ssh config file (default ~/.ssh/config).")
]


def ssh_connector(
    known_hosts: Path, accept_new: bool, timeout_seconds: float, identity: list[Path] | None
) -> Connector:
    """A connector that checks host keys against ``known_hosts`` and tries ``identity`` first."""
    keys = KnownHosts(known_hosts.expanduser(), accept_new=accept_new)
    return Connector(keys, timeout_seconds, tuple(p.expanduser() for p in identity or ()))
