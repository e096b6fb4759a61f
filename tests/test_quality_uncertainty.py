"""Uncertainty Approach 1 (error propagation) and Approach 2 (Monte Carlo), IPCC 2006 Vol.1 Ch.3.

``make_inventory`` builds small Inventories with hand-set emissions and a hand-set factor library,
so that the expected numbers can be worked out by hand; the other quality test files reuse it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.factors import FactorLibrary
from carbonledger.inventory import Inventory
from carbonledger.quality import (
    factor_uncertainty,
    split_factor_id,
    uncertainty_approach1,
    uncertainty_montecarlo,
)

_KIND_OF_SECTOR = {"energy": "fuel_combustion", "ippu": "clinker_production",
                   "agriculture": "enteric_fermentation", "lulucf": "forest_stock",
                   "waste": "landfill_disposal"}


def make_library(factors: dict[str, tuple[float, float, float]]) -> FactorLibrary:
    """A FactorLibrary of ``{"test/1:t:<item>|ef": (value, lower, upper)}`` rows."""
    records = []
    for factor_id, (value, lower, upper) in factors.items():
        source, table, key = factor_id.split(":")
        item, parameter = key.split("|")
        records.append({"item": item, "parameter": parameter, "value": value, "unit": "1",
                        "lower": lower, "upper": upper, "note": "", "factor_id": factor_id,
                        "source": source, "table": table})
    return FactorLibrary(pd.DataFrame(records), [], (), Path("."))


def make_inventory(records, factors, *, gwp: str = "AR5") -> Inventory:
    """An Inventory of one activity row and one result row per record.

    A record is ``(year, category, gas, co2e_t, factor_id, ipcc_sector, activity_uncertainty)``;
    the activity value equals the emissions (a factor of 1 t CO2e per unit).
    """
    frame = pd.DataFrame(list(records), columns=["year", "category", "gas", "co2e_t",
                                                 "factor_id", "ipcc_sector", "u"])
    n = len(frame)
    activity = pd.DataFrame({
        "year": frame["year"].astype(np.int64),
        "sector": pd.Categorical(frame["category"].map(lambda c: f"s{c}")),
        "activity": pd.Categorical(frame["ipcc_sector"].map(_KIND_OF_SECTOR)),
        "item": pd.Categorical(frame["category"].map(lambda c: f"i{c}")),
        "value": frame["co2e_t"].abs().astype("float64"),
        "unit": pd.Categorical(["t"] * n),
        "activity_uncertainty": frame["u"].astype("float64"),
    })
    results = pd.DataFrame({
        "row": np.arange(n, dtype=np.int64),
        "category": pd.Categorical(frame["category"]),
        "gas": pd.Categorical(frame["gas"]),
        "emissions_t": frame["co2e_t"].astype("float64"),
        "factor_id": pd.Categorical(frame["factor_id"]),
        "scope": np.ones(n, dtype=np.int8),
        "ipcc_sector": pd.Categorical(frame["ipcc_sector"]),
        "co2e_t": frame["co2e_t"].astype("float64"),
    })
    return Inventory(activity=activity, results=results, energy=pd.DataFrame(),
                     rejected=pd.DataFrame(), gwp=gwp, factors=make_library(factors),
                     input_rows=n)


TWO_CATEGORIES = {"test/1:t:fa|ef": (10.0, 9.0, 11.0), "test/1:t:fb|ef": (2.0, 1.0, 3.0)}


@pytest.fixture()
def two_categories():
    return make_inventory([
        (2020, "1.A.1", "CO2", 100.0, "test/1:t:fa|ef", "energy", 0.05),
        (2020, "2.A.1", "CO2", 50.0, "test/1:t:fb|ef", "ippu", 0.20),
        (2022, "1.A.1", "CO2", 120.0, "test/1:t:fa|ef", "energy", 0.05),
        (2022, "2.A.1", "CO2", 40.0, "test/1:t:fb|ef", "ippu", 0.20),
    ], TWO_CATEGORIES)


def test_approach1_reproduces_hand_worked_two_category_example(two_categories):
    """Hand-worked Vol.1 Table 3.2 with two categories (C = base 2020, D = 2022, t CO2e).

    A: C=100, D=120, E=5 %, F=10 % (factor 10, range 9-11); B: C=50, D=40, E=20 %, F=50 %
    (factor 2, range 1-3). G = sqrt(E^2 + F^2): A 11.1803 %, B 53.8516 % (Eq. 3.1).
    Level (Eq. 3.2, column H): H_A = (0.111803 x 120/160)^2 = 0.00703125,
    H_B = (0.538516 x 40/160)^2 = 0.018125; U = sqrt(0.02515625) = 15.8607 %.
    Base year: sqrt((0.111803 x 100/150)^2 + (0.538516 x 50/150)^2) = 19.4365 %.
    Trend = (160 - 150) / 150 = 6.6667 %.
    Type A (column I) = ((0.01 D + 160) / (0.01 C + 150) - 160/150) x 100: A 0.088300,
    B -0.088594. Type B (J) = D / 150: A 0.8, B 0.266667.
    K = I x F: A 0.8830 pp, B -4.4297 pp; L = J x E x sqrt(2): A 5.6569 pp, B 7.5425 pp.
    Trend uncertainty = sqrt(0.8830^2 + 5.6569^2 + 4.4297^2 + 7.5425^2) = 10.4542 pp.
    """
    res = uncertainty_approach1(two_categories)
    assert (res.year, res.base_year) == (2022, 2020)
    table = res.table
    a, b = table.loc[("1.A.1", "CO2")], table.loc[("2.A.1", "CO2")]
    assert a["combined_u_pct"] == pytest.approx(11.1803, abs=1e-4)
    assert b["combined_u_pct"] == pytest.approx(53.8516, abs=1e-4)
    assert a["variance_contribution"] == pytest.approx(100**2 * 0.00703125)
    assert b["variance_contribution"] == pytest.approx(100**2 * 0.018125)
    assert res.uncertainty_pct == pytest.approx(15.8607, abs=1e-4)
    assert res.base_uncertainty_pct == pytest.approx(19.4365, abs=1e-4)
    assert res.trend_pct == pytest.approx(6.6667, abs=1e-4)
    assert a["type_a_sensitivity"] == pytest.approx(0.088300, abs=1e-6)
    assert b["type_a_sensitivity"] == pytest.approx(-0.088594, abs=1e-6)
    assert a["type_b_sensitivity"] == pytest.approx(0.8)
    assert a["trend_u_factor_pp"] == pytest.approx(0.8830, abs=1e-4)
    assert b["trend_u_activity_pp"] == pytest.approx(7.5425, abs=1e-4)
    assert res.trend_uncertainty_pct == pytest.approx(10.4542, abs=1e-4)
    assert res.total_co2e_t == 160.0 and res.base_total_co2e_t == 150.0


def test_approach1_sum_rule_with_shared_and_separate_factors():
    """Eq. 3.2 inside a category: two rows of 60 and 40 t with independent activity (10 %)
    and one shared factor (20 %): E = sqrt(6^2 + 4^2)/100 = 7.2111 %, F = 20 % (one factor,
    one error). With two different factors of 20 %: F = sqrt(12^2 + 8^2)/100 = 14.4222 %."""
    factors = {"test/1:t:f|ef": (1.0, 0.8, 1.2), "test/1:t:g|ef": (1.0, 0.8, 1.2)}
    shared = make_inventory([(2022, "1.A.1", "CO2", 60.0, "test/1:t:f|ef", "energy", 0.1),
                             (2022, "1.A.1", "CO2", 40.0, "test/1:t:f|ef", "energy", 0.1)],
                            factors)
    shared.activity["sector"] = pd.Categorical(["a", "b"])  # two distinct activity rows
    row = uncertainty_approach1(shared).table.iloc[0]
    assert row["activity_u_pct"] == pytest.approx(math.hypot(6, 4) / 100 * 100)
    assert row["factor_u_pct"] == pytest.approx(20.0)
    separate = make_inventory([(2022, "1.A.1", "CO2", 60.0, "test/1:t:f|ef", "energy", 0.1),
                               (2022, "1.A.1", "CO2", 40.0, "test/1:t:g|ef", "energy", 0.1)],
                              factors)
    assert uncertainty_approach1(separate).table.iloc[0]["factor_u_pct"] == pytest.approx(
        math.hypot(12, 8))


def test_factor_uncertainty_uses_larger_side_and_lists_defaults(lib):
    """IPCC 2006 Vol.2 Table 2.2: CH4 of other bituminous coal in energy industries 1 kg/TJ
    (0.3-3): the larger side (3 - 1) / 1 = 200 %, lognormal in the Monte Carlo. China's raw
    coal carbon content has no range in the provincial guideline: default 5 %."""
    ids = ["ipcc2006/2006:stationary_combustion:other_bituminous_coal|ef|CH4|energy_industries",
           "china_provincial_2011/2011:fuel_carbon:raw_coal|carbon_content",
           "measured:oxidation", "stock_difference:previous_year", "nowhere:t:x|y"]
    table = factor_uncertainty(ids, lib)
    ch4 = table.loc[ids[0]]
    assert (ch4["value"], ch4["lower"], ch4["upper"]) == (1.0, 0.3, 3.0)
    assert ch4["u"] == pytest.approx(2.0) and ch4["u_minus"] == pytest.approx(0.7)
    assert bool(ch4["asymmetric"]) and ch4["distribution"] == "lognormal"
    assert table.loc[ids[1], "status"] == "default" and table.loc[ids[1], "u"] == 0.05
    assert table["status"].tolist()[2:] == ["measured", "marker", "unlisted"]
    assert table.loc[ids[3], "u"] == 0.0


def test_split_factor_id_handles_every_joiner():
    assert split_factor_id("a + b;c+a").tolist() == ["a", "b", "c"]
    assert split_factor_id(float("nan")).tolist() == []


def test_activity_defaults_and_overrides_are_listed():
    """Energy activity defaults to 5 % (IPCC 2006 Vol.2 Ch.2 Sec. 2.4.2.2); the caller's dict
    and the rows' own column take precedence."""
    rows = pd.DataFrame({"year": [2022, 2022], "sector": ["steel", "residential"],
                         "activity": ["fuel_combustion"] * 2, "item": ["natural_gas"] * 2,
                         "value": [100.0, 100.0], "unit": ["wan_m3"] * 2})
    inv = cl.compute_inventory(rows)
    res = uncertainty_approach1(inv)
    used = res.activity_defaults.set_index("activity")
    assert used.loc["fuel_combustion", "uncertainty"] == 0.05
    assert "2.4.2.2" in used.loc["fuel_combustion", "basis"]
    assert res.table.loc[("1.A.2.a", "CO2"), "activity_u_pct"] == pytest.approx(5.0)
    caller = uncertainty_approach1(inv, activity_uncertainty={"energy": 0.02})
    assert caller.table.loc[("1.A.2.a", "CO2"), "activity_u_pct"] == pytest.approx(2.0)
    assert any("carbon_content" in f for f in res.defaulted_factors)


def test_removals_enter_with_their_sign():
    """A sink of -50 t (30 % factor) next to 100 t of emissions (no uncertainty):
    U = 0.3 x 50 / |100 - 50| = 30 %."""
    inv = make_inventory([(2022, "1.A.1", "CO2", 100.0, "test/1:t:a|ef", "energy", 0.0),
                          (2022, "3.B.1", "CO2", -50.0, "test/1:t:b|ef", "lulucf", 0.0)],
                         {"test/1:t:a|ef": (1.0, 1.0, 1.0), "test/1:t:b|ef": (1.0, 0.7, 1.3)})
    assert uncertainty_approach1(inv).uncertainty_pct == pytest.approx(30.0)


SMALL = {"test/1:t:fa|ef": (10.0, 9.8, 10.2), "test/1:t:fb|ef": (2.0, 1.94, 2.06)}


def test_montecarlo_converges_to_approach1_for_small_symmetric_uncertainties():
    """With +-2 % and +-3 % factors and 1-2 % activity data, Approach 2 half-widths agree
    with Approach 1 for the level, each category and the trend (Vol.1 Sec. 3.2.3.2: the two
    approaches agree when uncertainties are small and distributions normal)."""
    inv = make_inventory([
        (2020, "1.A.1", "CO2", 100.0, "test/1:t:fa|ef", "energy", 0.01),
        (2020, "2.A.1", "CO2", 50.0, "test/1:t:fb|ef", "ippu", 0.02),
        (2022, "1.A.1", "CO2", 120.0, "test/1:t:fa|ef", "energy", 0.01),
        (2022, "2.A.1", "CO2", 40.0, "test/1:t:fb|ef", "ippu", 0.02),
    ], SMALL)
    a1 = uncertainty_approach1(inv)
    mc = uncertainty_montecarlo(inv, draws=40000, seed=3)
    assert mc.totals.loc[2022, "half_width_pct"] == pytest.approx(a1.uncertainty_pct, rel=0.04)
    assert mc.totals.loc[2020, "half_width_pct"] == pytest.approx(a1.base_uncertainty_pct,
                                                                  rel=0.04)
    for key in [("1.A.1", "CO2"), ("2.A.1", "CO2")]:
        assert mc.table.loc[(2022, *key), "half_width_pct"] == pytest.approx(
            a1.table.loc[key, "combined_u_pct"], rel=0.04)
    trend = mc.trend
    assert trend["point_pct"] == pytest.approx(a1.trend_pct)
    assert (trend["p97_5_pct"] - trend["p2_5_pct"]) / 2 == pytest.approx(
        a1.trend_uncertainty_pct, rel=0.05)
    assert mc.totals.loc[2022, "mean_t"] == pytest.approx(160.0, rel=2e-3)


def test_montecarlo_draws_a_shared_factor_once_for_both_years():
    """A +-50 % factor used in both years cancels in the trend of a one-category inventory
    (trend 20 % exactly whatever the draw, activity known exactly); with different factor ids
    in the two years the trend becomes uncertain."""
    factors = {"test/1:t:f|ef": (1.0, 0.5, 1.5), "test/1:t:g|ef": (1.0, 0.5, 1.5)}
    same = make_inventory([(2020, "1.A.1", "CO2", 100.0, "test/1:t:f|ef", "energy", 0.0),
                           (2022, "1.A.1", "CO2", 120.0, "test/1:t:f|ef", "energy", 0.0)],
                          factors)
    trend = uncertainty_montecarlo(same, draws=2000).trend
    assert trend["p2_5_pct"] == pytest.approx(20.0) and trend["p97_5_pct"] == pytest.approx(20.0)
    assert uncertainty_approach1(same).trend_uncertainty_pct == pytest.approx(0.0, abs=1e-9)
    different = make_inventory([(2020, "1.A.1", "CO2", 100.0, "test/1:t:f|ef", "energy", 0.0),
                                (2022, "1.A.1", "CO2", 120.0, "test/1:t:g|ef", "energy", 0.0)],
                               factors)
    spread = uncertainty_montecarlo(different, draws=2000).trend
    assert spread["p97_5_pct"] - spread["p2_5_pct"] > 50.0


def test_montecarlo_asymmetric_ranges_reproduce_both_bounds():
    """Lognormal through both 95 % bounds (factor 10, range 5-30: percentiles 0.5x and 3x)
    and split normal for a range starting at 0 (factor 1, range 0-3: percentiles 0 and 3x)."""
    inv = make_inventory([(2022, "1.A.1", "CO2", 100.0, "test/1:t:a|ef", "energy", 0.0),
                          (2022, "3.A.1", "CH4", 100.0, "test/1:t:b|ef", "agriculture", 0.0)],
                         {"test/1:t:a|ef": (10.0, 5.0, 30.0), "test/1:t:b|ef": (1.0, 0.0, 3.0)})
    mc = uncertainty_montecarlo(inv, draws=60000, seed=7)
    assert mc.factors["distribution"].tolist() == ["lognormal", "split_normal"]
    co2, ch4 = mc.table.loc[(2022, "1.A.1", "CO2")], mc.table.loc[(2022, "3.A.1", "CH4")]
    assert co2["p2_5_t"] == pytest.approx(50.0, rel=0.03)
    assert co2["p97_5_t"] == pytest.approx(300.0, rel=0.03)
    assert ch4["p2_5_t"] == pytest.approx(0.0, abs=1.0)
    assert ch4["p97_5_t"] == pytest.approx(300.0, rel=0.03)
    assert uncertainty_approach1(inv).table.loc[("1.A.1", "CO2"), "factor_u_pct"] == 200.0


def test_montecarlo_is_seeded_and_vectorised_over_blocks(two_categories):
    a = uncertainty_montecarlo(two_categories, draws=3000, seed=11)
    b = uncertainty_montecarlo(two_categories, draws=3000, seed=11)
    c = uncertainty_montecarlo(two_categories, draws=3000, seed=12)
    assert a.total_draws.equals(b.total_draws)
    assert not a.total_draws.equals(c.total_draws)
    assert a.total_draws.shape == (3000, 2)
    with pytest.raises(ValueError, match="draws"):
        uncertainty_montecarlo(two_categories, draws=1)


def test_example_city_runs_both_approaches():
    """The example city (2015-2025): landfill history years before 2015 are not a base year."""
    root = Path(__file__).resolve().parent.parent / "examples" / "city"
    frame = pd.concat([pd.read_csv(root / "activity.csv"),
                       pd.read_csv(root / "activity_sectors.csv")], ignore_index=True)
    with pytest.warns(cl.FactorFallbackWarning):
        inv = cl.compute_inventory(frame)
    a1 = uncertainty_approach1(inv)
    assert (a1.base_year, a1.year) == (2015, 2025)
    mc = uncertainty_montecarlo(inv, draws=2000)
    assert 0 < a1.uncertainty_pct < 20 and 0 < mc.totals.loc[2025, "half_width_pct"] < 20
    assert a1.uncertainty_pct == pytest.approx(mc.totals.loc[2025, "half_width_pct"], rel=0.3)
