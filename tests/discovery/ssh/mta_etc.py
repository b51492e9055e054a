"""Run the allow-listed mail-relay command over a fixture ``/etc`` (real tools, real paths).

Each folder of ``mta_etc/`` holds the mail configuration of one host. :func:`run_case` copies
it, with a few base files of this machine (``hosts``, ``passwd``, ... that postconf needs), into
a temporary folder, bind-mounts that over ``/etc`` in a private mount namespace (``unshare -m``,
so this machine's ``/etc`` is never touched) and runs the exact command there: with GNU grep,
or with BusyBox for the Alpine/BusyBox cases, and with Debian's real ``postconf`` when tests/run
has unpacked it into ``.cache/mta`` (without being installed: no mail daemon starts).

``python -m tests.discovery.ssh.mta_etc`` records the outputs into the golden files again
(the ``expected`` values stay as written by hand).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from planner.discovery.ssh.allowlist import MAIL_RELAYS

HERE = Path(__file__).parent
CASES = HERE / "mta_etc"
GOLDEN = HERE / "golden" / "mail_relays"
POSTFIX = HERE.parents[2] / ".cache" / "mta"
BASE_FILES = ("hosts", "nsswitch.conf", "passwd", "group", "ld.so.cache")
BUSYBOX_CASES = {"alpine", "busybox"}
BUSYBOX_TOOLS = ("sh", "grep", "echo", "true")


def postconf_dir() -> Path | None:
    found = POSTFIX / "usr" / "sbin" / "postconf"
    return found.parent if found.exists() else None


def can_run() -> str | None:
    """Why the command cannot run here, or None."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "needs root and unshare (a private mount namespace)"
    if shutil.which("busybox") is None:
        return "needs busybox (tests/run installs it)"
    return None


def needs_postconf(case: str) -> bool:
    return (CASES / case / "postfix").is_dir()


def run_case(case: str) -> str:
    """The command's stdout on a host whose ``/etc`` is ``mta_etc/<case>``."""
    with tempfile.TemporaryDirectory(prefix="exitplan-etc-") as tmp:
        etc = Path(tmp) / "etc"
        shutil.copytree(CASES / case, etc)
        for name in BASE_FILES:
            if Path("/etc", name).exists():
                shutil.copy2(Path("/etc", name), etc / name)
        env = {"LC_ALL": "C", "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"}
        shell = "sh"
        if case in BUSYBOX_CASES:
            tools = Path(tmp) / "busybox"
            tools.mkdir()
            for tool in BUSYBOX_TOOLS:
                (tools / tool).symlink_to(shutil.which("busybox") or "busybox")
            env["PATH"] = str(tools)
            shell = str(tools / "sh")
        sbin = postconf_dir()
        if sbin is not None:
            env["PATH"] += f":{sbin}"
            env["LD_LIBRARY_PATH"] = str(POSTFIX / "usr" / "lib" / "postfix")
        script = '"$1" --bind "$2" /etc && exec "$3" -c "$4"'
        mount, unshare = shutil.which("mount"), shutil.which("unshare")
        assert mount is not None and unshare is not None
        done = subprocess.run(
            [unshare, "-m", "/bin/sh", "-c", script, "sh", mount, str(etc), shell, MAIL_RELAYS],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout


def record() -> None:
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        path = GOLDEN / f"{folder.name}.json"
        data = json.loads(path.read_text()) if path.exists() else {"description": ""}
        data["command"] = MAIL_RELAYS
        data["output"] = run_case(folder.name).splitlines()
        data.setdefault("expected", [])
        path.write_text(json.dumps(data, indent=2) + "\n")
        print(f"recorded {path.relative_to(HERE)}")


if __name__ == "__main__":
    record()
