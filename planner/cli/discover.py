"""``exitplan discover``: build or enrich inventories from provider APIs and from the hosts."""

from __future__ import annotations

from planner.cli import discover_ssh
from planner.cli._app import new_app

app = new_app("Discover servers and their facts: from provider APIs or over SSH.")
app.command("ssh")(discover_ssh.ssh)
