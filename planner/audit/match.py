"""Map observations to services (and features) with the rule catalogue.

IaC resources: the owning service comes from the most specific type signal (exact type before
globs); among signals on the same type, one whose attribute condition matches wins (``engine =
postgres`` -> ``rds-postgresql``), then an unconditional one, then the ``fallback`` (engine is a
variable -> ``rds``). The owner's feature signals are then checked on the resource, and ``implied``
signals of every rule (a Lambda with active tracing -> X-Ray) add evidence for other services.
Unknown ``aws_*``/``AWS::*`` types, SDK clients, endpoints and ARNs are reported under their own
name (resolved through rule ids, boto3 names and ARN namespaces when possible). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from planner.audit.catalog import Catalog, Owner
from planner.audit.observations import PRESENT, UNRESOLVED, Observations, Resource, Token
from planner.models.lockin import IacSignal

_FALSY = {"", "false", "null", "0", "[]", "{}", "disabled", "none"}
_REGIONAL_HOST = re.compile(
    r"(?:^|\.)([a-z0-9-]+)(?:-fips)?\.(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$"
)
_GLOBAL_HOST = re.compile(r"^([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")
_JS_GENERIC = (
    "credential-",
    "types",
    "util-",
    "smithy",
    "middleware-",
    "signature-",
    "protocol-",
    "node-http",
    "fetch-http",
    "config-",
    "core",
    "token-providers",
    "abort-",
)


@dataclass(frozen=True)
class Hit:
    service: str
    feature: str | None
    path: str | None
    line: int | None
    signal: str
    origin: str
    workload: str
    detail: str | None = None


def attribute_matches(spec: IacSignal, attrs: dict[str, tuple[str, ...]]) -> bool:
    if spec.attribute is None:
        return True
    wanted = spec.attribute.lower()
    values = [v for k, vs in attrs.items() if k.lower() == wanted for v in vs]
    if not spec.values:
        return any(v in (PRESENT, UNRESOLVED) or v.lower() not in _FALSY for v in values)
    candidates = values or [""]
    return any(
        v != UNRESOLVED and v != PRESENT and fnmatchcase(v.lower(), pattern.lower())
        for v in candidates
        for pattern in spec.values
    )


def _pick(specs: list[tuple[IacSignal, str]], attrs: dict[str, tuple[str, ...]]) -> str | None:
    for spec, service in specs:
        if spec.attribute is not None and attribute_matches(spec, attrs):
            return service
    for spec, service in specs:
        if spec.attribute is None and not spec.fallback:
            return service
    for spec, service in specs:
        if spec.fallback:
            return service
    return None


def owner_of_resource(
    cat: Catalog, kind: str, rtype: str, attrs: dict[str, tuple[str, ...]]
) -> str | None:
    candidates = [rtype]
    if kind == "terraform" and rtype.startswith("awscc_"):
        candidates.append("aws_" + rtype[len("awscc_") :])
    if kind == "terraform-module" and "//" in rtype:
        candidates.append(rtype.split("//", 1)[0])
    for name in candidates:
        exact, globs = cat.specs_for(kind, name)
        found = _pick(exact, attrs)
        if found:
            return found
        found = _pick(globs, attrs)
        if found:
            return found
    return None


def _unknown_resource_label(kind: str, rtype: str) -> str | None:
    if kind == "terraform" and rtype.startswith(("aws_", "awscc_")):
        parts = rtype.split("_")
        return parts[1] if len(parts) > 1 and parts[1] else None
    if kind == "cloudformation" and rtype.startswith("AWS::"):
        parts = rtype.split("::")
        return parts[1].lower() if len(parts) > 1 and parts[1] else None
    return None


def _resource_hits(cat: Catalog, res: Resource) -> list[Hit]:
    if res.type in cat.scoring.ignore_types:
        return []
    attrs = dict(res.attrs)
    signal = {
        "terraform-module": "terraform:module:",
        "terraform": "terraform:",
        "cloudformation": "cloudformation:",
    }[res.kind] + res.type
    detail = f"{res.type}.{res.name}" if res.name else res.type
    hits: list[Hit] = []
    owner = owner_of_resource(cat, res.kind, res.type, attrs)
    if owner is None:
        label = _unknown_resource_label(res.kind, res.type)
        if label:
            owner = cat.resolve_label(label)
    if owner is not None:
        hits.append(Hit(owner, None, res.path, res.line, signal, res.origin, res.workload, detail))
        for spec, feature in cat.features_for(res.kind, owner, res.type):
            if attribute_matches(spec, attrs):
                hits.append(
                    Hit(
                        owner,
                        feature,
                        res.path,
                        res.line,
                        _feature_signal(signal, spec),
                        res.origin,
                        res.workload,
                        detail,
                    )
                )
    for spec, (service, implied_feature) in cat.implied_for(res.kind, res.type):
        if service != owner and attribute_matches(spec, attrs):
            hits.append(
                Hit(
                    service,
                    implied_feature,
                    res.path,
                    res.line,
                    _feature_signal(signal, spec),
                    res.origin,
                    res.workload,
                    detail,
                )
            )
    return hits


def _feature_signal(signal: str, spec: IacSignal) -> str:
    return f"{signal}.{spec.attribute}" if spec.attribute else signal


def _unknown_token_label(token: str) -> str | None:
    kind, _, rest = token.partition(":")
    if kind == "sdk":
        style, _, name = rest.partition(":")
        if style == "js":
            return name[len("client-") :] if name.startswith("client-") else None
        return name or None
    if kind == "host":
        m = _REGIONAL_HOST.search(rest) or _GLOBAL_HOST.match(rest)
        return m.group(1) if m else None
    if kind == "arn":
        return rest.split(":", 1)[0] or None
    if kind in ("service", "amplify"):
        return rest.rsplit(":", 1)[-1] or None
    return None


def _token_hits(cat: Catalog, tok: Token) -> list[Hit]:
    signal = tok.signal or tok.token
    owner: Owner | None = None
    if tok.token.startswith("service:"):
        owner = (cat.resolve_label(tok.token[len("service:") :]), None)
        sig_owner = cat.owner_of_token(f"hostsig:{signal}")
        if sig_owner and sig_owner[0] == owner[0]:
            owner = sig_owner
    elif tok.token.startswith("file:"):
        owner = cat.owner_of_file(tok.token[len("file:") :])
    else:
        owner = cat.owner_of_token(tok.token)
    if owner is None:
        label = _unknown_token_label(tok.token)
        if not label or label in _JS_GENERIC or label.startswith(_JS_GENERIC):
            return []
        owner = (cat.resolve_label(label), None)
    service, feature = owner
    hits = [Hit(service, None, tok.path, tok.line, signal, tok.origin, tok.workload, tok.detail)]
    if feature:
        hits.append(
            Hit(service, feature, tok.path, tok.line, signal, tok.origin, tok.workload, tok.detail)
        )
    return hits


def match(obs: Observations, cat: Catalog) -> list[Hit]:
    """Every service (and feature) hit in the observations, in input order."""
    hits: list[Hit] = []
    for res in obs.resources:
        hits.extend(_resource_hits(cat, res))
    for tok in obs.tokens:
        hits.extend(_token_hits(cat, tok))
    return hits
