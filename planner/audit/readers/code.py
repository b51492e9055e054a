"""Application code: AWS SDK clients and library imports, with line numbers.

Python (boto3/aioboto3/botocore clients and resources), JavaScript/TypeScript (AWS SDK v3
``@aws-sdk/client-*`` packages, v2 ``new AWS.X()`` and ``aws-sdk/clients/x``), Java/Kotlin
(SDK v2 ``software.amazon.awssdk.services.x``, v1 ``com.amazonaws.services.x``), Go (SDK v1 and
v2 ``service/x`` packages), and dependency manifests (``package.json``, ``requirements*.txt``,
``go.mod``, ``pom.xml``/Gradle). Tokens: ``sdk:<style>:<name>`` and ``import:<module>``.
Pure: text in, tokens out.
"""

from __future__ import annotations

import json
import re

from planner.audit.observations import Token

PY = (".py", ".pyi")
JS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")
JAVA = (".java", ".kt", ".kts", ".scala", ".groovy")
GO = (".go",)
CODE_SUFFIXES = PY + JS + JAVA + GO
MANIFESTS = (
    "package.json",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "requirements.txt",
    "Pipfile",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
)

_BOTO_CLIENT = re.compile(
    r"\.(?:client|resource|create_client)\(\s*(?:service_name\s*=\s*)?[\"']([a-z0-9-]+)[\"']"
)
_PY_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))")
_JS_MODULE = re.compile(
    r"(?:\bfrom\s+|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)[\"']([^\"'\s]+)[\"']"
)
_JS_V2_NEW = re.compile(r"\bnew\s+(?:AWS|aws|sdk)\.([A-Z][A-Za-z0-9]+)\s*[.(]")
_JAVA_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+)")
_JAVA_V2 = re.compile(r"\bsoftware\.amazon\.awssdk\.services\.([a-z0-9]+)\b")
_JAVA_V1 = re.compile(r"\bcom\.amazonaws\.services\.([a-z0-9]+)\b")
_GRADLE_V2 = re.compile(r"software\.amazon\.awssdk[:\"'\s]+(?:<artifactId>)?([a-z0-9-]+)")
_GO_SDK = re.compile(r"github\.com/aws/aws-sdk-go(?:-v2)?/service/([a-z0-9]+)")
_GO_IMPORT = re.compile(r"\"(github\.com/aws/[\w./-]+)\"")
_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)(?:\[[^\]]*\])?\s*(?:[<>=!~;]|$)")


def scan_code(text: str, path: str, workload: str) -> list[Token]:
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower == "package.json":
        return _package_json(text, path, workload)
    out: list[Token] = []
    seen: set[tuple[str, int]] = set()

    def add(token: str, number: int, detail: str | None = None) -> None:
        if (token, number) not in seen:
            seen.add((token, number))
            out.append(Token(token, path, number, workload, "code", detail=detail))

    is_py, is_js = lower.endswith(PY), lower.endswith(JS)
    is_java = lower.endswith(JAVA) or lower in ("pom.xml", "build.gradle", "build.gradle.kts")
    is_go = lower.endswith(GO) or lower == "go.mod"
    is_req = (lower.startswith("requirements") and lower.endswith(".txt")) or lower == "pipfile"
    uses_boto = is_py and ("boto" in text or "botocore" in text)
    uses_sdk_v2 = is_js and "aws-sdk" in text
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > 20_000:
            continue
        if is_py:
            if uses_boto:
                for m in _BOTO_CLIENT.finditer(line):
                    add(f"sdk:boto3:{m.group(1)}", number, _client_detail(line))
            imp = _PY_IMPORT.match(line)
            if imp:
                for module in (imp.group(1) or imp.group(2) or "").split(","):
                    if module.strip():
                        add(f"import:{module.strip()}", number)
        elif is_js:
            for m in _JS_MODULE.finditer(line):
                module = m.group(1)
                if module.startswith("@aws-sdk/"):
                    add(f"sdk:js:{module[len('@aws-sdk/') :]}", number)
                elif module.startswith("aws-sdk/clients/"):
                    add(f"sdk:js-v2:{module.rsplit('/', 1)[-1].lower()}", number)
                else:
                    add(f"import:{module}", number)
            if uses_sdk_v2:
                for m in _JS_V2_NEW.finditer(line):
                    add(f"sdk:js-v2:{m.group(1).lower()}", number, line.strip()[:120])
        elif is_java:
            m2, m1 = _JAVA_V2.search(line), _JAVA_V1.search(line)
            if m2:
                add(f"sdk:java:{m2.group(1)}", number)
            elif m1:
                add(f"sdk:java-v1:{m1.group(1)}", number)
            elif lower.endswith(("pom.xml", ".gradle", ".kts")) and (g := _GRADLE_V2.search(line)):
                add(f"sdk:java:{g.group(1).replace('-', '')}", number)
            jimp = _JAVA_IMPORT.match(line)
            if jimp and not (m2 or m1):
                add(f"import:{jimp.group(1)}", number)
        elif is_go:
            for m in _GO_SDK.finditer(line):
                add(f"sdk:go:{m.group(1)}", number)
            for m in _GO_IMPORT.finditer(line):
                if "/service/" not in m.group(1):
                    add(f"import:{m.group(1)}", number)
        elif is_req:
            req = _REQ_LINE.match(line)
            if req and not line.lstrip().startswith(("#", "-")):
                add(f"import:{req.group(1)}", number)
    return out


_ENDPOINT_URL = re.compile(r"endpoint_url\s*=\s*[\"']([^\"']+)[\"']")


def _client_detail(line: str) -> str:
    """The call, noting an ``endpoint_url`` override (a compatible implementation may be in use)."""
    m = _ENDPOINT_URL.search(line)
    if m and "amazonaws.com" not in m.group(1):
        return f"endpoint override to {m.group(1)[:80]}: compatible implementation in use?"
    return line.strip()[:120]


def _package_json(text: str, path: str, workload: str) -> list[Token]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    out: list[Token] = []
    for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        for module in deps:
            at = text.find(f'"{module}"')
            line = text.count("\n", 0, at) + 1 if at >= 0 else None
            if module.startswith("@aws-sdk/"):
                token = f"sdk:js:{module[len('@aws-sdk/') :]}"
            elif module.startswith("aws-sdk/clients/"):
                token = f"sdk:js-v2:{module.rsplit('/', 1)[-1].lower()}"
            else:
                token = f"import:{module}"
            out.append(Token(token, path, line, workload, "code", detail=section))
    return out
