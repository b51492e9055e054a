"""Discovery of a realistic account on a moto server: the inventory matches what was created."""

from __future__ import annotations

from pathlib import Path

import boto3
import botocore.session
import pytest
from botocore import xform_name

from benchmarks.aws_account import REGIONS, Expected
from planner.discovery.aws import DiscoveryOptions
from planner.discovery.aws.iam_policy import actions_for_calls, load_policy, policy_actions
from planner.discovery.aws.session import WriteRefused, guard, is_read_only
from planner.io.inventory_file import load_inventory, save_inventory
from planner.io.seeds import aws_census, aws_instance_types
from planner.models import DataStore
from tests.discovery.aws.conftest import (
    EMPTY_ACCOUNT,
    EMPTY_PROFILE,
    MAIN_PROFILE,
    Moto,
    Run,
    recorded_run,
)

pytestmark = [pytest.mark.network, pytest.mark.slow]
GIB = 2**30
MIB = 2**20
POLICY = Path(__file__).resolve().parents[3] / "docs" / "aws-readonly-policy.json"


def store(run: Run, region: str, name: str) -> DataStore:
    for candidate in run.result.inventory.data_stores:
        if candidate.source.region == region and candidate.id in (name, f"{name}@{region}"):
            return candidate
    raise AssertionError(f"no data store {name} in {region}")


def test_every_live_instance_is_a_server_and_terminated_ones_are_not(
    big_run: Run, account: Expected
) -> None:
    ids = {s.id for s in big_run.result.inventory.servers}
    assert len(account.servers) == 500
    assert ids == set(account.servers)
    assert not ids & account.terminated
    assert big_run.result.complete, big_run.result.issues


def test_servers_match_field_by_field(big_run: Run, account: Expected) -> None:
    catalog = aws_instance_types()
    for server in big_run.result.inventory.servers:
        want = account.servers[server.id]
        assert server.source.provider == "aws"
        assert server.source.account == account.account
        assert server.source.region == want.region
        assert server.source.zone == want.zone
        assert server.source.resource_id == server.id
        assert server.instance_type == want.instance_type
        assert server.role == want.role, (server.id, server.tags)
        assert server.platform == want.platform
        assert server.tags == want.tags
        assert server.private_address == want.private_ip
        assert server.address == want.private_ip
        if server.id not in account.stopped:
            assert server.public_address == want.public_ip
        # instance-type facts, checked against the bundled catalog (a separate data path)
        row = catalog[want.instance_type]
        assert server.vcpus == row.vcpus
        assert server.memory_bytes == row.memory_mib * MIB
        assert server.network.baseline_bits_per_second == pytest.approx(row.baseline_gbps * 1e9)
        assert server.network.burst_bits_per_second == pytest.approx(row.peak_gbps * 1e9)
        assert server.storage.baseline_bytes_per_second == pytest.approx(
            row.ebs_baseline_mbytes_per_second * 1e6
        )
        assert server.storage.burst_bytes_per_second == pytest.approx(
            row.ebs_maximum_mbytes_per_second * 1e6
        )
        assert server.storage.baseline_iops == row.ebs_baseline_iops
        assert server.provenance["vcpus"] == "discovered"
        assert [e.service for e in server.lockin] == ["ec2"]
        assert server.lockin[0].detail == (
            f"arn:aws:ec2:{want.region}:{account.account}:instance/{server.id}"
        )


def test_volumes_attachments_and_snapshots(big_run: Run, account: Expected) -> None:
    inventory = big_run.result.inventory
    seen = 0
    for server in inventory.servers:
        want = account.servers[server.id]
        assert [v.id for v in server.volumes] == want.volume_ids
        for volume in server.volumes:
            expected = account.volumes[volume.id]
            seen += 1
            assert expected.instance_id == server.id
            assert volume.device == expected.device
            assert volume.volume_type == expected.volume_type
            assert volume.size_bytes == expected.size_gib * GIB
            assert volume.iops == expected.iops
            if expected.throughput_mib is None:
                assert volume.throughput_bytes_per_second is None
            else:
                assert volume.throughput_bytes_per_second == expected.throughput_mib * MIB
            assert volume.used_bytes is None  # the API cannot see inside the file system
            assert set(volume.snapshot_ids) == account.snapshots.get(volume.id, set())
    loose = {d.id: d for d in inventory.data_stores if d.service == "ebs"}
    assert set(loose) == {v for v, e in account.volumes.items() if e.instance_id is None}
    for volume_id, found in loose.items():
        expected = account.volumes[volume_id]
        assert found.size_bytes == expected.size_gib * GIB
        assert found.engine == expected.volume_type
        assert found.source.region == expected.region
    assert seen + len(loose) == len(account.volumes) == 700
    types = {v.volume_type for v in account.volumes.values()}
    assert types == {"gp2", "gp3", "io1", "io2", "st1", "sc1"}


def test_buckets_sizes_and_counts_from_cloudwatch(big_run: Run, account: Expected) -> None:
    buckets = {d.id: d for d in big_run.result.inventory.data_stores if d.service == "s3"}
    assert set(buckets) == set(account.buckets)
    assert len(buckets) == 50
    for name, (region, size, count) in account.buckets.items():
        found = buckets[name]
        assert found.kind == "object-storage"
        assert found.source.region == region
        assert found.used_bytes == size
        assert found.object_count == count
    # S3 publishes no storage metrics for empty buckets: --deep lists those (and only those)
    empty = {n for n, (_, _, count) in account.buckets.items() if count == 0}
    assert 0 < len(empty) < 50
    assert big_run.result.stats["buckets"]["size_from_metrics"] == 50 - len(empty)
    assert big_run.result.stats["buckets"]["size_from_listing"] == len(empty)
    listed = [op for _, op in big_run.calls if op == "ListObjectsV2"]
    assert len(listed) == len(empty)


def test_databases_caches_file_systems_tables(big_run: Run, account: Expected) -> None:
    for (region, name), fields in account.stores.items():
        found = store(big_run, region, name)
        for field_name, value in fields.items():
            assert getattr(found, field_name) == value, (name, field_name)
    # Aurora members are folded into their cluster
    ids = {d.id for d in big_run.result.inventory.data_stores}
    assert "analytics" in ids and not {"analytics-1", "analytics-2"} & ids
    # the same table name in two regions keeps both, with distinct ids
    carts = {
        d.source.region: d.id
        for d in big_run.result.inventory.data_stores
        if d.service == "dynamodb" and d.id.startswith("carts")
    }
    assert carts == {"eu-west-1": "carts", "us-east-1": "carts@us-east-1"}


def evidence_by_service(run: Run) -> dict[str, set[str]]:
    inventory = run.result.inventory
    found: dict[str, set[str]] = {}
    items = [*inventory.lockin, *(e for d in inventory.data_stores for e in d.lockin)]
    for item in items:
        assert item.origin == "aws-api"
        found.setdefault(item.service, set()).add(str(item.detail))
    return found


def test_census_records_every_managed_resource_with_its_arn(
    big_run: Run, account: Expected
) -> None:
    found = evidence_by_service(big_run)
    for service, arns in account.census.items():
        assert found.get(service) == arns, service
    unexpected = set(found) - set(account.census) - {"ebs"}
    assert not unexpected
    assert (
        "arn:aws:athena:us-east-1:" + account.account + ":workgroup/primary" not in found["athena"]
    )


def test_census_covers_at_least_thirty_services_in_every_region(big_run: Run) -> None:
    services = {spec.service for spec in aws_census().calls}
    assert len(services) >= 30
    botocore_session = botocore.session.get_session()
    for spec in aws_census().calls:
        model = botocore_session.get_service_model(spec.client)
        operation = next(o for o in model.operation_names if xform_name(o) == spec.method)
        regions = REGIONS if spec.scope == "regional" else ("us-east-1",)
        for region in regions:
            assert (model.signing_name, operation, region) in big_run.regional, (spec.key, region)


def test_inventory_is_valid_and_round_trips(big_run: Run, tmp_path: Path) -> None:
    inventory = big_run.result.inventory
    assert inventory.problems() == []
    for name in ("aws.json",):
        path = save_inventory(inventory, tmp_path / name)
        loaded = load_inventory(path)
        assert loaded.model_dump() == inventory.model_dump()


def test_metadata_describes_the_run(big_run: Run, account: Expected) -> None:
    meta = big_run.result.inventory.metadata["discovery"]
    assert meta["account"] == account.account
    assert meta["regions"] == sorted(REGIONS)
    assert meta["complete"] is True
    assert meta["errors"] == []
    assert meta["counts"]["servers"] == 500
    assert (
        meta["counts"]["volumes"]
        + len([d for d in big_run.result.inventory.data_stores if d.service == "ebs"])
        == 700
    )
    assert meta["counts"]["snapshots"]["total"] == sum(len(s) for s in account.snapshots.values())
    text = str(big_run.result.inventory.model_dump())
    assert "test-only-not-a-secret" not in text and "AKIAEXITPLANTEST0001" not in text


def test_only_read_calls_are_made(big_run: Run, no_cloudwatch_run: Run) -> None:
    operations = {op for _, op in big_run.calls + no_cloudwatch_run.calls}
    assert operations
    assert all(is_read_only(op) for op in operations), operations


def test_policy_covers_exactly_the_calls_made(big_run: Run, no_cloudwatch_run: Run) -> None:
    granted = policy_actions(load_policy(POLICY))
    used = actions_for_calls(big_run.calls + no_cloudwatch_run.calls)
    assert used - granted == set(), "calls the policy does not allow"
    assert granted - used == set(), "policy actions no call needs"
    assert all(not a.endswith("*") and ":" in a for a in granted)


def test_policy_actions_name_real_operations() -> None:
    """Each action (outside the documented exceptions) is an operation of a botocore service."""
    botocore_session = botocore.session.get_session()
    clients = {spec.client for spec in aws_census().calls} | {
        "ec2",
        "s3",
        "cloudwatch",
        "rds",
        "sts",
        "elasticache",
        "efs",
        "dynamodb",
    }
    operations: dict[str, set[str]] = {}
    for name in clients:
        model = botocore_session.get_service_model(name)
        operations.setdefault(model.signing_name, set()).update(model.operation_names)
    operations.setdefault("cloudwatch", set()).update(operations.get("monitoring", set()))
    special = {"s3:ListAllMyBuckets", "s3:ListBucket", "apigateway:GET"}
    for action in policy_actions(load_policy(POLICY)) - special:
        prefix, operation = action.split(":")
        assert operation in operations.get(prefix, set()), action


def test_write_calls_are_refused(moto: Moto) -> None:
    session = guard(boto3.Session(profile_name=MAIN_PROFILE))
    sqs = session.client("sqs", endpoint_url=moto.url, region_name="ap-southeast-2")
    with pytest.raises(WriteRefused):
        sqs.create_queue(QueueName="must-not-exist")
    assert "QueueUrls" not in sqs.list_queues()


def test_empty_account(moto: Moto, account: Expected) -> None:
    options = DiscoveryOptions(profile=EMPTY_PROFILE, regions=REGIONS, endpoint_url=moto.url)
    run = recorded_run(options)
    inventory = run.result.inventory
    assert run.result.complete, run.result.issues
    assert inventory.servers == [] and inventory.data_stores == [] and inventory.lockin == []
    assert inventory.metadata["discovery"]["account"] == EMPTY_ACCOUNT
    assert run.result.stats["census"] == {}
    assert len(run.calls) > 3 * len(aws_census().calls)  # it did look everywhere
