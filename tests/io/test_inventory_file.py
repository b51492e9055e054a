import json

import pytest

from planner.errors import InputError, InventoryError
from planner.io.inventory_file import dump_inventory, load_inventory, save_inventory
from planner.models import Inventory

GOOD = """\
schema_version: 1
servers:
  - id: web-1
    role: web
    memory: 8GiB
    volumes:
      - size: 100GB
        used: 20GB
        file_count: 1000
    network: {baseline: 750Mbps, burst: 10Gbps}
    change_rate: 1 MB/s
    dependencies: [db-1, "aws:s3"]
  - id: db-1
    role: db
data_stores:
  - id: bucket-1
    kind: object-storage
    service: s3
    used: 3TB
    object_count: 1000000
links:
  - name: aws-egress
    capacity: 20Gbps
"""


def write(tmp_path, text, name="inv.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(path):
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    return info.value.problems


def test_units_are_stored_in_base_units(tmp_path):
    inv = load_inventory(write(tmp_path, GOOD))
    web = inv.servers[0]
    assert web.memory_bytes == 8 * 2**30
    assert web.volumes[0].size_bytes == 100 * 10**9
    assert web.volumes[0].used_bytes == 20 * 10**9
    assert web.network.baseline_bits_per_second == 750e6
    assert web.change_rate_bytes_per_second == 1e6
    assert inv.links[0].capacity_bits_per_second == 20e9
    assert inv.total_bytes == 20 * 10**9 + 3 * 10**12


def test_unknown_is_not_zero(tmp_path):
    inv = load_inventory(write(tmp_path, GOOD))
    db = inv.servers[1]
    assert db.used_bytes is None
    assert db.change_rate_bytes_per_second is None
    assert db.vcpus is None


def test_bad_size_names_file_line_path(tmp_path):
    text = GOOD.replace("size: 100GB", "size: ten GB")
    path = write(tmp_path, text)
    (message,) = problems(path)
    assert (
        message == f"{path}:7: servers[0].volumes[0].size: invalid size 'ten GB' "
        "(examples: 500GB, 1.5 TiB, 1024)"
    )


def test_duplicate_ids_are_errors(tmp_path):
    text = GOOD.replace("id: db-1", "id: web-1").replace("[db-1, ", "[")
    path = write(tmp_path, text)
    (message,) = problems(path)
    assert message.startswith(f"{path}:13: servers[1].id: duplicate id 'web-1'")


def test_dangling_dependency(tmp_path):
    path = write(tmp_path, GOOD.replace("[db-1,", "[db-9,"))
    (message,) = problems(path)
    assert f"{path}:12: servers[0].dependencies[0]: unknown dependency id 'db-9'" in message


def test_used_above_size(tmp_path):
    path = write(tmp_path, GOOD.replace("used: 20GB", "used: 200GB"))
    (message,) = problems(path)
    assert message.startswith(f"{path}:8: servers[0].volumes[0].used_bytes: used (")


def test_unknown_field_and_missing_id(tmp_path):
    text = GOOD.replace("role: db", "role: db\n    passwrd: hunter2").replace("- id: db-1", "- ")
    found = problems(write(tmp_path, text))
    assert any("servers[1].id: required field is missing" in p for p in found)
    assert any("servers[1].passwrd: unknown field" in p for p in found)


def test_several_problems_are_all_reported(tmp_path):
    text = GOOD.replace("size: 100GB", "size: big").replace("baseline: 750Mbps", "baseline: fast")
    found = problems(write(tmp_path, text))
    assert len(found) == 2


def test_yaml_syntax_error(tmp_path):
    path = write(tmp_path, "servers:\n  - id: a\n   role: [\n")
    with pytest.raises(InputError) as info:
        load_inventory(path)
    assert str(info.value).startswith(f"{path}:3: syntax:")


def test_json_inventory_and_syntax_error(tmp_path):
    path = write(tmp_path, json.dumps({"schema_version": 1, "servers": [{"id": "a"}]}), "i.json")
    assert load_inventory(path).servers[0].id == "a"
    bad = write(tmp_path, '{"servers": [\n{"id": "a",}\n]}', "bad.json")
    with pytest.raises(InputError, match=r"bad.json:2: syntax:"):
        load_inventory(bad)


def test_json_bad_value_gets_line(tmp_path):
    doc = '{\n  "servers": [\n    {\n      "id": "a",\n      "vcpus": "many"\n    }\n  ]\n}\n'
    path = write(tmp_path, doc, "i.json")
    (message,) = problems(path)
    assert message.startswith(f"{path}:5: servers[0].vcpus:")


def test_top_level_must_be_mapping(tmp_path):
    (message,) = problems(write(tmp_path, "- 1\n- 2\n"))
    assert "expected a mapping" in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_inventory(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load_inventory(tmp_path)


def test_wrong_schema_version(tmp_path):
    found = problems(write(tmp_path, "schema_version: 7\nservers: []\n"))
    assert found[0].startswith(f"{tmp_path / 'inv.yaml'}:1: schema_version:")


def test_round_trip_yaml_and_json(tmp_path):
    inv = load_inventory(write(tmp_path, GOOD))
    for name in ("out.yaml", "out.json"):
        path = save_inventory(inv, tmp_path / name)
        assert load_inventory(path) == inv


def test_dump_leaves_unknowns_out(tmp_path):
    inv = Inventory.model_validate({"servers": [{"id": "a"}]})
    text = dump_inventory(inv)
    assert "vcpus" not in text and "used_bytes" not in text
    assert text.startswith("schema_version: 1")


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    inv = load_inventory(write(tmp_path, GOOD))
    target = tmp_path / "sub" / "x.yaml"
    save_inventory(inv, target)
    save_inventory(inv, target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.yaml"]


def test_failed_write_keeps_old_file(tmp_path, monkeypatch):
    from planner.io import atomic

    target = tmp_path / "x.yaml"
    target.write_text("old")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "fsync", boom)
    with pytest.raises(OSError):
        atomic.write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_no_secret_fields_in_schema():
    def names(schema):
        for definition in [schema, *schema.get("$defs", {}).values()]:
            yield from definition.get("properties", {})

    fields = {n.lower() for n in names(Inventory.model_json_schema())}
    for word in ("password", "secret", "private_key", "token", "passphrase", "key_file"):
        assert not any(word in name for name in fields)
