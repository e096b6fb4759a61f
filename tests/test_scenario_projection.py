"""The projection: reconciliation with the inventory, levers, power module, peak properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.scenario import load_spec, peak, run_scenario
from carbonledger.scenario.levers import apply_rate, apply_schedule, apply_target, build_path, ramp

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
CITY = ROOT / "examples" / "city"
NAMES = ("industrial_restructuring", "renewables", "coal_substitution", "transport",
         "buildings", "sinks", "peak_before_2030")
ROWS = pd.DataFrame({"year": [2020, 2020, 2020], "sector": ["steel", "residential", "residential"],
                     "activity": ["fuel_combustion", "fuel_combustion", "energy_consumption"],
                     "item": ["coke", "raw_coal", "electricity"],
                     "value": [10.0, 1.0, 0.5], "unit": ["wan_t", "wan_t", "yi_kWh"]})


def small(**extra) -> dict:
    spec = {"inventory": {"activity": ROWS, "base_year": 2020},
            "years": {"start": 2020, "end": 2040}}
    spec.update(extra)
    return spec


@pytest.fixture(scope="module")
def baseline():
    return run_scenario(SCENARIOS / "baseline.toml")


@pytest.fixture(scope="module")
def inventory():
    """The inventory of the same data, computed independently over every year (2000-2025)."""
    return cl.compute_inventory([CITY / "activity.csv", CITY / "activity_sectors.csv"],
                                gwp="AR5")


def test_base_year_reconciles_with_the_inventory(baseline, inventory):
    """The 2020 of ``baseline`` equals compute_inventory of the same tables, by sector, gas and
    scope, in t and t CO2e, and in total energy by both electricity methods (to 1e-9)."""
    table = inventory.table
    inv = table[table["year"] == 2020].groupby(["sector", "gas", "scope"], observed=True)[
        ["emissions_t", "co2e_t"]].sum()
    traj = baseline.trajectory
    base = traj[traj["year"] == 2020]
    ours = {}
    for variable, column in (("emissions", "emissions_t"), ("co2e", "co2e_t")):
        part = base[base["variable"] == variable]
        ours[column] = part.groupby(["sector", "gas", "scope"], observed=True)["value"].sum()
    ours = pd.DataFrame(ours)
    inv, ours = inv.align(ours, join="outer")
    assert not inv.isna().any().any() and not ours.isna().any().any()
    np.testing.assert_allclose(ours.to_numpy(), inv.to_numpy(), rtol=1e-9, atol=1e-6)
    totals = inventory.totals().loc[2020]
    e = baseline.emissions.loc[2020]
    scope1_non_lulucf = table[(table["year"] == 2020) & (table["scope"] == 1)
                              & (table["ipcc_sector"] != "lulucf")]
    assert e["co2e_t"] == pytest.approx(scope1_non_lulucf["co2e_t"].sum()
                                        + totals["scope2_co2e_t"], rel=1e-12)
    for method, column in (("calorific", "total_tce"),
                           ("coal_equivalent", "total_tce_coal_equivalent")):
        inv_energy = inventory.energy_totals(method=method).loc[2020]
        assert baseline.energy.loc[2020, column] == pytest.approx(inv_energy["total_tce"],
                                                                  rel=1e-12)
    inv_energy = inventory.energy_totals().loc[2020]
    for column in ("coal_tce", "non_fossil_tce", "feedstock_tce", "total_under_control_tce"):
        assert baseline.energy.loc[2020, column] == pytest.approx(inv_energy[column], rel=1e-12)


def test_baseline_tracks_the_city_data_to_2025(baseline, inventory):
    """The baseline's 2021-2025 segment is calibrated on the README trends, not fitted row by
    row: total CO2 within 3 % of the inventory of the (synthetic) 2025 data."""
    totals = inventory.totals()
    table = inventory.table
    for year in (2022, 2025):
        rows = table[(table["year"] == year) & (table["gas"] == "CO2")
                     & (table["ipcc_sector"] != "lulucf")]
        assert baseline.emissions.loc[year, "co2_t"] == pytest.approx(
            rows["emissions_t"].sum(), rel=0.03), year
        assert totals.loc[year, "scope12_co2e_t"] > 0


@pytest.mark.parametrize("name", NAMES)
def test_levers_off_reproduce_the_baseline(baseline, name):
    off = run_scenario(load_spec(SCENARIOS / f"{name}.toml").without_levers())
    np.testing.assert_array_equal(off.central["outputs"], baseline.central["outputs"])
    on = run_scenario(SCENARIOS / f"{name}.toml")
    if name != "sinks":
        assert on.emissions.loc[2030, "co2_t"] < baseline.emissions.loc[2030, "co2_t"]
    else:  # sinks change only the net balance
        assert on.emissions.loc[2035, "net_co2e_t"] < baseline.emissions.loc[2035, "net_co2e_t"]
        assert on.emissions["co2_t"].equals(baseline.emissions["co2_t"])


def test_renewables_only_lower_emissions_draw_by_draw():
    """Raising PV capacity, storage and lowering curtailment never raises emissions in any
    year of any draw (same seed: the baseline numbers draw the same values)."""
    spec = load_spec(SCENARIOS / "renewables.toml")
    off = run_scenario(spec.without_levers(), draws=300, seed=11)
    on = run_scenario(spec, draws=300, seed=11)
    diff = on.metric_samples() - off.metric_samples()
    assert (diff <= 1e-6).all()
    assert (diff[:, on.years >= 2027] < -1e5).all()
    bigger = run_scenario(spec, overrides={"levers": [{"name": "more_pv", "kind": "additions",
                                                       "path": "power.tech.pv.capacity",
                                                       "schedule": {"2026": 3000.0}}]})
    assert (bigger.series <= on.series + 1e-6).all()


def test_power_module_balance_and_retirement(baseline):
    p = baseline.power
    supply = p["thermal_yi_kwh"] + p["renewable_pv_yi_kwh"] + p["renewable_wind_yi_kwh"] + \
        p["imports_yi_kwh"]
    demand = p["demand_yi_kwh"] + p["losses_yi_kwh"] + p["own_use_yi_kwh"] + p["exports_yi_kwh"]
    gap = supply - demand
    assert np.allclose(gap, gap.iloc[0], atol=1e-9)          # statistical difference held
    assert p.loc[2020, "thermal_yi_kwh"] == pytest.approx(221.9237, abs=1e-4)  # activity.csv
    retired = run_scenario(SCENARIOS / "baseline.toml", overrides={"levers": [
        {"name": "r", "kind": "retirement", "path": "power.thermal_capacity",
         "schedule": {"2030": 1500.0}}]})
    q = retired.power
    limit = (3350.0 - 1500.0) * 7500.0 / 1e5                    # MW x h -> 10^8 kWh
    assert q.loc[2035, "thermal_yi_kwh"] == pytest.approx(limit, rel=1e-9)
    assert q.loc[2035, "imports_yi_kwh"] > p.loc[2035, "imports_yi_kwh"] + 10


def test_share_shift_moves_energy_and_stock_shift_scales_intensity():
    spec = small(levers=[{"name": "s", "kind": "share_shift", "sector": "residential",
                          "from": "raw_coal", "to": "electricity", "share": 0.5,
                          "year": 2030, "ratio": 1.0}])
    res = run_scenario(spec)
    sec = res.sectors.xs("residential", level="sector")["energy_tce"]
    assert np.allclose(sec.to_numpy(), sec.iloc[0])            # ratio 1: energy conserved
    t = res.trajectory
    coal = t[(t.variable == "activity") & (t.item == "raw_coal")].set_index("year")["value"]
    assert coal[2025] == pytest.approx(0.75) and coal[2035] == pytest.approx(0.5)
    stock = run_scenario(small(levers=[{"name": "g", "kind": "stock_shift",
                                        "sector": "residential", "share": 0.4, "ratio": 0.5,
                                        "year": 2030}]))
    r = stock.sectors.xs("residential", level="sector")["energy_tce"]
    assert r[2030] / r[2020] == pytest.approx(1 - 0.4 * 0.5)


def test_lever_kernels():
    years = np.arange(2020, 2031)
    assert ramp(years, 2020, 2030)[0, 5] == pytest.approx(0.5)
    assert ramp(years, 2020, 2030, shape="s_curve")[0, [0, 5, 10]].tolist() == \
        pytest.approx([0.0, 0.5, 1.0])
    flat = np.ones((1, years.size))
    assert apply_rate(flat, years, rate=0.1, start=2021)[0, -1] == pytest.approx(1.1 ** 10)
    target = apply_target(flat * 5, years, value=2.0, year=2026, start=2023)
    assert target[0, [3, 6, 10]].tolist() == pytest.approx([5.0, 2.0, 2.0])
    assert apply_schedule(flat, years, schedule_years=[2025], amounts=[np.array([[1.0],
                          [3.0]])])[:, -1].tolist() == [2.0, 4.0]
    drawn = build_path(years, base=1.0, growth=np.array([[0.0], [0.1]]))
    assert drawn.shape == (2, years.size) and drawn[1, -1] == pytest.approx(1.1 ** 10)


def test_scaling_all_emissions_keeps_the_peak_year():
    spec = small(sectors={"steel": {"activity": {"growth": {"2021": 0.05, "2040": -0.05}}}})
    res = run_scenario(spec)
    scaled_rows = ROWS.assign(value=ROWS["value"] * 7.0)
    scaled = run_scenario({**spec, "inventory": {"activity": scaled_rows, "base_year": 2020}})
    assert np.allclose(scaled.series.to_numpy(), 7.0 * res.series.to_numpy(), rtol=1e-12)
    assert scaled.peak_year == res.peak_year == 2030
    assert peak(res.series * 1e-3).year == res.peak_year


def test_monotone_rising_has_no_peak_within_the_horizon():
    res = run_scenario(small(sectors={"steel": {"activity": {"growth": 0.02}}}))
    assert res.peak.peaked is False
    assert res.peak_year == 2040 and res.peak.horizon_end == 2040
    assert res.plateau.passed is False


def test_follows_demand_and_driver_errors():
    rows = pd.concat([ROWS, pd.DataFrame({
        "year": [2020, 2020], "sector": ["coking", "coking"],
        "activity": ["transformation_input", "transformation_output"],
        "item": ["cleaned_coal", "coke"], "value": [13.0, 10.0], "unit": ["wan_t", "wan_t"]})],
        ignore_index=True)
    spec = {"inventory": {"activity": rows, "base_year": 2020},
            "years": {"start": 2020, "end": 2030},
            "sectors": {"steel": {"activity": {"growth": -0.1}},
                        "coking": {"activity": {"follows": "demand:coke"}}}}
    res = run_scenario(spec)
    level = res.sectors.xs("coking", level="sector")["activity_level"]
    assert level[2030] == pytest.approx(0.9 ** 10)
    bad = {**spec, "sectors": {"steel": {"activity": {"driver": "gdp"}}}}
    with pytest.raises(cl.ScenarioSpecError, match="driver 'macro:gdp' is not defined"):
        run_scenario(bad)
