"""The rule catalogue: every file valid, ids == file names, every knowledge-base service covered,
signals owned by exactly one service (or feature), sources with dates."""

from fnmatch import fnmatchcase
from itertools import combinations

import pytest
import yaml

from planner.audit.run import load_catalog
from planner.errors import SeedError
from planner.models.lockin import Rule

# Service ids of research/lockin_knowledge.md §1 (main table and the "extra rows" table).
KNOWLEDGE_BASE_IDS = """
ec2 ebs efs s3 glacier rds-mysql rds-postgresql rds-mariadb rds-oracle rds-sqlserver rds-db2
aurora-mysql aurora-postgresql rds-proxy dynamodb elasticache-redis elasticache-valkey
elasticache-memcached memorydb sqs sns kinesis-data-streams kinesis-firehose kinesis-analytics msk
eventbridge lambda step-functions api-gateway ecs fargate eks ecr elb cloudfront route53 acm iam
cognito kms secrets-manager ssm-parameter-store ssm cloudwatch xray ses opensearch redshift athena
glue emr batch sagemaker elastic-beanstalk amplify appsync timestream neptune documentdb keyspaces
vpc autoscaling application-autoscaling cloudformation codecommit codebuild codepipeline codedeploy
amazon-mq waf serverless-application-repository bedrock transfer
""".split()  # noqa: SIM905
CLASS_OF_KB = {"A": "portable", "B": "compatible", "C": "proprietary"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_knowledge_base_service_has_a_rule(catalog):
    assert len(KNOWLEDGE_BASE_IDS) == 73
    missing = [i for i in KNOWLEDGE_BASE_IDS if i not in catalog.rules]
    assert missing == []
    assert len(catalog.rules) >= 60


def test_ids_match_file_names_and_sources_are_dated(repo):
    for path in sorted((repo / "seeds/lockin/aws").glob("*.yaml")):
        rule = Rule.model_validate(yaml.safe_load(path.read_text()))
        assert rule.id == path.stem
        assert rule.sources and all(s.as_of for s in rule.sources)
        assert rule.kb_class[0] in CLASS_OF_KB
        assert str(rule.lockin_class) == CLASS_OF_KB[rule.kb_class[0]], rule.id


def test_no_signal_owned_twice(catalog):
    assert catalog.conflicts == []
    names = [p.name for r in catalog.rules.values() for p in _patterns(r)]
    assert len(names) == len(set(names))


def _patterns(rule):
    yield from rule.signals.patterns
    for f in rule.features:
        yield from f.signals.patterns


def test_iac_types_have_one_owner(catalog):
    for kind, specs in catalog.iac.items():
        plain: dict[str, str] = {}
        fallback: dict[str, str] = {}
        for spec, service in specs:
            if spec.attribute is None and not spec.fallback:
                assert plain.setdefault(spec.type, service) == service, (kind, spec.type)
            if spec.fallback:
                assert fallback.setdefault(spec.type, service) == service, (kind, spec.type)
        conditional = [(s, svc) for s, svc in specs if s.attribute is not None]
        for (a, sa), (b, sb) in combinations(conditional, 2):
            if sa == sb or a.type != b.type or a.attribute != b.attribute:
                continue
            overlap = [v for v in a.values if any(fnmatchcase(v, p) for p in b.values)]
            overlap += [v for v in b.values if any(fnmatchcase(v, p) for p in a.values)]
            assert overlap == [], (kind, a.type, sa, sb, overlap)


@pytest.mark.parametrize(
    ("kind", "rtype", "attrs", "service"),
    [
        ("terraform", "aws_db_instance", {"engine": ("postgres",)}, "rds-postgresql"),
        ("terraform", "aws_db_instance", {"engine": ("oracle-se2",)}, "rds-oracle"),
        ("terraform", "aws_db_instance", {"engine": ("\x00unresolved",)}, "rds"),
        ("terraform", "aws_rds_cluster", {}, "aurora-mysql"),
        ("terraform", "aws_rds_cluster", {"engine": ("aurora-postgresql",)}, "aurora-postgresql"),
        (
            "terraform",
            "aws_db_parameter_group",
            {"family": ("aurora-postgresql15",)},
            "aurora-postgresql",
        ),
        ("terraform", "aws_db_parameter_group", {"family": ("postgres15",)}, "rds-postgresql"),
        ("terraform", "aws_elasticache_replication_group", {}, "elasticache-redis"),
        (
            "terraform",
            "aws_elasticache_cluster",
            {"engine": ("memcached",)},
            "elasticache-memcached",
        ),
        ("terraform", "aws_eks_fargate_profile", {}, "fargate"),
        ("terraform", "aws_eks_node_group", {}, "eks"),
        ("terraform", "aws_cloudwatch_event_rule", {}, "eventbridge"),
        ("terraform", "aws_cloudwatch_log_group", {}, "cloudwatch"),
        ("terraform", "awscc_s3_bucket", {}, "s3"),
        ("cloudformation", "AWS::AutoScaling::LaunchConfiguration", {}, "ec2"),
        ("cloudformation", "AWS::AutoScaling::AutoScalingGroup", {}, "autoscaling"),
        (
            "cloudformation",
            "AWS::Serverless::Application",
            {"ApplicationId": ("arn:x",)},
            "serverless-application-repository",
        ),
        (
            "cloudformation",
            "AWS::Serverless::Application",
            {"Location": ("./app.yaml",)},
            "cloudformation",
        ),
        ("terraform-module", "terraform-aws-modules/rds/aws", {"engine": ("mysql",)}, "rds-mysql"),
        ("terraform-module", "terraform-aws-modules/eks/aws//modules/karpenter", {}, "eks"),
    ],
)
def test_owner_resolution(catalog, kind, rtype, attrs, service):
    from planner.audit.match import owner_of_resource

    assert owner_of_resource(catalog, kind, rtype, attrs) == service


def test_rule_with_wrong_id_is_a_seed_error(tmp_path, repo):
    (tmp_path / "aws").mkdir()
    text = (repo / "seeds/lockin/aws/sqs.yaml").read_text()
    (tmp_path / "aws" / "queue.yaml").write_text(text)
    (tmp_path / "scoring.yaml").write_text((repo / "seeds/lockin/scoring.yaml").read_text())
    with pytest.raises(SeedError, match="does not match the file name"):
        load_catalog(tmp_path)


def test_invalid_rule_is_a_seed_error(tmp_path, repo):
    (tmp_path / "aws").mkdir()
    data = yaml.safe_load((repo / "seeds/lockin/aws/sqs.yaml").read_text())
    data["class"] = "sticky"
    (tmp_path / "aws" / "sqs.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "scoring.yaml").write_text((repo / "seeds/lockin/scoring.yaml").read_text())
    with pytest.raises(SeedError, match="class"):
        load_catalog(tmp_path)
