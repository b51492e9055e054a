"""Atomic file writes: write a temporary file next to the target, fsync, then rename.

Missing parent directories are created. Every way an output path can be unusable (it is a
directory, a parent is a file, no permission, a read-only file system) raises
:class:`OutputError` with one sentence naming the path, so the CLI prints a message and exits 2
instead of a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from planner.errors import OutputError

_IS_FOLDER = "{target}: is a directory, not a file: give a file name"


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so readers see the old or the new file, never half."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` atomically: a temporary file beside the target, fsync, then rename."""
    target = Path(path)
    if _kind(target) == "folder":
        raise OutputError(_IS_FOLDER.format(target=target))
    ensure_dir(target.parent, for_file=target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(_problem(target, exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(_problem(target, exc)) from None
        raise
    return target


def write_json(path: str | Path, data: Any) -> Path:
    """Write JSON (sorted keys off, 2-space indent, trailing newline) atomically."""
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def ensure_dir(folder: str | Path, for_file: Path | None = None) -> Path:
    """Create ``folder`` and its parents if missing; :class:`OutputError` when that is impossible.

    ``for_file`` names the file the folder is for, so the message names what the user typed.
    """
    path = Path(folder)
    shown = for_file if for_file is not None else path
    nearest, kind, hidden = _nearest(path)
    if hidden:
        raise OutputError(f"{shown}: cannot write here: permission denied in {nearest}")
    if kind == "file":
        if nearest == shown:
            raise OutputError(f"{shown}: is a file, not a directory")
        raise OutputError(f"{shown}: cannot create it: {nearest} is a file, not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_problem(shown, exc)) from None
    return path


def check_writable(path: str | Path) -> Path:
    """Fail early (before a long run) when ``path`` cannot be written; creates nothing."""
    target = Path(path)
    own = _kind(target)
    if own == "folder":
        raise OutputError(_IS_FOLDER.format(target=target))
    nearest, kind, hidden = _nearest(target.parent)
    if kind == "file" and not hidden:
        raise OutputError(f"{target}: cannot create it: {nearest} is a file, not a directory")
    writable_here = not hidden and _may(nearest, os.W_OK | os.X_OK)
    if not writable_here or (own == "file" and not _may(target, os.W_OK)):
        raise OutputError(f"{target}: cannot write here: permission denied in {nearest}")
    return target


def _may(path: Path, mode: int) -> bool:
    """``os.access`` for the effective user (the one that will write), where the OS allows."""
    if os.access in os.supports_effective_ids:
        return os.access(path, mode, effective_ids=True)
    return os.access(path, mode)


def _kind(path: Path) -> str:
    """``folder``, ``file`` (anything else that exists), ``missing``, or ``hidden`` (no search
    permission on a parent, so nobody can tell)."""
    try:
        mode = path.stat().st_mode
    except PermissionError:
        return "hidden"
    except OSError:
        return "missing"
    return "folder" if stat.S_ISDIR(mode) else "file"


def _nearest(folder: Path) -> tuple[Path, str, bool]:
    """The nearest of ``folder`` and its parents that can be seen, its kind, and whether a
    path below it was hidden by missing permissions."""
    hidden = False
    for candidate in [folder, *folder.parents]:
        kind = _kind(candidate)
        if kind in ("folder", "file"):
            return candidate, kind, hidden
        hidden = hidden or kind == "hidden"
    return Path(folder.anchor or "."), "folder", hidden


def _problem(target: Path, exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        where = _nearest(target.parent)[0]
        return f"{target}: cannot write here: permission denied in {where}"
    if exc.errno == errno.EROFS:
        return f"{target}: cannot write here: {target.parent} is on a read-only file system"
    if exc.errno == errno.EISDIR:
        return _IS_FOLDER.format(target=target)
    if exc.errno == errno.ENOSPC:
        return f"{target}: cannot write: no space left on the device"
    return f"{target}: cannot write: {exc.strerror or exc}"
