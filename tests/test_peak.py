"""Tests of carbonledger.scenario.peak: peak year, plateau test, vectorized versions over draws.

Real series: CEADs scope-1 CO2 of Jiayuguan 2010-2016 and of Gansu 2015-2019 (Mt), from
shared/reference/public_figures.md sections 1c and 4a (tag R1, [CEADS-city] / [CEADS-prov]).
The other series are illustrative and built so the expected answer can be read off by eye.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonledger.errors import ActivityDataError
from carbonledger.scenario.peak import (
    PeakResult,
    p_peak_by,
    peak,
    peak_years,
    percentile_bands,
    plateau,
    plateau_mask,
)

# public_figures.md 1c (R1): Jiayuguan CO2, Mt, CEADs city inventory
JIAYUGUAN_CO2_MT = pd.Series({2010: 26.881, 2011: 30.017, 2012: 37.724, 2013: 30.468,
                              2014: 36.008, 2015: 43.254, 2016: 37.243})
# public_figures.md 4a (R1): Gansu CO2, Mt, CEADs provincial inventory
GANSU_CO2_MT = pd.Series({2015: 160.085, 2016: 153.935, 2017: 151.959, 2018: 162.990,
                          2019: 164.488})

YEARS = np.arange(2028, 2036)
PASSES = [100.0, 99.5, 99.0, 98.0, 97.0, 96.5, 96.0, 95.0]     # -5 % by 2035, never rises
REBOUND = [100.0, 95.0, 90.0, 96.0, 99.0, 97.0, 96.0, 95.0]    # falls 10 %, climbs back 9 %
WIGGLE = [100.0, 98.0, 96.0, 97.0, 95.0, 94.0, 93.0, 92.0]     # +1 % blip in 2031
RISING = [90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0]


def test_peak_of_real_city_series():
    """Jiayuguan CO2 (CEADs, R1) is highest in 2015 at 43.254 Mt and lower in 2016: peaked."""
    assert peak(JIAYUGUAN_CO2_MT) == PeakResult(year=2015, value=43.254, peaked=True,
                                                horizon_end=2016)


def test_still_at_maximum_in_last_year_is_not_peaked():
    """Gansu CO2 (CEADs, R1) is highest in its last year 2019 (164.488 Mt): peaked is False."""
    result = peak(GANSU_CO2_MT)
    assert (result.year, result.value, result.peaked, result.horizon_end) == (
        2019, 164.488, False, 2019)


def test_monotone_rising_series_is_not_peaked():
    years = range(2020, 2061)
    rising = pd.Series(np.linspace(50.0, 90.0, 41), index=years)
    assert peak(rising) == PeakResult(year=2060, value=90.0, peaked=False, horizon_end=2060)


def test_unsorted_index_is_sorted_and_ties_go_to_first_year():
    series = pd.Series({2028: 99.0, 2027: 101.5, 2025: 98.0, 2026: 101.5})
    assert peak(series) == PeakResult(year=2026, value=101.5, peaked=True, horizon_end=2028)


def test_flat_series_reports_first_year_and_not_peaked():
    assert peak({2030: 5.0, 2031: 5.0, 2032: 5.0}) == PeakResult(2030, 5.0, False, 2032)
    # rises, then flat at the maximum to the end: the plateau start, still not peaked
    assert peak({2030: 1.0, 2031: 3.0, 2032: 3.0}) == PeakResult(2031, 3.0, False, 2032)
    # rises back to an earlier maximum in the last year: not peaked, last year reported
    assert peak({2030: 3.0, 2031: 1.0, 2032: 3.0}) == PeakResult(2032, 3.0, False, 2032)


def test_tolerance_treats_near_ties_as_the_maximum():
    series = {2028: 100.0, 2029: 100.02, 2030: 100.01, 2031: 99.0}
    assert peak(series).year == 2029
    assert peak(series, tolerance=0.001).year == 2028
    assert peak({2028: 99.0, 2029: 100.0, 2030: 99.95}, tolerance=0.001).peaked is False
    with pytest.raises(ActivityDataError, match="tolerance"):
        peak(series, tolerance=1.5)


def test_nan_is_refused_naming_the_years():
    series = pd.Series({2025: 1.0, 2026: np.nan, 2027: 2.0, 2028: np.nan})
    with pytest.raises(ActivityDataError, match=r"missing values in years \[2026, 2028\]") as err:
        peak(series)
    assert err.value.rows == [2026, 2028]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-1000, max_value=10**6), min_size=1, max_size=45),
       st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_leaves_peak_year_unchanged(values, factor):
    """Design card (DESIGN.md section 7): scaling invariance of the peak year. Integer values
    keep distinct values distinct after scaling, so ties cannot appear or vanish."""
    series = pd.Series(np.asarray(values, dtype=float), index=range(2020, 2020 + len(values)))
    base, scaled = peak(series), peak(series * factor)
    assert (scaled.year, scaled.peaked) == (base.year, base.peaked)
    assert scaled.value == pytest.approx(base.value * factor, rel=1e-12)
    draws = peak_years(np.vstack([series.to_numpy(), series.to_numpy() * factor]),
                       series.index.to_numpy())
    assert draws.year.tolist() == [base.year, base.year]
    assert draws.peaked.tolist() == [base.peaked, base.peaked]


def test_peak_years_matches_peak_row_by_row():
    """Rounded random walks have many ties and plateaus; every row must equal peak()."""
    rng = np.random.default_rng(7)
    values = np.round(rng.normal(size=(300, 12)).cumsum(axis=1))
    years = np.arange(2025, 2037)
    draws = peak_years(values, years)
    for i, row in enumerate(values):
        expected = peak(pd.Series(row, index=years))
        assert (draws.year[i], draws.value[i], draws.peaked[i]) == (
            expected.year, expected.value, expected.peaked)
    assert draws.year.dtype == np.int64 and draws.peaked.dtype == bool


def test_p_peak_by_matches_hand_count():
    """Hand count over 5 draws, 2028-2031: draw 0 peaks 2029, draw 1 still rising, draw 2
    peaks 2028, draw 3 peaks 2030, draw 4 flat (never comes down: not peaked)."""
    values = np.array([[1.0, 4.0, 3.0, 2.0],
                       [1.0, 2.0, 3.0, 4.0],
                       [5.0, 4.0, 3.0, 2.0],
                       [1.0, 2.0, 6.0, 5.0],
                       [2.0, 2.0, 2.0, 2.0]])
    year, value, peaked = peak_years(values, [2028, 2029, 2030, 2031])
    assert year.tolist() == [2029, 2031, 2028, 2030, 2028]
    assert value.tolist() == [4.0, 4.0, 5.0, 6.0, 2.0]
    assert peaked.tolist() == [True, False, True, True, False]
    assert p_peak_by(year, peaked, 2027) == 0.0
    assert p_peak_by(year, peaked, 2028) == pytest.approx(1 / 5)
    assert p_peak_by(year, peaked, 2029) == pytest.approx(2 / 5)
    assert p_peak_by(year, peaked, 2030) == pytest.approx(3 / 5)
    # the still-rising draw has year 2031 but is not counted as peaked
    assert p_peak_by(year, peaked, 2031) == pytest.approx(3 / 5)


def test_p_peak_by_refuses_bad_inputs():
    with pytest.raises(ActivityDataError, match="boolean"):
        p_peak_by([2028, 2029], [1, 0], 2030)
    with pytest.raises(ActivityDataError, match="same"):
        p_peak_by([2028, 2029], [True], 2030)


def test_peak_years_refuses_nan_naming_draws():
    values = np.ones((4, 3))
    values[2, 1] = np.nan
    with pytest.raises(ActivityDataError, match=r"years \[2031\]") as err:
        peak_years(values, [2030, 2031, 2032])
    assert err.value.rows == [2]
    with pytest.raises(ActivityDataError, match="one column per year"):
        peak_years(np.ones((4, 3)), [2030, 2031])


def test_percentile_bands_match_numpy():
    rng = np.random.default_rng(3)
    values = rng.lognormal(size=(2001, 5))
    years = np.arange(2030, 2035)
    bands = percentile_bands(values, years)
    assert list(bands.columns) == ["p2.5", "p25", "p50", "p75", "p97.5"]
    assert bands.index.name == "year" and bands.index.tolist() == years.tolist()
    np.testing.assert_allclose(bands["p50"].to_numpy(), np.median(values, axis=0))
    np.testing.assert_allclose(bands["p97.5"].to_numpy(), np.percentile(values, 97.5, axis=0))
    assert (bands.diff(axis=1).iloc[:, 1:] >= 0).all().all()  # bands are ordered
    with pytest.raises(ActivityDataError, match="percentiles"):
        percentile_bands(values, years, q=(50, 101))


def test_plateau_passes_for_stable_decline():
    result = plateau(pd.Series(PASSES, index=YEARS))
    assert result.passed and result.peaked_before_until and result.no_exceedance
    assert result.stable and result.declining and result.monotone
    assert (result.peak_year, result.value_at_until, result.max_rebound) == (2028, 95.0, 0.0)
    assert result.change_at_until == pytest.approx(-0.05)
    assert result.rebound_year is None
    assert result.explanation.endswith("passes (stable_then_declining)")


def test_plateau_rebound_fails_even_below_the_peak():
    """90 -> 99 is a rebound of 9 % of the peak (100), above the 5 % band, in 2032."""
    result = plateau(pd.Series(REBOUND, index=YEARS))
    assert not result.passed
    assert result.no_exceedance and result.declining and not result.stable
    assert result.max_rebound == pytest.approx(9.0) and result.rebound_year == 2032
    assert "not stable" in result.explanation
    assert plateau(pd.Series(REBOUND, index=YEARS), band=0.10).passed


def test_plateau_still_rising_fails():
    result = plateau(pd.Series(RISING, index=YEARS))
    assert not result.passed and not result.peaked_before_until
    assert result.peak_year == 2035 and "not before 2035" in result.explanation


def test_plateau_flat_after_peak_is_not_declining():
    flat = pd.Series([98.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0], index=YEARS)
    result = plateau(flat)
    assert result.stable and result.no_exceedance and not result.declining
    assert not result.passed


def test_plateau_rules_differ_on_a_small_blip():
    """A +1 % blip passes the default rule (band 5 %) and fails the monotone rule."""
    series = pd.Series(WIGGLE, index=YEARS)
    assert plateau(series).passed
    strict = plateau(series, rule="monotone_decline")
    assert not strict.passed and not strict.monotone and strict.stable
    with pytest.raises(ActivityDataError, match="unknown plateau rule"):
        plateau(series, rule="wobbly")


def test_plateau_from_a_planned_peak_on_real_data():
    """Gansu CO2 (CEADs, R1) tested from 2015 to 2019: above the 2015 level (160.085 Mt) in
    2018 and 2019, and a rebound of 164.488 - 151.959 = 12.529 Mt (7.8 % of the peak)."""
    result = plateau(GANSU_CO2_MT, peak_year=2015, until=2019)
    assert not result.passed and not result.no_exceedance and not result.stable
    assert result.max_rebound == pytest.approx(12.529) and result.rebound_year == 2019
    assert "above the peak in [2018, 2019]" in result.explanation
    assert result.change_at_until == pytest.approx(164.488 / 160.085 - 1)
    # Jiayuguan (R1): peak 2015, 2016 is 13.9 % lower
    jyg = plateau(JIAYUGUAN_CO2_MT, until=2016)
    assert jyg.passed and jyg.change_at_until == pytest.approx(37.243 / 43.254 - 1)


def test_plateau_refuses_missing_years():
    gappy = pd.Series(PASSES, index=YEARS).drop([2031, 2033])
    with pytest.raises(ActivityDataError, match=r"missing years \[2031, 2033\]") as err:
        plateau(gappy)
    assert err.value.rows == [2031, 2033]
    with pytest.raises(ActivityDataError, match="2040"):
        plateau(pd.Series(PASSES, index=YEARS), until=2040)
    with pytest.raises(ActivityDataError, match="peak year 2020"):
        plateau(pd.Series(PASSES, index=YEARS), peak_year=2020)


def test_plateau_mask_matches_plateau_row_by_row():
    rng = np.random.default_rng(11)
    years = np.arange(2025, 2041)
    trend = 100 - 0.2 * (years - 2030) ** 2
    values = trend + rng.normal(scale=1.5, size=(150, years.size))
    passing = {}
    for rule in ("stable_then_declining", "monotone_decline"):
        mask = plateau_mask(values, years, until=2035, band=0.03, rule=rule)
        expected = [plateau(pd.Series(row, index=years), until=2035, band=0.03,
                            rule=rule).passed for row in values]
        assert mask.tolist() == expected
        passing[rule] = int(mask.sum())
    # the comparison is not trivial: the default rule has both outcomes, monotone is stricter
    assert 0 < passing["stable_then_declining"] < len(values)
    assert passing["monotone_decline"] < passing["stable_then_declining"]
    fixed = np.array([PASSES, REBOUND, WIGGLE, RISING])
    assert plateau_mask(fixed, YEARS).tolist() == [True, False, True, False]
