"""Edge cases of the mail-relay parser that the recorded hosts do not show."""

from __future__ import annotations

import pytest

from planner.discovery.ssh.probes.base import ProbeOutputError
from planner.discovery.ssh.probes.mail_relays import AGENTS, parse, split_hostport


def _output(**sections: list[str]) -> str:
    lines: list[str] = []
    for name in ("postfix", "postconf", *AGENTS[1:]):
        lines.append(f"@@exitplan:{name}@@")
        lines.extend(sections.get(name, []))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("[smtp.example.com]:587", ("smtp.example.com", 587)),
        ("smtp.example.com:25", ("smtp.example.com", 25)),
        ("smtp.example.com", ("smtp.example.com", None)),
        ("SMTP.Example.COM.", ("smtp.example.com", None)),
        ("[ipv6:2001:db8::25]:587", ("2001:db8::25", 587)),
        ("2001:db8::25", ("2001:db8::25", None)),
        ("smtp:[relay.example.net]:2525", ("relay.example.net", 2525)),
        ("smtps+auth://label@smtp.example.com:465", ("smtp.example.com", 465)),
        ("$relay_via", (None, None)),
        ("SMARTHOST_MACRO", (None, None)),
        ("", (None, None)),
        ("[relay]:99999", ("relay", None)),
    ],
)
def test_split_hostport(spec, expected):
    assert split_hostport(spec) == expected


def test_postfix_lists_and_an_unresolvable_expansion():
    relays = parse(
        _output(
            postfix=[
                "/etc/postfix/main.cf:3:relayhost = $unknown_macro",
                "/etc/postfix/main.cf:4:smtp_fallback_relay = [a.example.net]:587, b.example.net",
            ]
        )
    )
    assert [(r.host, r.port, r.line) for r in relays] == [
        ("a.example.net", 587, 4),
        ("b.example.net", None, 4),
    ]


def test_postconf_alone_names_the_relay_without_a_line():
    relays = parse(_output(postconf=["[smtp.example.net]:587"]))
    assert [(r.host, r.port, r.path, r.line) for r in relays] == [
        ("smtp.example.net", 587, None, None)
    ]


def test_exim_route_list_quoted_and_unquoted_and_configtype_order():
    relays = parse(
        _output(
            exim=[
                '/etc/exim/exim.conf:812:route_list = * "relay1.example.net::587 : '
                'relay2.example.net" byname',
                "/etc/exim/exim.conf:820:route_data = ${lookup{$domain}lsearch{/etc/routes}}",
                "/etc/exim4/exim4.conf:700:route_list = * DCsmarthost byname",
                "/etc/exim4/update-exim4.conf.conf:20:dc_smarthost='satellite.example.net'",
                "/etc/exim4/update-exim4.conf.conf:21:dc_eximconfig_configtype='satellite'",
            ]
        )
    )
    assert [(r.host, r.port, r.line) for r in relays] == [
        ("relay1.example.net", 587, 812),
        ("relay2.example.net", None, 812),
        ("satellite.example.net", None, 20),
    ]


def test_msmtp_port_before_host_in_an_account_belongs_to_that_account():
    relays = parse(
        _output(
            msmtp=[
                "/etc/msmtprc:2:account        a",
                "/etc/msmtprc:3:host           a.example.net",
                "/etc/msmtprc:5:account        b",
                "/etc/msmtprc:6:port           2525",
                "/etc/msmtprc:7:host           b.example.net",
            ]
        )
    )
    assert [(r.host, r.port) for r in relays] == [("a.example.net", None), ("b.example.net", 2525)]


def test_a_line_that_is_not_grep_output_is_an_error():
    with pytest.raises(ProbeOutputError, match="ssmtp"):
        parse(_output(ssmtp=["mailhub=smtp.example.net"]))
