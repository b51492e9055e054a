"""``exitplan discover aws`` end to end against moto: exit codes, files, summaries, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.aws_account import Expected
from planner.io.inventory_file import load_inventory
from tests.discovery.aws.aws_fault_proxy import Rule
from tests.discovery.aws.conftest import EMPTY_ACCOUNT, EMPTY_PROFILE, MAIN_PROFILE, Moto

pytestmark = pytest.mark.network


def test_help_lists_the_options(cli: Callable[..., Any]) -> None:
    result = cli("discover", "aws", "--help")
    assert result.exit_code == 0
    for option in (
        "--profile",
        "--region",
        "--all-regions",
        "--endpoint-url",
        "--deep",
        "--concurrency",
        "--format",
        "--output",
    ):
        assert option in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--concurrency", "0"], "--concurrency must be between 1 and 64"),
        (["--region", "Europe"], "is not an AWS region name"),
        (["--region", "eu-west-1", "--all-regions"], "either --region or --all-regions"),
        (["--endpoint-url", "localhost:4566"], "--endpoint-url must start with http"),
        (["--profile", "no-such-profile"], "no AWS profile named 'no-such-profile'"),
    ],
)
def test_bad_usage_is_exit_2_without_traceback(
    cli: Callable[..., Any], moto: Moto, args: list[str], message: str
) -> None:
    result = cli("discover", "aws", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unwritable_output_fails_before_discovery(
    cli: Callable[..., Any], moto: Moto, tmp_path: Path
) -> None:
    result = cli(
        "discover", "aws", "--profile", EMPTY_PROFILE, "--endpoint-url", moto.url, "-o", tmp_path
    )
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_missing_credentials_is_exit_2(
    cli: Callable[..., Any], moto: Moto, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config").write_text("[profile bare]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    result = cli("discover", "aws", "--profile", "bare", "--endpoint-url", moto.url)
    assert result.exit_code == 2
    assert "no AWS credentials found" in result.stderr


def test_json_summary_and_inventory_file(
    cli: Callable[..., Any], moto: Moto, account: Expected, tmp_path: Path
) -> None:
    out = tmp_path / "empty.yaml"
    result = cli(
        "discover",
        "aws",
        "--profile",
        EMPTY_PROFILE,
        "--endpoint-url",
        moto.url,
        "--region",
        "us-east-1",
        "--format",
        "json",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["schema_version"] == 1
    assert summary["account"] == EMPTY_ACCOUNT
    assert summary["complete"] is True and summary["errors"] == []
    assert summary["output"] == str(out)
    assert summary["counts"]["servers"] == 0
    inventory = load_inventory(out)
    assert inventory.metadata["discovery"]["regions"] == ["us-east-1"]


def test_partial_run_writes_the_inventory_and_exits_1(
    cli: Callable[..., Any], moto: Moto, account: Expected, tmp_path: Path, fault_proxy: Any
) -> None:
    proxy = fault_proxy(Rule("AccessDenied", 403, region="eu-west-1"))
    out = tmp_path / "partial.json"
    result = cli(
        "discover",
        "aws",
        "--profile",
        MAIN_PROFILE,
        "--endpoint-url",
        proxy.url,
        "--region",
        "eu-west-1",
        "--region",
        "ap-southeast-2",
        "--max-attempts",
        "1",
        "-o",
        out,
    )
    assert result.exit_code == 1
    assert "incomplete:" in result.stderr and "access-denied" in result.stderr
    assert "eu-west-1/ec2 DescribeInstances: AccessDenied" in result.stderr
    inventory = load_inventory(out)
    assert len(inventory.servers) == 100
    assert {s.source.region for s in inventory.servers} == {"ap-southeast-2"}
    errors = inventory.metadata["discovery"]["errors"]
    assert errors and all(e["region"] == "eu-west-1" for e in errors)
    assert not list(tmp_path.glob(".partial.json.*"))  # atomic write left no temp file
    assert "ap-southeast-2" in result.stdout  # the summary table


def test_inventory_goes_to_stdout_without_output_file(
    cli: Callable[..., Any], moto: Moto, account: Expected
) -> None:
    result = cli(
        "discover",
        "aws",
        "--profile",
        EMPTY_PROFILE,
        "--endpoint-url",
        moto.url,
        "--region",
        "eu-west-1",
    )
    assert result.exit_code == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["schema_version"] == 1
    assert document["metadata"]["discovery"]["account"] == EMPTY_ACCOUNT
    assert "AWS account" in result.stderr  # the summary went to stderr
