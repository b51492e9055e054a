"""The mail-relay probe's command on real configuration files, with real grep and postconf.

The golden files in ``golden/mail_relays/`` were recorded by running the allow-listed command
over the fixture ``/etc`` folders in ``mta_etc/`` (see :mod:`tests.discovery.ssh.mta_etc`); this
test runs it again, so a pattern that GNU grep, BusyBox grep or postconf reads differently from
what the parser expects fails here. The fixtures hold credentials next to the relay settings
(``sasl_passwd``, ``passwd.client``, ``authinfo``, ``AuthPass=``, ``--pass=``, msmtp's
``password``), each containing ``never-read-this``: none may reach the output.
"""

from __future__ import annotations

import json

import pytest

from tests.discovery.ssh.mta_etc import (
    CASES,
    GOLDEN,
    can_run,
    needs_postconf,
    postconf_dir,
    run_case,
)

FOLDERS = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def test_every_fixture_folder_has_a_recording() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == FOLDERS


def test_the_fixtures_do_hold_secrets_to_leak() -> None:
    holders = [p for p in CASES.rglob("*") if p.is_file() and "never-read-this" in p.read_text()]
    assert len(holders) >= 6


@pytest.mark.parametrize("case", FOLDERS)
def test_the_command_prints_what_was_recorded_and_no_secret(case: str) -> None:
    reason = can_run()
    if reason is not None:
        pytest.skip(reason)
    if needs_postconf(case) and postconf_dir() is None:
        pytest.skip("needs Debian's postconf unpacked into .cache/mta (tests/run does it)")
    output = run_case(case)
    assert "never-read" not in output
    assert output.splitlines() == json.loads((GOLDEN / f"{case}.json").read_text())["output"]
