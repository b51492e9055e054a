"""The supplier rules load, validate against the vocabulary and own their signals alone."""

import pytest

from planner.audit.observations import Token
from planner.errors import SeedError
from planner.suppliers.load import default_supplier_catalog, load_supplier_catalog
from planner.suppliers.readers.manifests import scan_manifest


def test_rules_are_consistent(repo):
    cat = default_supplier_catalog()
    assert cat.conflicts == []
    assert len(cat.rules) == len(list((repo / "seeds/suppliers").glob("[!_]*.yaml")))
    categories = {r.category for r in cat.rules.values()}
    assert categories == set(cat.vocabulary.categories)  # every category has a rule
    for rule in cat.rules.values():
        assert rule.sources and all(s.as_of for s in rule.sources)
        assert rule.alternatives


def test_lookups():
    cat = default_supplier_catalog()
    assert cat.owner_of_host("API.Twilio.com.") == "twilio"
    assert cat.owner_of_host("example.com") is None
    assert cat.owner_of_address("104.16.0.1") == "cloudflare-cdn"
    assert cat.owner_of_address("1.1.1.1") == "cloudflare-resolver"
    assert cat.owner_of_package("pypi", "Sentry_SDK") == "sentry"
    assert cat.owner_of_package("go", "github.com/stripe/stripe-go/v76") == "stripe"
    assert cat.owner_of_package("maven", "io.sentry:sentry-spring-boot") == "sentry"
    assert cat.owner_of_import("twilio.rest") == "twilio"
    assert cat.owner_of_dns("ns", "NS-12.AWSDNS-34.CO.UK.") == "route53-dns"
    assert cat.owner_of_dns("txt", "v=spf1 include:sendgrid.net -all") == "sendgrid"


def test_a_rule_with_a_wrong_id_or_category_is_a_seed_error(tmp_path, repo):
    src = repo / "seeds/suppliers"
    (tmp_path / "_vocabulary.yaml").write_text((src / "_vocabulary.yaml").read_text())
    (tmp_path / "other.yaml").write_text((src / "twilio.yaml").read_text())
    with pytest.raises(SeedError, match="does not match the file name"):
        load_supplier_catalog(tmp_path)
    (tmp_path / "other.yaml").unlink()
    text = (src / "twilio.yaml").read_text().replace("category: sms", "category: telegraph")
    (tmp_path / "twilio.yaml").write_text(text)
    with pytest.raises(SeedError, match="not in the vocabulary"):
        load_supplier_catalog(tmp_path)


def _names(tokens: list[Token]) -> list[tuple[str, int | None]]:
    return [(t.token, t.line) for t in tokens]


def test_manifests_with_line_numbers():
    pyproject = (
        '[project]\nname = "shop"\ndependencies = [\n  "stripe>=9",\n  "requests",\n]\n'
        '[project.optional-dependencies]\nobs = ["sentry-sdk[django]==2.5"]\n'
        '[tool.poetry.dependencies]\npython = "^3.12"\ntwilio = "^9.0"\n'
    )
    assert _names(scan_manifest(pyproject, "pyproject.toml", "p", "w")) == [
        ("pkg:pypi:stripe", 4),
        ("pkg:pypi:requests", 5),
        ("pkg:pypi:sentry-sdk", 8),
        ("pkg:pypi:twilio", 11),
    ]
    gomod = (
        "module x\n\nrequire (\n\tgithub.com/stripe/stripe-go/v76 v76.1.0\n"
        "\tgolang.org/x/net v0.20.0 // indirect\n)\n"
    )
    assert _names(scan_manifest(gomod, "go.mod", "p", "w")) == [
        ("pkg:go:github.com/stripe/stripe-go/v76", 4),
        ("pkg:go:golang.org/x/net", 5),
    ]
    gradle = (
        "dependencies {\n    implementation 'com.twilio.sdk:twilio:10.0.0'\n"
        '    implementation("io.sentry:sentry:7.0.0")\n}\n'
    )
    assert _names(scan_manifest(gradle, "build.gradle", "p", "w")) == [
        ("pkg:maven:com.twilio.sdk:twilio", 2),
        ("pkg:maven:io.sentry:sentry", 3),
    ]
    pipfile = '[packages]\nstripe = "*"\n[dev-packages]\npytest = "*"\n'
    assert _names(scan_manifest(pipfile, "Pipfile", "p", "w")) == [
        ("pkg:pypi:stripe", 2),
        ("pkg:pypi:pytest", 4),
    ]
    gemfile = "source 'https://rubygems.org'\ngem 'stripe', '~> 10'\n  gem(\"sentry-ruby\")\n"
    assert _names(scan_manifest(gemfile, "Gemfile", "p", "w")) == [
        ("pkg:rubygems:stripe", 2),
        ("pkg:rubygems:sentry-ruby", 3),
    ]
    req = "# pinned\n-r base.txt\nstripe==9.0 ; python_version > '3.8'\nsentry-sdk[flask]\ngit+https://x/y.git\n"
    assert _names(scan_manifest(req, "requirements-prod.txt", "p", "w")) == [
        ("pkg:pypi:stripe", 3),
        ("pkg:pypi:sentry-sdk", 4),
    ]


def test_broken_manifests_yield_nothing_and_never_raise():
    for name in ("package.json", "pyproject.toml", "Pipfile"):
        assert scan_manifest("{{{ not [valid", name, "p", "w") == []
    assert scan_manifest("anything", "README.md", "p", "w") == []
