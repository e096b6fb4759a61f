"""LMDI-I decomposition and the Kaya identity (carbonledger.scenario.decompose).

Published reference numbers: Ang (2005, Energy Policy 33:867-871) and Ang (2015, Energy Policy
86:233-238) give the LMDI-I formulae used here, but their worked-example tables could not be
retrieved while writing these tests, so they are not reproduced. Instead the tests reproduce the
"simple example" of the LMDIR R package (M.K. Heun, MIT licence; its vignette states it is a
version of Section S3 of the Supplementary Information to Heun & Brockway 2019, Applied Energy
251:112697): two sub-categories, three factors, years 1971-1974. The expected numbers were read
from that package's test suite (github.com/MatthewHeun/LMDIR, tests/testthat/test_lmdi.R), an
implementation independent of this one, including its two zero-value cases (Ang, Zhang & Choi
1998, Energy 23:489-495, Table 2). Hand-computed cases whose answer follows from the definition
without evaluating the LMDI formula are added alongside.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from carbonledger.errors import ActivityDataError, ScenarioSpecError
from carbonledger.scenario.decompose import decompose_change, kaya, lmdi, log_mean

FACTORS = ["factor 1", "factor 2", "factor 3"]
ROWS = ["subcat 1", "subcat 2"]
# LMDIR create_simple_LMDI(): the X matrix of each year, rows = sub-categories
LMDIR_X = {
    1971: [[1, 10, 2], [4, 5, 3]],
    1972: [[4, 5, 3], [5, 6, 4]],
    1973: [[8, 2, 4], [5, 7, 5]],
    1974: [[10, 1, 5], [6, 8, 6]],
}


def _x(year: int) -> pd.DataFrame:
    return pd.DataFrame(LMDIR_X[year], index=ROWS, columns=FACTORS, dtype="float64")


# ---------------------------------------------------------------- published example (LMDIR)

@pytest.mark.parametrize(("year", "additive", "multiplicative"), [
    (1972, [69.79006598, -9.455125793, 39.66505981], [1.761117821, 0.926191306, 1.379410116]),
    (1973, [42.96021467, -34.31902656, 50.3588119], [1.229284572, 0.847970248, 1.273773912]),
    (1974, [54.01064234, -9.021284671, 54.01064234], [1.208140223, 0.968911503, 1.208140223]),
])
def test_lmdir_simple_example(year, additive, multiplicative):
    """dV and D of LMDIR's "Linear LMDI" / "Multiplicative LMDI" tests, year-1 -> year."""
    x0, xT = _x(year - 1), _x(year)
    effects = lmdi(x0, xT)
    np.testing.assert_allclose(effects.to_numpy(), additive, rtol=1e-9)
    indices = lmdi(x0, xT, kind="multiplicative")
    np.testing.assert_allclose(indices.to_numpy(), multiplicative, rtol=1e-9)
    # the negative structure effect stays negative and nothing is rescaled
    assert effects["factor 2"] < 0 and indices["factor 2"] < 1
    # aggregate changes 80 -> 180 -> 239 -> 338 (LMDIR dV_agg 100, 59, 99; D_agg 2.25, ...)
    v0 = float(x0.prod(axis=1).sum())
    vT = float(xT.prod(axis=1).sum())
    assert effects.sum() == pytest.approx(vT - v0, abs=1e-9)
    assert indices.prod() == pytest.approx(vT / v0, rel=1e-12)


def test_lmdir_simple_example_by_row():
    """LMDIR's Z matrix (Z_byname test) 1971 -> 1972, and rows summing to the row changes."""
    z = lmdi(_x(1971), _x(1972), by_row=True)
    np.testing.assert_allclose(z.to_numpy(), [[50.47438029, -25.23719014, 14.76280986],
                                              [19.31568569, 15.78206435, 24.90224996]],
                               rtol=1e-9)
    assert list(z.index) == ROWS and list(z.columns) == FACTORS
    np.testing.assert_allclose(z.sum(axis=1).to_numpy(), [60 - 20, 120 - 60], rtol=1e-12)
    d = lmdi(_x(1971), _x(1972), kind="multiplicative", by_row=True)
    assert float(np.prod(d.to_numpy())) == pytest.approx(180 / 80, rel=1e-12)


def test_lmdir_zero_value_cases():
    """LMDIR Z_byname zero cases: x0[1,1] = 0 gives row 1 = (60, 0, 0); xT[2,3] = 0 gives
    row 2 = (0, 0, -60); the other row keeps its Z_1 values."""
    x0, xT = _x(1971), _x(1972)
    x0_zero = x0.copy()
    x0_zero.iloc[0, 0] = 0.0
    z = lmdi(x0_zero, xT, by_row=True)
    np.testing.assert_allclose(z.to_numpy(), [[60, 0, 0],
                                              [19.31568569, 15.78206435, 24.90224996]],
                               rtol=1e-9, atol=1e-12)
    xT_zero = xT.copy()
    xT_zero.iloc[1, 2] = 0.0
    z = lmdi(x0, xT_zero, by_row=True)
    np.testing.assert_allclose(z.to_numpy(), [[50.47438029, -25.23719014, 14.76280986],
                                              [0, 0, -60]], rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------- hand-computed cases

def test_single_factor_change_takes_the_whole_change():
    """Only factor a changes in the only row: its effect is V_T - V_0, the others exactly 0."""
    x0 = pd.DataFrame({"a": [2.0], "b": [3.0], "c": [5.0]})
    xT = pd.DataFrame({"a": [7.0], "b": [3.0], "c": [5.0]})
    effects = lmdi(x0, xT)
    assert effects.to_dict() == pytest.approx({"a": 105.0 - 30.0, "b": 0.0, "c": 0.0})
    assert lmdi(x0, xT, kind="multiplicative").to_dict() == pytest.approx(
        {"a": 3.5, "b": 1.0, "c": 1.0})


def test_symmetric_growth_is_split_equally():
    """Every factor doubles: V goes 1 -> 8; each of 3 factors gets 7/3 and an index of 2."""
    x0 = pd.DataFrame([[1.0, 1.0, 1.0]], columns=["p", "q", "r"])
    xT = pd.DataFrame([[2.0, 2.0, 2.0]], columns=["p", "q", "r"])
    np.testing.assert_allclose(lmdi(x0, xT).to_numpy(), [7 / 3] * 3, rtol=1e-12)
    np.testing.assert_allclose(lmdi(x0, xT, kind="multiplicative").to_numpy(), [2.0] * 3,
                               rtol=1e-12)


def test_intensity_effect_of_one_sector_is_its_own_change():
    """Only industry's intensity changes (2.0 -> 1.8 while its V goes 120 -> 108): the intensity
    effect is L(108, 120) * ln(0.9) = 108 - 120 = -12 exactly, whatever the other rows do."""
    x0 = pd.DataFrame({"activity": [100.0, 100.0], "share": [0.6, 0.4],
                       "intensity": [2.0, 1.0]}, index=["industry", "services"])
    xT = pd.DataFrame({"activity": [120.0, 120.0], "share": [0.5, 0.5],
                       "intensity": [1.8, 1.0]}, index=["industry", "services"])
    effects = lmdi(x0, xT)
    assert effects["intensity"] == pytest.approx(-12.0, abs=1e-12)
    assert effects.sum() == pytest.approx(168.0 - 160.0, abs=1e-12)


def test_time_reversal_flips_signs_exactly():
    """Decomposing T -> 0 gives the negated effects and the reciprocal indices (the residual
    sign trap: a decrease must come out negative)."""
    x0, xT = _x(1972), _x(1973)
    forward, backward = lmdi(x0, xT), lmdi(xT, x0)
    np.testing.assert_allclose(backward.to_numpy(), -forward.to_numpy(), rtol=1e-12)
    assert backward.sum() == pytest.approx(180.0 - 239.0, abs=1e-9)
    np.testing.assert_allclose(lmdi(xT, x0, kind="multiplicative").to_numpy(),
                               1 / lmdi(x0, xT, kind="multiplicative").to_numpy(), rtol=1e-12)


def test_log_mean_values_and_limits():
    assert float(log_mean(math.e, 1.0)) == pytest.approx(math.e - 1, rel=1e-15)
    assert float(log_mean(4.0, 4.0)) == 4.0
    # near-equal arguments: (a - b) / ln(a / b) would lose digits; L stays between b and a
    assert float(log_mean(1.0 + 1e-13, 1.0)) == pytest.approx(1.0 + 5e-14, rel=1e-15)
    assert log_mean([0.0, 3.0], [5.0, 0.0]).tolist() == [0.0, 0.0]
    with pytest.raises(ActivityDataError):
        log_mean(-1.0, 2.0)


# ---------------------------------------------------------------- zero values

def test_appearing_row_is_split_over_its_zero_factors():
    """V_0 = 0 < V_T = 24 with two factors zero in period 0: 12 each (the limit of the
    small-value substitution with one delta per zero)."""
    x0 = pd.DataFrame({"a": [0.0, 1.0], "b": [0.0, 1.0], "c": [2.0, 1.0]}, index=["new", "old"])
    xT = pd.DataFrame({"a": [3.0, 1.0], "b": [4.0, 1.0], "c": [2.0, 1.0]}, index=["new", "old"])
    z = lmdi(x0, xT, by_row=True)
    assert z.loc["new"].tolist() == pytest.approx([12.0, 12.0, 0.0])
    assert z.loc["old"].tolist() == [0.0, 0.0, 0.0]
    assert lmdi(x0, xT).sum() == pytest.approx(24.0, abs=1e-12)
    assert lmdi(x0, xT, kind="multiplicative").prod() == pytest.approx(25.0, rel=1e-12)


def test_disappearing_and_always_zero_rows():
    x0 = pd.DataFrame({"a": [5.0, 0.0, 0.0], "b": [2.0, 3.0, 1.0]}, index=["gone", "nil", "x"])
    xT = pd.DataFrame({"a": [5.0, 0.0, 2.0], "b": [0.0, 7.0, 0.0]}, index=["gone", "nil", "x"])
    z = lmdi(x0, xT, by_row=True)
    assert z.loc["gone"].tolist() == [0.0, -10.0]          # rule 3: -V_0 on the zeroed factor
    assert z.loc["nil"].tolist() == [0.0, 0.0]             # rule 4: zero in both periods
    assert z.loc["x"].tolist() == [0.0, 0.0]               # zero in both, different factors
    assert lmdi(x0, xT).sum() == pytest.approx(-10.0, abs=1e-12)
    with pytest.raises(ActivityDataError, match="positive aggregate"):
        lmdi(x0, xT, kind="multiplicative")                 # V_T = 0: no ratio


def test_limit_matches_small_value_substitution():
    """The analytical limit is what delta-substitution converges to (Ang & Liu 2007), slowly
    (Wood & Lenzen 2006): errors shrink monotonically as delta -> 0."""
    x0 = pd.DataFrame({"a": [0.0], "b": [2.0]})
    xT = pd.DataFrame({"a": [3.0], "b": [4.0]})
    limit = lmdi(x0, xT).to_numpy()
    assert limit.tolist() == pytest.approx([12.0, 0.0])
    errors = []
    for delta in (1e-10, 1e-20, 1e-100, 1e-300):
        substituted = lmdi(x0.replace(0.0, delta), xT).to_numpy()
        errors.append(np.abs(substituted - limit).max())
    assert all(b < a for a, b in zip(errors, errors[1:], strict=False))
    # a case where the substitution converges exactly: x0 = (0, 2), xT = (3, 2) gives 6 - 2 delta
    exact = lmdi(pd.DataFrame({"a": [1e-12], "b": [2.0]}), pd.DataFrame({"a": [3.0], "b": [2.0]}))
    assert exact.tolist() == pytest.approx([6.0 - 2e-12, 0.0], abs=1e-13)


# ---------------------------------------------------------------- properties

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def factor_pairs(draw, zeros: bool):
    n_rows = draw(st.integers(1, 6))
    n_factors = draw(st.integers(1, 5))
    shape = (n_rows, n_factors)
    a0 = draw(arrays("float64", shape, elements=positive))
    aT = draw(arrays("float64", shape, elements=positive))
    if zeros:  # about one value in four set to 0, in either period
        keep = st.sampled_from([True, True, True, False])
        a0 = a0 * draw(arrays("bool", shape, elements=keep))
        aT = aT * draw(arrays("bool", shape, elements=keep))
    cols = [f"f{k}" for k in range(n_factors)]
    return pd.DataFrame(a0, columns=cols), pd.DataFrame(aT, columns=cols)


@SETTINGS
@given(factor_pairs(zeros=False))
def test_additive_effects_sum_exactly_and_indices_multiply(pair):
    x0, xT = pair
    v0 = x0.prod(axis=1).to_numpy()
    vT = xT.prod(axis=1).to_numpy()
    scale = max(v0.sum(), vT.sum(), 1.0)
    effects = lmdi(x0, xT)
    assert abs(effects.sum() - (vT.sum() - v0.sum())) <= 1e-9 * scale
    rows = lmdi(x0, xT, by_row=True)
    np.testing.assert_allclose(rows.sum(axis=1).to_numpy(), vT - v0, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(rows.sum(axis=0).to_numpy(), effects.to_numpy(), rtol=1e-12,
                               atol=1e-12 * scale)
    indices = lmdi(x0, xT, kind="multiplicative")
    assert indices.prod() == pytest.approx(vT.sum() / v0.sum(), rel=1e-9)
    # ln D_k = dV_k / L(V_T, V_0) for every factor: no effect dropped, flipped or rescaled
    weight = float(log_mean(vT.sum(), v0.sum()))
    np.testing.assert_allclose(np.log(indices.to_numpy()) * weight, effects.to_numpy(),
                               rtol=1e-9, atol=1e-9 * scale)


@SETTINGS
@given(factor_pairs(zeros=True))
def test_additive_sum_is_exact_with_zero_values(pair):
    x0, xT = pair
    change = xT.prod(axis=1).sum() - x0.prod(axis=1).sum()
    scale = max(x0.prod(axis=1).sum(), xT.prod(axis=1).sum(), 1.0)
    effects = lmdi(x0, xT)
    assert np.isfinite(effects.to_numpy()).all()
    assert abs(effects.sum() - change) <= 1e-9 * scale


# ---------------------------------------------------------------- errors and alignment

def test_negative_values_are_refused_naming_rows():
    x0 = pd.DataFrame({"a": [1.0, -2.0, 3.0], "b": [1.0, 1.0, 1.0]}, index=["s1", "s2", "s3"])
    with pytest.raises(ActivityDataError) as err:
        lmdi(x0, x0.abs())
    assert err.value.rows == ["s2"] and "negative" in str(err.value)
    with pytest.raises(ActivityDataError) as err:
        lmdi(x0.abs(), x0)
    assert err.value.rows == ["s2"] and "xT" in str(err.value)


def test_mismatched_rows_and_columns_are_refused():
    x0 = _x(1971)
    with pytest.raises(ActivityDataError, match="different rows") as err:
        lmdi(x0, x0.rename(index={"subcat 2": "subcat 3"}))
    assert set(err.value.rows) == {"subcat 2", "subcat 3"}
    with pytest.raises(ActivityDataError, match="different factor columns"):
        lmdi(x0, x0.drop(columns="factor 3"))
    with pytest.raises(ActivityDataError, match="missing or infinite") as err:
        lmdi(x0, x0.where(x0 != 5.0))
    assert err.value.rows == ["subcat 2"]
    with pytest.raises(ScenarioSpecError):
        lmdi(x0, x0, kind="ratio")


def test_order_of_rows_and_columns_does_not_matter():
    x0, xT = _x(1971), _x(1972)
    shuffled = xT.loc[ROWS[::-1], FACTORS[::-1]]
    pd.testing.assert_series_equal(lmdi(x0, shuffled), lmdi(x0, xT))


def test_decompose_change_between_scenarios():
    """Baseline vs alternative in one year; the rows come in another order and with extra
    columns. Steel 20 -> 16 only by output (ef equal), power 40 -> 33."""
    base = pd.DataFrame({"sector": ["steel", "power"], "output": [10.0, 50.0],
                         "ef": [2.0, 0.8], "note": ["a", "b"]})
    alt = pd.DataFrame({"sector": ["power", "steel"], "output": [55.0, 8.0], "ef": [0.6, 2.0]})
    by_row = decompose_change(base, alt, factors=["output", "ef"], by="sector", by_row=True)
    assert by_row.loc["steel"].tolist() == pytest.approx([-4.0, 0.0], abs=1e-12)
    assert by_row.loc["power"].sum() == pytest.approx(-7.0, abs=1e-12)
    with pytest.raises(ActivityDataError, match="no factor column"):
        decompose_change(base, alt, factors=["output", "missing"], by="sector")


def test_decompose_change_missing_rows():
    frame0 = pd.DataFrame({"a": [2.0], "b": [3.0]}, index=["coal"])
    frameT = pd.DataFrame({"a": [2.0, 1.0], "b": [3.0, 4.0]}, index=["coal", "pv"])
    with pytest.raises(ActivityDataError, match="different rows") as err:
        decompose_change(frame0, frameT, factors=["a", "b"])
    assert err.value.rows == ["pv"]
    split = decompose_change(frame0, frameT, factors=["a", "b"], missing="zero", by_row=True)
    assert split.loc["pv"].tolist() == pytest.approx([2.0, 2.0])   # 4 split over 2 factors


# ---------------------------------------------------------------- Kaya

def test_kaya_population_only_change_is_all_population():
    """GDP, energy and CO2 all grow with population (A, T1, T2 constant): the population effect
    is the whole change and the other effects are exactly 0."""
    years = [2015, 2020]
    k = kaya(pd.Series([100.0, 110.0], index=years), pd.Series([500.0, 550.0], index=years),
             pd.Series([80.0, 88.0], index=years), pd.Series([200.0, 220.0], index=years))
    assert k.additive.to_dict() == pytest.approx({"P": 20.0, "A": 0.0, "T1": 0.0, "T2": 0.0},
                                                 abs=1e-12)
    assert k.multiplicative.to_dict() == pytest.approx({"P": 1.1, "A": 1.0, "T1": 1.0,
                                                        "T2": 1.0})
    assert (k.year0, k.yearT, k.change) == (2015, 2020, pytest.approx(20.0))


def test_kaya_identity_and_exact_sum():
    population = {2010: 95.0, 2015: 100.0, 2020: 103.0}
    gdp = {2010: 3000.0, 2015: 4500.0, 2020: 6000.0}
    energy = {2010: 1500.0, 2015: 1900.0, 2020: 2100.0}
    co2 = {2010: 3300.0, 2015: 4000.0, 2020: 4100.0}
    k = kaya(population, gdp, energy, co2, year0=2015)
    f = k.factors
    np.testing.assert_allclose((f["P"] * f["A"] * f["T1"] * f["T2"]).to_numpy(),
                               f["C"].to_numpy(), rtol=1e-14)
    assert f.loc[2020, "T1"] == pytest.approx(2100 / 6000)
    assert k.additive.sum() == pytest.approx(100.0, abs=1e-9)
    assert k.multiplicative.prod() == pytest.approx(4100 / 4000, rel=1e-12)
    assert k.additive["T1"] < 0 < k.additive["A"]


def test_kaya_refuses_bad_input():
    ok = {2019: 1.0, 2020: 2.0}
    with pytest.raises(ActivityDataError) as err:
        kaya(ok, ok, {2019: 1.0, 2020: 0.0}, ok)
    assert err.value.rows == [2020]
    with pytest.raises(ActivityDataError, match="other years"):
        kaya(ok, ok, ok, {2019: 1.0, 2021: 2.0})
    with pytest.raises(ActivityDataError, match="year0/yearT"):
        kaya(ok, ok, ok, ok, yearT=2030)
