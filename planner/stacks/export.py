"""Copy a Pulumi project out of exitplan, so ``stacks config`` never writes into the package.

The projects ship inside exitplan (a checkout's ``stacks/`` or ``site-packages/planner/_stacks``).
:func:`copy_project` copies the shared ``components/`` and one ``<provider>/`` project into a
folder of the user's (``./exitplan-stacks`` by default), where ``Pulumi.<stack>.yaml`` is then
written and ``pulumi`` runs. Program files are refreshed from this exitplan version on every run
(the stack config must match the program); stack files and virtualenvs already there are kept.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.io.atomic import ensure_dir, write_bytes
from planner.stacks.files import project_dir

SKIPPED_DIRS = {"__pycache__", "venv", ".venv", ".pytest_cache", ".mypy_cache"}


def copy_project(source_root: Path, out_root: Path, provider: str) -> tuple[Path, int]:
    """Copy ``components/`` and ``<provider>/`` into ``out_root``.

    Returns the project folder inside ``out_root`` and how many files were written (new or
    changed; unchanged files are left alone). Copying a folder onto itself writes nothing.
    """
    project_dir(source_root, provider)
    ensure_dir(out_root)
    if out_root.resolve() == source_root.resolve():
        return project_dir(out_root, provider), 0
    written = 0
    for part in ("components", provider):
        for source in sorted((source_root / part).rglob("*")):
            relative = source.relative_to(source_root)
            if not source.is_file() or _skipped(relative):
                continue
            data = source.read_bytes()
            target = out_root / relative
            if target.is_file() and target.read_bytes() == data:
                continue
            write_bytes(target, data)
            os.chmod(target, source.stat().st_mode & 0o755)
            written += 1
    return project_dir(out_root, provider), written


def _skipped(relative: Path) -> bool:
    """Caches, virtualenvs and stack files (``Pulumi.<stack>.yaml``) are not program files."""
    name = relative.name
    stack_file = name.startswith("Pulumi.") and name not in {"Pulumi.yaml", "Pulumi.yml"}
    return stack_file or name.endswith(".pyc") or bool(SKIPPED_DIRS & set(relative.parts))
