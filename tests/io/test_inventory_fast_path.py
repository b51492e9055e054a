"""Loading and saving through the fast YAML path changes nothing a user can see.

The expected error messages below are the ones the loader gave before the fast path (PyYAML's
``CSafeLoader`` plus one node-tree composition per problem), recorded on the same files.
"""

import json

import pytest
import yaml

from planner.errors import InputError, InventoryError
from planner.io.inventory_file import MAX_REPORTED, dump_inventory, load_inventory
from planner.models import Inventory

SERVERS = 60


def fleet_text(servers: int = SERVERS) -> str:
    """A hand-written-looking inventory: unit strings, flow mappings, every section."""
    lines = ["schema_version: 1", "metadata: {owner: ops, reviewed: 2026-11-22}", "servers:"]
    for i in range(servers):
        lines += [
            f"  - id: srv-{i:03d}",
            f"    role: {'db' if i % 10 == 0 else 'web'}",
            f"    vcpus: {2 + i % 6}",
            "    memory: 8GiB",
            "    volumes:",
            f"      - size: {100 + i}GB",
            f"        used: {i}GB",
            f"        file_count: {1000 * i}",
            "    network: {baseline: 750Mbps, burst: 10Gbps}",
            f"    dependencies: [srv-{(i + 1) % servers:03d}, 'aws:s3']",
        ]
    lines += [
        "data_stores:",
        "  - {id: bucket-1, kind: object-storage, service: s3, used: 3TB, object_count: 1000}",
        "links:",
        "  - name: aws-egress",
        "    capacity: 20Gbps",
    ]
    return "\n".join(lines) + "\n"


def write(tmp_path, text, name="fleet.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems_of(path):
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    return [p.replace(str(path), "FILE") for p in info.value.problems]


def test_same_inventory_as_pyyaml_safe_loader(tmp_path):
    text = fleet_text()
    expected = Inventory.model_validate(yaml.load(text, Loader=yaml.SafeLoader))
    assert not expected.problems()
    loaded = load_inventory(write(tmp_path, text))
    assert loaded == expected
    assert loaded.metadata == {"owner": "ops", "reviewed": yaml.safe_load("2026-11-22")}
    assert len(loaded.servers) == SERVERS
    as_json = write(tmp_path, json.dumps(yaml.safe_load(text), default=str), "fleet.json")
    assert load_inventory(as_json).servers == expected.servers


def test_saved_yaml_is_what_pyyaml_wrote_and_reads_back(tmp_path):
    # saving goes through JSON-mode data, where a date would come back as a string
    text = fleet_text().replace("reviewed: 2026-11-22", "reviewed: '2026-11-22'")
    inventory = load_inventory(write(tmp_path, text))
    text = dump_inventory(inventory)
    data = inventory.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"schema_version": 1, **data}
    old = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
    assert text == old
    assert load_inventory(write(tmp_path, text, "again.yaml")) == inventory


BAD = {
    "bad size": (
        ("size: 137GB", "size: ten GB"),
        [
            "FILE:379: servers[37].volumes[0].size: invalid size 'ten GB' "
            "(examples: 500GB, 1.5 TiB, 1024)"
        ],
    ),
    "wrong type": (
        (
            "  - id: srv-051\n    role: web\n    vcpus: 5",
            "  - id: srv-051\n    role: web\n    vcpus: many",
        ),
        [
            "FILE:516: servers[51].vcpus: Input should be a valid integer, unable to parse "
            "string as an integer, got 'many'"
        ],
    ),
    "unknown field": (
        ("  - id: srv-044\n", "  - id: srv-044\n    passwrd: hunter2\n"),
        ["FILE:445: servers[44].passwrd: unknown field"],
    ),
    "duplicate id": (
        ("  - id: srv-042\n", "  - id: srv-041\n"),
        [
            "FILE:424: servers[42].id: duplicate id 'srv-041' (first used at servers.41)",
            "FILE:423: servers[41].dependencies[0]: unknown dependency id 'srv-042' (not a server "
            "or data store id; write managed services as 'aws:SERVICE')",
        ],
    ),
    "used above size": (
        ("used: 59GB", "used: 900GB"),
        [
            "FILE:600: servers[59].volumes[0].used_bytes: used (900000000000 bytes) is larger than "
            "size (159000000000 bytes)"
        ],
    ),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_same_error_messages_and_lines_as_before(tmp_path, case):
    (old, new), expected = case
    text = fleet_text()
    assert text.count(old) == 1
    assert problems_of(write(tmp_path, text.replace(old, new))) == expected


def test_many_problems_are_capped_with_lines(tmp_path):
    path = write(tmp_path, fleet_text().replace("memory: 8GiB", "memory: lots"))
    found = problems_of(path)
    assert len(found) == MAX_REPORTED + 1
    assert (
        found[0]
        == "FILE:7: servers[0].memory: invalid size 'lots' (examples: 500GB, 1.5 TiB, 1024)"
    )
    assert found[49].startswith("FILE:497: servers[49].memory: invalid size 'lots'")
    assert found[-1] == f"FILE: ... and {SERVERS - MAX_REPORTED} more problems"


def test_syntax_error_line(tmp_path):
    text = fleet_text().replace("  - id: srv-050\n    role: db", "  - id: srv-050\n   role: db")
    with pytest.raises(InputError) as info:
        load_inventory(write(tmp_path, text))
    assert str(info.value).replace(str(tmp_path / "fleet.yaml"), "FILE") == (
        "FILE:505: syntax: did not find expected '-' indicator"
    )


def test_json_errors_keep_their_lines(tmp_path):
    data = yaml.safe_load(fleet_text())
    data["metadata"]["reviewed"] = "2026-11-22"
    data["servers"][12]["vcpus"] = "twelve"
    path = write(tmp_path, json.dumps(data, indent=2), "fleet.json")
    assert problems_of(path) == [
        "FILE:263: servers[12].vcpus: Input should be a valid integer, unable to parse string "
        "as an integer, got 'twelve'"
    ]


def test_unreadable_tagged_value_is_a_clear_input_error(tmp_path):
    text = fleet_text().replace("file_count: 3000", "file_count: !!int lots")
    with pytest.raises(InputError) as info:
        load_inventory(write(tmp_path, text))
    assert str(info.value).replace(str(tmp_path / "fleet.yaml"), "FILE") == (
        "FILE:41: syntax: cannot read 'lots' as tag:yaml.org,2002:int"
    )
    merged = "defaults: &d {role: web}\n" + text.replace(
        "  - id: srv-001\n", "  - <<: *d\n    id: srv-001\n"
    )
    with pytest.raises(InputError, match=r"fleet.yaml: syntax: cannot read a tagged value: "):
        load_inventory(write(tmp_path, merged))  # PyYAML's own constructor, no line to give
