"""Fixtures for AWS discovery: a moto server (real HTTP on 127.0.0.1), a seeded account,
throw-away AWS config files, and recorded discovery runs shared by the tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from benchmarks.aws_account import REGIONS, Expected, seed_account
from planner.discovery.aws import DiscoveryOptions, DiscoveryResult, discover_aws
from tests.discovery.aws.aws_fault_proxy import FaultProxy, Rule

MAIN_PROFILE = "exitplan-test"
EMPTY_PROFILE = "exitplan-empty"
EMPTY_ACCOUNT = "111122223333"
AWS_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
)


@dataclass
class Moto:
    url: str
    config_dir: Path


@dataclass
class Run:
    result: DiscoveryResult
    calls: list[tuple[str, str]] = field(default_factory=list)  # (signing name, operation)
    regional: set[tuple[str, str, str]] = field(default_factory=set)  # ... and region


@pytest.fixture(scope="session")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    """A moto server on a free port, and AWS config files pointing at test-only keys."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    config_dir = tmp_path_factory.mktemp("aws-config")
    patch = pytest.MonkeyPatch()
    for name in AWS_ENV:
        patch.delenv(name, raising=False)
    patch.setenv("AWS_CONFIG_FILE", str(config_dir / "config"))
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config_dir / "credentials"))
    patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    (config_dir / "config").write_text(
        f"[profile {MAIN_PROFILE}]\nregion = us-east-1\n"
        f"[profile {EMPTY_PROFILE}]\nregion = us-east-1\n"
    )
    (config_dir / "credentials").write_text(
        f"[{MAIN_PROFILE}]\naws_access_key_id = AKIAEXITPLANTEST0001\n"
        "aws_secret_access_key = test-only-not-a-secret\n"
    )
    # a second, empty account on the same server: moto maps assumed-role keys to the role's account
    creds = (
        boto3.Session(profile_name=MAIN_PROFILE)
        .client("sts", endpoint_url=url)
        .assume_role(RoleArn=f"arn:aws:iam::{EMPTY_ACCOUNT}:role/empty", RoleSessionName="test")[
            "Credentials"
        ]
    )
    with (config_dir / "credentials").open("a") as handle:
        handle.write(
            f"[{EMPTY_PROFILE}]\naws_access_key_id = {creds['AccessKeyId']}\n"
            f"aws_secret_access_key = {creds['SecretAccessKey']}\n"
            f"aws_session_token = {creds['SessionToken']}\n"
        )
    try:
        yield Moto(url, config_dir)
    finally:
        server.stop()
        patch.undo()


@pytest.fixture(scope="session")
def account(moto: Moto) -> Expected:
    """The realistic account, created once per test session."""
    return seed_account(moto.url, boto3.Session(profile_name=MAIN_PROFILE))


def recorded_run(options: DiscoveryOptions, **kwargs: Any) -> Run:
    """Discover with every API call recorded through botocore's ``before-call`` event."""
    session = boto3.Session(profile_name=options.profile)
    run = Run(result=None)  # type: ignore[arg-type]

    def record(model: Any, request_signer: Any = None, **_: Any) -> None:
        run.calls.append((model.service_model.signing_name, model.name))
        region = getattr(request_signer, "region_name", "")
        run.regional.add((model.service_model.signing_name, model.name, region))

    session.events.register("before-call", record)
    run.result = discover_aws(options, session=session, **kwargs)
    return run


@pytest.fixture(scope="session")
def big_run(moto: Moto, account: Expected) -> Run:
    """One discovery of the whole seeded account (three regions, deep)."""
    options = DiscoveryOptions(
        profile=MAIN_PROFILE, regions=REGIONS, endpoint_url=moto.url, deep=True, concurrency=8
    )
    return recorded_run(options)


@pytest.fixture(scope="session")
def no_cloudwatch_run(moto: Moto, account: Expected) -> Iterator[Run]:
    """CloudWatch denied everywhere: bucket sizes must come from listing (--deep)."""
    with FaultProxy(moto.url, [Rule("AccessDenied", 403, service="monitoring")]) as proxy:
        options = DiscoveryOptions(
            profile=MAIN_PROFILE, regions=("eu-west-1",), endpoint_url=proxy.url, deep=True
        )
        yield recorded_run(options)


@pytest.fixture
def fault_proxy(moto: Moto) -> Iterator[Any]:
    """Factory: ``fault_proxy(Rule(...), ...)`` gives a started proxy, stopped after the test."""
    started: list[FaultProxy] = []

    def make(*rules: Rule) -> FaultProxy:
        proxy = FaultProxy(moto.url, list(rules)).start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()


def by_id(result: DiscoveryResult) -> dict[str, Any]:
    return {s.id: s for s in result.inventory.servers}
