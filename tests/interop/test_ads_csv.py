"""ADS / Migration Hub import CSV: golden import, the documented traps, export and round trip."""

from __future__ import annotations

import csv
import io

import pytest

from planner.errors import InputError
from planner.interop.ads_columns import COLUMNS
from planner.interop.ads_csv import import_ads_csv
from planner.interop.ads_export import export_ads_csv
from planner.io.inventory_file import load_inventory
from planner.models import Inventory, Server
from tests.interop.conftest import render, run_import

FILLED = "ads/import_template_filled.csv"


def by_id(inventory: Inventory) -> dict[str, Server]:
    return {s.id: s for s in inventory.servers}


@pytest.mark.parametrize(
    "name", ["import_template_filled", "excel_semicolon", "ec2_recommendations_export"]
)
def test_golden(golden, name):
    inventory, report = render(run_import("ads-csv", f"ads/{name}.csv"))
    golden(f"ads-{name}.yaml", inventory)
    golden(f"ads-{name}.report.txt", report)


def test_quoted_lists_tags_and_instance_id():
    servers = by_id(run_import("ads-csv", FILLED).inventory)
    web = servers["i-0a1b2c3d4e5f60711"]
    assert (web.address, web.private_address, web.public_address) == (
        "10.12.31.233",
        "10.12.31.233",
        "3.120.18.4",
    )
    assert web.source.provider == "aws" and web.source.resource_id == "i-0a1b2c3d4e5f60711"
    assert web.role == "web"
    assert web.tags["zone"] == "1" and web.tags["critical"] == "yes"
    assert web.tags["Applications"] == "Shop, Payments"
    assert web.vcpus == 4 and web.memory_bytes == 16384 * 2**20
    assert web.change_rate_bytes_per_second == 180 * 1024
    assert web.provenance["memory_bytes"] == "imported"
    assert web.volumes == []  # the template has no disk columns: bytes to move stay unknown


def test_vmware_row_and_os_name_with_version():
    db = by_id(run_import("ads-csv", FILLED).inventory)["pay-db01.corp.example"]
    assert (db.source.provider, db.source.account, db.source.resource_id) == (
        "vmware",
        "vc01.corp.example",
        "vm-1001",
    )
    assert (db.os.name, db.os.version, db.os.family) == ("rhel", "8", "rhel")
    assert db.vcpus == 16  # 2 processors x 8 cores "in a processor"


def test_bad_rows_are_reported_with_lines_and_the_rest_imported():
    result = run_import("ads-csv", FILLED)
    skipped = {p.line: p.message for p in result.problems if p.skipped}
    assert set(skipped) == {6, 7, 8, 9}
    assert "no matching key" in skipped[6] and "no matching key" in skipped[7]
    assert "missing its double quotes" in skipped[8]
    assert "duplicate server 'i-0a1b2c3d4e5f60711' (first at line 2)" in skipped[9]
    ignored = [p.render(FILLED) for p in result.problems if not p.skipped]
    assert f"{FILLED}:10: RAM.TotalSizeInMB: not a number: 'lots' (value ignored)" in ignored
    assert f"{FILLED}:10: IPAddress: '10.12.31.300' is not an IP address (value ignored)" in ignored
    assert len(result.inventory.servers) == 7
    assert result.exit_code == 1


def test_record_after_multiline_cell_keeps_its_line():
    result = import_ads_csv(
        'ExternalId,Applications,RAM.TotalSizeInMB\na,"one,\ntwo",1024\nb,,many\n',
        "x.csv",
    )
    assert [p.render("x.csv") for p in result.problems] == [
        "x.csv:4: RAM.TotalSizeInMB: not a number: 'many' (value ignored)"
    ]


def test_excel_semicolon_marked_headers_and_custom_columns():
    result = run_import("ads-csv", "ads/excel_semicolon.csv")
    servers = by_id(result.inventory)
    assert set(servers) == {"srv-erp-1", "erp-db1.corp.example"}
    assert servers["erp-db1.corp.example"].source.account == "vc02.corp.example"  # VMWare. caps
    assert servers["srv-erp-1"].change_rate_bytes_per_second == 1536.5 * 1024  # decimal comma
    assert any("Owner" in note for note in result.notes)
    assert result.problems == []


def test_ec2_recommendations_export_spellings():
    result = run_import("ads-csv", "ads/ec2_recommendations_export.csv")
    servers = by_id(result.inventory)
    assert servers["srv-1"].hostname == "pay-app01.corp.example"
    assert servers["srv-1"].change_rate_bytes_per_second == 2048 * 1024
    assert any("DiskReadsOpsPerSecond.Avg" in note for note in result.notes)


def test_not_an_ads_file_is_an_input_error():
    with pytest.raises(InputError, match="not an ADS import CSV"):
        import_ads_csv("name,size\nfoo,1\n", "x.csv")
    with pytest.raises(InputError, match="empty file"):
        import_ads_csv("", "x.csv")


def test_export_has_exact_template_header_and_quoted_lists(repo):
    inventory = load_inventory(repo / "inventories" / "three-tier.yaml")
    inventory.servers[0].public_address = "3.120.18.4"
    inventory.servers[0].tags = {"zone": "a", "bad": "x, y"}
    result = export_ads_csv(inventory)
    lines = result.text.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert '"10.0.1.11, 3.120.18.4"' in lines[1]
    assert '"Role:web, zone:a"' in lines[1]
    assert [p.column for p in result.problems] == ["servers[0].tags.bad"]
    assert "data stores not exported" in result.notes[0]


def test_assumed_change_rate_is_not_exported_as_measured(repo):
    inventory = load_inventory(repo / "inventories" / "fleet-40.yaml")
    server = inventory.servers[0]
    server.provenance["change_rate_bytes_per_second"] = "assumed"
    rows = list(csv.DictReader(io.StringIO(export_ads_csv(inventory).text)))
    assert rows[0]["DiskWritesPerSecondInKB.Avg"] == ""
    assert rows[1]["DiskWritesPerSecondInKB.Avg"] != ""


@pytest.mark.parametrize("name", ["three-tier.yaml", "fleet-40.yaml"])
def test_round_trip_keeps_what_the_format_holds(repo, name):
    original = load_inventory(repo / "inventories" / name)
    again = import_ads_csv(export_ads_csv(original).text, "round-trip.csv")
    assert again.problems == []
    back = by_id(again.inventory)
    assert list(back) == [s.id for s in original.servers]
    for server in original.servers:
        copy = back[server.id]
        assert copy.hostname == server.hostname
        assert copy.address == server.address
        assert copy.vcpus == server.vcpus
        assert copy.memory_bytes == server.memory_bytes
        assert (copy.os.name, copy.os.version) == (server.os.name, server.os.version)
        assert copy.role == server.role
        assert {k: v for k, v in copy.tags.items() if k != "Role"} == {
            k: v for k, v in server.tags.items() if k != "Role"
        }
        if server.change_rate_bytes_per_second is None:
            assert copy.change_rate_bytes_per_second is None
        else:
            assert copy.change_rate_bytes_per_second == pytest.approx(
                server.change_rate_bytes_per_second
            )


def test_import_export_import_keeps_ids_addresses_sources_and_tags():
    first = run_import("ads-csv", FILLED).inventory
    second = import_ads_csv(export_ads_csv(first).text, "again.csv").inventory
    assert [s.id for s in second.servers] == [s.id for s in first.servers]
    for a, b in zip(first.servers, second.servers, strict=True):
        assert (b.address, b.private_address, b.public_address) == (
            a.address,
            a.private_address,
            a.public_address,
        )
        assert b.source == a.source  # EC2 instance id and VMware MoRefId/vCenter survive
        assert (b.hostname, b.vcpus, b.memory_bytes, b.role) == (
            a.hostname,
            a.vcpus,
            a.memory_bytes,
            a.role,
        )
        assert b.tags == a.tags  # incl. Applications and ApplicationWave
