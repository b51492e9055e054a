"""Indirect evidence in any text: AWS host names, ARNs and the rules' free-text patterns.

Host names cover service endpoints and principals (``sqs.eu-west-1.amazonaws.com``,
``lambda.amazonaws.com``), ECR image URIs (``123456789012.dkr.ecr...``), CloudFront, Cognito
and Amplify domains and Route 53 name servers. ARNs (``arn:aws:dynamodb:...``, also
``arn:${AWS::Partition}:...``) give the service namespace and resource type. Patterns
(``rate(5 minutes)``, ``x-amazon-apigateway-authorizer``, ``def lambda_handler``...) come from the
rule catalogue. Pure: text in, tokens out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planner.audit.observations import Token

HOST = re.compile(
    r"(?<![\w-])((?:[a-z0-9-]+\.)+(?:amazonaws\.com(?:\.cn)?|cloudfront\.net|amazoncognito\.com"
    r"|on\.aws|elasticbeanstalk\.com|amplifyapp\.com|awsapps\.com|amazonses\.com"
    r"|acm-validations\.aws|sagemaker\.aws)|ns-[0-9]+\.awsdns-[0-9]+\.(?:com|net|org|co\.uk))"
    r"(?![\w-])",
    re.IGNORECASE,
)
ARN = re.compile(
    r"arn:(?:aws[a-z-]*|\$\{AWS::Partition\}|\$\{[^}\s]{1,80}\}):([a-z0-9-]+):"
    r"(?:\$\{[^}\s]{0,80}\}|[^:\s\"'`$])*:(?:\$\{[^}\s]{0,80}\}|[^:\s\"'`$])*:"
    r"([A-Za-z0-9_.*${}-]*)"
)
MAX_TOKENS_PER_FILE = 5000
MAX_LINE_CHARS = 200_000

CompiledPatterns = list[tuple[str, re.Pattern[str]]]


def scan_text(
    text: str,
    path: str,
    workload: str,
    patterns: CompiledPatterns,
    origin: str = "text",
    prefilter: re.Pattern[str] | None = None,
) -> list[Token]:
    """Tokens for hosts, ARNs and patterns, one per distinct (token, line)."""
    tokens: list[Token] = []
    seen: set[tuple[str, int]] = set()

    def add(token: str, number: int, signal: str, detail: str | None = None) -> None:
        if (token, number) in seen or len(tokens) >= MAX_TOKENS_PER_FILE:
            return
        seen.add((token, number))
        tokens.append(Token(token, path, number, workload, origin, signal, detail))

    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS]
        if "amazonaws" in line or ".aws" in line or "awsdns" in line or ".com" in line:
            for m in HOST.finditer(line):
                host = m.group(1).lower()
                add(f"host:{host}", number, f"host:{host}")
        if "arn:" in line:
            for m in ARN.finditer(line):
                ns, resource = m.group(1).lower(), m.group(2)
                rtype = re.split(r"[/:]", resource, maxsplit=1)[0].lower() if resource else ""
                add(f"arn:{ns}:{rtype}", number, f"arn:{ns}", m.group(0)[:120])
        if patterns and (prefilter is None or prefilter.search(line)):
            for name, regex in patterns:
                hit = regex.search(line)
                if hit:
                    add(f"pattern:{name}", number, f"pattern:{name}", hit.group(0)[:120])
        if len(tokens) >= MAX_TOKENS_PER_FILE:
            break
    return tokens


def combined(patterns: Iterable[tuple[str, re.Pattern[str]]]) -> re.Pattern[str] | None:
    """One alternation of all patterns: a cheap test before trying each one."""
    parts = [f"(?:{regex.pattern})" for _, regex in patterns]
    return re.compile("|".join(parts)) if parts else None
