"""``plan --target`` on the command line: the verdict says why, and what would meet it.

A missed deadline may exit 0 or 1 (a failed check): these tests read the output only.
"""

import json

from tests.core.catalog_helpers import FIXTURES

FLEET = (
    "servers:\n"
    "  - {id: huge, vcpus: 64, memory_bytes: 512GiB, volumes: [{size: 20GB, used: 10GB}],\n"
    "     source: {provider: aws, region: us-east-1}}\n"
    "  - {id: small, vcpus: 2, memory_bytes: 4GiB, volumes: [{size: 2GB, used: 1GB}],\n"
    "     source: {provider: gcp, region: europe-west1}}\n"
)


def _run(cli, tmp_path, *args):
    path = tmp_path / "inv.yaml"
    path.write_text(FLEET)
    return cli("plan", path, "--target", "tiny", "--catalog-dir", FIXTURES, *args)


def test_json_says_why_the_deadline_is_missed_with_time_to_spare(cli, tmp_path):
    result = _run(cli, tmp_path, "--deadline", "30d", "--format", "json")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    doc = json.loads(result.stdout)
    deadline = doc["deadline"]
    assert deadline["meets"] is False and deadline["time_fits"] is True
    assert deadline["margin_seconds"] > 0
    assert [(r["kind"], r["ids"]) for r in deadline["reasons"]] == [("unplaced", ["huge"])]
    assert doc["suggestions"][0]["action"] == "place-elsewhere"
    assert doc["suggestions"][0]["resolves"] == ["unplaced"]
    # the GCP server's egress is not priced at AWS prices
    assert doc["cost"]["egress_unpriced_ids"] == ["small"]


def test_table_verdict_names_the_reason_and_the_change(cli, tmp_path):
    result = _run(cli, tmp_path, "--deadline", "30d")
    assert "Traceback" not in result.output
    text = " ".join(result.stdout.split())
    assert "MISSED - the time fits with" in text
    assert "but 1 server has no machine at Tiny Test Cloud (huge)" in text
    assert "To meet it: find machines outside Tiny Test Cloud for huge" in text
    assert "egress unknown for 1 item(s)" in text


def test_a_met_deadline_has_no_reasons(cli, tmp_path):
    path = tmp_path / "inv.yaml"
    path.write_text("servers:\n  - {id: a, vcpus: 2, memory_bytes: 4GiB, volumes: [{used: 1GB}]}\n")
    result = cli(
        "plan", path, "--target", "tiny", "--catalog-dir", FIXTURES, "--deadline", "30d",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    deadline = json.loads(result.stdout)["deadline"]
    assert deadline["meets"] is True and deadline["reasons"] == []
    assert deadline["time_fits"] is True


def test_bundled_targets_point_a_missed_deadline_elsewhere(cli, repo):
    # 3.6 TB over a shared 1 Gbit/s office link cannot leave in 1 h: the answer still names the
    # best change, and the ports come from Hetzner Robot's catalog (data stores: the seed)
    result = cli(
        "plan", repo / "inventories" / "three-tier.yaml", "--target", "hetzner-robot",
        "--deadline", "1h", "--format", "json",
    )  # fmt: skip
    assert "Traceback" not in result.output
    doc = json.loads(result.stdout)
    assert doc["deadline"]["meets"] is False
    assert doc["suggestions"], "a missed deadline always gets a suggestion"
    ports = {a["value"]: a["source"] for a in doc["assumptions"] if a["name"] == "target port"}
    servers = [v for v in ports if "servers: the NIC of" in v]
    assert servers and all("hetzner-robot/offerings.csv (nic)" in ports[v] for v in servers)
    stores = [v for v in ports if "data stores" in v]
    assert stores and all(ports[v].startswith("seeds/transfer/network_rules.yaml") for v in stores)
    assert not any("per target server" in v for v in ports)
