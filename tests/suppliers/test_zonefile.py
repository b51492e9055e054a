"""BIND zone files and Route 53 JSON exports: syntax edge cases and errors with line numbers."""

import json

from planner.suppliers.zonefile import parse_bind, parse_route53, parse_zone, ttl_seconds


def _by(data, rtype):
    return [r for r in data.records if r.rtype == rtype]


def test_ttl_units():
    assert ttl_seconds("3600") == 3600
    assert ttl_seconds("1h30m") == 5400
    assert ttl_seconds("2W") == 1209600
    assert ttl_seconds("IN") is None and ttl_seconds("1x") is None


def test_origin_ttl_blank_owner_and_relative_names():
    z = parse_bind(
        "$ORIGIN example.com.\n"
        "$TTL 1d\n"
        "@ IN NS ns1\n"  # relative target
        "  IN NS ns2.other.net.\n"  # blank owner: same as above
        "www 300 IN A 192.0.2.1\n"
        "www IN 300 AAAA 2001:db8::1\n"  # class before TTL
        "mail MX 10 mx1\n"  # no TTL, no class
        "$ORIGIN sub.example.com.\n"
        "api CNAME @\n"
    )
    assert z.problems == []
    assert z.origin == "example.com"
    ns = _by(z, "NS")
    assert [(r.owner, r.data[0], r.ttl, r.line) for r in ns] == [
        ("example.com", "ns1.example.com", 86400, 3),
        ("example.com", "ns2.other.net", 86400, 4),
    ]
    assert [(r.owner, r.ttl) for r in _by(z, "AAAA")] == [("www.example.com", 300)]
    assert _by(z, "MX")[0].targets == ["mx1.example.com"]
    assert _by(z, "MX")[0].ttl == 86400  # $TTL, not the previous record's explicit 300
    [cname] = _by(z, "CNAME")
    assert (cname.owner, cname.targets) == ("api.sub.example.com", ["sub.example.com"])


def test_multi_line_records_quotes_comments_and_escapes():
    z = parse_bind(
        "$ORIGIN example.com.\n"
        "@ IN SOA ns1.example.com. admin.example.com. ( ; comment inside parens\n"
        "  2024010101 ; serial\n"
        "  3600 900 1209600 300 )\n"
        'k1._domainkey IN TXT ( "v=DKIM1; k=rsa; "\n'
        '   "p=MIGf\\"quoted\\";semi" ) ; trailing comment\n'
        'note TXT "a;b" ; the ; inside quotes is text\n'
        "x\\046y A 192.0.2.7\n"
    )
    assert z.problems == []
    [soa] = _by(z, "SOA")
    assert soa.line == 2 and soa.data[2] == "2024010101" and len(soa.data) == 7
    dkim, note = _by(z, "TXT")
    assert dkim.line == 5 and dkim.text == 'v=DKIM1; k=rsa; p=MIGf"quoted";semi'
    assert note.text == "a;b"
    assert _by(z, "A")[0].owner == "x.y.example.com"  # \046 is '.'


def test_origin_from_soa_when_no_origin_directive():
    z = parse_bind("example.org. 3600 IN SOA ns.example.org. h.example.org. 1 2 3 4 5\n")
    assert z.origin == "example.org"


def test_broken_records_are_reported_and_parsing_goes_on():
    z = parse_bind(
        "$ORIGIN example.com.\n"
        "  IN A 192.0.2.1\n"  # line 2: blank owner before any record
        "bad IN MX 10\n"  # line 3: MX lacks the exchange
        'quote TXT "never closed\n'  # line 4
        "ok IN NS ns1.example.net.\n"  # line 5: still read
        "$INCLUDE other.zone\n"  # line 6: not followed
        "$BOGUS x\n"  # line 7
        'tail IN TXT ( "x"\n'  # line 8: parenthesis never closed
        "more IN A 192.0.2.2\n"
    )
    lines = dict(z.problems)
    assert "no earlier record" in lines[2]
    assert "needs 2 data fields" in lines[3]
    assert "unterminated quoted string" in lines[4]
    assert "not followed" in lines[6]
    assert "cannot read directive" in lines[7]
    assert "never closed" in lines[8]
    assert [(r.owner, r.line) for r in _by(z, "NS")] == [("ok.example.com", 5)]


def test_garbage_is_reported_not_raised():
    z = parse_zone('\x01\x02 (((\n)))) "\n;;\n' * 50)
    assert z.problems and len(z.problems) <= 21


def test_route53_export():
    doc = {
        "ResourceRecordSets": [
            {
                "Name": "shop.example.",
                "Type": "NS",
                "TTL": 172800,
                "ResourceRecords": [
                    {"Value": "ns-1536.awsdns-00.co.uk."},
                    {"Value": "ns-0.awsdns-00.com."},
                ],
            },
            {
                "Name": "shop.example.",
                "Type": "TXT",
                "TTL": 300,
                "ResourceRecords": [{"Value": '"v=spf1 include:amazonses.com" " ~all"'}],
            },
            {
                "Name": "shop.example.",
                "Type": "MX",
                "TTL": 300,
                "ResourceRecords": [{"Value": "10 inbound-smtp.eu-west-1.amazonaws.com."}],
            },
            {
                "Name": "www.shop.example.",
                "Type": "A",
                "AliasTarget": {
                    "HostedZoneId": "Z2FDTNDATAQYW2",
                    "DNSName": "d111111abcdef8.cloudfront.net.",
                    "EvaluateTargetHealth": False,
                },
            },
            {
                "Name": "\\052.shop.example.",
                "Type": "CNAME",
                "TTL": 60,
                "ResourceRecords": [{"Value": "www.shop.example"}],
            },
        ]
    }
    text = json.dumps(doc, indent=2)
    z = parse_zone(text)
    assert z.format == "route53" and z.problems == []
    assert z.origin == "shop.example"
    assert [r.data[0] for r in _by(z, "NS")] == ["ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com"]
    assert _by(z, "TXT")[0].text == "v=spf1 include:amazonses.com ~all"
    assert _by(z, "MX")[0].targets == ["inbound-smtp.eu-west-1.amazonaws.com"]
    [alias] = _by(z, "ALIAS")
    assert alias.owner == "www.shop.example" and alias.targets == ["d111111abcdef8.cloudfront.net"]
    assert _by(z, "CNAME")[0].owner == "*.shop.example"
    # each record set's line is the line of its "Name"
    lines = text.splitlines()
    assert all('"Name"' in lines[r.line - 1] for r in z.records)


def test_route53_bare_list_and_errors():
    z = parse_route53(
        '[{"Name": "a.example.", "Type": "NS", "ResourceRecords": [{"Value": "ns1.x.net."}]}]'
    )
    assert [r.data[0] for r in z.records] == ["ns1.x.net"]
    broken = parse_route53('{\n  "ResourceRecordSets": [\n    {"Name": "a.",\n')
    assert broken.records == [] and broken.problems[0][0] == 4
    assert "JSON syntax" in broken.problems[0][1]
    other = parse_route53('{"hello": 1}')
    assert other.problems == [(1, "no ResourceRecordSets list: not a Route 53 export")]
    partial = parse_route53(
        '[{"Name": "a."}, {"Name": "b.", "Type": "MX", "ResourceRecords": [{"Value": "10"}]}]'
    )
    assert len(partial.problems) == 2 and partial.records == []
