"""Container images in use or present (Docker, Podman, CRI); ECR images become evidence."""

from __future__ import annotations

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, evidence, sections
from planner.discovery.ssh.signals import HostSignals


def _crictl(lines: list[str]) -> list[str]:
    images = []
    for line in lines:
        tokens = line.split()
        if len(tokens) >= 2 and tokens[0] != "IMAGE":
            images.append(tokens[0] if tokens[1] == "<none>" else f"{tokens[0]}:{tokens[1]}")
    return images


def parse(output: str) -> list[str]:
    parts = sections(output, ("docker", "podman", "crictl"))
    images: list[str] = []
    candidates = [*parts["docker"], *parts["podman"]]
    for ref in [line.strip() for line in candidates] + _crictl(parts["crictl"]):
        if ref and " " not in ref and "<none>" not in ref and ref not in images:
            images.append(ref)
    return images


def contribute(value: list[str], signals: HostSignals) -> HostFacts:
    found = []
    for image in value:
        service = signals.image_service(image)
        if service:
            found.append(evidence(service, "container-image", image))
    return HostFacts(images=value, evidence=found)


PROBE = Probe("containers", parse, contribute)
