"""EC2 collectors: instances (with a per-run instance-type cache), volumes and snapshots."""

from __future__ import annotations

import threading
from typing import Any

from planner.discovery.aws.calls import Caller
from planner.discovery.aws.harvest import Raw
from planner.discovery.aws.mapping import LIVE_STATES
from planner.discovery.aws.mapping_types import type_info_from_seed
from planner.io.seeds import aws_instance_types

TYPES_PER_CALL = 100


class InstanceTypeCache:
    """DescribeInstanceTypes results, fetched once per type per run (types are global).

    When the call is denied or a type is unknown to it, the bundled catalog
    (``seeds/aws/instance_types.csv``) fills in and the type is marked as assumed.
    """

    def __init__(self) -> None:
        self.info: dict[str, Raw] = {}
        self.assumed: set[str] = set()
        self._requested: set[str] = set()
        self._lock = threading.Lock()

    def resolve(self, caller: Caller, names: set[str]) -> None:
        with self._lock:
            missing = sorted(names - self._requested)
            self._requested.update(missing)
        for start in range(0, len(missing), TYPES_PER_CALL):
            chunk = missing[start : start + TYPES_PER_CALL]
            found = caller.items(
                "ec2", "describe_instance_types", "InstanceTypes[]", InstanceTypes=chunk
            )
            by_name = {t["InstanceType"]: t for t in found or []}
            fallback = self._from_catalog([n for n in chunk if n not in by_name])
            with self._lock:
                self.info.update(by_name)
                self.info.update(fallback)
                self.assumed.update(fallback)

    @staticmethod
    def _from_catalog(names: list[str]) -> dict[str, Raw]:
        if not names:
            return {}
        catalog = aws_instance_types()
        return {n: type_info_from_seed(catalog[n]) for n in names if n in catalog}


def collect_instances(caller: Caller, types: InstanceTypeCache) -> dict[str, Any]:
    reservations = caller.items(
        "ec2", "describe_instances", "Reservations[]", PaginationConfig={"PageSize": 1000}
    )
    instances: list[Raw] = []
    for reservation in reservations or []:
        owner = reservation.get("OwnerId")
        for instance in reservation.get("Instances") or []:
            instances.append({**instance, "OwnerId": owner} if owner else instance)
    live = [i for i in instances if (i.get("State") or {}).get("Name", "running") in LIVE_STATES]
    used = {str(i["InstanceType"]) for i in live if i.get("InstanceType")}
    if used:
        types.resolve(caller, used)
    return {"instances": instances}


def collect_volumes(caller: Caller) -> dict[str, Any]:
    volumes = caller.items(
        "ec2", "describe_volumes", "Volumes[]", PaginationConfig={"PageSize": 500}
    )
    return {"volumes": volumes or []}


def collect_snapshots(caller: Caller, account: str | None) -> dict[str, Any]:
    """Snapshots the account owns. The owner-id filter repeats ``OwnerIds=["self"]`` for AWS
    and keeps emulators that ignore ``OwnerIds`` from answering with public snapshots."""
    owner: dict[str, Any] = (
        {"Filters": [{"Name": "owner-id", "Values": [account]}]} if account else {}
    )
    snapshots = caller.items(
        "ec2",
        "describe_snapshots",
        "Snapshots[]",
        OwnerIds=["self"],
        PaginationConfig={"PageSize": 1000},
        **owner,
    )
    return {"snapshots": snapshots or []}
