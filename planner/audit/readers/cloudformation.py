"""CloudFormation/SAM templates (YAML or JSON), Serverless Framework files and Amplify backends.

* CloudFormation: every ``Resources`` entry becomes a :class:`Resource` (kind ``cloudformation``)
  whose attributes are all keys found under ``Properties``; SAM ``Globals`` are merged into the
  functions and APIs they apply to. The template itself is a ``doc:cloudformation-template``
  token (plus ``doc:sam-template`` with ``Transform: AWS::Serverless-2016-10-31``). Nested
  stacks that point at local files are reported so the child joins the parent's workload.
* ``serverless.yml``: ``provider: aws``, each function, each event type
  (``serverless:http``, ``serverless:stream:dynamodb``, ``serverless:event-source:sqs``...) and
  raw CloudFormation under ``resources.Resources``.
* Amplify ``backend-config.json``: ``amplify:<category>:<service>`` per backend resource.

Pure: parsed documents in, observations out.
"""

from __future__ import annotations

import posixpath
from typing import Any

from planner.audit.observations import Observations, Resource, Token, attr_map
from planner.audit.readers.terraform import flatten
from planner.audit.readers.yamldoc import LocatedDoc

SAM_TRANSFORM = "AWS::Serverless"
ESM_EVENTS = {"sqs", "stream", "msk", "kafka", "activemq", "rabbitmq"}
GLOBAL_SECTIONS = {
    "Function": "AWS::Serverless::Function",
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable",
    "StateMachine": "AWS::Serverless::StateMachine",
}


def is_template(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        return False
    if "AWSTemplateFormatVersion" in data or "Transform" in data:
        return True
    types = [r.get("Type") for r in resources.values() if isinstance(r, dict)]
    return any(isinstance(t, str) and t.startswith(("AWS::", "Custom::")) for t in types)


def is_serverless(data: Any, name: str) -> bool:
    if not isinstance(data, dict) or "provider" not in data:
        return False
    provider = data["provider"]
    pname = provider.get("name") if isinstance(provider, dict) else provider
    return pname == "aws" and ("service" in data or name.startswith("serverless."))


def _transforms(data: dict[str, Any]) -> list[str]:
    value = data.get("Transform")
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str)]


def read_template(
    doc: LocatedDoc,
    path: str,
    workload: str,
    origin: str = "cloudformation",
    base: tuple[str, ...] = (),
) -> Observations:
    """Resources of one template (``base`` is the path to it, e.g. serverless ``resources``)."""
    obs = Observations()
    data = doc.data
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return obs
    if not base:
        first = "AWSTemplateFormatVersion" if "AWSTemplateFormatVersion" in data else "Resources"
        obs.tokens.append(
            Token("doc:cloudformation-template", path, doc.line(first), workload, origin)
        )
        if any(t.startswith(SAM_TRANSFORM) for t in _transforms(data)):
            obs.tokens.append(
                Token("doc:sam-template", path, doc.line("Transform"), workload, origin)
            )
    globals_ = data.get("Globals") if isinstance(data.get("Globals"), dict) else {}
    for logical_id, body in resources.items():
        if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
            continue
        rtype = body["Type"]
        props: dict[str, Any] = (
            body["Properties"] if isinstance(body.get("Properties"), dict) else {}
        )
        pairs = list(flatten(props))
        for section, sam_type in GLOBAL_SECTIONS.items():
            if rtype == sam_type and isinstance(globals_.get(section), dict):
                pairs.extend(flatten(globals_[section]))
        line = doc.line(*base, "Resources", logical_id)
        obs.resources.append(
            Resource(
                "cloudformation",
                rtype,
                str(logical_id),
                attr_map(pairs),
                path,
                line,
                workload,
                origin,
            )
        )
        child = _local_child(rtype, props, path)
        if child:
            obs.nested.append((child, workload))
    return obs


def _local_child(rtype: str, props: dict[str, Any], path: str) -> str | None:
    location: Any = None
    if rtype == "AWS::CloudFormation::Stack":
        location = props.get("TemplateURL")
    elif rtype == "AWS::Serverless::Application":
        location = props.get("Location")
    if not isinstance(location, str) or "://" in location or location.startswith("s3:"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), location))


def read_serverless(doc: LocatedDoc, path: str, workload: str) -> Observations:
    obs = Observations()
    data = doc.data
    obs.tokens.append(
        Token("doc:serverless-framework", path, doc.line("provider"), workload, "serverless")
    )
    functions = data.get("functions") if isinstance(data.get("functions"), dict) else {}
    for fname, fbody in functions.items():
        fline = doc.line("functions", fname)
        obs.tokens.append(
            Token("serverless:function", path, fline, workload, "serverless", detail=str(fname))
        )
        if not isinstance(fbody, dict):
            continue
        if fbody.get("layers"):
            obs.tokens.append(
                Token(
                    "serverless:layers",
                    path,
                    doc.line("functions", fname, "layers"),
                    workload,
                    "serverless",
                    detail=str(fname),
                )
            )
        events: list[Any] = fbody["events"] if isinstance(fbody.get("events"), list) else []
        for index, event in enumerate(events):
            if not isinstance(event, dict) or not event:
                continue
            etype = str(next(iter(event)))
            line = doc.line("functions", fname, "events", index)
            for token in _event_tokens(etype, event[etype]):
                obs.tokens.append(
                    Token(token, path, line, workload, "serverless", detail=f"{fname}: {etype}")
                )
    resources = data.get("resources")
    if isinstance(resources, dict) and isinstance(resources.get("Resources"), dict):
        obs.extend(
            read_template(
                LocatedDoc(resources, doc.lines), path, workload, "serverless", base=("resources",)
            )
        )
    return obs


def _event_tokens(etype: str, spec: Any) -> list[str]:
    lowered = etype.lower()
    if lowered == "stream":
        kind = spec.get("type") if isinstance(spec, dict) else None
        text = str(spec).lower()
        kind = kind if isinstance(kind, str) else ("dynamodb" if "dynamodb" in text else "kinesis")
        tokens = [f"serverless:stream:{kind.lower()}"]
    else:
        tokens = [f"serverless:{lowered}"]
    if lowered in ESM_EVENTS:
        tokens.append(f"serverless:event-source:{lowered}")
    if lowered == "websocket":
        tokens.append("serverless:websocket-route")
    return tokens


def read_amplify_backend(data: Any, text: str, path: str, workload: str) -> Observations:
    """``amplify/backend/backend-config.json``: ``{category: {name: {service: ...}}}``."""
    obs = Observations()
    if not isinstance(data, dict):
        return obs
    for category, entries in data.items():
        if not isinstance(entries, dict):
            continue
        for name, body in entries.items():
            service = body.get("service") if isinstance(body, dict) else None
            if not isinstance(service, str):
                continue
            at = text.find(f'"{name}"')
            line = text.count("\n", 0, at) + 1 if at >= 0 else None
            obs.tokens.append(
                Token(
                    f"amplify:{category}:{service}".lower(),
                    path,
                    line,
                    workload,
                    "amplify",
                    signal=f"amplify:{category}:{service}",
                    detail=str(name),
                )
            )
    return obs


def json_doc(data: Any, text: str) -> LocatedDoc:
    """A :class:`LocatedDoc` for JSON templates: lines of resources found by a text search."""
    lines: dict[tuple[str | int, ...], int] = {(): 1}
    resources = data.get("Resources") if isinstance(data, dict) else None
    start = text.find('"Resources"')
    for key in ("AWSTemplateFormatVersion", "Transform", "Resources", "provider"):
        at = text.find(f'"{key}"')
        if at >= 0:
            lines[(key,)] = text.count("\n", 0, at) + 1
    if isinstance(resources, dict) and start >= 0:
        pos = start
        for logical_id in resources:
            at = text.find(f'"{logical_id}"', pos)
            if at < 0:
                continue
            lines[("Resources", logical_id)] = text.count("\n", 0, at) + 1
            pos = at + 1
    return LocatedDoc(data, lines)
