"""Tests of carbonledger.scenario.sampling: parameter specs, seeded draws, copula correlations.

Expected moments are closed forms of each distribution (normal, lognormal
``E = exp(mu + sigma^2/2)``, triangular ``(a+b+c)/3``, uniform) or scipy.stats' own truncated
normal; the parameter values are illustrative. Sample sizes are large and tolerances loose (many
standard errors), and every draw is seeded, so these tests are deterministic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import ndtr

from carbonledger.errors import ScenarioSpecError
from carbonledger.scenario.sampling import Distribution, correlation_matrix, draw, parse_spec

SPECS = {
    "steel_growth": {"dist": "normal", "mean": -0.02, "sd": 0.01, "low": -0.05, "high": 0.0},
    "coal_ef": {"dist": "lognormal", "mean": 2.66, "sd": 0.08, "source": "assumption: test"},
    "pv_cf": {"dist": "triangular", "low": 0.14, "mode": 0.17, "high": 0.19},
    "nev_share": {"dist": "uniform", "low": 0.3, "high": 0.5},
    "gdp_growth": 0.05,
}
N = 200_000


def test_same_seed_is_bit_identical_and_order_free():
    first = draw(SPECS, 5000, seed=2030, correlations={("steel_growth", "coal_ef"): 0.4})
    again = draw(SPECS, 5000, seed=2030, correlations={("steel_growth", "coal_ef"): 0.4})
    reordered = draw(dict(reversed(list(SPECS.items()))), 5000, seed=2030,
                     correlations={("coal_ef", "steel_growth"): 0.4})
    other = draw(SPECS, 5000, seed=2031, correlations={("steel_growth", "coal_ef"): 0.4})
    assert list(first) == list(SPECS) and list(reordered) == list(reversed(list(SPECS)))
    for name in SPECS:
        assert first[name].shape == (5000,)
        assert np.array_equal(first[name], again[name])
        assert np.array_equal(first[name], reordered[name])
    assert not np.array_equal(first["pv_cf"], other["pv_cf"])
    np.testing.assert_array_equal(first["gdp_growth"], np.full(5000, 0.05))
    seq = draw(SPECS, 10, seed=np.random.SeedSequence(2030))
    assert np.array_equal(seq["pv_cf"], draw(SPECS, 10, seed=2030)["pv_cf"])


def test_sample_moments_match_the_specs():
    x = draw({"n": {"dist": "normal", "mean": 10.0, "sd": 2.0},
              "ln": {"dist": "lognormal", "mean": 2.66, "sd": 0.8},
              "lm": {"dist": "lognormal", "mu": 0.5, "sigma": 0.25},
              "tri": {"dist": "triangular", "low": 1.0, "mode": 2.0, "high": 6.0},
              "uni": {"dist": "uniform", "low": -1.0, "high": 3.0}}, N, seed=1)
    assert x["n"].mean() == pytest.approx(10.0, abs=0.02)
    assert x["n"].std() == pytest.approx(2.0, rel=0.01)
    # lognormal from the variable's own mean and sd
    assert x["ln"].mean() == pytest.approx(2.66, rel=0.005)
    assert x["ln"].std() == pytest.approx(0.8, rel=0.02)
    # lognormal from mu and sigma of ln(x): mean exp(mu + sigma^2/2), log moments
    assert x["lm"].mean() == pytest.approx(math.exp(0.5 + 0.25**2 / 2), rel=0.003)
    assert np.log(x["lm"]).mean() == pytest.approx(0.5, abs=0.003)
    assert np.log(x["lm"]).std() == pytest.approx(0.25, rel=0.01)
    a, c, b = 1.0, 2.0, 6.0
    assert x["tri"].mean() == pytest.approx((a + b + c) / 3, abs=0.01)
    assert x["tri"].var() == pytest.approx((a * a + b * b + c * c - a * b - a * c - b * c) / 18,
                                           rel=0.02)
    assert x["uni"].mean() == pytest.approx(1.0, abs=0.01)
    assert x["uni"].var() == pytest.approx(16 / 12, rel=0.02)
    # whole distributions, not only two moments
    assert stats.kstest(x["tri"], stats.triang(c=0.2, loc=1.0, scale=5.0).cdf).statistic < 0.01
    assert stats.kstest(x["ln"], stats.lognorm(s=parse_spec(
        {"dist": "lognormal", "mean": 2.66, "sd": 0.8}).scale,
        scale=2.66 / math.sqrt(1 + (0.8 / 2.66) ** 2)).cdf).statistic < 0.01


def test_truncation_is_respected_and_has_the_truncated_moments():
    specs = {"half": {"dist": "normal", "mean": 0.0, "sd": 1.0, "low": 0.0},
             "tail": {"dist": "normal", "mean": 0.0, "sd": 1.0, "low": 6.0, "high": 7.0},
             "left": {"dist": "normal", "mean": 5.0, "sd": 2.0, "low": -10.0, "high": 1.0},
             "ln": {"dist": "lognormal", "mean": 1.0, "sd": 0.5, "low": 0.8, "high": 1.5}}
    x = draw(specs, N, seed=5)
    assert x["half"].min() >= 0.0
    assert x["half"].mean() == pytest.approx(math.sqrt(2 / math.pi), abs=0.005)
    assert 6.0 <= x["tail"].min() and x["tail"].max() <= 7.0
    assert x["tail"].mean() == pytest.approx(stats.truncnorm(6.0, 7.0).mean(), abs=0.002)
    assert -10.0 <= x["left"].min() and x["left"].max() <= 1.0
    left = stats.truncnorm(-7.5, -2.0, loc=5.0, scale=2.0)
    assert x["left"].mean() == pytest.approx(left.mean(), abs=0.01)
    assert x["left"].std() == pytest.approx(left.std(), rel=0.02)
    assert 0.8 <= x["ln"].min() and x["ln"].max() <= 1.5
    d = parse_spec(specs["ln"])
    z_log = (np.log(x["ln"]) - d.loc) / d.scale
    za, zb = (math.log(0.8) - d.loc) / d.scale, (math.log(1.5) - d.loc) / d.scale
    assert z_log.mean() == pytest.approx(stats.truncnorm(za, zb).mean(), abs=0.005)


def test_ppf_and_from_normal_agree_and_are_monotone():
    z = np.linspace(-5, 5, 201)
    for spec in SPECS.values():
        d = parse_spec(spec)
        x = d.from_normal(z)
        np.testing.assert_allclose(x, d.ppf(ndtr(z)), rtol=1e-9, atol=1e-12)
        assert np.all(np.diff(x) >= 0)
    assert isinstance(parse_spec(SPECS["pv_cf"]), Distribution)
    # medians: the sample median of large draws, and closed forms
    x = draw(SPECS, N, seed=4)
    for name, spec in SPECS.items():
        assert parse_spec(spec).median == pytest.approx(np.median(x[name]), abs=2e-4)
    tri = parse_spec(SPECS["pv_cf"])  # mode past the middle: median = low + sqrt(w (m - l) / 2)
    assert tri.median == pytest.approx(0.14 + math.sqrt(0.05 * 0.03 / 2), rel=1e-12)
    assert parse_spec(0.05).median == 0.05


def test_correlation_is_recovered_as_rank_correlation():
    rho = {("steel_growth", "coal_ef"): 0.6, ("coal_ef", "pv_cf"): -0.3,
           ("steel_growth", "nev_share"): 0.2}
    x = draw(SPECS, 20_000, seed=11, correlations=rho)
    for (a, b), target in rho.items():
        assert stats.spearmanr(x[a], x[b]).statistic == pytest.approx(target, abs=0.02)
    assert abs(stats.spearmanr(x["pv_cf"], x["nev_share"]).statistic) < 0.02
    # rho is the rank correlation, not the normal-scale one (which would give a rank
    # correlation of 6/pi asin(0.3) = 0.5825 here): checked tightly on a larger sample
    big = draw(SPECS, N, seed=12, correlations={("steel_growth", "coal_ef"): 0.6})
    assert stats.spearmanr(big["steel_growth"], big["coal_ef"]).statistic == pytest.approx(
        0.6, abs=0.006)
    # the same correlations as a labelled (half-filled) DataFrame give the same draws
    names = ["steel_growth", "coal_ef", "pv_cf", "nev_share"]
    frame = pd.DataFrame(np.nan, index=names, columns=names)
    for (a, b), target in rho.items():
        frame.loc[a, b] = target
    y = draw(SPECS, 20_000, seed=11, correlations=frame)
    for name in SPECS:
        assert np.array_equal(x[name], y[name])


def test_non_positive_definite_correlations_name_the_pairs():
    bad = {("steel_growth", "coal_ef"): 0.9, ("coal_ef", "pv_cf"): 0.9,
           ("steel_growth", "pv_cf"): -0.9, ("pv_cf", "nev_share"): 0.1}
    with pytest.raises(ScenarioSpecError, match="not positive definite") as err:
        draw(SPECS, 100, seed=1, correlations=bad)
    assert err.value.pairs == [("coal_ef", "pv_cf"), ("coal_ef", "steel_growth"),
                               ("pv_cf", "steel_growth")]
    assert "nev_share" not in str(err.value)
    with pytest.raises(ScenarioSpecError, match="not positive definite") as err:
        correlation_matrix({("a", "b"): 1.0}, ["a", "b"])
    assert err.value.pairs == [("a", "b")]


@pytest.mark.parametrize("correlations, message", [
    ({("steel_growth", "gdp_growth"): 0.5}, "not a varying per-draw parameter"),
    ({("steel_growth", "cement"): 0.5}, r"\['cement'\]"),
    ({("steel_growth", "coal_ef"): 1.5}, r"outside \[-1, 1\]"),
    ({("steel_growth", "coal_ef"): 0.5, ("coal_ef", "steel_growth"): 0.4}, "given twice"),
    ({"steel_growth": 0.5}, "not a pair"),
    ({("steel_growth", "steel_growth"): 0.5}, "with itself"),
    ([0.5], "mapping"),
])
def test_bad_correlations_are_refused(correlations, message):
    with pytest.raises(ScenarioSpecError, match=message) as err:
        draw(SPECS, 10, seed=1, correlations=correlations)
    assert err.value.key == "correlations"


@pytest.mark.parametrize("spec, key, message", [
    ({"dist": "gamma", "shape": 2.0}, "x.dist", "unknown dist 'gamma'"),
    ({"mean": 1.0, "sd": 0.1}, "x.dist", "missing key 'dist'"),
    ({"dist": "normal", "mean": 1.0}, "x.sd", "missing key 'sd'"),
    ({"dist": "normal", "mean": 1.0, "sd": -0.1}, "x.sd", "must be > 0"),
    ({"dist": "normal", "mean": "1.0", "sd": 0.1}, "x.mean", "must be a number"),
    ({"dist": "normal", "mean": True, "sd": 0.1}, "x.mean", "must be a number"),
    ({"dist": "normal", "mean": float("nan"), "sd": 0.1}, "x.mean", "finite"),
    ({"dist": "normal", "mean": 1.0, "stdev": 0.1}, "x.sd", "missing key 'sd'"),
    ({"dist": "normal", "mean": 1.0, "sd": 0.1, "stdev": 0.1}, "x.stdev", "unknown key"),
    ({"dist": "normal", "mean": 1.0, "sd": 0.1, "low": 2.0, "high": 1.0}, "x.high", "below"),
    ({"dist": "normal", "mean": 0.0, "sd": 1.0, "low": 40.0}, "x.low", "no probability"),
    ({"dist": "lognormal", "mean": 1.0, "sd": 0.1, "mu": 0.0}, "x.mu", "not both"),
    ({"dist": "lognormal", "mean": -1.0, "sd": 0.1}, "x.mean", "must be > 0"),
    ({"dist": "lognormal", "mu": 0.0, "sigma": 0.1, "high": -1.0}, "x.high", "positive"),
    ({"dist": "triangular", "low": 0.0, "mode": 3.0, "high": 2.0}, "x.mode", "mode"),
    ({"dist": "uniform", "low": 1.0, "high": 1.0}, "x.high", "below"),
    ({"dist": "uniform", "low": 0.0, "high": 1.0, "per_year": "yes"}, "x.per_year", "true"),
    ({"dist": "triangular", "low": 0.0, "mode": 1.0, "high": 2.0, "sd": 1.0}, "x.sd",
     "unknown key"),
    ("0.5", "x", "number or a table"),
])
def test_invalid_specs_name_the_key(spec, key, message):
    with pytest.raises(ScenarioSpecError, match=message) as err:
        draw({"x": spec}, 10, seed=1)
    assert err.value.key == key
    assert err.value.parameter == "x" and "'x'" in str(err.value) and "Fix:" in str(err.value)


def test_bad_n_seed_and_years_are_refused():
    with pytest.raises(ScenarioSpecError, match="seed") as err:
        draw(SPECS, 10, seed=None)
    assert err.value.key == "seed"
    with pytest.raises(ScenarioSpecError, match="positive integer"):
        draw(SPECS, 0, seed=1)
    per_year = {"noise": {"dist": "normal", "mean": 0.0, "sd": 1.0, "per_year": True}}
    with pytest.raises(ScenarioSpecError, match="per_year") as err:
        draw(per_year, 10, seed=1)
    assert err.value.key == "noise.per_year"
    with pytest.raises(ScenarioSpecError, match="varying per-draw"):
        draw({**per_year, **SPECS}, 10, seed=1, years=5,
             correlations={("noise", "coal_ef"): 0.3})


def test_per_year_parameters_draw_one_column_per_year():
    specs = {**SPECS,
             "weather": {"dist": "normal", "mean": 1.0, "sd": 0.05, "per_year": True},
             "policy": {"dist": "fixed", "value": 2.0, "per_year": True}}
    years = range(2020, 2061)
    x = draw(specs, 20_000, seed=9, years=years)
    assert x["weather"].shape == (20_000, 41) and x["policy"].shape == (20_000, 41)
    assert x["coal_ef"].shape == (20_000,)
    np.testing.assert_allclose(x["weather"].mean(axis=0), 1.0, atol=0.002)
    np.testing.assert_allclose(x["weather"].std(axis=0), 0.05, rtol=0.03)
    year_corr = np.corrcoef(x["weather"][:, :5], rowvar=False)
    assert np.abs(year_corr[~np.eye(5, dtype=bool)]).max() < 0.03
    assert (x["policy"] == 2.0).all()
    # years given as a count or as the years themselves draw the same
    assert np.array_equal(draw(specs, 100, seed=9, years=41)["weather"],
                          draw(specs, 100, seed=9, years=years)["weather"])
