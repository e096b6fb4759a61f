"""The self-contained HTML report (carbonledger.report.html): content, escaping, no external
resources, and a render in headless Chromium (skipped when Chromium is not installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.errors import FactorFallbackWarning
from carbonledger.indicators import track_target
from carbonledger.report.html import html_table, render_html_report, write_html_report
from carbonledger.scenario.peak import percentile_bands

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def inv():
    rows = pd.DataFrame({
        "year": [2020] * 4 + [2021] * 4,
        "sector": ["steel", "power", "residential", "agriculture"] * 2,
        "activity": ["fuel_combustion"] * 3 + ["enteric_fermentation"] +
                    ["fuel_combustion"] * 3 + ["enteric_fermentation"],
        "item": ["raw_coal", "raw_coal", "natural_gas", "sheep"] * 2,
        "value": [10.0, 50.0, 1000.0, 10000.0, 11.0, 48.0, 1100.0, 9000.0],
        "unit": ["wan_t", "wan_t", "wan_m3", "head"] * 2})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FactorFallbackWarning)
        return cl.compute_inventory(rows)


@pytest.fixture(scope="module")
def report(inv, tmp_path_factory):
    years = np.arange(2020, 2036)
    draws = 1.2e6 + np.random.default_rng(7).normal(0, 2e4, (200, years.size)).cumsum(axis=1)
    trajectories = pd.DataFrame({"baseline": np.median(draws, axis=0),
                                 HOSTILE: np.median(draws, axis=0) * np.linspace(1, 0.8,
                                                                                 years.size)},
                                index=years)
    track = track_target({2020: 0.80, 2021: 0.79}, base_year=2020, target_year=2025,
                         target_change=-0.125, name=f"energy intensity {HOSTILE}",
                         unit="tce/10^4 yuan")
    indicators = pd.DataFrame({"energy_intensity": [0.80, 0.79]},
                              index=pd.Index([2020, 2021], name="year"))
    path = write_html_report(
        tmp_path_factory.mktemp("html") / "report.html", inventory=inv,
        indicators_table=indicators, targets={"ei": track},
        scenarios={"trajectories": trajectories, "bands": {"baseline": percentile_bands(
            draws, years)}}, title=f"Test city {HOSTILE}")
    return path


def test_report_sections_and_numbers(inv, report):
    text = report.read_text(encoding="utf-8")
    for heading in ("1. Greenhouse-gas inventory", "2. Indicators and targets",
                    "3. Scenarios and the peak", "Sources and manifest", "Methane by source",
                    "Key categories"):
        assert heading in text
    total = inv.provincial_summary(year=2021, unit="wan_t").loc[
        (2021, "Total excluding LULUCF 总量（不含LULUCF）"), "total_co2e"]
    assert f"{total:,.2f}" in text                      # the summary table's total
    assert text.count('<img src="data:image/png;base64,') >= 7
    assert "baseline" in text and "peak_year" in text


def test_user_text_is_escaped(report):
    text = report.read_text(encoding="utf-8")
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<script" not in text.lower()


def test_self_contained(report):
    text = report.read_text(encoding="utf-8")
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", text)
    assert sources and all(s.startswith("data:") for s in sources)
    assert "<link" not in text and "url(" not in text and "@import" not in text


def test_html_table_formats_and_escapes():
    frame = pd.DataFrame({"t <CH4>": [1234.5678, float("nan")], "year": [2030.0, 2031.0],
                          "ok": [True, False]}, index=pd.Index(["a&b", "Total"], name="row"))
    page = html_table(frame, formats={"t <CH4>": 1}, total_rows=lambda r: r == "Total")
    assert "<th>t &lt;CH4&gt;</th>" in page and "<th>a&amp;b</th>" in page
    assert '<td class="n">1,234.6</td>' in page and '<td class="n">2030</td>' in page
    assert '<tr class="total">' in page and "<td>yes</td>" in page and "–" in page


def test_report_of_an_all_zero_inventory_renders():
    empty = cl.compute_inventory(pd.DataFrame({"year": [2020], "sector": ["steel"],
                                               "activity": ["fuel_combustion"],
                                               "item": ["raw_coal"], "value": [0.0],
                                               "unit": ["wan_t"]}))
    page = render_html_report(inventory=empty)
    assert "<h1>" in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed "
                    "(apt-get install -y chromium)")
def test_renders_in_headless_chromium(report, tmp_path):
    from PIL import Image

    shot = tmp_path / "shot.png"
    run = _run_chromium(["--enable-logging=stderr", "--v=0", f"--screenshot={shot}",
                         "--window-size=1280,2000", report.as_uri()], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    assert console == []                                   # no console errors or messages
    pixels = np.asarray(Image.open(shot).convert("L"), dtype="float64")
    assert pixels.shape == (2000, 1280)
    assert pixels.std() > 20                               # not blank
    assert (pixels < 128).mean() > 0.02                    # text and figures drawn
    dom = _run_chromium(["--dump-dom", report.as_uri()], tmp_path)
    assert dom.returncode == 0
    assert "1. Greenhouse-gas inventory" in dom.stdout and dom.stdout.count("<img") >= 7
