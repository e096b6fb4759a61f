"""Scenario outputs: comparison table, IAMC export, intensities, LMDI explanation, figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carbonledger.report.figures import save_figure
from carbonledger.scenario import compare_scenarios, run_scenario
from carbonledger.scenario import figures as F
from carbonledger.scenario.explain import ITEMS, decompose
from carbonledger.scenario.sensitivity import sensitivity

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def comparison():
    return compare_scenarios([SCENARIOS / "baseline.toml", SCENARIOS / "renewables.toml",
                              SCENARIOS / "peak_before_2030.toml"], draws=400, seed=4)


def test_comparison_table(comparison):
    t = comparison.table
    assert list(t.index) == ["baseline", "renewables", "peak_before_2030"]
    for column in ("peak_year", "peaked", "peak_mt", "co2_2030_mt", "co2_2035_mt",
                   "cumulative_2020_2060_mt", "energy_intensity_change_2030",
                   "co2_intensity_change_2030", "plateau_to_2035", "p_peak_by_2030"):
        assert column in t.columns
    assert t.loc["peak_before_2030", "co2_2030_mt"] < t.loc["renewables", "co2_2030_mt"] < \
        t.loc["baseline", "co2_2030_mt"]
    assert t["p_peak_by_2030"].between(0, 1).all()
    assert t.loc["peak_before_2030", "p_plateau"] >= t.loc["baseline", "p_plateau"]
    base = comparison.results[0]
    s = base.series
    assert t.loc["baseline", "cumulative_2020_2060_mt"] == pytest.approx(s.sum() / 1e6)


def test_intensity_uses_constant_price_gdp(comparison):
    base = comparison.results[0]
    gdp = base.gdp
    assert gdp.loc[2020] == pytest.approx(281.6003)                 # gdp.csv, R1
    assert gdp.loc[2021] == pytest.approx(281.6003 * 1.051)         # real growth 5.1 % (R1)
    energy = base.intensity["energy_intensity_tce_per_wan_yuan"]
    assert energy.loc[2020] == pytest.approx(base.energy.loc[2020, "total_tce"] / 281.6003e4)
    assert base.intensity.loc[2020, "co2_intensity_change_vs_base"] == 0.0


def test_iamc_export(comparison):
    frame = comparison.to_iamc(quantiles=(5, 95))
    assert list(frame.columns) == ["model", "scenario", "region", "variable", "unit", "year",
                                   "value"]
    co2 = frame[(frame.variable == "Emissions|CO2") & (frame.scenario == "baseline")]
    assert co2.set_index("year")["value"].equals(comparison.results[0].series / 1e6)
    assert {"Emissions|CO2|Quantile 5", "Population", "Secondary Energy|Electricity|pv"} <= \
        set(frame.variable)


def test_lmdi_explains_the_gap_exactly(comparison):
    base, combined = comparison.results[0], comparison.results[-1]
    effects = decompose(combined, against=base, year=2030)
    assert list(effects.index) == list(ITEMS)
    assert effects.sum() == pytest.approx(effects.attrs["change_t"], rel=1e-9)
    assert effects.attrs["change_t"] == pytest.approx(
        combined.series[2030] - base.series[2030], rel=1e-12)
    years = decompose(base, year0=2020, yearT=2030)
    assert years.sum() == pytest.approx(base.series[2030] - base.series[2020], rel=1e-9)


def test_figures_are_drawn_and_labelled(comparison, tmp_path):
    base = comparison.results[0]
    figs = {
        "trajectories": comparison.figure(),
        "fan": F.fan_chart(base),
        "waterfall": F.lmdi_waterfall(decompose(comparison.results[-1], against=base,
                                                year=2030)),
        "stack": F.sector_stack(base),
        "tornado": sensitivity(base).figure(what="by"),
    }
    for name, fig in figs.items():
        ax = fig.axes[0]
        assert ax.get_title() and (ax.get_ylabel() or ax.get_xlabel()), name
        path = save_figure(fig, tmp_path / name, formats=("png",))[0]
        assert path.stat().st_size > 10_000
    assert figs["fan"].axes[1].get_xlabel() == "Peak year"
    assert "Mt CO2" in figs["trajectories"].axes[0].get_ylabel()


def test_trajectory_table(comparison):
    base = comparison.results[0]
    t = base.trajectory
    assert set(t.variable.cat.categories) == {"activity", "energy", "energy_coal_equivalent",
                                              "emissions", "co2e"}
    co2 = t[(t.variable == "emissions") & (t.gas == "CO2")].groupby("year")["value"].sum()
    lulucf = base.emissions["lulucf_co2e_t"]
    assert np.allclose(co2.to_numpy(), (base.emissions["co2_t"] + lulucf).to_numpy(),
                       rtol=1e-9)
    assert run_scenario(SCENARIOS / "baseline.toml").trajectory.equals(t)


def test_kaya_and_stirpat_views(comparison):
    """The Kaya factors multiply back to the metric; a STIRPAT model fitted on the baseline's
    own trajectory projects it back (the top-down and bottom-up methods agree on their data)."""
    from carbonledger.scenario import fit_stirpat, project_stirpat

    base = comparison.results[0]
    k = base.kaya(year0=2020, yearT=2030)
    assert k.additive.sum() == pytest.approx(base.series[2030] - base.series[2020], rel=1e-9)
    drivers = base.stirpat_drivers
    history = drivers.loc[2020:2040].assign(C=base.series.loc[2020:2040])
    model = fit_stirpat(history, target="C", drivers=["P", "A", "T"])
    projected = project_stirpat(model, drivers.loc[2041:2060])
    assert projected.index.tolist() == list(range(2041, 2061))
    assert (projected > 0).all()
