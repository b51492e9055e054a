"""What evidence readers produce: rule-independent observations with a file and a line.

Readers never look at the rule catalogue (except for free-text patterns, which are handed to the
text scanner); :mod:`planner.audit.match` maps observations to services. Two shapes exist:

* :class:`Resource` - an IaC resource, data source or module call, with its attributes
  (attribute name -> the literal values found anywhere inside it);
* :class:`Token` - any other signal: ``sdk:boto3:s3``, ``host:sqs.eu-west-1.amazonaws.com``,
  ``arn:dynamodb:table``, ``import:pynamodb``, ``serverless:http``, ``doc:sam-template``,
  ``service:ssm`` (a service named by discovery), ``pattern:<name>``, ``file:<path>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

UNRESOLVED = "\x00unresolved"
"""An attribute value that is an expression (variable, reference, intrinsic function)."""
PRESENT = "\x00present"
"""An attribute whose value is a block or mapping: it is set, with no scalar value."""


@dataclass(frozen=True)
class Resource:
    kind: str  # "terraform", "terraform-module" or "cloudformation"
    type: str
    name: str
    attrs: Mapping[str, tuple[str, ...]]
    path: str
    line: int | None
    workload: str
    origin: str  # terraform, terraform-state, terraform-plan, cloudformation, serverless, amplify


@dataclass(frozen=True)
class Token:
    token: str
    path: str | None
    line: int | None
    workload: str
    origin: str
    signal: str | None = None  # what to show; defaults to the token
    detail: str | None = None


@dataclass(frozen=True)
class Problem:
    """A file that could not be read or parsed."""

    path: str
    line: int | None
    signal: str  # unparseable, too-large, unreadable
    detail: str


@dataclass
class Observations:
    resources: list[Resource] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    nested: list[tuple[str, str]] = field(default_factory=list)  # (child path, parent workload)

    def extend(self, other: Observations) -> None:
        self.resources.extend(other.resources)
        self.tokens.extend(other.tokens)
        self.problems.extend(other.problems)
        self.nested.extend(other.nested)


def attr_map(pairs: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Group ``(name, value)`` pairs into ``name -> values`` (names kept as written)."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return {k: tuple(v) for k, v in grouped.items()}
