"""Supplier signals in any text: host names, environment variables, configuration keys, images.

Host names are taken from each line with a generic pattern and kept only when a supplier rule
claims them (so ordinary dotted words cost one failed match). Environment variable names
(``TWILIO_AUTH_TOKEN``) and configuration keys (``upload_to_app_store``) come from the rules'
word lists: only the name is recorded, never the value next to it. Container image references
(Dockerfile ``FROM``, ``image:`` in Compose and Kubernetes YAML) give their registry host, with
names that have none (``FROM nginx``) resolving to ``docker.io``. Go source imports give module
paths. Pure: text in, tokens out.
"""

from __future__ import annotations

import re

from planner.audit.observations import Token
from planner.suppliers.catalog import HOST_CANDIDATE, SupplierCatalog

MAX_TOKENS_PER_FILE = 2000
MAX_LINE_CHARS = 20_000
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE)
_IMAGE = re.compile(r"""^\s*(?:-\s*)?["']?image["']?\s*[:=]\s*["']?([^\s"'#,]+)""")
_GO_IMPORT = re.compile(r'^\s*(?:import\s+)?(?:[\w.]+\s+)?"([a-z0-9][\w.-]*\.[a-z]{2,}/[^"\s]+)"')


def registry_of(image: str) -> str | None:
    """The registry host of an image reference; ``docker.io`` when it names none."""
    if "$" in image or image.lower() == "scratch" or image.startswith("{"):
        return None
    first, slash, _ = image.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        return first.split(":", 1)[0].lower()
    return "docker.io"


def scan_supplier_text(
    text: str, name: str, path: str, workload: str, cat: SupplierCatalog
) -> list[Token]:
    """Tokens ``shost:``, ``env:``, ``cfg:`` and ``goimport:``, one per distinct (token, line)."""
    out: list[Token] = []
    seen: set[tuple[str, int]] = set()
    lower_name = name.lower()
    is_docker = lower_name.startswith("dockerfile") or lower_name.endswith(".dockerfile")
    is_yaml = lower_name.endswith((".yaml", ".yml"))
    is_go = lower_name.endswith(".go")
    stages: set[str] = set()

    def add(token: str, number: int, signal: str, detail: str | None = None) -> None:
        if (token, number) not in seen and len(out) < MAX_TOKENS_PER_FILE:
            seen.add((token, number))
            out.append(Token(token, path, number, workload, "text", signal, detail))

    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS]
        image = None
        if is_docker and (m := _FROM.match(line)):
            image = m.group(1) if m.group(1).lower() not in stages else None
            if m.group(2):
                stages.add(m.group(2).lower())
        elif is_yaml and (m := _IMAGE.match(line)):
            image = m.group(1)
        if image and (registry := registry_of(image)) and cat.owner_of_host(registry):
            add(f"shost:{registry}", number, f"image:{image[:120]}")
        if "." in line and cat.any_host is not None:
            for m in HOST_CANDIDATE.finditer(line):
                host = m.group(1).lower()
                if cat.owner_of_host(host):
                    add(f"shost:{host}", number, f"host:{host}")
        if cat.env is not None and "_" in line:
            for m in cat.env.finditer(line):
                add(f"env:{m.group(1)}", number, f"env:{m.group(1)}")
        if cat.config is not None:
            for m in cat.config.finditer(line):
                key = m.group(1).lower()
                add(f"cfg:{key}", number, f"config:{key}")
        if is_go and (m := _GO_IMPORT.match(line)):
            add(f"goimport:{m.group(1)}", number, f"import:{m.group(1)}")
        if len(out) >= MAX_TOKENS_PER_FILE:
            break
    return out
