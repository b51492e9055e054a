"""The AWS managed-service census as data: one :class:`CensusCall` per read-only list call.

``seeds/aws/census.yaml`` (:class:`CensusSeed`) lists the calls. ``service`` is the service id of
the lock-in knowledge base (research/lockin_knowledge.md §1); ``select`` is a JMESPath expression
applied to every response page. When the response carries the ARN, ``select`` picks it; otherwise
it picks a name and ``arn`` is a template over the placeholders in :data:`ARN_PLACEHOLDERS`,
after the name went through one of the :data:`NORMALISERS`. Each call cites the page of the AWS
API reference that documents it, with the date it was checked.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from typing import Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import Field, field_validator, model_validator

from planner.models.base import Model
from planner.models.lockin import RULE_ID
from planner.models.seeds import DateText

ARN_PLACEHOLDERS = frozenset({"partition", "region", "account", "name"})
API_REFERENCE = "https://docs.aws.amazon.com/"
IDENTIFIER = r"^[a-z][a-z0-9-]*$"


def _last_path_segment(value: str) -> str:
    """``https://sqs.../123/jobs`` -> ``jobs`` (SQS queue URLs)."""
    return value.rstrip("/").rsplit("/", 1)[-1]


def _hosted_zone_id(value: str) -> str:
    """``/hostedzone/Z123`` -> ``Z123`` (Route 53 zone ids)."""
    return value.removeprefix("/hostedzone/")


def _parameter_name(value: str) -> str:
    """``/app/db/url`` -> ``app/db/url`` (SSM parameter ARNs carry no leading slash)."""
    return value.lstrip("/")


NORMALISERS: dict[str, Callable[[str], str]] = {
    "last-path-segment": _last_path_segment,
    "hosted-zone-id": _hosted_zone_id,
    "parameter-name": _parameter_name,
}
"""The closed vocabulary of ``normalise``: what turns a selected value into the ARN's name."""


class EntryError(ValueError):
    """A problem a validator finds on a whole entry (or list) that belongs to one field of it:
    ``at`` extends the error's location, so ``file:line`` errors point at that field's line."""

    def __init__(self, message: str, at: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.at = at


class PageToken(Model):
    """Manual paging for operations botocore has no paginator for."""

    request: str = Field(min_length=1, description="request parameter carrying the token")
    response: str = Field(min_length=1, description="response field carrying the next token")


class ApiReference(Model):
    """The AWS API reference page of one call, and when the entry was checked against it."""

    title: str = Field(min_length=1)
    url: str
    as_of: DateText

    @field_validator("url")
    @classmethod
    def _aws_docs(cls, value: str) -> str:
        if not value.startswith(API_REFERENCE):
            raise ValueError(f"expected an AWS documentation address ({API_REFERENCE}...)")
        return value


ParamValue = str | int | bool | list[str]


class CensusCall(Model):
    """One read-only list call and how its answer becomes ARNs."""

    service: str = Field(pattern=RULE_ID, description="lock-in knowledge base service id")
    client: str = Field(pattern=IDENTIFIER, description="boto3 client name")
    method: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="boto3 client method")
    select: str = Field(min_length=1, description="JMESPath over each response page")
    arn: str | None = Field(default=None, description="ARN template; absent when select is ARNs")
    normalise: str | None = Field(default=None, description="one of NORMALISERS")
    params: dict[str, ParamValue] = Field(default_factory=dict)
    token: PageToken | None = None
    exclude: frozenset[str] = Field(
        default_factory=frozenset, description="names that exist in every account"
    )
    scope: Literal["regional", "global"] = Field(
        default="regional", description="global: called once, in the partition's home region"
    )
    note: str | None = None
    source: ApiReference

    @property
    def key(self) -> str:
        return f"{self.client}.{self.method}"

    @field_validator("select")
    @classmethod
    def _jmespath(cls, value: str) -> str:
        try:
            jmespath.compile(value)
        except JMESPathError as exc:
            raise ValueError(f"not a JMESPath expression: {exc}") from None
        return value

    @field_validator("normalise")
    @classmethod
    def _known_normaliser(cls, value: str | None) -> str | None:
        if value is not None and value not in NORMALISERS:
            known = ", ".join(sorted(NORMALISERS))
            raise ValueError(f"unknown normaliser {value!r} (known: {known})")
        return value

    @field_validator("arn")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            fields = list(string.Formatter().parse(value))
        except ValueError as exc:
            raise ValueError(f"not a template: {exc}") from None
        used = set()
        for _, name, spec, conversion in fields:
            if name is None:
                continue
            if name not in ARN_PLACEHOLDERS:
                known = ", ".join(f"{{{p}}}" for p in sorted(ARN_PLACEHOLDERS))
                raise ValueError(f"unknown placeholder {{{name}}} (known: {known})")
            if spec or conversion:
                raise ValueError(f"placeholder {{{name}}} takes no format spec or conversion")
            used.add(name)
        if not value.startswith("arn:{partition}:"):
            raise ValueError("an ARN template starts with arn:{partition}:")
        if "name" not in used:
            raise ValueError("an ARN template needs {name}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CensusCall:
        if self.normalise is not None and self.arn is None:
            raise EntryError("only applies to names templated into an arn", ("normalise",))
        if self.scope == "global" and self.arn is not None and "{region}" in self.arn:
            raise EntryError("a global call has no {region} to write into its arn", ("arn",))
        return self

    def name_of(self, value: str) -> str:
        """The selected value as it goes into the ARN template (and the exclude check)."""
        return NORMALISERS[self.normalise](value) if self.normalise else value


class CensusSeed(Model):
    """``seeds/aws/census.yaml``: every census call, each ``client.method`` once."""

    as_of: dt.date
    checked_against: str = Field(min_length=1, description="what the entries were checked with")
    calls: list[CensusCall] = Field(min_length=1)

    @field_validator("calls")
    @classmethod
    def _unique(cls, calls: list[CensusCall]) -> list[CensusCall]:
        first: dict[str, int] = {}
        for index, call in enumerate(calls):
            if call.key in first:
                raise EntryError(
                    f"{call.key} is listed twice (first at calls[{first[call.key]}])",
                    (index, "method"),
                )
            first[call.key] = index
        return calls

    def services(self) -> set[str]:
        return {call.service for call in self.calls}
