"""Provider references in configuration and environment files (a bounded ``grep -o``).

Searches ``/etc``, ``/opt``, ``/srv``, ``/usr/local/etc``, cron spools, ``/var/www`` and home
folders (depth 4, files under 256 KiB, first 2,000 matches) for the instance metadata service
(``169.254.169.254``, IMDSv2's token header), Amazon Time Sync and DNS addresses,
``*.amazonaws.com`` endpoints and static credential key names. ``-o`` prints only the matched
text, so a secret next to a key name is never read back.
"""

from __future__ import annotations

import re

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, evidence, sections, snippet
from planner.discovery.ssh.signals import HostSignals
from planner.models import LockinEvidence
from planner.models.base import Model

_MATCH = re.compile(r"^(?P<path>/.*?):(?P<line>\d+):(?P<text>.+)$")
MAX_EVIDENCE = 200


class ConfigRef(Model):
    path: str
    line: int
    text: str


def parse(output: str) -> list[ConfigRef]:
    lines = [line for line in sections(output, ("matches",))["matches"] if line.strip()]
    refs = []
    for line in lines:
        match = _MATCH.match(line)
        if match:
            refs.append(ConfigRef(path=match["path"], line=int(match["line"]), text=match["text"]))
    if lines and not refs:
        raise ProbeOutputError(f"grep printed {snippet(lines[0])}, not 'path:line:match'")
    return refs


def _classify(text: str, signals: HostSignals) -> tuple[str, str] | None:
    address = signals.address_signal(text)
    if address is not None:
        return address.service, address.signal
    literal = signals.text_signal(text)
    if literal is not None:
        return literal.service, literal.signal
    if signals.is_endpoint(text):
        return signals.endpoint_service(text), "endpoint"
    return None


def contribute(value: list[ConfigRef], signals: HostSignals) -> HostFacts:
    found: dict[tuple[str, str, str], LockinEvidence] = {}
    for ref in value:
        kind = _classify(ref.text, signals)
        if kind is None:
            continue
        service, signal = kind
        key = (service, f"{signal}:{ref.text}" if signal == "endpoint" else signal, ref.path)
        if key not in found and len(found) < MAX_EVIDENCE:
            found[key] = evidence(service, f"config:{key[1]}", ref.text, ref.path, ref.line)
    return HostFacts(evidence=list(found.values()))


PROBE = Probe("config_refs", parse, contribute)
