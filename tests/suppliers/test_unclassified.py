"""Outside endpoints from SSH discovery: classified, unclassified, or not a supplier at all."""

from planner.audit.observations import Observations
from planner.models import Inventory
from planner.suppliers.load import default_supplier_catalog
from planner.suppliers.match import base_domain, match_suppliers
from planner.suppliers.readers.inventory import is_outside, scan_inventory


def _inventory(connections, resolvers=(), extra=()):
    servers = [
        {
            "id": "app-1",
            "role": "app",
            "address": "10.1.0.5",
            "hostname": "app-1.internal",
            "connections": connections,
            "resolvers": list(resolvers),
        },
        {"id": "db-1", "role": "db", "address": "10.1.0.9", "public_address": "198.51.100.9"},
        *extra,
    ]
    return Inventory.model_validate({"schema_version": 1, "servers": servers})


def _match(inventory):
    cat = default_supplier_catalog()
    endpoints, tokens = scan_inventory(inventory, "inv.yaml", cat)
    obs = Observations(tokens=tokens)
    return match_suppliers(obs, endpoints, [], cat)


def test_is_outside():
    assert is_outside("8.8.8.8") and is_outside("2606:4700:4700::1111")
    for private in (
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "224.0.0.1",
        "0.0.0.0",
        "::ffff:10.0.0.1",
        "not-an-address",
    ):
        assert not is_outside(private), private


def test_unknown_public_endpoints_become_unclassified_suppliers():
    m = _match(
        _inventory(
            [
                {"remote_address": "185.12.64.1", "remote_port": 443, "process": "java"},
                {"remote_address": "185.12.64.1", "remote_port": 25, "process": "postfix"},
                {
                    "remote_address": "37.120.1.2",
                    "remote_port": 8443,
                    "remote_host": "feeds.partner.example",
                },
            ],
            resolvers=["80.80.80.80"],
        )
    )
    unknown = {k: v.functions for k, v in m.unknown.items()}
    assert unknown == {
        "unclassified:185.12.64.1": ["HTTPS API or web service", "mail relay (SMTP)"],
        "unclassified:feeds.partner.example": ["service on port 8443"],
        "unclassified:80.80.80.80": ["DNS resolver"],
    }
    signals = sorted(h.signal for h in m.hits)
    assert signals == [
        "connection:185.12.64.1:25",
        "connection:185.12.64.1:443",
        "connection:feeds.partner.example:8443",
        "resolver:80.80.80.80",
    ]


def test_private_own_hosts_and_the_cloud_itself_are_not_suppliers():
    m = _match(
        _inventory(
            [
                {"remote_address": "10.1.0.9", "remote_port": 5432},  # inventory host
                {"remote_address": "198.51.100.9", "remote_port": 5432},  # its public address
                {
                    "remote_address": "52.95.110.1",
                    "remote_port": 443,
                    "remote_host": "app-1.internal",
                },
                {"remote_address": "127.0.0.1", "remote_port": 6379},
                {"remote_address": "169.254.169.254", "remote_port": 80},
                {
                    "remote_address": "52.218.1.1",
                    "remote_port": 443,
                    "remote_host": "s3.eu-west-1.amazonaws.com",
                },
            ],
            resolvers=["10.1.0.2", "169.254.169.253"],
        )
    )
    assert m.hits == [] and m.unknown == {}


def test_known_names_and_published_ranges_are_classified():
    m = _match(
        _inventory(
            [
                {
                    "remote_address": "10.9.9.9",
                    "remote_port": 443,
                    "remote_host": "api.twilio.com",
                },  # via NAT
                {"remote_address": "151.101.65.140", "remote_port": 443},
                {
                    "remote_address": "email-smtp.eu-west-1.amazonaws.com",
                    "remote_port": 587,
                    "remote_host": "email-smtp.eu-west-1.amazonaws.com",
                },
            ],
            resolvers=["1.1.1.1", "2001:4860:4860::8888"],
        )
    )
    assert sorted({h.supplier for h in m.hits}) == [
        "cloudflare-resolver",
        "fastly",
        "google-public-dns",
        "ses",
        "twilio",
    ]
    assert m.unknown == {}


def test_base_domain():
    assert base_domain("mx1.mail.example.co.uk.") == "example.co.uk"
    assert base_domain("a.b.example.com") == "example.com"
    assert base_domain("example.com") == "example.com"


def _relays_inventory(relays):
    servers = [
        {
            "id": "app-1",
            "role": "app",
            "hostname": "app-1.prod.example.com",
            "mail_relays": [{"agent": "postfix", **r} for r in relays],
        },
        {"id": "mx-1", "role": "mail", "hostname": "mx-1.prod.example.com", "address": "10.1.0.25"},
    ]
    return Inventory.model_validate({"schema_version": 1, "servers": servers})


def test_configured_mail_relays_outside_the_fleet_are_suppliers():
    m = _match(
        _relays_inventory(
            [
                {"host": "smtp.sendgrid.net", "port": 587, "path": "/etc/postfix/main.cf"},
                {"host": "relay.mail-partner.net", "port": 25},
                {"host": "185.12.64.77"},
            ]
        )
    )
    assert {h.supplier: h.signal for h in m.hits} == {
        "sendgrid": "mail-relay:smtp.sendgrid.net:587",
        "unclassified:relay.mail-partner.net": "mail-relay:relay.mail-partner.net:25",
        "unclassified:185.12.64.77": "mail-relay:185.12.64.77",
    }
    assert m.unknown["unclassified:relay.mail-partner.net"].functions == ["outbound e-mail relay"]
    sendgrid = next(h for h in m.hits if h.supplier == "sendgrid")
    assert sendgrid.detail == "app-1 (postfix /etc/postfix/main.cf)"
    assert sendgrid.origin == "inventory:mail-relay"


def test_mail_relays_inside_the_fleet_are_not_suppliers():
    inside = [
        {"host": "mx-1.prod.example.com"},  # an inventory host, by name
        {"host": "10.1.0.25"},  # ... by address
        {"host": "smtp.prod.example.com"},  # the fleet's own domain
        {"host": "10.20.0.25"},  # a private address
        {"host": "mailrelay"},  # one label: resolved by the search domain
        {"host": "relay.eu-west-1.compute.internal"},
        {"host": "mail.corp"},
    ]
    assert _match(_relays_inventory(inside)).hits == []


def test_a_known_supplier_relay_counts_even_under_a_private_looking_name():
    m = _match(_relays_inventory([{"host": "example-com.mail.protection.outlook.com"}]))
    assert [h.supplier for h in m.hits] == ["microsoft-365-mail"]
