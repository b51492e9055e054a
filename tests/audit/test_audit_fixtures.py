"""Four realistic multi-service projects: the services, features, blockers, lines and levels the
audit must report for each (fixtures written for these tests under tests/audit/fixtures/)."""

from pathlib import Path

import pytest

from planner.audit.run import run_audit

FIXTURES = Path(__file__).parent / "fixtures"


def _evidence(report, service):
    found = next(s for s in report.services if s.service == service)
    return {(Path(e.path).name, e.line, e.signal) for e in found.evidence}, found


def _lockin(report):
    """The lock-in dimension's (level, score); the overall score also counts suppliers."""
    [dim] = [d for d in report.dimensions if d.id == "lock-in"]
    return dim.level, dim.score


def _features(report, service):
    return {f.id for f in next(s for s in report.services if s.service == service).features}


@pytest.fixture(scope="module")
def three_tier():
    return run_audit(iac=[FIXTURES / "three-tier/infra"])


def test_three_tier_terraform(three_tier):
    r = three_tier
    assert {s.service for s in r.services} == {
        "ec2",
        "iam",
        "vpc",
        "elb",
        "rds-postgresql",
        "elasticache-redis",
        "acm",
        "route53",
        "s3",
    }
    rds, _ = _evidence(r, "rds-postgresql")
    assert ("main.tf", 93, "terraform:aws_db_instance") in rds
    assert ("main.tf", 103, "terraform:aws_elasticache_replication_group") in _evidence(
        r, "elasticache-redis"
    )[0]
    ec2, _ = _evidence(r, "ec2")
    assert ("userdata.sh", 4, "pattern:imds-address") in ec2
    assert ("main.tf", 48, "host:ec2.amazonaws.com") in ec2  # principal inside jsonencode()
    assert _features(r, "ec2") == {"imds", "instance-profile"}
    assert _features(r, "route53") == {"alias-records"}
    assert ("userdata.sh", 5, "pattern:s3-uri") in _evidence(r, "s3")[0]
    # data "aws_availability_zones" names no service; variables.tf holds none either
    assert all("availability_zones" not in e.signal for s in r.services for e in s.evidence)
    assert _lockin(r)[0] == "medium" and r.blockers == []
    [workload] = r.workloads
    assert workload.id == "terraform:" + str(FIXTURES / "three-tier/infra")
    assert workload.proprietary == ["iam"]


@pytest.fixture(scope="module")
def serverless():
    return run_audit(iac=[FIXTURES / "serverless-api"])


def test_serverless_sam_api(serverless):
    r = serverless
    assert {s.service for s in r.services} == {
        "lambda",
        "api-gateway",
        "dynamodb",
        "cognito",
        "cloudformation",
        "xray",
        "ssm-parameter-store",
    }
    assert _features(r, "lambda") == {"event-source-mapping"}
    assert _features(r, "dynamodb") == {"streams"}
    assert _features(r, "api-gateway") == {"authorizers"}
    assert _features(r, "cloudformation") == {"sam"}
    assert [b.id for b in r.blockers] == ["password-hashes"]
    lam, _ = _evidence(r, "lambda")
    assert ("template.yaml", 36, "cloudformation:AWS::Serverless::Function") in lam
    assert ("handler.py", 12, "pattern:lambda-handler") in lam
    assert ("handler.py", 9, "sdk:boto3:dynamodb") in _evidence(r, "dynamodb")[0]
    # Globals.Function.Tracing applies to both functions -> X-Ray
    xray, _ = _evidence(r, "xray")
    assert {line for _, line, _ in xray} == {36, 52}
    assert _lockin(r)[0] == "very-high"
    [workload] = r.workloads
    assert workload.kind == "cloudformation" and workload.blockers == ["cognito:password-hashes"]


@pytest.fixture(scope="module")
def pipeline():
    base = FIXTURES / "data-pipeline"
    return run_audit(iac=[base / "stack"], code=[base / "jobs", base / "app"])


def test_data_pipeline_cfn_json_and_boto3(pipeline):
    r = pipeline
    assert {s.service for s in r.services} == {
        "kinesis-data-streams",
        "kinesis-firehose",
        "s3",
        "glue",
        "athena",
        "iam",
        "cloudformation",
    }
    assert ("pipeline.json", 5, "cloudformation:AWS::Kinesis::Stream") in _evidence(
        r, "kinesis-data-streams"
    )[0]
    assert ("producer.py", 7, "sdk:boto3:kinesis") in _evidence(r, "kinesis-data-streams")[0]
    assert ("report.py", 12, "pattern:athena-query-api") in _evidence(r, "athena")[0]
    assert _features(r, "glue") >= {"dynamicframe-jobs", "crawlers", "job-bookmarks"}
    assert _features(r, "s3") == {"archive-tiers"}
    assert {b.id for b in r.blockers} == {"dynamicframe", "archive-restore"}
    assert ("pipeline.json", 28, "arn:s3") in _evidence(r, "s3")[0]
    kinds = {w.id.split(":")[0] for w in r.workloads}
    assert kinds == {"cloudformation", "code"}
    assert _lockin(r)[0] == "very-high"


@pytest.fixture(scope="module")
def eks():
    return run_audit(iac=[FIXTURES / "eks-modules"])


def test_eks_from_registry_modules(eks):
    r = eks
    assert {s.service for s in r.services} == {"eks", "vpc", "ecr", "iam"}
    assert _features(r, "eks") == {
        "irsa",
        "managed-node-groups",
        "karpenter",
        "addons",
        "lb-controller",
    }
    main, _ = _evidence(r, "eks")
    assert ("main.tf", 16, "terraform:module:terraform-aws-modules/eks/aws") in main
    # git URL of the same repository resolves to the registry submodule
    assert (
        "main.tf",
        42,
        "terraform:module:terraform-aws-modules/eks/aws//modules/karpenter",
    ) in main
    assert ("main.tf", 2, "terraform:module:terraform-aws-modules/vpc/aws") in _evidence(r, "vpc")[
        0
    ]
    assert ("web.yaml", 23, "host:123456789012.dkr.ecr.eu-west-1.amazonaws.com") in _evidence(
        r, "ecr"
    )[0]
    # EKS is portable Kubernetes: medium, not averaged with nothing proprietary but the IRSA role
    assert _lockin(r)[0] == "medium"


def test_one_proprietary_service_is_not_averaged_away(tmp_path):
    lines = [f'resource "aws_vpc" "v{i}" {{}}' for i in range(30)]
    lines.append('resource "aws_sfn_state_machine" "flow" {}')
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n")
    r = run_audit(iac=[tmp_path])
    assert r.services[0].service == "step-functions"
    assert r.score >= 50 and r.level == "high"
    (tmp_path / "main.tf").write_text("\n".join(lines[:-1]) + "\n")
    assert _lockin(run_audit(iac=[tmp_path]))[0] == "low"


def test_an_easy_exit_weighs_less(tmp_path):
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        "servers:\n"
        "  - id: web-1\n"
        "    lockin:\n"
        "      - {service: ssm, signal: 'package:amazon-ssm-agent', origin: ssh}\n"
    )
    r = run_audit(inv)
    (line,) = [x for x in r.explain.lines if x.service == "ssm"]
    assert line.lockin_class == "proprietary"
    assert line.effort_weight == 0.6
    assert line.risk == round(line.points / line.max_points * 100 * 0.6)
    assert any("exit effort S" in reason for reason in line.reasons)
    assert _lockin(r)[0] == "medium"
