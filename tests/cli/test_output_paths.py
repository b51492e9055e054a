"""Every output path problem is one clear message and exit 2, for every command that writes.

The cases: the path is a folder, a parent is a file, no permission (run as ``nobody`` when the
tests run as root, since root ignores file modes). Missing parent folders are created.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.errors import OutputError
from planner.io.atomic import check_writable, ensure_dir, write_text

REPO = Path(__file__).resolve().parents[2]
FLEET = REPO / "inventories" / "fleet-40.yaml"
OTHER = REPO / "inventories" / "three-tier.yaml"
ADS = REPO / "tests" / "interop" / "fixtures" / "ads" / "import_template_filled.csv"
NOBODY = 65534


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from planner.cli.main import app

    path = tmp_path_factory.mktemp("plan") / "plan.json"
    result = CliRunner().invoke(app, ["plan", str(OTHER), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


# command -> arguments with the output path last-but-what-needs-it (OUT is replaced)
OUT = object()
FILE_COMMANDS: dict[str, list[object]] = {
    "plan": ["plan", OTHER, "-o", OUT],
    "plan-markdown": ["plan", OTHER, "--format", "markdown", "-o", OUT],
    "audit": ["audit", OTHER, "-o", OUT],
    "report": ["report", "--plan", "PLAN", "-o", OUT],
    "report-markdown": ["report", "--plan", "PLAN", "-o", "HTML", "--markdown", OUT],
    "inventory-generate": ["inventory", "generate", "--servers", "3", "-o", OUT],
    "inventory-import": ["inventory", "import", "ads-csv", ADS, "-o", OUT],
    "inventory-import-report": ["inventory", "import", "ads-csv", ADS, "--report", OUT],
    "inventory-export": ["inventory", "export", "ansible", OTHER, "-o", OUT],
    "inventory-merge": ["inventory", "merge", FLEET, OTHER, "-o", OUT],
    "capacity": ["capacity", OTHER, "--target", "hetzner-cloud", "-o", OUT],
    # discovery only ever aims at a closed port on 127.0.0.1, should a check ever let it run
    "discover-aws": [
        "discover",
        "aws",
        "--region",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--max-attempts",
        "1",
        "-o",
        OUT,
    ],
    "discover-ssh": ["discover", "ssh", "LOCAL", "--timeout", "2s", "-o", OUT],
}


LOCAL = Path(__file__).resolve().parent / "fixtures" / "localhost-closed-port.yaml"


def _args(template: list[object], out: Path, plan: Path, html: Path) -> list[object]:
    swap = {"PLAN": plan, "HTML": html, "LOCAL": LOCAL}
    return [out if a is OUT else swap.get(a, a) if isinstance(a, str) else a for a in template]


@contextlib.contextmanager
def _unprivileged() -> Iterator[None]:
    """Drop to ``nobody`` for file checks when root (root bypasses file modes)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def locked() -> Iterator[Path]:
    """A read-only folder every user can see into (pytest's own tmp folders are 0700)."""
    base = Path(tempfile.mkdtemp(prefix="exitplan-locked-"))
    base.chmod(0o755)
    folder = base / "ro"
    folder.mkdir(mode=0o555)
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(base)


def _assert_clean_exit_2(result: Any, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output and "Error:" not in result.stderr


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_output_is_a_folder(cli: Callable[..., Any], command, tmp_path, plan_json) -> None:
    args = _args(FILE_COMMANDS[command], tmp_path, plan_json, tmp_path / "r.html")
    result = cli(*args)
    _assert_clean_exit_2(result, f"{tmp_path}: is a directory, not a file: give a file name")


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_output_parent_is_a_file(cli: Callable[..., Any], command, tmp_path, plan_json) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep me\n")
    out = afile / "sub" / "x.out"
    result = cli(*_args(FILE_COMMANDS[command], out, plan_json, tmp_path / "r.html"))
    _assert_clean_exit_2(result, f"{out}: cannot create it: {afile} is a file, not a directory")
    assert afile.read_text() == "keep me\n"


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_output_without_permission(
    cli: Callable[..., Any], command, locked, plan_json, tmp_path
) -> None:
    out = locked / "x.out"
    with _unprivileged():
        result = cli(*_args(FILE_COMMANDS[command], out, plan_json, locked / "r.html"))
    _assert_clean_exit_2(result, f": cannot write here: permission denied in {locked}")
    assert not list(locked.iterdir())


@pytest.mark.parametrize(
    "command", ["plan", "audit", "report-markdown", "inventory-generate", "inventory-merge"]
)
def test_missing_parent_folders_are_created(
    cli: Callable[..., Any], command, tmp_path, plan_json
) -> None:
    out = tmp_path / "new" / "deeper" / "out.txt"
    result = cli(*_args(FILE_COMMANDS[command], out, plan_json, tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert not list(out.parent.glob(".*.tmp"))


def test_demo_out_that_is_a_file_or_locked(cli: Callable[..., Any], tmp_path, locked) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    _assert_clean_exit_2(cli("demo", "--out", afile), f"{afile}: is a file, not a directory")
    _assert_clean_exit_2(
        cli("demo", "--out", afile / "demo"),
        f"{afile / 'demo'}: cannot create it: {afile} is a file, not a directory",
    )
    with _unprivileged():
        result = cli("demo", "--out", locked / "demo")
    _assert_clean_exit_2(result, f"{locked / 'demo'}: cannot write here: permission denied in")


def test_atomic_helpers_raise_output_error(tmp_path, locked) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    for call in (
        lambda: write_text(tmp_path, "x"),
        lambda: write_text(afile / "x", "x"),
        lambda: ensure_dir(afile),
        lambda: check_writable(tmp_path),
        lambda: check_writable(afile / "a" / "b"),
    ):
        with pytest.raises(OutputError):
            call()
    hidden = tmp_path / "secret"
    hidden.mkdir(mode=0o700)
    with _unprivileged():
        for call in (
            lambda: write_text(locked / "x", "x"),
            lambda: check_writable(locked / "x"),
            lambda: ensure_dir(locked / "a"),
            # a folder nobody may even look into: stat fails too, still one clear message
            lambda: check_writable(hidden / "x.json"),
            lambda: write_text(hidden / "sub" / "x.json", "x"),
        ):
            with pytest.raises(OutputError, match="permission denied"):
                call()
    assert check_writable(tmp_path / "new" / "x.json") == tmp_path / "new" / "x.json"
    assert not (tmp_path / "new").exists()  # checking creates nothing
