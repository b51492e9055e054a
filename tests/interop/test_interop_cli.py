"""``exitplan inventory import|export|merge``: outputs, reports and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from planner.io.inventory_file import load_inventory
from tests.interop.conftest import FIXTURES


def test_clean_import_exits_0_and_writes_atomically(cli, tmp_path):
    out = tmp_path / "fleet.json"
    result = cli("inventory", "import", "ansible", FIXTURES / "ansible/site/hosts.yml", "-o", out)
    assert result.exit_code == 0, result.output
    assert "imported 12 servers" in result.stderr and f"wrote {out}" in result.stderr
    assert len(load_inventory(out).servers) == 12
    assert [p.name for p in tmp_path.iterdir()] == ["fleet.json"]  # no temporary files left


def test_import_with_bad_rows_exits_1_keeps_the_rest_and_names_lines(cli, tmp_path):
    out, report = tmp_path / "ads.yaml", tmp_path / "report.json"
    source = FIXTURES / "ads/import_template_filled.csv"
    result = cli("inventory", "import", "ads-csv", source, "-o", out, "--report", report)
    assert result.exit_code == 1
    assert f"{source}:8: (row): 35 cells but the header has 34" in result.stderr
    assert "4 rows skipped, 6 values ignored" in result.stderr
    assert len(load_inventory(out).servers) == 7
    data = json.loads(report.read_text())
    assert data["schema_version"] == 1
    assert data["records"] == 11 and data["servers"] == 7
    assert {p["line"] for p in data["problems"] if p["skipped"]} == {6, 7, 8, 9}


def test_import_to_stdout_is_a_valid_inventory(cli, tmp_path):
    result = cli(
        "inventory", "import", "terraform-state", FIXTURES / "terraform/shop/terraform.tfstate"
    )
    assert result.exit_code == 0
    path = tmp_path / "out.yaml"
    path.write_text(result.stdout)
    assert len(load_inventory(path).data_stores) == 7
    assert "note:" not in result.stdout  # reports go to stderr only


@pytest.mark.parametrize(
    ("fmt", "name", "content", "message"),
    [
        ("ads-csv", "missing.csv", None, "no such file"),
        ("ads-csv", "sheet.csv", b"PK\x03\x04\x00\x00binary", "binary data"),
        ("azure-migrate-csv", "empty.csv", b"", "empty file"),
        ("terraform-state", "bad.tfstate", b'{"version": 4,\n "resources": [}', "bad.tfstate:2:"),
        ("terraform-state", "old.tfstate", b'{"version": 3}', "not supported"),
        ("ansible", "bad.yml", b"all:\n  hosts: [\n", "syntax"),
    ],
)
def test_unreadable_input_exits_2_without_traceback(cli, tmp_path, fmt, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out.yaml"
    result = cli("inventory", "import", fmt, path, "-o", out)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unknown_format_is_a_usage_error(cli):
    result = cli("inventory", "import", "rvtools", FIXTURES / "ads/excel_semicolon.csv")
    assert result.exit_code == 2


def test_export_to_stdout_and_file(cli, repo, tmp_path):
    source = repo / "inventories" / "three-tier.yaml"
    stdout = cli("inventory", "export", "ansible", source)
    assert stdout.exit_code == 0
    assert "ansible_host: 10.0.1.11" in stdout.stdout
    out = tmp_path / "fleet.csv"
    written = cli("inventory", "export", "ads-csv", source, "-o", out)
    assert written.exit_code == 0
    assert out.read_text().startswith("ExternalId,SMBiosId,IPAddress")
    again = cli("inventory", "import", "ads-csv", out)
    assert again.exit_code == 0


def test_export_with_values_the_format_cannot_hold_exits_1(cli, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("servers:\n  - id: a\n    tags: {note: 'one, two'}\n")
    result = cli("inventory", "export", "ads-csv", path)
    assert result.exit_code == 1
    assert f"{path}: servers[0].tags.note: ADS tags cannot hold ','" in result.stderr


def test_merge_reports_conflicts_and_strict_fails(cli, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("servers:\n  - {id: web-1, address: 10.0.0.1, vcpus: 2}\n")
    b.write_text(
        "servers:\n  - {id: w1, address: 10.0.0.1, vcpus: 4, memory: 8GiB}\n"
        "  - {id: w2, address: 10.0.0.2}\n"
    )
    out, report = tmp_path / "m.yaml", tmp_path / "m.json"
    result = cli("inventory", "merge", a, b, "-o", out, "--report", report)
    assert result.exit_code == 0, result.output
    assert "2 servers" in result.stdout and "1 conflicts" in result.stdout
    assert f"conflict: web-1: vcpus: kept 2 from {a} (declared) over 4 from {b}" in result.stderr
    merged = load_inventory(out)
    assert [(s.id, s.vcpus, s.memory_bytes) for s in merged.servers] == [
        ("web-1", 2, 8 * 2**30),
        ("w2", None, None),
    ]
    data = json.loads(report.read_text())
    assert data["schema_version"] == 1 and len(data["conflicts"]) == 1
    strict = cli("inventory", "merge", a, b, "-o", out, "--strict")
    assert strict.exit_code == 1


def test_merge_of_an_invalid_inventory_exits_2(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("servers:\n  - id: a\n    vcpus: many\n")
    result = cli("inventory", "merge", bad, bad, "-o", tmp_path / "m.yaml")
    assert result.exit_code == 2
    assert f"{bad}:3: servers[0].vcpus:" in result.stderr


def test_console_script_import_exit_code(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "inventory",
            "import",
            "azure-migrate-csv",
            str(FIXTURES / "azure/import_template.csv"),
            "-o",
            str(tmp_path / "x.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "import_template.csv:5: *Server name: server name is empty (row skipped)" in proc.stderr
