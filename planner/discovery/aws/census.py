"""The managed-service census: which list call finds which lock-in service, and its ARNs.

Each :class:`CensusSpec` is one read-only list call. ``service`` is the service id of the lock-in
knowledge base (research/lockin_knowledge.md §1); ``select`` is a JMESPath expression applied to
every page. When the response carries the ARN, ``select`` picks it; otherwise it picks a name and
``arn`` is a template over ``{partition}``, ``{region}``, ``{account}`` and ``{name}``.
Data stores (S3, RDS, ElastiCache, EFS, DynamoDB) are found by their own collectors. Adding a
service is one line here and one action in ``docs/aws-readonly-policy.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.discovery.aws.harvest import CensusHit


def _last_path(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1]


def _zone_id(value: str) -> str:
    return value.removeprefix("/hostedzone/")


def _parameter(value: str) -> str:
    return value.lstrip("/")


@dataclass(frozen=True)
class CensusSpec:
    service: str
    client: str
    method: str
    select: str
    arn: str | None = None  # template; None when ``select`` yields ARNs
    params: dict[str, Any] = field(default_factory=dict)
    token: tuple[str, str] | None = None  # manual paging (request param, response field)
    name: Callable[[str], str] | None = None  # normalises a selected name before templating
    exclude: frozenset[str] = frozenset()  # names that exist in every account
    scope: str = "regional"  # or "global" (called once, in the partition's home region)

    @property
    def key(self) -> str:
        return f"{self.client}.{self.method}"


def _s(service: str, client: str, method: str, select: str, **kw: Any) -> CensusSpec:
    return CensusSpec(service, client, method, select, **kw)


P, R, A = "{partition}", "{region}", "{account}"
EMR_ACTIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]

SPECS: tuple[CensusSpec, ...] = (
    _s(
        "sqs",
        "sqs",
        "list_queues",
        "QueueUrls[]",
        arn=f"arn:{P}:sqs:{R}:{A}:{{name}}",
        name=_last_path,
    ),
    _s("sns", "sns", "list_topics", "Topics[].TopicArn"),
    _s("kinesis-data-streams", "kinesis", "list_streams", "StreamSummaries[].StreamARN"),
    _s(
        "kinesis-firehose",
        "firehose",
        "list_delivery_streams",
        "DeliveryStreamNames[]",
        arn=f"arn:{P}:firehose:{R}:{A}:deliverystream/{{name}}",
        params={"Limit": 10000},
    ),
    _s("lambda", "lambda", "list_functions", "Functions[].FunctionArn"),
    _s("step-functions", "stepfunctions", "list_state_machines", "stateMachines[].stateMachineArn"),
    _s(
        "api-gateway",
        "apigateway",
        "get_rest_apis",
        "items[].id",
        arn=f"arn:{P}:apigateway:{R}::/restapis/{{name}}",
    ),
    _s(
        "api-gateway",
        "apigatewayv2",
        "get_apis",
        "Items[].ApiId",
        arn=f"arn:{P}:apigateway:{R}::/apis/{{name}}",
    ),
    _s("ecs", "ecs", "list_clusters", "clusterArns[]"),
    _s("eks", "eks", "list_clusters", "clusters[]", arn=f"arn:{P}:eks:{R}:{A}:cluster/{{name}}"),
    _s("ecr", "ecr", "describe_repositories", "repositories[].repositoryArn"),
    _s("elb", "elbv2", "describe_load_balancers", "LoadBalancers[].LoadBalancerArn"),
    _s(
        "elb",
        "elb",
        "describe_load_balancers",
        "LoadBalancerDescriptions[].LoadBalancerName",
        arn=f"arn:{P}:elasticloadbalancing:{R}:{A}:loadbalancer/{{name}}",
    ),
    _s(
        "cloudfront",
        "cloudfront",
        "list_distributions",
        "DistributionList.Items[].ARN",
        scope="global",
    ),
    _s(
        "route53",
        "route53",
        "list_hosted_zones",
        "HostedZones[].Id",
        arn=f"arn:{P}:route53:::hostedzone/{{name}}",
        name=_zone_id,
        scope="global",
    ),
    _s(
        "cognito",
        "cognito-idp",
        "list_user_pools",
        "UserPools[].Id",
        arn=f"arn:{P}:cognito-idp:{R}:{A}:userpool/{{name}}",
        params={"MaxResults": 60},
    ),
    _s(
        "cognito",
        "cognito-identity",
        "list_identity_pools",
        "IdentityPools[].IdentityPoolId",
        arn=f"arn:{P}:cognito-identity:{R}:{A}:identitypool/{{name}}",
        params={"MaxResults": 60},
    ),
    _s("kms", "kms", "list_keys", "Keys[].KeyArn"),
    _s("secrets-manager", "secretsmanager", "list_secrets", "SecretList[].ARN"),
    _s(
        "ssm-parameter-store",
        "ssm",
        "describe_parameters",
        "Parameters[].Name",
        arn=f"arn:{P}:ssm:{R}:{A}:parameter/{{name}}",
        name=_parameter,
    ),
    _s(
        "opensearch",
        "opensearch",
        "list_domain_names",
        "DomainNames[].DomainName",
        arn=f"arn:{P}:es:{R}:{A}:domain/{{name}}",
    ),
    _s(
        "redshift",
        "redshift",
        "describe_clusters",
        "Clusters[].ClusterIdentifier",
        arn=f"arn:{P}:redshift:{R}:{A}:cluster:{{name}}",
    ),
    _s(
        "glue",
        "glue",
        "get_databases",
        "DatabaseList[].Name",
        arn=f"arn:{P}:glue:{R}:{A}:database/{{name}}",
    ),
    _s("glue", "glue", "get_jobs", "Jobs[].Name", arn=f"arn:{P}:glue:{R}:{A}:job/{{name}}"),
    _s(
        "athena",
        "athena",
        "list_work_groups",
        "WorkGroups[].Name",
        arn=f"arn:{P}:athena:{R}:{A}:workgroup/{{name}}",
        token=("NextToken", "NextToken"),
        exclude=frozenset({"primary"}),
    ),
    _s("eventbridge", "events", "list_rules", "Rules[].Arn"),
    _s("eventbridge", "scheduler", "list_schedules", "Schedules[].Arn"),
    _s("msk", "kafka", "list_clusters_v2", "ClusterInfoList[].ClusterArn"),
    _s("acm", "acm", "list_certificates", "CertificateSummaryList[].CertificateArn"),
    _s(
        "cloudwatch",
        "cloudwatch",
        "describe_alarms",
        "[MetricAlarms[].AlarmArn, CompositeAlarms[].AlarmArn][]",
    ),
    _s(
        "cloudwatch",
        "logs",
        "describe_log_groups",
        "logGroups[].logGroupName",
        arn=f"arn:{P}:logs:{R}:{A}:log-group:{{name}}",
    ),
    _s(
        "ses",
        "sesv2",
        "list_email_identities",
        "EmailIdentities[].IdentityName",
        arn=f"arn:{P}:ses:{R}:{A}:identity/{{name}}",
        token=("NextToken", "NextToken"),
    ),
    _s(
        "batch",
        "batch",
        "describe_compute_environments",
        "computeEnvironments[].computeEnvironmentArn",
    ),
    _s("sagemaker", "sagemaker", "list_endpoints", "Endpoints[].EndpointArn"),
    _s(
        "sagemaker",
        "sagemaker",
        "list_notebook_instances",
        "NotebookInstances[].NotebookInstanceArn",
    ),
    _s(
        "elastic-beanstalk",
        "elasticbeanstalk",
        "describe_applications",
        "Applications[].ApplicationArn",
    ),
    _s("appsync", "appsync", "list_graphql_apis", "graphqlApis[].arn"),
    _s(
        "emr", "emr", "list_clusters", "Clusters[].ClusterArn", params={"ClusterStates": EMR_ACTIVE}
    ),
    _s("memorydb", "memorydb", "describe_clusters", "Clusters[].ARN"),
    _s("amazon-mq", "mq", "list_brokers", "BrokerSummaries[].BrokerArn"),
    _s(
        "cloudformation",
        "cloudformation",
        "list_stacks",
        "StackSummaries[?StackStatus!='DELETE_COMPLETE'].StackId",
    ),
    _s(
        "autoscaling",
        "autoscaling",
        "describe_auto_scaling_groups",
        "AutoScalingGroups[].AutoScalingGroupARN",
    ),
    _s(
        "codebuild",
        "codebuild",
        "list_projects",
        "projects[]",
        arn=f"arn:{P}:codebuild:{R}:{A}:project/{{name}}",
    ),
    _s(
        "codepipeline",
        "codepipeline",
        "list_pipelines",
        "pipelines[].name",
        arn=f"arn:{P}:codepipeline:{R}:{A}:{{name}}",
    ),
    _s(
        "waf",
        "wafv2",
        "list_web_acls",
        "WebACLs[].ARN",
        params={"Scope": "REGIONAL"},
        token=("NextMarker", "NextMarker"),
    ),
    _s("transfer", "transfer", "list_servers", "Servers[].Arn"),
)


def hits_from_items(
    spec: CensusSpec,
    items: list[Any],
    *,
    operation: str,
    partition: str,
    region: str,
    account: str | None,
) -> list[CensusHit]:
    """ARNs for the items one census call (API ``operation``) selected (pure)."""
    signal = f"{spec.client}:{operation}"
    hits = []
    for item in items:
        value = str(item)
        name = spec.name(value) if spec.name else value
        if name in spec.exclude or not name:
            continue
        if spec.arn is None:
            found = value
        else:
            found = spec.arn.format(
                partition=partition, region=region, account=account or "", name=name
            )
        hits.append(CensusHit(spec.service, signal, found))
    return hits


def census_service_ids() -> set[str]:
    """Every service id the census can report (besides the data-store collectors)."""
    return {spec.service for spec in SPECS}
