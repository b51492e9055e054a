"""The census seed (``seeds/aws/census.yaml``): valid, true to botocore, and clear when broken."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from planner.discovery.aws.session import is_read_only
from planner.errors import SeedError
from planner.io.seeds import aws_census, load_yaml_seed, seed_path
from planner.models.census import NORMALISERS, CensusCall, CensusSeed
from tests.discovery.aws.conftest import EMPTY_PROFILE, Moto

SEED = seed_path("aws/census.yaml")


def operation_of(call: CensusCall) -> Any:
    model = botocore.session.get_session().get_service_model(call.client)
    name = next((o for o in model.operation_names if xform_name(o) == call.method), None)
    assert name is not None, f"{call.key}: no such botocore operation"
    return model.operation_model(name)


def test_bundled_seed_is_valid_and_names_known_lockin_rules(repo: Path) -> None:
    seed = load_yaml_seed(SEED, CensusSeed, lines=True)
    assert len(seed.calls) >= 40
    rules = {p.stem for p in (repo / "seeds/lockin/aws").glob("*.yaml")}
    assert seed.services() <= rules, seed.services() - rules
    used = {call.normalise for call in seed.calls} - {None}
    assert used == set(NORMALISERS)  # no normaliser sits unused in the vocabulary


@pytest.mark.parametrize("call", aws_census().calls, ids=lambda c: c.key)
def test_each_call_matches_botocore_and_cites_its_own_page(call: CensusCall) -> None:
    operation = operation_of(call)
    assert is_read_only(operation.name)
    uid = operation.service_model.metadata["uid"]
    assert call.source.url == f"https://docs.aws.amazon.com/goto/WebAPI/{uid}/{operation.name}"
    assert call.source.title.endswith(f": {operation.name}")
    inputs = operation.input_shape.members if operation.input_shape else {}
    assert set(call.params) <= set(inputs), set(call.params) - set(inputs)
    if call.token is not None:
        client = botocore.session.get_session().create_client(
            call.client, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        assert not client.can_paginate(call.method), "botocore pages this one already"
        assert call.token.request in inputs
        assert call.token.response in operation.output_shape.members


# -- broken seeds: file:line: field: problem -------------------------------------------------


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the seed with the first ``old`` replaced, and the line where ``new`` starts."""
    text = SEED.read_text(encoding="utf-8")
    assert old in text, old
    changed = text.replace(old, new, 1)
    path = tmp_path / "census.yaml"
    path.write_text(changed, encoding="utf-8")
    return path, changed[: changed.index(new)].count("\n") + 1


def error_of(path: Path) -> str:
    with pytest.raises(SeedError) as caught:
        load_yaml_seed(path, CensusSeed, lines=True)
    return str(caught.value)


def index_of(path: Path, line: int) -> int:
    """Which ``calls[i]`` holds ``line``: the number of entries that start at or above it."""
    lines = path.read_text(encoding="utf-8").splitlines()[:line]
    return sum(1 for text in lines if text.startswith("  - service:")) - 1


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        (
            "normalise: hosted-zone-id",
            "normalise: basename",
            "normalise",
            "unknown normaliser 'basename' (known: hosted-zone-id, last-path-segment, "
            "parameter-name)",
        ),
        (
            'arn: "arn:{partition}:eks:{region}:{account}:cluster/{name}"',
            'arn: "arn:{partition}:eks:{region}:{acount}:cluster/{name}"',
            "arn",
            "unknown placeholder {acount} (known: {account}, {name}, {partition}, {region})",
        ),
        (
            'arn: "arn:{partition}:codebuild:{region}:{account}:project/{name}"',
            'arn: "arn:{partition}:codebuild:{region}:{account}:project/{name!r}"',
            "arn",
            "placeholder {name} takes no format spec or conversion",
        ),
        (
            'arn: "arn:{partition}:glue:{region}:{account}:job/{name}"',
            'arn: "arn:{partition}:glue:{region}:{account}:job/name"',
            "arn",
            "an ARN template needs {name}",
        ),
        (
            'arn: "arn:{partition}:route53:::hostedzone/{name}"',
            'arn: "arn:{partition}:route53:{region}::hostedzone/{name}"',
            "arn",
            "a global call has no {region} to write into its arn",
        ),
        ('select: "Topics[].TopicArn"', 'select: "Topics[.TopicArn"', "select", "not a JMESPath"),
        ("    scope: global\n", "    scope: everywhere\n", "scope", "Input should be"),
        ("    exclude: [primary]\n", "    excludes: [primary]\n", "excludes", "unknown field"),
        (
            "token: {request: NextMarker, response: NextMarker}",
            "token: {request: NextMarker}",
            "token.response",
            "required field is missing",
        ),
        (
            "method: list_topics",
            "method: ListTopics",
            "method",
            "String should match pattern",
        ),
    ],
)
def test_a_broken_entry_names_file_line_field_and_problem(
    tmp_path: Path, old: str, new: str, field: str, problem: str
) -> None:
    path, line = broken(tmp_path, old, new)
    message = error_of(path)
    index = index_of(path, line)
    assert message.startswith(f"{path}:{line}: calls[{index}].{field}: {problem}"), message


def test_normalise_without_an_arn_points_at_normalise(tmp_path: Path) -> None:
    select = '    select: "Topics[].TopicArn"\n'
    path, line = broken(tmp_path, select, select + "    normalise: last-path-segment\n")
    message = error_of(path)
    assert message == (
        f"{path}:{line + 1}: calls[1].normalise: only applies to names templated into an arn"
    )


def test_a_repeated_call_is_refused_at_the_repeat(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    first = text[text.index("  - service: sns") : text.index("  - service: kinesis-data-streams")]
    path = tmp_path / "census.yaml"
    path.write_text(text + first.replace("service: sns", "service: eventbridge"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    method_line = max(i for i, t in enumerate(lines, 1) if t == "    method: list_topics")
    count = len(aws_census().calls)
    assert error_of(path) == (
        f"{path}:{method_line}: calls[{count}].method: sns.list_topics is listed twice "
        "(first at calls[1])"
    )


def test_a_missing_source_is_refused(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("  - service: lambda")
    source = text.index("    source:", start)
    end = text.index("  - service:", source)
    path = tmp_path / "census.yaml"
    path.write_text(text[:source] + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    assert error_of(path) == f"{path}:{line}: calls[4].source: required field is missing"


# -- a broken seed stops discovery before any call --------------------------------------------


@pytest.fixture
def fresh_census() -> Iterator[None]:
    aws_census.cache_clear()
    yield
    aws_census.cache_clear()


@pytest.mark.network
def test_discover_with_a_broken_seed_fails_before_any_call(
    cli: Callable[..., Any],
    moto: Moto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_census: None,
) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "aws").mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8").replace("normalise: parameter-name", "normalise: strip")
    (seeds / "aws" / "census.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("EXITPLAN_SEEDS", str(seeds))
    out = tmp_path / "aws.yaml"
    result = cli(
        "discover", "aws", "--profile", EMPTY_PROFILE, "--endpoint-url", moto.url, "-o", out
    )
    assert result.exit_code == 1
    expected = r"census\.yaml:\d+: calls\[\d+\]\.normalise: unknown normaliser 'strip'"
    assert re.search(expected, result.stderr), result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not out.exists()
