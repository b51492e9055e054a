"""Sources in the regulator-facing draft: the official texts first (EUR-Lex for DORA, its RTS and
the Data Act; AWS's own pages for egress prices and the exit waiver), secondary summaries only as
extras, and no staging or test hosts anywhere in the seeds."""

from __future__ import annotations

import re
from pathlib import Path

from planner.io.seeds import load_yaml_seed, seeds_dir
from planner.io.transfer_seeds import transfer_seeds
from planner.report.regulation import SEED, RegulationSeed
from planner.report.render import render_report

DORA = "https://eur-lex.europa.eu/eli/reg/2022/2554/oj"
DORA_RTS = "https://eur-lex.europa.eu/eli/reg_del/2024/1773/oj"
DATA_ACT = "https://eur-lex.europa.eu/eli/reg/2023/2854/oj"
AWS_PRICING = "https://aws.amazon.com/ec2/pricing/on-demand/"
AWS_WAIVER = (
    "https://aws.amazon.com/blogs/aws/free-data-transfer-out-to-internet-when-moving-out-of-aws/"
)
NON_PRODUCTION_HOST = re.compile(
    r"https?://(uat|staging|stage|preprod)[.-]", re.I
)  # not dev.: docs


def test_regulation_cites_the_official_texts_before_any_summary():
    seed = load_yaml_seed(SEED, RegulationSeed)
    urls = [s.url for s in seed.sources]
    for official in (DORA, DORA_RTS, DATA_ACT, AWS_WAIVER):
        assert official in urls
    secondary = [i for i, s in enumerate(seed.sources) if "secondary" in s.title]
    official = [i for i, s in enumerate(seed.sources) if s.url in (DORA, DORA_RTS, DATA_ACT)]
    assert secondary and max(official) < min(secondary), "summaries only after the texts"
    by_url = {s.url: s for s in seed.sources}
    assert by_url[DORA].claim is not None and "28(8)" in by_url[DORA].claim
    assert by_url[DATA_ACT].claim is not None and "Art. 25" in by_url[DATA_ACT].claim
    assert "Art. 29" in by_url[DATA_ACT].claim


def test_egress_prices_and_waiver_cite_aws():
    egress = transfer_seeds().egress
    standard = egress.schedules["us-eu-standard"].source
    assert standard.url == AWS_PRICING and standard.publisher is not None
    assert standard.publisher.startswith("AWS")
    assert egress.free_tier.source.url == AWS_PRICING
    assert egress.waiver.source.url == AWS_WAIVER
    assert egress.waiver.source.publisher is not None
    assert egress.waiver.source.publisher.startswith("AWS")


def test_no_seed_points_at_a_staging_or_test_host():
    root = Path(seeds_dir())
    hits = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*"))
        if path.suffix in (".yaml", ".yml", ".csv", ".json", ".md")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NON_PRODUCTION_HOST.search(line)
    ]
    assert hits == []


def test_the_draft_lists_the_official_texts(plan_small):
    report = render_report(plan_small)
    sources = report.data.exit_plan.sources
    assert any(DORA in s for s in sources) and any(DATA_ACT in s for s in sources)
    assert DORA in report.markdown and DATA_ACT in report.html
    assert "uat." not in report.markdown
