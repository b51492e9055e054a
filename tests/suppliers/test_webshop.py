"""A realistic web shop: CDN, e-mail, SMS, payments and hosted DNS, seen in code, manifests,
Terraform, a zone file and SSH-discovered connections (fixtures under fixtures/webshop)."""

from pathlib import Path

import pytest

from planner.audit.render import to_markdown, verdict
from planner.audit.run import run_audit

SHOP = Path(__file__).parent / "fixtures" / "webshop"


@pytest.fixture(scope="module")
def report():
    return run_audit(
        SHOP / "inventory.yaml",
        iac=[SHOP / "infra"],
        code=[SHOP / "app", SHOP / "mobile"],
        dns=[SHOP / "dns" / "shop.example.zone"],
    )


def _ev(report, supplier):
    found = next(s for s in report.suppliers if s.supplier == supplier)
    return {(Path(e.path).name, e.line, e.signal) for e in found.evidence}


def test_every_supplier_of_the_shop_is_found(report):
    assert report.unparsed == []
    assert {s.supplier for s in report.suppliers if s.classified} == {
        "cloudflare-dns",
        "cloudflare-cdn",
        "mailgun",
        "twilio",
        "stripe",
        "sentry",
        "letsencrypt",
        "quad9",
        "apns",
        "apple-app-store",
        "apt-mirrors",
        "docker-hub",
        "pypi",
    }


def test_evidence_comes_with_files_and_lines(report):
    assert ("checkout.py", 4, "import:stripe") in _ev(report, "stripe")
    assert ("checkout.py", 7, "env:STRIPE_SECRET_KEY") in _ev(report, "stripe")
    assert ("requirements.txt", 4, "package:pypi:stripe") in _ev(report, "stripe")
    assert ("inventory.yaml", 9, "connection:api.twilio.com:443") in _ev(report, "twilio")
    assert ("shop.example.zone", 10, "dns:NS ada.ns.cloudflare.com") in _ev(
        report, "cloudflare-dns"
    )
    assert ("main.tf", 7, "terraform:cloudflare_zone") in _ev(report, "cloudflare-dns")
    cdn = _ev(report, "cloudflare-cdn")
    assert ("main.tf", 11, "terraform:cloudflare_record.proxied") in cdn
    assert ("main.tf", 19, "terraform:cloudflare_record.proxied") not in cdn  # proxied = false
    assert ("shop.example.zone", 16, "dns:CNAME www.shop.example.cdn.cloudflare.net") in cdn
    assert ("inventory.yaml", 10, "connection:104.16.132.229:443") in cdn  # published range
    mail = _ev(report, "mailgun")
    assert ("shop.example.zone", 12, "dns:MX mxa.eu.mailgun.org") in mail
    assert ("shop.example.zone", 14, "dns:TXT include:mailgun.org") in mail
    assert ("settings.py", 6, "host:api.eu.mailgun.net") in mail
    assert ("inventory.yaml", 23, "mail-relay:smtp.eu.mailgun.org:587") in mail  # postfix relayhost
    assert ("shop.example.zone", 15, "dns:CAA letsencrypt.org") in _ev(report, "letsencrypt")
    assert ("inventory.yaml", 18, "implied-by:apns") in _ev(report, "apple-app-store")


def test_unknown_outside_endpoints_are_listed_not_dropped(report):
    unknown = {s.supplier: s for s in report.suppliers if not s.classified}
    assert set(unknown) == {"unclassified:34.160.111.32", "unclassified:b-cdn.net"}
    relay = unknown["unclassified:34.160.111.32"]
    assert relay.function == "mail relay (SMTP submission)"
    assert [(e.line, e.detail) for e in relay.evidence] == [(17, "worker-1 (postfix)")]
    assert unknown["unclassified:b-cdn.net"].function == "service behind a CNAME"
    # private, loopback, link-local addresses and the inventory's own hosts are not suppliers
    signals = {e.signal for s in report.suppliers for e in s.evidence}
    for address in ("10.0.2.20", "127.0.0.1", "169.254.169.254", "10.0.1.10", "10.0.0.2"):
        assert not any(address in s for s in signals), address


def test_supplier_dimension_and_explanation(report):
    dims = {d.id: d for d in report.dimensions}
    assert dims["lock-in"].level == "low"
    assert report.score == max(d.score for d in dims.values()) == dims["suppliers"].score
    stripe = next(line for line in report.supplier_explain.lines if line.supplier == "stripe")
    # weeks 3 + degraded 1 + only payment processor 1 = 5 of 7
    assert (stripe.points, stripe.max_points, stripe.risk) == (5, 7, 71)
    assert any("only supplier" in r for r in stripe.reasons)
    top = report.supplier_explain.lines[0]
    assert top.supplier == "apns" and top.points == 6  # months 4 + degraded 1 + single 1
    assert report.supplier_explain.formula.startswith("score = max risk 86 (apns)")


def test_rendered_outputs_show_suppliers(report):
    md = to_markdown(report)
    assert "## Outside suppliers" in md and "| Stripe |" in md
    assert "Single points of supplier failure: score = max risk" in md
    assert "suppliers very-high" in verdict(report)
