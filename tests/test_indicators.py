"""Tests of carbonledger.indicators: constant-price GDP, intensities, target tracking.

Real figures are from shared/reference/public_figures.md (tags R1/R2/D there) and the seed plans
in shared/seeds/; where a city series was not found, the data are illustrative and say so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from carbonledger.errors import ActivityDataError, UnitConversionError
from carbonledger.indicators import (
    TargetTrack,
    average_annual_rate,
    change_vs_base,
    constant_price_gdp,
    intensity,
    required_annual_rate,
    track_target,
    trend_projection,
)

# Jiayuguan nominal GDP (10^8 yuan) and real growth, CSMAR CRE_Gdpct.csv (public_figures §1a, R1).
# 2015-2020 growth is stored as percent, 2021 as the index 105.1 (previous year = 100).
JYG_NOMINAL = pd.Series({2015: 190.0442, 2016: 153.4088, 2017: 209.8721, 2018: 299.6200,
                         2019: 283.4099, 2020: 281.6003, 2021: 326.5083})
JYG_GROWTH = pd.Series({2015: 9.0, 2016: 7.3, 2017: 3.7, 2018: 7.4, 2019: 6.5, 2020: 4.3,
                        2021: 105.1})


def test_constant_price_gdp_jiayuguan_2020_prices():
    """Jiayuguan GDP 2015-2021 at constant 2020 prices (CSMAR, public_figures §1a, R1).

    Hand-computed, 10^8 yuan: 2020 keeps its nominal 281.6003; 2021 = 281.6003 x 1.051
    = 295.9619; 2019 = 281.6003 / 1.043 = 269.9907; 2018 = 269.9907 / 1.065 = 253.5124;
    2017 = 253.5124 / 1.074 = 236.0451; 2016 = 236.0451 / 1.037 = 227.6230;
    2015 = 227.6230 / 1.073 = 212.1370. 2015's own growth (9.0 %) is not needed.
    """
    gdp = constant_price_gdp(JYG_NOMINAL, JYG_GROWTH, base_year=2020, growth="auto")
    expected = [212.1370, 227.6230, 236.0451, 253.5124, 269.9907, 281.6003, 295.9619]
    np.testing.assert_allclose(gdp.to_numpy(), expected, atol=5e-5)
    assert gdp.name == "gdp_constant_2020"
    assert gdp.index.tolist() == list(range(2015, 2022))
    # inverse: the constant-price series grows at the real growth rates it was built from
    regrown = (gdp.pct_change() * 100).iloc[1:]
    np.testing.assert_allclose(regrown.to_numpy(), [7.3, 3.7, 7.4, 6.5, 4.3, 5.1], rtol=1e-12)


def test_constant_price_gdp_percent_and_index_readings_agree():
    """The same Jiayuguan growth written all as percent, or all as index, gives the same series;
    another base year rescales the series without changing its shape."""
    as_percent = JYG_GROWTH.where(JYG_GROWTH < 50, JYG_GROWTH - 100)
    as_index = as_percent + 100
    auto = constant_price_gdp(JYG_NOMINAL, JYG_GROWTH, growth="auto")
    pd.testing.assert_series_equal(auto, constant_price_gdp(JYG_NOMINAL, as_percent))
    pd.testing.assert_series_equal(auto, constant_price_gdp(JYG_NOMINAL, as_index,
                                                            growth="index"))
    base2015 = constant_price_gdp(JYG_NOMINAL, as_percent, base_year=2015)
    assert base2015[2015] == pytest.approx(190.0442)
    np.testing.assert_allclose((base2015 / auto).to_numpy(), 190.0442 / 212.1370, rtol=1e-6)


def test_constant_price_gdp_refuses_a_misread_growth_series():
    with pytest.raises(ActivityDataError, match=r"years \[2021\] looks like an index") as err:
        constant_price_gdp(JYG_NOMINAL, JYG_GROWTH, growth="percent")
    assert err.value.rows == [2021]
    with pytest.raises(ActivityDataError, match=r"years \[2016, 2017.*looks like percent"):
        constant_price_gdp(JYG_NOMINAL, JYG_GROWTH, growth="index")


def test_constant_price_gdp_errors_name_the_years():
    with pytest.raises(ActivityDataError, match=r"real GDP growth is missing years \[2017\]"):
        constant_price_gdp(JYG_NOMINAL, JYG_GROWTH.drop(2017), growth="auto")
    with pytest.raises(ActivityDataError, match="base year 2010 is not in nominal GDP"):
        constant_price_gdp(JYG_NOMINAL, JYG_GROWTH, base_year=2010, growth="auto")
    with pytest.raises(ActivityDataError, match="unknown growth reading"):
        constant_price_gdp(JYG_NOMINAL, JYG_GROWTH, growth="yoy")


def test_co2_intensity_jiayuguan_ceads():
    """Jiayuguan CO2 intensity per 10^4 yuan of nominal GDP, 2010-2016.

    CO2 from CEADs city inventories (Mt; public_figures §1c, R1), GDP from CSMAR (10^8 yuan;
    §1a, R1); public_figures derives (D) 14.58, 12.74, 14.02, 13.47, 15.61 for 2010-2014 and
    22.76, 24.28 t/10^4 yuan for 2015-2016 (e.g. 43.254e6 t / 190.0442e4 = 22.760).
    """
    co2_mt = pd.Series({2010: 26.881, 2011: 30.017, 2012: 37.724, 2013: 30.468, 2014: 36.008,
                        2015: 43.254, 2016: 37.243})
    gdp = pd.Series({2010: 184.3192, 2011: 235.5352, 2012: 269.1460, 2013: 226.2175,
                     2014: 230.6881}).combine_first(JYG_NOMINAL)
    ratio = intensity(co2_mt, gdp, numerator_unit="Mt", gdp_unit="yi_yuan",
                      out_unit="t/wan_yuan")
    assert ratio.round(2).tolist() == [14.58, 12.74, 14.02, 13.47, 15.61, 22.76, 24.28]
    assert ratio.index.tolist() == list(range(2010, 2017))  # GDP years without CO2 dropped
    assert ratio.attrs["unit"] == "t/wan_yuan"
    # unit invariance: the same ratio in kg per yuan is 1000 / 10^4 = 0.1 times the number
    in_kg_per_yuan = intensity(co2_mt * 1e3, gdp, numerator_unit="kilotonne",
                               gdp_unit="亿元", out_unit="kg/yuan")
    np.testing.assert_allclose(in_kg_per_yuan.to_numpy(), ratio.to_numpy() * 0.1, rtol=1e-12)


def test_energy_intensity_chongqing_2020():
    """Chongqing 2020: 8,874.54 10^4 tce (equivalent method) over GDP 25,002.79 10^8 yuan
    = 0.355 tce/10^4 yuan, and the 14 % cut of its 14th-FYP target gives 0.305
    (yx822.com/tanzhonghe/2022/0816/89453_2.html, citing the Chongqing yearbook 2021; R2)."""
    ratio = intensity({2020: 8874.54}, {2020: 25002.79}, numerator_unit="万吨标准煤",
                      gdp_unit="亿元", out_unit="吨标准煤/万元")
    assert round(float(ratio[2020]), 3) == 0.355
    track = track_target(ratio, base_year=2020, target_year=2025, target_change=-0.14)
    assert round(track.target_value, 3) == 0.305
    default_unit = intensity({2020: 8874.54e4}, {2020: 25002.79e4})
    assert default_unit.attrs["unit"] == "tce/wan_yuan"
    assert float(default_unit[2020]) == pytest.approx(float(ratio[2020]), rel=1e-12)


def test_intensity_errors():
    with pytest.raises(ActivityDataError, match=r"GDP is missing years \[2016\]") as err:
        intensity({2015: 1.0, 2016: 2.0}, {2015: 3.0}, numerator_unit="wan_tce")
    assert err.value.rows == [2016]
    with pytest.raises(ActivityDataError, match=r"GDP is zero or negative in years \[2015\]"):
        intensity({2015: 1.0}, {2015: 0.0})
    with pytest.raises(UnitConversionError, match="cannot convert"):
        intensity({2015: 43.254}, {2015: 190.04}, numerator_unit="Mt", gdp_unit="yi_yuan",
                  out_unit="tce/wan_yuan")


def test_gansu_required_annual_rate():
    """Gansu energy intensity -12.5 % 2025 vs 2020 (甘政发〔2022〕41号, which states
    "-2.6 %/yr"; public_figures §4d, R1): 1 - 0.875 ** (1 / 5) = 2.635 %/yr."""
    rate = required_annual_rate(-0.125, 5)
    assert round(rate * 100, 3) == -2.635
    assert round(rate * 100, 1) == -2.6  # the plan's rounded statement
    assert (1 + rate) ** 5 == pytest.approx(0.875, rel=1e-12)  # inverse
    assert average_annual_rate(0.80, 0.70, 5) == pytest.approx(rate, rel=1e-12)
    # with only the base year observed, the required rate is the plan's rate
    track = track_target({2020: 0.80}, base_year=2020, target_year=2025, target_change=-0.125)
    assert track.planned_rate == pytest.approx(rate, rel=1e-12)
    assert track.required_rate == pytest.approx(rate, rel=1e-12)
    assert track.latest_year == 2020 and track.met is None and track.trend_years is None
    assert math.isnan(track.achieved_rate) and math.isnan(track.linear_projection)


def test_track_decrease_mid_period():
    """Gansu -12.5 % target on an illustrative energy-intensity path (no Gansu 2021-2022
    intensity was found): 0.80 (2020) -> 0.77 (2022). Hand-computed: target 0.70; change so far
    0.77/0.80 - 1 = -3.75 %; achieved (0.77/0.80)^(1/2) - 1 = -1.8929 %/yr; required from 2022
    (0.70/0.77)^(1/3) - 1 = -3.1271 %/yr; time-proportional path in 2022 0.80 x 0.875^(2/5)
    = 0.7584 < 0.77, so not on track. Linear fit of 2018-2022 (0.84, 0.82, 0.80, 0.79, 0.77):
    slope -0.017/yr, 2022 fit 0.770, projects 0.770 - 3 x 0.017 = 0.719 in 2025."""
    s = pd.Series({2018: 0.84, 2019: 0.82, 2020: 0.80, 2021: 0.79, 2022: 0.77})
    tr = track_target(s, base_year=2020, target_year=2025, target_change=-0.125,
                      annual_cap=-0.026)
    assert isinstance(tr, TargetTrack)
    assert tr.target_value == pytest.approx(0.70)
    assert tr.change_to_date == pytest.approx(-0.0375)
    assert tr.achieved_rate == pytest.approx(-0.018929, abs=1e-6)
    assert tr.required_rate == pytest.approx(-0.031271, abs=1e-6)
    assert tr.met is None and tr.on_track is False
    assert tr.linear_projection == pytest.approx(0.719, abs=1e-9)
    assert tr.linear_gap == pytest.approx(0.019, abs=1e-9) and tr.linear_meets is False
    assert tr.trend_years == (2018, 2022)
    # "-2.6 %/yr" as an annual check: -1.25 % (2021) and -2.53 % (2022) both fall short
    assert tr.cap_breaches == (2021, 2022)
    assert dict(tr.annual_growth)[2021] == pytest.approx(-0.0125)
    with pytest.raises(Exception, match="cannot assign"):
        tr.met = True  # frozen


def test_track_exactly_on_plan_is_met_and_on_track():
    """Inverse check: a series on the geometric path of -15.5 % over 2015-2020 (Liandu,
    莲政办发〔2018〕113号, seed 004_6b9292b81aacdb14.txt) is on track every year and met."""
    rate = required_annual_rate(-0.155, 5)
    path = pd.Series(0.5 * (1 + rate) ** np.arange(6), index=range(2015, 2021))
    for last in range(2016, 2020):
        tr = track_target(path.loc[:last], base_year=2015, target_year=2020,
                          target_change=-0.155)
        assert tr.on_track and tr.required_rate == pytest.approx(rate, rel=1e-9)
    done = track_target(path, base_year=2015, target_year=2020, target_change=-0.155)
    assert done.met is True and done.on_track is True
    assert math.isnan(done.linear_projection) and done.linear_meets is None
    missed = track_target(path * pd.Series({2020: 1.01}).reindex(path.index, fill_value=1.0),
                          base_year=2015, target_year=2020, target_change=-0.155)
    assert missed.met is False
    assert "The target is missed in 2020." in str(missed)


def test_total_energy_growth_cap_liandu():
    """Liandu: total energy growth <= 2.6 %/yr 2015-2020 (莲政办发〔2018〕113号, seed
    004_6b9292b81aacdb14.txt). Liandu's energy totals were not found: illustrative series.
    Hand-computed: ceiling 100 x 1.026^5 = 113.6938; 2017 grows 105.5/102 - 1 = 3.43 % (over
    the cap); average (111/100)^(1/5) - 1 = 2.109 %/yr, within the cap, so met."""
    energy = pd.Series({2015: 100.0, 2016: 102.0, 2017: 105.5, 2018: 107.0, 2019: 109.0,
                        2020: 111.0})
    tr = track_target(energy, base_year=2015, target_year=2020, annual_cap=0.026, kind="cap",
                      name="total energy", unit="10^4 tce")
    assert tr.target_value == pytest.approx(113.6938, abs=1e-4)
    assert tr.achieved_rate == pytest.approx(0.02109, abs=1e-5)
    assert tr.met is True and tr.cap_breaches == (2017,)
    assert "exceeded the cap of +2.60 %/yr in 2017" in str(tr)
    over = energy.copy()
    over[2020] = 115.0  # (115/100)^(1/5) - 1 = 2.835 %/yr > 2.6 %
    tr_over = track_target(over, base_year=2015, target_year=2020, annual_cap=0.026, kind="cap")
    assert tr_over.met is False and tr_over.cap_breaches == (2017, 2020)
    # mid-period: 2018 at 107 is under the path 100 x 1.026^3 = 108.00; the remaining two
    # years may grow (113.6938/107)^(1/2) - 1 = 3.080 %/yr
    mid = track_target(energy.loc[:2018], base_year=2015, target_year=2020, annual_cap=0.026,
                       kind="cap")
    assert mid.on_track is True and mid.required_rate == pytest.approx(0.03080, abs=1e-5)
    with pytest.raises(ActivityDataError, match=r"missing years \[2017\]"):
        track_target(energy.drop(2017), base_year=2015, target_year=2020, annual_cap=0.026,
                     kind="cap")


def test_attainability_gansu_new_energy_linear_misses_log_linear_meets():
    """Gansu new-energy capacity (GW): end-2018 21.21 (wind 12.82 + PV 8.39, State Grid Gansu
    via zvsthk.com, R2), 2021 25.2012 (October, wmzh.china.com.cn, R2), 2025 80.416
    (reportify.cn, R2); target above 130 GW by 2030 (甘肃省碳达峰实施方案, R1); all from
    public_figures §4c-4d. Least squares on the three points: linear slope 8.747 GW/yr,
    2030 at 118.08 GW (misses by 11.92); log-linear rate +21.63 %/yr, 2030 at 191.13 GW."""
    capacity = pd.Series({2018: 21.21, 2021: 25.2012, 2025: 80.416})
    tr = track_target(capacity, base_year=2018, target_year=2030, target_value=130.0,
                      kind="increase", name="new-energy capacity", unit="GW")
    assert tr.linear_projection == pytest.approx(118.083, abs=1e-3)
    assert tr.linear_gap == pytest.approx(-11.917, abs=1e-3) and tr.linear_meets is False
    assert tr.log_linear_projection == pytest.approx(191.130, abs=1e-3)
    assert tr.log_linear_meets is True
    assert tr.trend_years == (2018, 2025)
    assert tr.on_track is True  # 80.4 GW in 2025 is past the geometric path to 130 GW
    text = str(tr)
    assert "at least 130 GW" in text and "(gap -11.9: misses) on a linear fit" in text


def test_trend_projection_hand_worked():
    """Ten percent a year from 100 (2016-2020): log-linear is exact, 100 x 1.1^9 = 235.795 in
    2025; linear: slope = sum((x - 2018)(y - 122.102)) / 10 = 115.92 / 10 = 11.592, so
    122.102 + 7 x 11.592 = 203.246. With a target of 230 (kind increase), linear misses and
    log-linear meets."""
    s = pd.Series({2016: 100, 2017: 110, 2018: 121, 2019: 133.1, 2020: 146.41})
    p = trend_projection(s, target_year=2025)
    assert p.linear == pytest.approx(203.246, abs=1e-9)
    assert p.linear_slope == pytest.approx(11.592, abs=1e-9)
    assert p.log_linear == pytest.approx(235.7947691, abs=1e-6)
    assert p.log_linear_rate == pytest.approx(0.1, abs=1e-12)
    tr = track_target(s, base_year=2020, target_year=2025, target_value=230, kind="increase")
    assert (tr.linear_meets, tr.log_linear_meets) == (False, True)
    assert trend_projection(s, target_year=2025, window=2).linear == pytest.approx(
        146.41 + 5 * 13.31)
    negative = trend_projection({2019: -1.0, 2020: 1.0}, target_year=2021)
    assert negative.linear == pytest.approx(3.0) and math.isnan(negative.log_linear)
    with pytest.raises(ActivityDataError, match="window=1 is too short"):
        trend_projection(s, target_year=2025, window=1)


def test_water_per_gdp_level_target_jiayuguan():
    """Jiayuguan water use <= 51 m3 per 10^4 yuan of GDP by 2020 (嘉发16号, 2019, seed
    002_2802200b7feaf85f.txt); illustrative values (no Jiayuguan water series was found)."""
    water = pd.Series({2017: 58.0, 2018: 55.0, 2019: 52.5, 2020: 50.2})
    tr = track_target(water, base_year=2017, target_year=2020, target_value=51.0,
                      name="water per GDP", unit="m3/10^4 yuan")
    assert tr.met is True and tr.target_change == pytest.approx(51 / 58 - 1)
    assert tr.change_to_date == pytest.approx(50.2 / 58 - 1)
    frame = tr.to_frame()
    assert frame.index.tolist() == ["water per GDP"] and bool(frame.loc["water per GDP", "met"])
    table = tr.table()
    assert table.loc["target value", "value"] == 51.0
    assert table.loc["target change vs base", "unit"] == "%"
    assert table.loc["change to date", "value"] == pytest.approx((50.2 / 58 - 1) * 100)


def test_construction_land_decline_tianshui():
    """Tianshui: construction land per GDP down at least 4.5 % by end-2023 (seed
    003_1ba907898cbd88c6.txt, indicator 19); illustrative index values 100 -> 96.0 is -4.0 %,
    which misses; 95.4 (-4.6 %) meets."""
    land = {2020: 100.0, 2021: 98.5, 2022: 97.2, 2023: 96.0}
    assert track_target(land, base_year=2020, target_year=2023, target_change=-0.045).met is False
    land[2023] = 95.4
    assert track_target(land, base_year=2020, target_year=2023, target_change=-0.045).met is True
    changes = change_vs_base(land, base_year=2020)
    assert changes[2023] == pytest.approx(-0.046)


@pytest.mark.parametrize(
    ("series", "kwargs", "pattern", "rows"),
    [
        ({2019: 1.0, 2020: "n/a"}, {}, r"non-numeric values in years \[2020\]", [2020]),
        ({2019: 1.0, 2020: float("nan")}, {}, r"missing values in years \[2020\]", [2020]),
        ({"2019": 1.0, "twenty": 2.0}, {}, r"labels that are not years", ["twenty"]),
        ({2019: 1.0, 2020: 1.1}, {"base_year": 2010}, r"base year 2010 is not in", [2010]),
        ({2019: 1.0, 2020: 1.1}, {"target_year": 2015},
         r"target year 2015 is not after base year 2020", [2020, 2015]),
        ({2020: 0.0, 2021: 1.0}, {}, r"is 0.0 in base year 2020.*undefined", [2020]),
    ],
)
def test_track_target_bad_input_names_the_years(series, kwargs, pattern, rows):
    args = {"base_year": 2020, "target_year": 2025, "target_change": -0.125, **kwargs}
    with pytest.raises(ActivityDataError, match=pattern) as err:
        track_target(series, **args)
    assert err.value.rows == rows
    assert "Fix:" in str(err.value)


def test_track_target_inconsistent_arguments():
    s = {2020: 1.0, 2021: 0.9}
    cases = [
        ({"target_change": -0.1, "target_value": 0.9}, "exactly one of"),
        ({}, "exactly one of"),
        ({"target_change": 0.125}, r"target_change=0.125 does not fit kind='decrease'"),
        ({"target_change": -0.1, "kind": "increase"}, "does not fit kind='increase'"),
        ({"target_change": -1.0}, "does not fit"),
        ({"target_value": -1.0}, "not positive"),
        ({"target_change": -0.1, "kind": "down"}, "unknown kind"),
        ({"target_change": -0.1, "kind": "cap"}, "kind='cap' takes annual_cap"),
        ({"target_value": 2.0, "kind": "increase", "annual_cap": 0.1}, "does not apply"),
    ]
    for kwargs, pattern in cases:
        with pytest.raises(ActivityDataError, match=pattern):
            track_target(s, base_year=2020, target_year=2025, **kwargs)


def test_series_input_errors():
    with pytest.raises(ActivityDataError, match=r"repeats years \[2020\]"):
        change_vs_base(pd.Series([1.0, 2.0], index=[2020, 2020]), base_year=2020)
    with pytest.raises(ActivityDataError, match="base year 2020 is not in series.*Fix"):
        change_vs_base({2021: 1.0}, base_year=2020)
    with pytest.raises(ActivityDataError, match="must be a pandas Series or a mapping"):
        change_vs_base([1.0, 2.0], base_year=2020)
    with pytest.raises(ActivityDataError, match="positive start and end"):
        average_annual_rate(0.0, 1.0, 5)
    with pytest.raises(ActivityDataError, match="-100 % or below"):
        required_annual_rate(-1.0, 5)
    years = pd.period_range("2019", periods=2, freq="Y")
    assert change_vs_base(pd.Series([1.0, 1.1], index=years), base_year=2019).index.tolist() == [
        2019, 2020]


def test_policy_targets_table_feeds_track_target():
    """factors/targets/2024/policy_targets.csv: the Gansu -12.5 % (甘政发〔2022〕41号) with its
    stated -2.6 %/yr, the alternative -13 %, the national -18 % CO2 marked 'national, not
    Gansu', and the Liandu cap (莲政办发〔2018〕113号) usable as track_target arguments."""
    from carbonledger.factors import load_factors

    lib = load_factors()
    table = lib.table("policy_targets").set_index("factor_id")
    gansu = lib.get("target_change", "energy_intensity", region="gansu", variant="default")
    assert gansu.value == -0.125 and "甘政发〔2022〕41号" in table.loc[gansu.factor_id, "note"]
    stated = lib.get("annual_rate", "energy_intensity", region="gansu").value
    assert stated == round(required_annual_rate(gansu.value, 5), 3)
    alternative = lib.get("target_change", "energy_intensity", region="gansu",
                          variant="alternative")
    assert alternative.value == -0.13
    co2 = lib.get("target_change", "co2_intensity", region="china")
    assert co2.value == -0.18 and "NATIONAL, NOT GANSU" in table.loc[co2.factor_id, "note"]
    row = table.loc[lib.get("annual_growth_cap", "total_energy", region="liandu").factor_id]
    energy = pd.Series(100 * 1.023 ** np.arange(6), index=range(2015, 2021))  # +2.3 %/yr
    tr = track_target(energy, base_year=int(row["base_year"]),
                      target_year=int(row["target_year"]), annual_cap=row["value"],
                      kind=row["kind"])
    assert tr.met is True and tr.cap_breaches == ()
    assert tr.target_value == pytest.approx(100 * 1.026 ** 5)
    water = lib.get("target_value", "water_per_gdp", region="jiayuguan", unit="m3/wan_yuan")
    assert water.value == 51.0
