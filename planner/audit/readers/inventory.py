"""Evidence in an inventory: what AWS discovery and SSH discovery recorded.

Servers give their workload (``role:<role>``); data stores with no role and account-level
evidence go to ``account``. Signals: the provider of a server (``source.provider=aws`` -> EC2),
EBS volume types, Amazon Linux, the ``lockin[]`` evidence discovery attached (its ``service`` is
trusted), ``aws:<service>`` dependencies, connections to AWS host names, the VPC resolver, and the
``service`` of data stores. Pure: model in, tokens out; ``line`` maps a path into the file to its
line.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.audit.observations import Token
from planner.audit.readers.text import HOST
from planner.models import Inventory, LockinEvidence

EBS_TYPES = {"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"}
VPC_RESOLVER = "169.254.169.253"

LineOf = Callable[..., int | None]


def _no_line(*_: str | int) -> int | None:
    return None


def _evidence(ev: LockinEvidence, path: str, line: int | None, workload: str) -> Token:
    return Token(
        f"service:{ev.service}",
        ev.path or path,
        ev.line or line,
        workload,
        f"inventory:{ev.origin}",
        signal=ev.signal,
        detail=ev.detail,
    )


def scan_inventory(inventory: Inventory, path: str, line: LineOf = _no_line) -> list[Token]:
    out: list[Token] = []
    for index, server in enumerate(inventory.servers):
        workload = f"role:{server.role}"
        at = line("servers", index)

        def add(
            token: str, signal: str, where: int | None = at, sid: str = server.id, w: str = workload
        ) -> None:
            out.append(Token(token, path, where, w, "inventory", signal, sid))

        if (server.source.provider or "").lower() == "aws":
            add(
                "hostsig:inventory:source.provider=aws",
                "inventory:source.provider=aws",
                line("servers", index, "source"),
            )
        if any((v.volume_type or "").lower() in EBS_TYPES for v in server.volumes):
            add(
                "hostsig:inventory:volume.type=ebs",
                "inventory:volume_type",
                line("servers", index, "volumes"),
            )
        family, name = (server.os.family or "").lower(), (server.os.name or "").lower()
        if family == "amazon" or name in {"amzn", "amazon", "amazon linux"}:
            add(
                "hostsig:os:amazon-linux",
                f"os:{server.os.name or family}",
                line("servers", index, "os"),
            )
        for j, ev in enumerate(server.lockin):
            out.append(_evidence(ev, path, line("servers", index, "lockin", j), workload))
        for j, dep in enumerate(server.dependencies):
            if dep.startswith("aws:"):
                add(
                    f"service:{dep[4:]}",
                    f"dependency:{dep}",
                    line("servers", index, "dependencies", j),
                )
        for j, conn in enumerate(server.connections):
            for m in HOST.finditer(conn.remote_host or ""):
                host = m.group(1).lower()
                add(f"host:{host}", f"connection:{host}", line("servers", index, "connections", j))
        if VPC_RESOLVER in server.resolvers:
            add(
                f"hostsig:resolver:{VPC_RESOLVER}",
                f"resolver:{VPC_RESOLVER}",
                line("servers", index, "resolvers"),
            )
    for index, store in enumerate(inventory.data_stores):
        workload = f"role:{store.role}" if store.role != "unknown" else "account"
        at = line("data_stores", index)
        if store.service:
            out.append(
                Token(
                    f"service:{store.service}",
                    path,
                    line("data_stores", index, "service") or at,
                    workload,
                    "inventory",
                    f"data_store.service={store.service}",
                    store.id,
                )
            )
        for j, ev in enumerate(store.lockin):
            out.append(_evidence(ev, path, line("data_stores", index, "lockin", j), workload))
    for j, ev in enumerate(inventory.lockin):
        out.append(_evidence(ev, path, line("lockin", j), "account"))
    return out
