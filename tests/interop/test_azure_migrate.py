"""Azure Migrate import CSV: golden import, header variants, per-disk columns and bad rows."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.interop.azure_migrate import import_azure_migrate_csv
from tests.interop.conftest import render, run_import

TEMPLATE = "azure/import_template.csv"
GIB = 2**30


@pytest.mark.parametrize("name", ["import_template", "rvtools2azmigrate"])
def test_golden(golden, name):
    inventory, report = render(run_import("azure-migrate-csv", f"azure/{name}.csv"))
    golden(f"azure-{name}.yaml", inventory)
    golden(f"azure-{name}.report.txt", report)


def test_starred_headers_os_names_and_disks():
    servers = {s.id: s for s in run_import("azure-migrate-csv", TEMPLATE).inventory.servers}
    erp = servers["erp-db01.corp.example"]
    assert (erp.vcpus, erp.memory_bytes) == (16, 131072 * 2**20)
    # "Red Hat Enterprise Linux 8" is outside Azure's accepted OS list but still readable
    assert (erp.os.name, erp.os.version, erp.os.architecture) == ("rhel", "8", "x86_64")
    assert erp.source.provider == "vmware"
    assert [v.size_bytes for v in erp.volumes] == [100 * GIB, 1100 * GIB]
    # 900 GB in use over two disks: split by size, and the split is marked as assumed
    assert erp.used_bytes == pytest.approx(900 * GIB, abs=2)
    assert [round(v.used_bytes / GIB) for v in erp.volumes] == [75, 825]
    assert erp.provenance["volumes.used_bytes"] == "assumed"
    assert erp.change_rate_bytes_per_second == (2.5 + 12.5) * 2**20
    web = servers["web01.corp.example"]
    assert web.volumes[0].used_bytes == 42 * GIB
    assert "volumes.used_bytes" not in web.provenance
    assert servers["ad01"].used_bytes == 60 * GIB and servers["ad01"].platform == "windows"


def test_bad_rows_reported_with_lines():
    result = run_import("azure-migrate-csv", TEMPLATE)
    rendered = result.rendered_problems()
    assert rendered == [
        f"{TEMPLATE}:5: *Server name: server name is empty (row skipped)",
        f"{TEMPLATE}:6: *Server name: duplicate server 'web01.corp.example' (first at line 3) "
        "(row skipped)",
        f"{TEMPLATE}:7: *Cores: not a number: 'four' (value ignored)",
        f"{TEMPLATE}:7: Storage in use (In GB): 500.0 GB is more than the disks (value ignored)",
        f"{TEMPLATE}:8: (row): 34 cells but the header has 33: is a list (IP addresses) missing "
        "its double quotes? (row skipped)",
    ]
    assert any("mandatory *Memory (In MB) empty" in n for n in result.notes)
    assert len(result.inventory.servers) == 4


def test_converter_header_spelling_and_bom():
    result = run_import("azure-migrate-csv", "azure/rvtools2azmigrate.csv")
    assert [s.id for s in result.inventory.servers] == ["vm-app-01", "vm-app-02"]
    assert result.inventory.servers[1].os.version == "10"
    assert len(result.inventory.servers[1].volumes) == 2
    assert result.problems == []


def test_header_without_server_name_is_an_input_error():
    with pytest.raises(InputError, match="no '\\*Server name' column"):
        import_azure_migrate_csv("*Cores,*Memory (In MB)\n2,1024\n", "x.csv")


def test_plain_headers_without_asterisks_and_twenty_disks():
    disks = ",".join(f"Disk {n} size" for n in range(1, 21))
    sizes = ",".join(str(n) for n in range(1, 21))
    text = f"Server name,Cores,Memory,OS name,{disks}\nhost1,2,2048,Ubuntu Linux,{sizes}\n"
    server = import_azure_migrate_csv(text, "x.csv").inventory.servers[0]
    assert len(server.volumes) == 20
    assert server.volumes[-1].size_bytes == 20 * GIB
