"""Figures of reports (carbonledger.report.charts, scenario_charts, fonts): smoke tests (file
written, axes labelled) plus the numbers the figures must show."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger import quality
from carbonledger.errors import ActivityDataError, FactorFallbackWarning
from carbonledger.indicators import track_target
from carbonledger.report import charts, fonts, scenario_charts
from carbonledger.report.figures import emissions_by_sector, save_figure
from carbonledger.scenario.decompose import lmdi
from carbonledger.scenario.peak import percentile_bands


@pytest.fixture(scope="module")
def inv():
    rows = pd.DataFrame({
        "year": [2020] * 5 + [2021] * 5,
        "sector": ["steel", "power", "residential", "building_materials", "agriculture"] * 2,
        "activity": ["fuel_combustion", "fuel_combustion", "fuel_combustion",
                     "clinker_production", "enteric_fermentation"] * 2,
        "item": ["raw_coal", "raw_coal", "natural_gas", "clinker", "sheep"] * 2,
        "value": [10.0, 50.0, 1000.0, 20.0, 10000.0, 11.0, 48.0, 1100.0, 18.0, 9000.0],
        "unit": ["wan_t", "wan_t", "wan_m3", "wan_t", "head"] * 2})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FactorFallbackWarning)
        return cl.compute_inventory(rows)


def _saved(fig, tmp_path, name: str, formats=("png",)) -> None:
    """The figure has a title and labelled axes, and saves as a non-empty file (PNG at a low
    resolution to keep the tests fast; one test writes PNG and SVG at the default)."""
    assert fig.axes[0].get_title() or (fig._suptitle and fig._suptitle.get_text())
    assert any(ax.get_xlabel() or ax.get_ylabel() for ax in fig.axes)
    paths = save_figure(fig, tmp_path / name, formats=formats,
                        **({"dpi": 40} if formats == ("png",) else {}))
    assert [p.suffix for p in paths] == ["." + f for f in formats]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert not plt.fignum_exists(fig.number)


def test_gas_shares(inv, tmp_path):
    fig = charts.gas_shares(inv)
    ring, bars = fig.axes[0], fig.axes[1]
    legend = [t.get_text() for t in ring.get_legend().get_texts()]
    co2 = inv.summary(by=["year", "gas"], scope=1).loc[(2021, "CO2"), "co2e_t"]
    total = inv.totals().loc[2021, "scope1_co2e_t"]
    assert legend[0].startswith("CO2") and f"({co2 / total:.1%})" in legend[0]
    assert "CO2e" in bars.get_ylabel() and bars.get_xlabel().startswith("Year")
    _saved(fig, tmp_path, "gas", formats=("png", "svg"))


def test_gas_shares_rejects_a_year_without_data(inv):
    with pytest.raises(ActivityDataError, match="no emissions in 2019"):
        charts.gas_shares(inv, year=2019)


def test_energy_mix_total_equals_energy_totals(inv, tmp_path):
    fig = charts.energy_mix(inv)
    ax = fig.axes[0]
    line = next(ln for ln in ax.lines if ln.get_marker() == "o")
    np.testing.assert_allclose(line.get_ydata(), inv.energy_totals()["total_tce"] / 1e4)
    assert "10^4 tce" in ax.get_ylabel() and ax.get_legend() is not None
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("total") and any(t.startswith("coal") for t in labels)
    _saved(fig, tmp_path, "energy")


def test_key_category_pareto(inv, tmp_path):
    table = quality.key_categories(inv, year=2021, base_year=2020)
    fig = charts.key_category_pareto(table)
    ax = fig.axes[0]
    widths = sorted((p.get_width() for p in ax.patches), reverse=True)[:len(table)]
    np.testing.assert_allclose(widths, np.sort(table["level_share"].to_numpy())[::-1] * 100)
    assert f"{int(table['level_key'].sum())} of {len(table)}" in ax.get_title()
    _saved(fig, tmp_path, "pareto")
    with pytest.raises(ActivityDataError, match="key_category_pareto needs"):
        charts.key_category_pareto(pd.DataFrame({"x": [1.0]}))


def test_lmdi_waterfall_keeps_every_bar_in_view(tmp_path):
    """The LMDIR "simple example" (Heun & Brockway 2019, Applied Energy 251:112697, SI S3):
    aggregate 80 -> 180, effects 69.790066, -9.455126, 39.665060; here in Mt (x 1e6 t)."""
    x0 = pd.DataFrame([[1.0, 10.0, 2.0], [4.0, 5.0, 3.0]], index=["s1", "s2"],
                      columns=["f1", "f2", "f3"]) * [1e6, 1, 1]
    xT = pd.DataFrame([[4.0, 5.0, 3.0], [5.0, 6.0, 4.0]], index=["s1", "s2"],
                      columns=["f1", "f2", "f3"]) * [1e6, 1, 1]
    effects = lmdi(x0, xT)
    fig = scenario_charts.lmdi_waterfall(effects, start_t=80e6, start_label="1971",
                                         end_label="1972")
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert low <= 0 and high >= 80 + 69.790066
    labels = [t.get_text() for t in ax.texts]
    assert "+69.79" in labels and "-9.46" in labels and "180.00" in labels
    assert ax.get_ylabel() == "Mt CO2"
    _saved(fig, tmp_path, "lmdi")
    with pytest.raises(ActivityDataError, match="start value"):
        scenario_charts.lmdi_waterfall(effects)


def test_fan_chart_from_percentile_bands(tmp_path):
    years = np.arange(2020, 2041)
    draws = 3e7 + np.random.default_rng(1).normal(0, 1e6, (300, years.size)).cumsum(axis=1)
    bands = percentile_bands(draws, years)
    fig = scenario_charts.fan_chart(bands, p_peak=0.42, central=pd.Series(draws[0], years))
    ax = fig.axes[0]
    assert ax.get_ylabel().startswith("Mt CO2 per year") and ax.get_xlabel().startswith("Year")
    assert any(ln.get_xdata()[0] == 2030 for ln in ax.lines)          # the deadline line
    assert any("P(peak <= 2030) = 42%" in t.get_text() for t in ax.texts)
    median = next(ln for ln in ax.lines if "median" in ln.get_label())
    np.testing.assert_allclose(median.get_ydata(), bands["p50"] / 1e6)
    assert all(float(t).is_integer() for t in ax.get_xticks())
    _saved(fig, tmp_path, "fan")


def test_scenario_trajectories_from_a_table(tmp_path):
    years = np.arange(2020, 2036)
    frame = pd.DataFrame({"baseline": 1e7 + 1e5 * np.minimum(years - 2020, 8),
                          "renewables": 1e7 - 5e4 * (years - 2020)}, index=years)
    frame.loc[2029:, "baseline"] -= 2e5 * np.arange(1, 8)
    fig = scenario_charts.scenario_trajectories(frame)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["baseline (peak 2028)", "renewables (peak 2020)"]
    assert fig.axes[0].get_ylabel().startswith("Mt CO2 per year")
    _saved(fig, tmp_path, "trajectories")


def test_scenario_figures_hand_results_to_the_scenario_module(tmp_path):
    from carbonledger.scenario import run_scenario

    rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity": ["fuel_combustion"],
                         "item": ["coke"], "value": [10.0], "unit": ["wan_t"]})
    spec = {"inventory": {"activity": rows, "base_year": 2020},
            "years": {"start": 2020, "end": 2035},
            "sectors": {"steel": {"activity": {"growth": {
                "2021": {"dist": "normal", "mean": 0.04, "sd": 0.01}, "2030": -0.04}}}}}
    res = run_scenario(spec, draws=40, seed=1)
    fig = scenario_charts.fan_chart(res)
    assert len(fig.axes) == 2 and fig.axes[1].get_xlabel() == "Peak year"
    _saved(fig, tmp_path, "fan_result")
    fig = scenario_charts.scenario_trajectories([res])
    assert fig.axes[0].get_ylabel() == "Mt CO2 per year"
    _saved(fig, tmp_path, "trajectories_result")


def test_target_progress_rebuilds_the_series(tmp_path):
    """Gansu energy intensity -12.5 % 2025 vs 2020 (甘政发〔2022〕41号), illustrative data."""
    data = {2020: 0.80, 2021: 0.79, 2022: 0.77, 2023: 0.75}
    track = track_target(data, base_year=2020, target_year=2025, target_change=-0.125,
                         name="energy intensity", unit="tce/10^4 yuan")
    fig = charts.target_progress(track)
    ax = fig.axes[0]
    actual = next(ln for ln in ax.lines if ln.get_label() == "actual")
    np.testing.assert_allclose(actual.get_ydata(), list(data.values()))
    assert ax.get_ylabel() == "tce/10^4 yuan"
    assert any("target 0.7" in t.get_text() for t in ax.texts)
    _saved(fig, tmp_path, "target")


def test_emissions_by_sector_legend_follows_the_stack(inv, tmp_path):
    frame = inv.summary(by=["year", "sector"]).reset_index()
    fig = emissions_by_sector(frame)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == "net total" and labels[-1] == "power"   # largest sector at the bottom
    _saved(fig, tmp_path, "sectors")


def test_without_a_cjk_font_labels_fall_back_to_english(inv, monkeypatch, tmp_path):
    monkeypatch.delenv("CARBONLEDGER_FONT", raising=False)
    monkeypatch.setattr(fonts, "_discover", lambda: None)
    with pytest.warns(fonts.MissingFontWarning, match="English only"):
        fig = charts.energy_mix(inv)
    assert fig.axes[0].get_xlabel() == "Year"
    assert fonts.font_family() == ["DejaVu Sans"]
    _saved(fig, tmp_path, "english")
    monkeypatch.setenv("CARBONLEDGER_FONT", "none")
    with warnings.catch_warnings():
        warnings.simplefilter("error", fonts.MissingFontWarning)
        assert fonts.bilingual("Year", "年份") == "Year"


@pytest.mark.skipif(not fonts.has_cjk(), reason="no CJK font on this machine")
def test_chinese_labels_render_with_the_cjk_font(inv, tmp_path):
    fig = charts.energy_mix(inv)
    assert fig.axes[0].get_xlabel() == "Year 年份"
    assert fig.axes[0].xaxis.label.get_fontfamily() == fonts.font_family()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        _saved(fig, tmp_path, "chinese")


@pytest.mark.skipif(not fonts.has_cjk(), reason="no CJK font on this machine")
def test_font_from_a_file_path(monkeypatch):
    from matplotlib import font_manager

    family = fonts.cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    monkeypatch.setenv("CARBONLEDGER_FONT", path)
    fonts.reset_font_cache()
    try:
        assert fonts.cjk_font() == family
    finally:
        monkeypatch.delenv("CARBONLEDGER_FONT")
        fonts.reset_font_cache()
