"""Time-series splicing (IPCC 2006 Vol.1 Ch.5 Sec. 5.3) and recalculations (Sec. 5.2)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.quality import recalculation, splice
from tests.test_quality_uncertainty import make_inventory


def test_overlap_scales_the_old_method_by_the_mean_ratio():
    """Eq. 5.1: ratios new/old in the overlap 2019-2020 are 1.10 and 1.10 -> y_2017 = 90 x 1.1
    = 99, y_2018 = 95 x 1.1 = 104.5; the overlap years keep the new method."""
    new = pd.Series({2019: 110.0, 2020: 121.0, 2021: 130.0})
    old = pd.Series({2017: 90.0, 2018: 95.0, 2019: 100.0, 2020: 110.0})
    out = splice(new, method="overlap", previous=old)
    assert out["value"].tolist() == pytest.approx([99.0, 104.5, 110.0, 121.0, 130.0])
    assert out["flag"].tolist() == ["filled", "filled", "reported", "reported", "reported"]
    assert out.loc[2017, "method"] == "overlap" and "Eq. 5.1" in out.loc[2017, "note"]


def test_overlap_mean_of_ratios_and_warning_when_they_vary():
    """Eq. 5.1 averages the ratios: (1.0 + 1.5) / 2 = 1.25 -> 80 x 1.25 = 100."""
    out = splice(pd.Series({2019: 100.0, 2020: 150.0}), method="overlap",
                 previous=pd.Series({2018: 80.0, 2019: 100.0, 2020: 100.0}))
    assert out.loc[2018, "value"] == pytest.approx(100.0)
    assert "ratios vary" in out.loc[2018, "note"]
    with pytest.raises(ValueError, match="overlapping year"):
        splice(pd.Series({2020: 1.0}), method="overlap", previous=pd.Series({2010: 1.0}))
    with pytest.raises(ValueError, match="previous="):
        splice(pd.Series({2020: 1.0}), method="overlap")


def test_surrogate_nearest_and_mean():
    """Eq. 5.2: y_2016 = y_2018 x s_2016 / s_2018 = 20 x 40/50 = 16 (nearest year with both);
    with the mean ratio (20/50 + 24/60)/2 = 0.4: y_2016 = 0.4 x 40 = 16, y_2021 = 0.4 x 70."""
    series = pd.Series({2016: np.nan, 2018: 20.0, 2019: 24.0, 2021: np.nan})
    gdp = pd.Series({2016: 40.0, 2018: 50.0, 2019: 60.0, 2021: 70.0})
    out = splice(series, method="surrogate", surrogate=gdp)
    assert out.loc[2016, "value"] == pytest.approx(16.0)
    assert out.loc[2021, "value"] == pytest.approx(24.0 * 70 / 60)
    assert "s_2021 / s_2019" in out.loc[2021, "note"]
    mean = splice(series, method="surrogate", surrogate=gdp, reference="mean")
    assert mean.loc[2021, "value"] == pytest.approx(0.4 * 70)


def test_interpolation_fills_interior_gaps_only():
    out = splice(pd.Series({2015: np.nan, 2016: 10.0, 2017: np.nan, 2018: np.nan, 2019: 16.0}),
                 method="interpolation")
    assert out["value"].tolist()[1:] == pytest.approx([10.0, 12.0, 14.0, 16.0])
    assert np.isnan(out.loc[2015, "value"]) and out.loc[2015, "flag"] == "missing"
    assert out.loc[2017, "method"] == "interpolation"


def test_extrapolation_fits_the_trend_of_the_end_years_and_keeps_the_audit_trail():
    """Trend of 2018-2020 (10, 12, 14: +2 per year) carried to 2021-2022; at the start the
    trend of 2018-2019 (window 2) carried back to 2017."""
    series = pd.Series({2018: 10.0, 2019: 12.0, 2020: 14.0})
    out = splice(series, method="extrapolation", years=range(2017, 2023), window=2)
    assert out["value"].tolist() == pytest.approx([8.0, 10.0, 12.0, 14.0, 16.0, 18.0])
    three = splice(series, method="extrapolation", years=[2021])
    assert three.index.tolist() == [2018, 2019, 2020, 2021]
    assert three.loc[2021, "value"] == pytest.approx(16.0)
    first = splice(pd.Series({2018: 10.0, 2019: np.nan, 2020: 14.0, 2021: np.nan}),
                   method="interpolation")
    second = splice(first, method="extrapolation", window=2)
    assert second["method"].tolist() == ["", "interpolation", "", "extrapolation"]
    assert second["flag"].tolist() == ["reported", "filled", "reported", "filled"]
    with pytest.raises(ValueError, match="method"):
        splice(series, method="guess")


@pytest.fixture()
def base_rows():
    return pd.DataFrame({"year": [2021, 2022, 2022], "sector": ["steel", "steel", "power"],
                         "activity": ["fuel_combustion"] * 3,
                         "item": ["natural_gas", "natural_gas", "raw_coal"],
                         "value": [100.0, 110.0, 5.0], "unit": ["wan_m3", "wan_m3", "wan_t"]})


def test_identical_inventories_report_no_change(base_rows):
    inv = cl.compute_inventory(base_rows)
    out = recalculation(inv, cl.compute_inventory(base_rows.copy()))
    assert len(out) == 9 and not out["changed"].any()
    assert set(out["reason"]) == {"no change"} and (out["difference_t"] == 0).all()


def test_activity_factor_and_method_changes_are_told_apart(base_rows):
    inv = cl.compute_inventory(base_rows)
    activity = recalculation(inv, cl.compute_inventory(base_rows.assign(
        value=[100.0, 120.0, 5.0])))
    changed = activity[activity["changed"]]
    assert set(changed.index.get_level_values("category")) == {"1.A.2.a"}
    assert set(changed["reason"]) == {"activity change"}
    assert changed.loc[(2022, "1.A.2.a", "CO2"), "difference_pct"] == pytest.approx(
        100 * 10 / 110)

    measured = recalculation(inv, cl.compute_inventory(base_rows.assign(
        carbon_content=[np.nan, np.nan, 27.0])))
    reason = measured.loc[(2022, "1.A.1.a.i", "CO2"), "reason"]
    assert reason.startswith("factor change") and "+measured:carbon_content" in reason
    assert measured.loc[(2022, "1.A.1.a.i", "CH4"), "reason"] == "no change"

    added = recalculation(inv, cl.compute_inventory(pd.concat([base_rows, pd.DataFrame({
        "year": [2022], "sector": ["building_materials"], "activity": ["clinker_production"],
        "item": ["clinker"], "value": [1.0], "unit": ["wan_t"]})], ignore_index=True)))
    assert added.loc[(2022, "2.A.1", "CO2"), "status"] == "added"
    assert added.loc[(2022, "2.A.1", "CO2"), "reason"].startswith("method change")
    removed = recalculation(cl.compute_inventory(base_rows), cl.compute_inventory(
        base_rows.iloc[:2]))
    assert (removed.xs("1.A.1.a.i", level="category")["status"] == "removed").all()


def test_factor_value_change_and_kind_change_with_the_same_ids():
    """Same factor id, value 1.0 -> 1.1 in the revised library: a factor change; the same
    category computed from another kind: a method change."""
    factors = {"test/1:t:f|ef": (1.0, 0.9, 1.1)}
    old = make_inventory([(2022, "1.A.1", "CO2", 100.0, "test/1:t:f|ef", "energy", 0.0)],
                         factors)
    new = make_inventory([(2022, "1.A.1", "CO2", 110.0, "test/1:t:f|ef", "energy", 0.0)],
                         {"test/1:t:f|ef": (1.1, 0.9, 1.2)})
    new.activity["value"] = 100.0
    out = recalculation(old, new)
    assert out.loc[(2022, "1.A.1", "CO2"), "reason"] == "factor change: values of test/1:t:f|ef"
    kind = dataclasses.replace(old, activity=old.activity.assign(
        activity=pd.Categorical(["clinker_production"])))
    assert recalculation(old, kind).loc[(2022, "1.A.1", "CO2"), "reason"].startswith(
        "method change: kinds fuel_combustion -> clinker_production")


def test_gwp_change(base_rows):
    out = recalculation(cl.compute_inventory(base_rows, gwp="AR5"),
                        cl.compute_inventory(base_rows, gwp="AR4"))
    assert out.loc[(2022, "1.A.2.a", "CH4"), "reason"] == "GWP change"
    assert out.loc[(2022, "1.A.2.a", "CO2"), "reason"] == "no change"
