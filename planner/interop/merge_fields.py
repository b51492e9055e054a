"""Field-by-field merging of two records of the same server or data store.

Rules: an empty value (None, "", [], {}, role ``unknown``, SSH port 22) is a gap that the other
record fills. When both records hold different values, the one with the higher provenance rank
wins (``measured`` > ``discovered`` > ``declared`` > ``imported`` > ``assumed``; a field without
a provenance entry counts as ``declared``); on a tie the earlier source is kept. Every
difference is recorded as a :class:`Conflict`, so nothing is overwritten silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from planner.models.base import PROVENANCE_RANK, Provenance

DEFAULT_PROVENANCE = Provenance.DECLARED.value


@dataclass(frozen=True)
class Conflict:
    """Two sources disagree about one field; ``resolution`` says which value was kept."""

    item: str
    field: str
    kept: Any
    kept_from: str
    kept_provenance: str
    other: Any
    other_from: str
    other_provenance: str
    resolution: str  # "kept" (the earlier value stays) or "replaced" (the later value won)

    def render(self) -> str:
        verb = "took" if self.resolution == "replaced" else "kept"
        return (
            f"{self.item}: {self.field}: {verb} {self.kept!r} from {self.kept_from} "
            f"({self.kept_provenance}) over {self.other!r} from {self.other_from} "
            f"({self.other_provenance})"
        )


@dataclass
class Tracked:
    """A record being merged: its data, and which source each field came from."""

    data: dict[str, Any]
    first_source: str
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def origin(self, path: str) -> str:
        top = path.split(".", 1)[0].split("[", 1)[0]
        return self.origins.get(path) or self.origins.get(top) or self.first_source


def is_empty(path: str, value: Any) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return True
    return (path == "role" and value == "unknown") or (path == "ssh.port" and value == 22)


_NAMES = ("hostname", "source.resource_id")


def same(a: Any, b: Any, path: str = "") -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if path in _NAMES and isinstance(a, str) and isinstance(b, str):
        a, b = a.lower().rstrip("."), b.lower().rstrip(".")
        if path == "hostname" and ("." in a) != ("." in b):
            return bool(a.split(".", 1)[0] == b.split(".", 1)[0])  # short name and its FQDN
    return bool(a == b)


def provenance_of(data: dict[str, Any], path: str) -> str:
    table = data.get("provenance") or {}
    top = path.split(".", 1)[0].split("[", 1)[0]
    parent = path.rsplit(".", 1)[0] if "." in path else top
    for key in (path, parent, top):
        if key in table:
            return str(table[key])
    return DEFAULT_PROVENANCE


def rank(provenance: str) -> int:
    try:
        return PROVENANCE_RANK[Provenance(provenance)]
    except ValueError:
        return PROVENANCE_RANK[Provenance.DECLARED]


@dataclass
class FieldMerger:
    """Merges values of ``incoming`` (from ``source``) into ``target``, recording conflicts."""

    source: str
    conflicts: list[Conflict] = field(default_factory=list)

    def value(
        self,
        target: Tracked,
        incoming: dict[str, Any],
        path: str,
        mine: Any,
        theirs: Any,
        prov_key: str | None = None,
    ) -> tuple[Any, bool]:
        """The merged value of one field, and whether ``theirs`` was taken."""
        key = prov_key or path
        if is_empty(path, theirs):
            return mine, False
        if same(mine, theirs, path):
            if path == "hostname" and str(theirs).count(".") > str(mine).count("."):
                self.set_provenance(target, incoming, key)
                target.origins[path] = self.source
                return theirs, True  # the qualified name says more than the short one
            return mine, False
        their_prov = provenance_of(incoming, key)
        if is_empty(path, mine):
            self.set_provenance(target, incoming, key)
            target.origins[path] = self.source
            return theirs, True
        my_prov = provenance_of(target.data, key)
        replace = rank(their_prov) > rank(my_prov)
        if replace:
            self.conflicts.append(
                Conflict(
                    target.id,
                    path,
                    theirs,
                    self.source,
                    their_prov,
                    mine,
                    target.origin(path),
                    my_prov,
                    "replaced",
                )
            )
            self.set_provenance(target, incoming, key)
            target.origins[path] = self.source
            return theirs, True
        self.conflicts.append(
            Conflict(
                target.id,
                path,
                mine,
                target.origin(path),
                my_prov,
                theirs,
                self.source,
                their_prov,
                "kept",
            )
        )
        return mine, False

    @staticmethod
    def set_provenance(target: Tracked, incoming: dict[str, Any], key: str) -> None:
        value = provenance_of(incoming, key)
        if provenance_of(target.data, key) != value:
            target.data.setdefault("provenance", {})[key] = value

    def scalars(self, target: Tracked, incoming: dict[str, Any], names: tuple[str, ...]) -> None:
        for name in names:
            target.data[name], _ = self.value(
                target, incoming, name, target.data.get(name), incoming.get(name)
            )

    def nested(self, target: Tracked, incoming: dict[str, Any], names: tuple[str, ...]) -> None:
        for name in names:
            mine = dict(target.data.get(name) or {})
            theirs = incoming.get(name) or {}
            for key in theirs:
                mine[key], _ = self.value(
                    target, incoming, f"{name}.{key}", mine.get(key), theirs[key]
                )
            target.data[name] = mine

    def tags(self, target: Tracked, incoming: dict[str, Any]) -> None:
        mine = dict(target.data.get("tags") or {})
        for key, value in (incoming.get("tags") or {}).items():
            mine[key], _ = self.value(
                target, incoming, f"tags.{key}", mine.get(key), value, prov_key="tags"
            )
        target.data["tags"] = mine

    @staticmethod
    def union(target: Tracked, incoming: dict[str, Any], names: tuple[str, ...]) -> None:
        for name in names:
            merged = list(target.data.get(name) or [])
            for item in incoming.get(name) or []:
                if item not in merged:
                    merged.append(item)
            target.data[name] = merged
