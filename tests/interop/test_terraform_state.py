"""Terraform state v4: golden import of a real state (terraform + AWS provider against moto) and
of a hand-written one with the traps; secrets stay out; unsupported layouts are input errors."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.interop.service_map import SEED, TerraformServiceMap
from planner.interop.terraform_state import import_terraform_state
from planner.io.inventory_file import dump_inventory
from planner.io.seeds import load_yaml_seed
from tests.interop.conftest import FIXTURES, render, run_import

SHOP = "terraform/shop/terraform.tfstate"
TRAPS = "terraform/traps.tfstate"
GIB = 2**30


@pytest.mark.parametrize(("name", "path"), [("shop", SHOP), ("traps", TRAPS)])
def test_golden(golden, name, path):
    inventory, report = render(run_import("terraform-state", path))
    golden(f"terraform-{name}.yaml", inventory)
    golden(f"terraform-{name}.report.txt", report)


def test_real_state_maps_servers_volumes_and_stores():
    result = run_import("terraform-state", SHOP)
    inventory = result.inventory
    assert result.problems == []
    assert sorted(s.tags.get("Name", "") for s in inventory.servers) == [
        "app-1",
        "app-2",
        "legacy-cron",
        "web-1",
        "web-2",
    ]
    app1 = next(s for s in inventory.servers if s.tags.get("Name") == "app-1")
    # root + inline ebs_block_device + the aws_volume_attachment of aws_ebs_volume.uploads
    assert sorted(v.size_bytes // GIB for v in app1.volumes) == [50, 100, 500]
    uploads = next(v for v in app1.volumes if v.size_bytes == 500 * GIB)
    assert (uploads.device, uploads.iops, uploads.throughput_bytes_per_second) == (
        "/dev/sdf",
        4000,
        250 * 2**20,
    )
    assert app1.role == "app" and app1.vcpus == 4 and app1.memory_bytes == 16 * GIB
    assert app1.network.baseline_bits_per_second == 1.25e9  # from the instance-type catalog
    assert [e.service for e in app1.lockin] == ["iam"]  # the instance profile
    stores = {d.id: d for d in inventory.data_stores}
    assert (stores["shop-db"].service, stores["shop-db"].size_bytes) == (
        "rds-postgresql",
        2000 * GIB,
    )
    assert stores["shop-reports"].service == "aurora-postgresql"
    assert stores["shop-reports"].size_bytes is None  # Aurora's allocated_storage means nothing
    assert stores["shop-assets"].kind == "object-storage" and stores["shop-assets"].role == "media"
    assert stores["shop-cache"].service == "elasticache-redis"  # inside module.cache
    assert stores["shop-sessions"].service == "dynamodb"
    orphan = next(d for d in inventory.data_stores if d.service == "ebs")
    assert orphan.size_bytes == 200 * GIB
    evidence = {e.service for e in inventory.lockin}
    assert {"iam", "kms", "route53", "sns", "sqs"} <= evidence
    assert all(e.origin == "import" and e.line for e in inventory.lockin)


def test_secrets_in_the_state_never_reach_the_inventory():
    for path in (SHOP, TRAPS):
        assert "password" in (FIXTURES / path).read_text()
        text = dump_inventory(run_import("terraform-state", path).inventory)
        for secret in (
            "fixture-password",
            "fixture-cluster-password",
            "hunter2",
            "never-exported",
            "IyEvYmluL2Jhc2gK",
        ):
            assert secret not in text


def test_traps():
    result = run_import("terraform-state", TRAPS)
    assert [p.render(TRAPS) for p in result.problems] == [
        f"{TRAPS}:159: aws_instance.broken: attribute 'id' is missing or empty (row skipped)"
    ]
    inventory = result.inventory
    worker = {s.id: s for s in inventory.servers}["i-0aa1bb2cc3dd4ee50"]
    assert worker.vcpus == 8  # cpu_options: 4 cores x 2 threads
    assert worker.tags == {"Role": "worker", "Env": "prod", "Name": "worker-0"}  # tags: null
    # inline ebs_block_device and aws_volume_attachment name the same volume: counted once
    assert [v.id for v in worker.volumes] == ["vol-0root000000000a0", "vol-0data000000000a0"]
    assert worker.volumes[1].throughput_bytes_per_second is None  # throughput 0 = not set
    stores = {d.id: d for d in inventory.data_stores}
    assert set(stores) == {
        "acme-logs-eu",
        "acme-media-eu",
        "orders-replica",
        "legacy-aurora",
        "sessions",
        "fs-0123456789abcdef0",
        "vol-0arch000000000b1",
    }
    assert stores["legacy-aurora"].service == "aurora-mysql"  # engine "aurora"
    assert stores["sessions"].service == "elasticache-valkey"
    assert stores["fs-0123456789abcdef0"].used_bytes == 1234567890123  # EFS metered size
    signals = {(e.signal, e.service) for e in inventory.lockin}
    assert ("terraform:aws_elasticache_cluster", "elasticache-valkey") in signals  # member
    assert ("terraform:aws_rds_cluster_instance", "aurora-mysql") in signals
    assert ("terraform:aws_cloudtrail", "cloudtrail") in signals  # boto3-name fallback
    assert ("terraform:aws_db_subnet_group", "rds") in signals
    assert ("terraform:awscc_s3_bucket", "s3") in signals
    assert not any("random" in s for s, _ in signals)
    assert any("1 data sources, 1 random resources" in n for n in result.notes)
    assert any("i-0ffffffffffffffff is not in this state" in n for n in result.notes)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("terraform/v3.tfstate", "state version 3 is not supported"),
        ("terraform/show.json", "terraform show -json"),
    ],
)
def test_unsupported_layouts_are_input_errors(name, message):
    with pytest.raises(InputError, match=message):
        run_import("terraform-state", name)


def test_broken_json_reports_its_line():
    services = load_yaml_seed(SEED, TerraformServiceMap)
    with pytest.raises(InputError, match=r"^x.tfstate:3: syntax: "):
        import_terraform_state('{\n  "version": 4,\n  "resources": [,]\n}', "x.tfstate", services)


def test_service_map_seed():
    services = load_yaml_seed(SEED, TerraformServiceMap)
    assert services.service_for("aws_cloudwatch_event_rule") == ("eventbridge", True)
    assert services.service_for("aws_cloudwatch_log_group") == ("cloudwatch", True)
    assert services.service_for("aws_ssm_parameter") == ("ssm-parameter-store", True)
    assert services.service_for("aws_ssm_document") == ("ssm", True)
    assert services.service_for("aws_ec2_transit_gateway") == ("vpc", True)
    assert services.service_for("aws_networkfirewall_firewall") == ("network-firewall", False)
    assert services.engine_service("oracle-ee", services.db_engines) == "rds-oracle"
    assert services.engine_service("custom-sqlserver-ee", services.db_engines) == "rds-sqlserver"
    with pytest.raises(ValueError, match="listed under"):
        TerraformServiceMap.model_validate(
            {**services.model_dump(), "services": {"a": ["aws_x"], "b": ["aws_x"]}}
        )


def _shape(inventory) -> dict:
    """What must not change between two applies (ids and addresses do)."""
    return {
        "servers": sorted(
            (s.instance_type, s.role, s.vcpus, tuple(sorted(v.size_bytes or 0 for v in s.volumes)))
            for s in inventory.servers
        ),
        "stores": sorted(
            (d.kind, d.service, d.role, d.size_bytes)  # ids of EFS file systems are random
            for d in inventory.data_stores
            if d.service != "ebs"
        ),
        "evidence": sorted(e.service for e in inventory.lockin),
    }


@pytest.mark.slow
@pytest.mark.network
def test_fresh_terraform_apply_against_moto_imports_like_the_fixture(tmp_path):
    """Terraform and the AWS provider build the state again (moto on 127.0.0.1) and the
    import of that fresh state has the same shape as the committed fixture."""
    from planner.io.interop_files import IMPORTERS
    from tests.interop.fixtures.terraform.shop.regenerate import apply_shop, available

    reason = available()
    if reason:
        pytest.skip(reason)
    state = apply_shop(tmp_path / "fresh.tfstate")
    fresh = IMPORTERS["terraform-state"](state.read_text(), "fresh.tfstate", state)
    assert fresh.problems == []
    assert _shape(fresh.inventory) == _shape(run_import("terraform-state", SHOP).inventory)
    assert "fixture-password" not in dump_inventory(fresh.inventory)
