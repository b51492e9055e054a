"""``exitplan audit --dns``: formats, exit codes, broken zone files, SARIF supplier results."""

import json
from pathlib import Path

SHOP = Path(__file__).parent / "fixtures" / "webshop"
ZONE = SHOP / "dns" / "shop.example.zone"


def test_dns_alone_is_enough_to_audit(cli):
    result = cli("audit", "--dns", ZONE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["inputs"]["dns"] == [str(ZONE)]
    found = {s["supplier"] for s in data["suppliers"]}
    assert {"cloudflare-dns", "cloudflare-cdn", "mailgun", "letsencrypt"} <= found
    for s in data["suppliers"]:
        assert {"supplier", "function", "evidence", "alternatives", "replacement"} <= s.keys()
        assert all({"path", "line", "signal"} <= e.keys() for e in s["evidence"])
    assert [d["id"] for d in data["dimensions"]] == ["lock-in", "suppliers"]


def test_missing_dns_file_is_a_usage_error(cli, tmp_path):
    result = cli("audit", "--dns", tmp_path / "nope.zone")
    assert result.exit_code == 2
    assert "no such file" in result.output and "Traceback" not in result.output


def test_broken_zone_is_reported_and_the_audit_goes_on(cli, tmp_path):
    broken = tmp_path / "broken.zone"
    broken.write_text("$ORIGIN x.example.\n@ IN NS ada.ns.cloudflare.com.\nbad IN MX (\n")
    binary = tmp_path / "binary.zone"
    binary.write_bytes(b"\x00\x01\x02garbage")
    result = cli("audit", "--dns", broken, "--dns", binary, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    problems = {(Path(u["path"]).name, u["line"], u["signal"]) for u in data["unparsed"]}
    assert ("broken.zone", 3, "unparseable") in problems
    assert ("binary.zone", None, "unparseable") in problems
    assert any(s["supplier"] == "cloudflare-dns" for s in data["suppliers"])  # line 2 still read


def test_fail_on_counts_the_supplier_dimension(cli, tmp_path):
    zone = tmp_path / "z.zone"
    zone.write_text("$ORIGIN z.example.\n@ IN NS ns-1.awsdns-01.org.\n")
    assert cli("audit", "--dns", zone, "--fail-on", "very-high").exit_code == 0
    result = cli("audit", "--dns", zone, "--fail-on", "high")
    assert result.exit_code == 1  # Route 53 is the only DNS host: 57, high
    assert "reaches --fail-on high" in result.output


def test_sarif_and_markdown_and_table_show_suppliers(cli, tmp_path):
    out = tmp_path / "audit.sarif"
    assert cli("audit", "--dns", ZONE, "--format", "sarif", "-o", out).exit_code == 0
    [run] = json.loads(out.read_text())["runs"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "supplier/cloudflare-dns" in ids and len(ids) == len(set(ids))
    res = [r for r in run["results"] if r["ruleId"] == "supplier/mailgun"]
    assert res and res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    md = cli("audit", "--dns", ZONE, "--format", "markdown").stdout
    assert "## Outside suppliers" in md and "mxa.eu.mailgun.org" in md
    table = cli("audit", "--dns", ZONE).stdout
    assert "Outside suppliers" in table and "cloudflare-dns" in table
