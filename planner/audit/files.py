"""Walk ``--iac``/``--code`` paths, read files safely and hand their text to the pure readers.

Never crashes on real-world trees: ``.git``, ``node_modules``, ``.terraform`` and build outputs are
skipped; files above the size bound become a ``too-large`` problem; binary or undecodable content,
YAML/JSON syntax errors and reader failures become an ``unparseable`` problem for that file and
the walk goes on. Text that is not UTF-8 is decoded as Latin-1 so it can still be scanned.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from planner.audit.catalog import Catalog
from planner.audit.observations import Observations, Problem, Resource, Token
from planner.audit.readers import cloudformation as cfn
from planner.audit.readers import code, terraform, text, yamldoc

SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".terraform",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "cdk.out",
    ".aws-sam",
    ".serverless",
    "#current-cloud-backend",
    ".terragrunt-cache",
    ".idea",
    ".vscode",
}
LOCKFILES = {
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "pipfile.lock",
    "go.sum",
    "cargo.lock",
    "composer.lock",
    "gemfile.lock",
    ".terraform.lock.hcl",
}
TEXT_SUFFIXES = {
    ".tf",
    ".hcl",
    ".tfvars",
    ".json",
    ".yaml",
    ".yml",
    ".template",
    ".tfstate",
    ".sh",
    ".bash",
    ".zsh",
    ".ps1",
    ".conf",
    ".cfg",
    ".ini",
    ".env",
    ".properties",
    ".toml",
    ".txt",
    ".tpl",
    ".j2",
    ".jinja",
    ".jinja2",
    ".xml",
    ".graphql",
    ".gql",
    ".vtl",
    ".sql",
    ".service",
    ".config",
    *code.CODE_SUFFIXES,
}
TEXT_NAMES = {
    "dockerfile",
    "makefile",
    "jenkinsfile",
    "procfile",
    "user-data",
    "userdata",
    "user_data",
    ".env",
    "pipfile",
    "gemfile",
    "go.mod",
    ".npmrc",
    "podfile",
    "fastfile",
    "appfile",
    "deliverfile",
    "supplyfile",
    "apple-app-site-association",
}
PARSE_SUFFIXES = (".tf", ".json", ".yaml", ".yml", ".template", ".tfstate")
MAX_FILE_BYTES = 10 * 2**20
MAX_STATE_BYTES = 64 * 2**20


@dataclass
class Input:
    path: Path
    role: str  # "iac" or "code"


def _wanted(name: str) -> bool:
    lower = name.lower()
    if lower in LOCKFILES:
        return False
    if lower in TEXT_NAMES or lower.startswith("dockerfile"):
        return True
    return any(lower.endswith(s) for s in TEXT_SUFFIXES) or lower.endswith(".tfstate.backup")


def walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for current, dirs, files in os.walk(root, onerror=lambda _e: None):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if _wanted(name):
                yield Path(current) / name


def _decode(data: bytes) -> str | None:
    """Text of a file, or None for binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _display(root: Path, root_text: str, file: Path) -> str:
    if root.is_file():
        return root_text
    rel = file.relative_to(root).as_posix()
    return rel if root_text in (".", "./") else posixpath.join(root_text.rstrip("/"), rel)


Extra = Callable[[str, str, str, str, str], list[Token]]
"""Another reader run on every text file: ``(content, name, relative path, shown, workload)``."""


class Scanner:
    """Collects observations from files; ``on_file`` is called after each file (progress).

    ``extra`` readers (the supplier readers) see every text file too; ``skip`` files (DNS files
    given separately) are left out of the walk.
    """

    def __init__(
        self,
        catalog: Catalog,
        on_file: Callable[[str], None] | None = None,
        extra: Extra | None = None,
        skip: set[Path] | None = None,
    ) -> None:
        self.catalog = catalog
        self.on_file = on_file
        self.extra = extra
        self.skip = skip or set()
        self.obs = Observations()
        self.files_read = 0
        self.files_skipped = 0
        self.patterns = catalog.patterns
        self.prefilter = text.combined(catalog.patterns)
        self.stack_dirs: dict[str, str] = {}  # folder of a template -> the template's workload

    def problem(self, path: str, signal: str, detail: str, line: int | None = None) -> None:
        self.obs.problems.append(Problem(path, line, signal, detail))

    def scan(self, item: Input) -> None:
        root = item.path
        root_text = str(item.path).replace(os.sep, "/")
        files = list(walk(root))
        tf_dirs = {f.parent for f in files if f.name.endswith((".tf", ".tf.json"))}
        for file in files:
            if self.skip and file.resolve() in self.skip:
                continue
            shown = _display(root, root_text, file)
            default = self._default_workload(item, root, root_text, file, tf_dirs)
            try:
                self._file(file, shown, default, root)
            except Exception as exc:
                self.problem(shown, "unparseable", f"{type(exc).__name__}: {exc}"[:300])
            if self.on_file:
                self.on_file(shown)

    def _default_workload(
        self, item: Input, root: Path, root_text: str, file: Path, tf_dirs: set[Path]
    ) -> str:
        if item.role == "code":
            return f"code:{root_text}"
        folder = file.parent
        while True:
            if folder in tf_dirs:
                shown = root_text if folder == root else _display(root, root_text, folder)
                return f"terraform:{shown}"
            if folder == root or folder == folder.parent or not str(folder).startswith(str(root)):
                break
            folder = folder.parent
        return f"iac:{root_text}"

    def _file(self, file: Path, shown: str, workload: str, root: Path) -> None:
        name = file.name.lower()
        try:
            size = file.stat().st_size
        except OSError as exc:
            self.problem(shown, "unreadable", exc.strerror or str(exc))
            return
        limit = MAX_STATE_BYTES if name.endswith((".tfstate", ".json")) else MAX_FILE_BYTES
        if size > limit:
            self.files_skipped += 1
            self.problem(shown, "too-large", f"{size} bytes is above the {limit}-byte limit")
            return
        try:
            data = file.read_bytes()
        except OSError as exc:
            self.problem(shown, "unreadable", exc.strerror or str(exc))
            return
        content = _decode(data)
        if content is None:
            if name.endswith(PARSE_SUFFIXES):
                self.problem(shown, "unparseable", "binary content")
            self.files_skipped += 1
            return
        self.files_read += 1
        rel = file.relative_to(root).as_posix() if root.is_dir() else file.name
        owner = self.catalog.owner_of_file(rel)
        if owner:
            self.obs.tokens.append(Token(f"file:{rel}", shown, 1, workload, "file", f"file:{rel}"))
        structured = self._structured(name, rel, content, shown, workload)
        if structured in ("cloudformation", "serverless"):
            folder = posixpath.dirname(shown) or "."
            self.stack_dirs.setdefault(folder, f"{structured}:{shown}")
        if (
            name.endswith(code.CODE_SUFFIXES)
            or name in code.MANIFESTS
            or name.startswith("requirements")
        ):
            self.obs.tokens.extend(code.scan_code(content, shown, workload))
        if structured not in ("state", "plan"):
            self.obs.tokens.extend(
                text.scan_text(
                    content,
                    shown,
                    self._text_workload(workload),
                    self.patterns,
                    "text",
                    self.prefilter,
                )
            )
            if self.extra is not None:
                self.obs.tokens.extend(self.extra(content, file.name, rel, shown, workload))

    def _text_workload(self, workload: str) -> str:
        return workload

    def _structured(self, name: str, rel: str, content: str, shown: str, workload: str) -> str:
        """Run the IaC readers that apply; returns what the file was."""
        directory = posixpath.dirname(shown) or "."
        tf_workload = workload if workload.startswith("terraform:") else f"terraform:{directory}"
        if name.endswith(".tf"):
            self.obs.extend(terraform.read_hcl(content, shown, tf_workload))
            return "terraform"
        if name.endswith((".tfstate", ".tfstate.backup")) or name.endswith(".json"):
            if not name.endswith(
                (".tfstate", ".tfstate.backup", ".tf.json")
            ) and not _looks_json_iac(content):
                return "text"
            try:
                data = json.loads(content)
            except ValueError as exc:
                line = getattr(exc, "lineno", None)
                self.problem(shown, "unparseable", f"JSON syntax: {exc}"[:300], line)
                return "text"
            if terraform.is_state(data):
                self.obs.extend(terraform.read_state(data, content, shown, tf_workload))
                return "state"
            if terraform.is_plan(data):
                self.obs.extend(terraform.read_plan(data, content, shown, tf_workload))
                return "plan"
            if name.endswith(".tf.json"):
                self.obs.extend(terraform.read_tf_json(data, content, shown, tf_workload))
                return "terraform"
            if rel.endswith("amplify/backend/backend-config.json"):
                amp = f"amplify:{rel.rsplit('amplify/backend/', 1)[0].rstrip('/') or '.'}"
                self.obs.extend(cfn.read_amplify_backend(data, content, shown, amp))
                return "amplify"
            if cfn.is_template(data):
                self.obs.extend(
                    cfn.read_template(cfn.json_doc(data, content), shown, f"cloudformation:{shown}")
                )
                return "cloudformation"
            if cfn.is_serverless(data, name):
                self.obs.extend(
                    cfn.read_serverless(cfn.json_doc(data, content), shown, f"serverless:{shown}")
                )
                return "serverless"
            return "text"
        if name.endswith((".yaml", ".yml", ".template")):
            is_sls = name.startswith("serverless.")
            if not is_sls and not _looks_yaml_iac(content):
                return "text"
            try:
                docs = yamldoc.load_all(content)
            except (yaml.YAMLError, RecursionError) as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 1 if mark is not None else None
                problem = getattr(exc, "problem", None) or str(exc)
                self.problem(shown, "unparseable", f"YAML syntax: {problem}"[:300], line)
                return "text"
            kind = "text"
            for doc in docs:
                if cfn.is_template(doc.data):
                    self.obs.extend(cfn.read_template(doc, shown, f"cloudformation:{shown}"))
                    kind = "cloudformation"
                elif cfn.is_serverless(doc.data, name):
                    self.obs.extend(cfn.read_serverless(doc, shown, f"serverless:{shown}"))
                    kind = "serverless"
            return kind
        return "text"

    def _stack_of(self, path: str | None) -> str | None:
        folder = posixpath.dirname(path or "") or "."
        while True:
            if folder in self.stack_dirs:
                return self.stack_dirs[folder]
            if folder in (".", "/", ""):
                return None
            folder = posixpath.dirname(folder) or "."

    def finish(self) -> Observations:
        """Give loose files next to a template (function code) the template's workload, move
        nested stacks into their parent's workload, then return everything."""
        if self.stack_dirs:
            self.obs.tokens = [
                _rework_token(t, stack)
                if t.workload.startswith("iac:") and (stack := self._stack_of(t.path))
                else t
                for t in self.obs.tokens
            ]
        parents = dict(self.obs.nested)
        if parents:
            self.obs.resources = [
                _rework(r, parents[r.path]) if r.path in parents else r for r in self.obs.resources
            ]
            self.obs.tokens = [
                _rework_token(t, parents[t.path]) if t.path in parents else t
                for t in self.obs.tokens
            ]
        return self.obs


def _rework(res: Resource, workload: str) -> Resource:
    return Resource(
        res.kind, res.type, res.name, res.attrs, res.path, res.line, workload, res.origin
    )


def _rework_token(tok: Token, workload: str) -> Token:
    return Token(tok.token, tok.path, tok.line, workload, tok.origin, tok.signal, tok.detail)


# Strings near the top of a YAML/JSON file that make it worth parsing as IaC (a template, a
# Terraform plan or state, a Serverless Framework service).
_IAC_HEAD_CHARS = 200_000
_YAML_IAC_MARKERS = ("AWSTemplateFormatVersion", "Type: AWS::", "Type: 'AWS::", 'Type: "AWS::')
_JSON_IAC_MARKERS = (
    '"Resources"',
    '"terraform_version"',
    '"planned_values"',
    '"resource_changes"',
    '"providerPlugin"',
    '"service"',
)


def _looks_yaml_iac(content: str) -> bool:
    head = content[:_IAC_HEAD_CHARS]
    serverless = "provider:" in head and "functions:" in head
    return serverless or any(marker in head for marker in _YAML_IAC_MARKERS)


def _looks_json_iac(content: str) -> bool:
    head = content[:_IAC_HEAD_CHARS]
    return any(marker in head for marker in _JSON_IAC_MARKERS)
