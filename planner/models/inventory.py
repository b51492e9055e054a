"""The inventory: servers, data stores, shared links and account-level evidence.

Cross-record rules (unique ids, resolvable dependencies, used <= size) are checked by
:meth:`Inventory.problems`, which reports each problem with the path of the offending field so
loaders can point at a file line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

from pydantic import AliasChoices, Field

from planner.models.base import Model
from planner.models.datastore import DataStore
from planner.models.server import LockinEvidence, Server
from planner.units import RateBitsPerSecond

Loc = tuple[str | int, ...]


class Problem(NamedTuple):
    """One semantic problem: where (a path into the document) and what."""

    loc: Loc
    message: str


class Link(Model):
    """A named network link that many hosts share (a site uplink, an account's egress).

    ``members`` selects who uses it: ``*`` (everyone), an id, ``role:NAME``, ``region:NAME``,
    ``tag:KEY=VALUE`` or ``kind:KIND`` (data stores).
    """

    name: str = Field(min_length=1)
    capacity_bits_per_second: RateBitsPerSecond = Field(
        validation_alias=AliasChoices("capacity_bits_per_second", "capacity")
    )
    members: list[str] = Field(default_factory=lambda: ["*"])
    description: str | None = None


def _member_matches(selector: str, item: Server | DataStore) -> bool:
    if selector == "*":
        return True
    kind, _, value = selector.partition(":")
    if not value:
        return selector == item.id
    if kind == "role":
        return item.role == value
    if kind == "region":
        return item.source.region == value
    if kind == "tag":
        key, _, expected = value.partition("=")
        return item.tags.get(key) == expected
    if kind == "kind":
        return isinstance(item, DataStore) and item.kind == value
    if kind == "id":
        return item.id == value
    return False


SELECTOR_KINDS = ("role", "region", "tag", "kind", "id")


class Inventory(Model):
    """A fleet: what must move, and what it depends on."""

    schema_version: Literal[1] = 1
    metadata: dict[str, Any] = Field(default_factory=dict)
    servers: list[Server] = Field(default_factory=list)
    data_stores: list[DataStore] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    lockin: list[LockinEvidence] = Field(
        default_factory=list, description="account-level evidence not tied to one server"
    )

    def items(self) -> Iterator[Server | DataStore]:
        yield from self.servers
        yield from self.data_stores

    def link_members(self, link: Link) -> list[Server | DataStore]:
        return [i for i in self.items() if any(_member_matches(s, i) for s in link.members)]

    @property
    def total_bytes(self) -> int:
        """Known bytes to move over servers and data stores (unknowns count as zero here)."""
        servers = sum(s.used_bytes or 0 for s in self.servers)
        stores = sum(d.used_bytes or 0 for d in self.data_stores)
        return servers + stores

    def problems(self) -> list[Problem]:
        """Cross-record problems. An empty list means the inventory is consistent."""
        found: list[Problem] = []
        seen: dict[str, Loc] = {}
        sections: list[tuple[str, list[Server | DataStore]]] = [
            ("servers", list(self.servers)),
            ("data_stores", list(self.data_stores)),
        ]
        for section, items in sections:
            for index, item in enumerate(items):
                loc: Loc = (section, index, "id")
                if item.id in seen:
                    first = ".".join(str(p) for p in seen[item.id][:2])
                    found.append(Problem(loc, f"duplicate id {item.id!r} (first used at {first})"))
                else:
                    seen[item.id] = loc
        for section, items in sections:
            for index, item in enumerate(items):
                for dep_index, dep in enumerate(item.dependencies):
                    if ":" not in dep and dep not in seen:
                        found.append(
                            Problem(
                                (section, index, "dependencies", dep_index),
                                f"unknown dependency id {dep!r} (not a server or data store id; "
                                "write managed services as 'aws:SERVICE')",
                            )
                        )
                    if dep == item.id:
                        found.append(
                            Problem(
                                (section, index, "dependencies", dep_index),
                                "a resource cannot depend on itself",
                            )
                        )
        for index, server in enumerate(self.servers):
            for vol_index, volume in enumerate(server.volumes):
                if (
                    volume.used_bytes is not None
                    and volume.size_bytes is not None
                    and volume.used_bytes > volume.size_bytes
                ):
                    found.append(
                        Problem(
                            ("servers", index, "volumes", vol_index, "used_bytes"),
                            f"used ({volume.used_bytes} bytes) is larger than size "
                            f"({volume.size_bytes} bytes)",
                        )
                    )
        for index, store in enumerate(self.data_stores):
            if (
                store.used_bytes is not None
                and store.size_bytes is not None
                and store.used_bytes > store.size_bytes
            ):
                found.append(
                    Problem(
                        ("data_stores", index, "used_bytes"),
                        f"used ({store.used_bytes} bytes) is larger than size "
                        f"({store.size_bytes} bytes)",
                    )
                )
        names: set[str] = set()
        for index, link in enumerate(self.links):
            if link.name in names:
                found.append(
                    Problem(("links", index, "name"), f"duplicate link name {link.name!r}")
                )
            names.add(link.name)
            for m_index, member in enumerate(link.members):
                kind, _, value = member.partition(":")
                if member == "*":
                    continue
                if value and kind not in SELECTOR_KINDS:
                    found.append(
                        Problem(
                            ("links", index, "members", m_index),
                            f"unknown selector {member!r} "
                            "(use *, ID, role:, region:, tag:K=V, kind:)",
                        )
                    )
                elif not value and member not in seen:
                    found.append(
                        Problem(
                            ("links", index, "members", m_index), f"unknown member id {member!r}"
                        )
                    )
        return found
