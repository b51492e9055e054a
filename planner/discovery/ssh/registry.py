"""Find the probe modules: every module in :mod:`planner.discovery.ssh.probes` with a ``PROBE``.

Adding a probe is a new module there, its command in the allow-list and its golden files;
nothing registers it by hand. Probes run in the allow-list's order.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from typing import Any

from planner.discovery.ssh import probes
from planner.discovery.ssh.allowlist import COMMANDS
from planner.discovery.ssh.probes.base import Probe


@functools.cache
def all_probes() -> tuple[Probe[Any], ...]:
    found: dict[str, Probe[Any]] = {}
    for module_info in pkgutil.iter_modules(probes.__path__):
        module = importlib.import_module(f"{probes.__name__}.{module_info.name}")
        probe = getattr(module, "PROBE", None)
        if isinstance(probe, Probe):
            found[probe.name] = probe
    order = list(COMMANDS)
    return tuple(sorted(found.values(), key=lambda p: order.index(p.name)))


def probe(name: str) -> Probe[Any]:
    by_name = {p.name: p for p in all_probes()}
    return by_name[name]
