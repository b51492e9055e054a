"""The offline mocks give every resource the same id and address whatever the order of creation."""

from __future__ import annotations

import pulumi
from components.offline import FleetMocks


def _args(typ: str, name: str) -> pulumi.runtime.MockResourceArgs:
    return pulumi.runtime.MockResourceArgs(
        typ=typ, name=name, inputs={"serverType": "cx22"}, provider="", resource_id="", custom=True
    )


def test_ids_and_addresses_depend_on_the_resource_not_on_the_order() -> None:
    names = [f"web-{i:03d}" for i in range(50)]
    forward = {n: FleetMocks().new_resource(_args("hcloud:index/server:Server", n)) for n in names}
    mocks = FleetMocks()
    backward = {
        n: mocks.new_resource(_args("hcloud:index/server:Server", n)) for n in reversed(names)
    }
    assert forward == backward
    ids = [rid for rid, _ in forward.values()]
    assert len(set(ids)) == len(ids) and all(i.isdigit() and len(i) == 12 for i in ids)
    _, outputs = forward["web-000"]
    assert outputs["serverType"] == "cx22" and outputs["ipv4Address"].startswith("203.0.113.")
    other_type = FleetMocks().new_resource(_args("hcloud:index/primaryIp:PrimaryIp", "web-000"))
    assert other_type[0] != forward["web-000"][0]
