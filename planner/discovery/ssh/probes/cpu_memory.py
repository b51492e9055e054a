"""CPU count and model, memory size (``nproc``, ``/proc/cpuinfo``, ``/proc/meminfo``)."""

from __future__ import annotations

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, sections, to_int
from planner.discovery.ssh.signals import HostSignals
from planner.models.base import Model

_KIB = 1024


class CpuMemory(Model):
    vcpus: int
    processors: int | None = None
    cpu_model: str | None = None
    memory_bytes: int
    memory_available_bytes: int | None = None
    swap_bytes: int | None = None


def _meminfo(lines: list[str]) -> dict[str, int]:
    values: dict[str, int] = {}
    for line in lines:
        key, sep, rest = line.partition(":")
        tokens = rest.split()
        if not sep or not tokens or to_int(tokens[0]) is None:
            continue
        unit = tokens[1].lower() if len(tokens) > 1 else ""
        number = int(tokens[0])
        values[key.strip()] = number * _KIB if unit == "kb" else number
    return values


def parse(output: str) -> CpuMemory:
    parts = sections(output, ("nproc", "cpuinfo", "meminfo"))
    nproc = next((to_int(x.strip()) for x in parts["nproc"] if x.strip()), None)
    cpuinfo = [x for x in parts["cpuinfo"] if x.strip()]
    processors = to_int(cpuinfo[0].strip()) if cpuinfo else None
    model = None
    if len(cpuinfo) > 1 and ":" in cpuinfo[1]:
        model = cpuinfo[1].split(":", 1)[1].strip() or None
    vcpus = nproc or processors
    if not vcpus:
        raise ProbeOutputError("neither nproc nor /proc/cpuinfo gave a CPU count")
    memory = _meminfo(parts["meminfo"])
    if "MemTotal" not in memory:
        raise ProbeOutputError("/proc/meminfo has no MemTotal line")
    return CpuMemory(
        vcpus=vcpus,
        processors=processors,
        cpu_model=model,
        memory_bytes=memory["MemTotal"],
        memory_available_bytes=memory.get("MemAvailable"),
        swap_bytes=memory.get("SwapTotal"),
    )


def contribute(value: CpuMemory, signals: HostSignals) -> HostFacts:
    return HostFacts(vcpus=value.vcpus, cpu_model=value.cpu_model, memory_bytes=value.memory_bytes)


PROBE = Probe("cpu_memory", parse, contribute)
