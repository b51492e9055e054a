"""Files and folders that cloud agents, helpers and credentials leave behind (``ls -d``).

The paths are in the allow-listed command; ``seeds/discovery/ssh_signals.yaml`` says which
service each one implies (a test keeps the two lists in step).
"""

from __future__ import annotations

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, evidence, sections, snippet
from planner.discovery.ssh.signals import HostSignals


def parse(output: str) -> list[str]:
    lines = [line.strip() for line in sections(output, ("paths",))["paths"] if line.strip()]
    for line in lines:
        if not line.startswith("/"):
            raise ProbeOutputError(f"ls printed {snippet(line)}, not a path")
    return lines


def contribute(value: list[str], signals: HostSignals) -> HostFacts:
    found = []
    for path in value:
        service = signals.path_service(path)
        if service:
            found.append(evidence(service, "path", path, path))
    return HostFacts(evidence=found)


PROBE = Probe("agent_files", parse, contribute)
