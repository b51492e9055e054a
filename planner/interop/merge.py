"""Merge inventories from several sources into one, with a report of every decision.

Servers are joined on a stable key, tried in order: ``source.resource_id`` (the instance id),
then hostname (exact, then the short name when one side is unqualified), then any shared
address. Data stores join on ``source.resource_id``, then id. The first source's id is kept;
dependencies and link members of later sources are rewritten to it. Fields merge by the rules
of :mod:`planner.interop.merge_fields`. Volumes match on id, device, then mount point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.interop.merge_fields import Conflict, FieldMerger, Tracked
from planner.interop.merge_records import merge_server, merge_store
from planner.interop.values import UniqueIds
from planner.models import Inventory


@dataclass(frozen=True)
class Match:
    source: str
    incoming_id: str
    merged_id: str
    key: str
    value: str

    def render(self) -> str:
        return (
            f"{self.source}: {self.incoming_id} is {self.merged_id} (same {self.key} {self.value})"
        )


@dataclass
class MergeResult:
    inventory: Inventory
    sources: list[str]
    matches: list[Match] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "sources": self.sources,
            "servers": len(self.inventory.servers),
            "data_stores": len(self.inventory.data_stores),
            "matches": [vars(m) for m in self.matches],
            "conflicts": [vars(c) for c in self.conflicts],
            "notes": self.notes,
            "problems": self.problems,
        }


def _server_keys(data: dict[str, Any]) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    resource_id = (data.get("source") or {}).get("resource_id")
    if resource_id:
        keys.append(("resource_id", str(resource_id).lower()))
    hostname = str(data.get("hostname") or "").lower().rstrip(".")
    if hostname:
        keys.append(("hostname", hostname))
        keys.append(("short hostname", hostname.split(".", 1)[0]))
    for name in ("address", "private_address", "public_address"):
        if data.get(name):
            keys.append(("address", str(data[name]).lower()))
    keys.append(("id", str(data["id"]).lower()))
    return keys


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same id, but do stronger keys say these are different machines?"""
    ids = [(x.get("source") or {}).get("resource_id") for x in (a, b)]
    if all(ids) and ids[0] != ids[1]:
        return False
    names = ("address", "private_address", "public_address")
    mine, theirs = ({x[n] for n in names if x.get(n)} for x in (a, b))
    return not (mine and theirs and not mine & theirs)


def _store_keys(data: dict[str, Any]) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    resource_id = (data.get("source") or {}).get("resource_id")
    if resource_id:
        keys.append(("resource_id", str(resource_id).lower()))
    keys.append(("id", str(data["id"]).lower()))
    return keys


class _Pool:
    """Merged records of one section (servers or data stores) and their join keys."""

    def __init__(self, keys_of: Any, ids: UniqueIds) -> None:
        self.items: list[Tracked] = []
        self.index: dict[tuple[str, str], list[int]] = {}
        self.keys_of = keys_of
        self.ids = ids

    def add(self, item: Tracked) -> None:
        self.items.append(item)
        self.reindex(len(self.items) - 1)

    def reindex(self, position: int) -> None:
        for key in self.keys_of(self.items[position].data):
            slots = self.index.setdefault(key, [])
            if position not in slots:
                slots.append(position)

    def find(self, data: dict[str, Any], used: set[int]) -> tuple[int, str, str] | None:
        keys = self.keys_of(data)
        for kind in ("resource_id", "hostname", "short hostname", "address", "id"):
            for key_kind, value in keys:
                if key_kind != kind:
                    continue
                if (
                    kind == "short hostname"
                    and "." in str(data.get("hostname"))
                    and all(
                        "." in str(self.items[i].data.get("hostname"))
                        for i in self.index.get((kind, value), [])
                    )
                ):
                    continue  # both names are qualified: only an exact match counts
                slots = [i for i in self.index.get((kind, value), []) if i not in used]
                if kind == "id":
                    slots = [i for i in slots if _compatible(self.items[i].data, data)]
                if len(slots) == 1:
                    return slots[0], kind, value
        return None


def _rewrite(data: dict[str, Any], id_map: dict[str, str]) -> dict[str, Any]:
    if data.get("dependencies"):
        data["dependencies"] = [id_map.get(d, d) for d in data["dependencies"]]
    return data


def merge_inventories(sources: list[tuple[str, Inventory]]) -> MergeResult:
    """Merge ``(name, inventory)`` pairs in order; the first source's ids are kept."""
    result = MergeResult(inventory=Inventory(), sources=[name for name, _ in sources])
    ids = UniqueIds()
    pools = {"servers": _Pool(_server_keys, ids), "data_stores": _Pool(_store_keys, ids)}
    merge_fns = {"servers": merge_server, "data_stores": merge_store}
    links: dict[str, dict[str, Any]] = {}
    lockin: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    for name, inventory in sources:
        merger = FieldMerger(name)
        dumped = inventory.model_dump(mode="json", exclude_none=True)
        id_map: dict[str, str] = {}
        plans: list[tuple[str, dict[str, Any], int | None]] = []
        for section, pool in pools.items():
            used: set[int] = set()
            for data in dumped[section]:
                found = pool.find(data, used)
                if found is None:
                    new_id = pool.ids.claim(data["id"])
                    if new_id != data["id"]:
                        result.notes.append(
                            f"{name}: {section} id {data['id']!r} is taken by "
                            f"another record; kept as {new_id!r}"
                        )
                    id_map[data["id"]] = new_id
                    plans.append((section, data, None))
                    continue
                position, kind, value = found
                used.add(position)
                merged_id = pool.items[position].id
                id_map[data["id"]] = merged_id
                result.matches.append(Match(name, data["id"], merged_id, kind, value))
                plans.append((section, data, position))
        for section, data, slot in plans:
            pool = pools[section]
            data = _rewrite(data, id_map)
            if slot is None:
                pool.add(Tracked({**data, "id": id_map[data["id"]]}, name))
            else:
                merge_fns[section](merger, pool.items[slot], data, result.notes)
                pool.reindex(slot)
        result.conflicts.extend(merger.conflicts)
        for link in dumped["links"]:
            link["members"] = [id_map.get(m, m) for m in link["members"]]
            if link["name"] not in links:
                links[link["name"]] = link
            elif links[link["name"]] != link:
                result.notes.append(
                    f"{name}: link {link['name']!r} differs from the one "
                    "already merged; the first is kept"
                )
        lockin.extend(e for e in dumped["lockin"] if e not in lockin)
        for key, value in dumped["metadata"].items():
            if key == "imported_from" and isinstance(value, list):
                metadata.setdefault(key, []).extend(v for v in value if v not in metadata[key])
            else:
                metadata.setdefault(key, value)
    metadata["merged_from"] = result.sources
    result.inventory = Inventory.model_validate(
        {
            "metadata": metadata,
            "servers": [t.data for t in pools["servers"].items],
            "data_stores": [t.data for t in pools["data_stores"].items],
            "links": list(links.values()),
            "lockin": lockin,
        }
    )
    result.problems = [
        f"{'.'.join(str(p) for p in problem.loc)}: {problem.message}"
        for problem in result.inventory.problems()
    ]
    return result
