"""STIRPAT ridge fit and projection (carbonledger.scenario.stirpat).

The data are synthetic with known elasticities (assumption: chosen for the test, not taken from
any published STIRPAT estimate): ln C = 0.3 + 1.0 ln P + 0.6 ln A + 0.8 ln T, over 25 "years".
The ridge solution and the cross-validation curve are checked against direct normal-equation
solves computed independently in the test.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from carbonledger.errors import ActivityDataError, ScenarioSpecError
from carbonledger.scenario.stirpat import (
    DEFAULT_ALPHAS,
    StirpatModel,
    fit_stirpat,
    project_stirpat,
)

TRUE = {"P": 1.0, "A": 0.6, "T": 0.8}
INTERCEPT = 0.3


def synthetic(seed: int, *, noise: float, collinear: bool, n: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype="float64")
    wiggle = 0.005 if collinear else 0.08        # ln P and ln A nearly collinear when small
    ln_p = np.log(100.0) + 0.01 * t + wiggle * rng.standard_normal(n)
    ln_a = np.log(20.0) + 0.07 * t + wiggle * rng.standard_normal(n)
    ln_t = -0.03 * t + 0.05 * rng.standard_normal(n)
    ln_c = (INTERCEPT + TRUE["P"] * ln_p + TRUE["A"] * ln_a + TRUE["T"] * ln_t
            + noise * rng.standard_normal(n))
    return pd.DataFrame({"C": np.exp(ln_c), "P": np.exp(ln_p), "A": np.exp(ln_a),
                         "T": np.exp(ln_t)}, index=pd.Index(1995 + np.arange(n), name="year"))


def _standardised(x):
    mean, sd = x.mean(axis=0), x.std(axis=0)
    return (x - mean) / sd, mean, sd


@pytest.mark.parametrize("cv", ["loo", 5])
@pytest.mark.parametrize("collinear", [False, True])
def test_recovers_known_elasticities_on_noiseless_data(cv, collinear):
    model = fit_stirpat(synthetic(1, noise=0.0, collinear=collinear), cv=cv)
    assert model.alpha == DEFAULT_ALPHAS.min()          # the penalty goes to the grid's floor
    assert model.elasticities.to_dict() == pytest.approx(TRUE, abs=2e-4 if collinear else 1e-5)
    assert model.intercept == pytest.approx(INTERCEPT, abs=1e-3 if collinear else 1e-4)
    assert model.r2 == pytest.approx(1.0, abs=1e-9)
    assert model.drivers == ("P", "A", "T") and model.n_obs == 25


@pytest.mark.parametrize("cv", ["loo", 5])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_cv_picks_larger_penalty_on_collinear_noisy_data(seed, cv):
    clean = fit_stirpat(synthetic(seed, noise=0.0, collinear=True), cv=cv)
    noisy = fit_stirpat(synthetic(seed, noise=0.05, collinear=True), cv=cv)
    assert noisy.alpha >= 1e3 * clean.alpha
    curve = noisy.cv_curve["cv_mse"]
    assert curve.loc[noisy.alpha] < curve.iloc[0]       # better than the near-OLS end
    assert curve.loc[noisy.alpha] == curve.min()
    assert 0.9 < noisy.r2 < 1.0


def test_fit_is_reproducible():
    history = synthetic(7, noise=0.05, collinear=True)
    a, b = fit_stirpat(history), fit_stirpat(history.copy())
    pd.testing.assert_frame_equal(a.cv_curve, b.cv_curve)
    pd.testing.assert_series_equal(a.elasticities, b.elasticities)
    assert (a.alpha, a.intercept, a.r2) == (b.alpha, b.intercept, b.r2)


def test_ridge_solution_matches_normal_equations():
    """(Z'Z + alpha I) beta = Z'(y - ybar) on standardised ln drivers; b = beta / sd."""
    history = synthetic(3, noise=0.05, collinear=True)
    alpha = 0.7
    model = fit_stirpat(history, alphas=[alpha])
    x = np.log(history[["P", "A", "T"]].to_numpy())
    y = np.log(history["C"].to_numpy())
    z, mean, sd = _standardised(x)
    beta = np.linalg.solve(z.T @ z + alpha * np.eye(3), z.T @ (y - y.mean()))
    np.testing.assert_allclose(model.elasticities.to_numpy(), beta / sd, rtol=1e-10)
    assert model.intercept == pytest.approx(y.mean() - (beta / sd) @ mean, rel=1e-10)
    resid = y - model.intercept - x @ (beta / sd)
    assert model.r2 == pytest.approx(1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))


@pytest.mark.parametrize("cv", ["loo", 4])
def test_cv_curve_matches_brute_force(cv):
    """Held-out MSE recomputed fold by fold, standardising inside each training fold."""
    history = synthetic(5, noise=0.05, collinear=True, n=12)
    alphas = [0.01, 1.0]
    model = fit_stirpat(history, alphas=alphas, cv=cv)
    x = np.log(history[["P", "A", "T"]].to_numpy())
    y = np.log(history["C"].to_numpy())
    folds = ([[i] for i in range(12)] if cv == "loo"
             else [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]])
    for alpha in alphas:
        squared = []
        for test in folds:
            train = [i for i in range(12) if i not in test]
            z, mean, sd = _standardised(x[train])
            yt = y[train]
            beta = np.linalg.solve(z.T @ z + alpha * np.eye(3), z.T @ (yt - yt.mean()))
            pred = yt.mean() + ((x[test] - mean) / sd) @ beta
            squared.extend((y[test] - pred) ** 2)
        assert model.cv_curve.loc[alpha, "cv_mse"] == pytest.approx(np.mean(squared),
                                                                    rel=1e-10)
    assert model.cv == ("loo" if cv == "loo" else "blocked-4")


def test_projection_reproduces_history_and_scales_by_elasticity():
    history = synthetic(2, noise=0.0, collinear=False)
    model = fit_stirpat(history)
    back = project_stirpat(model, history)
    np.testing.assert_allclose(back.to_numpy(), history["C"].to_numpy(), rtol=1e-5)
    assert back.name == "C" and back.index.equals(history.index)
    scenario = history.iloc[[-1]].copy()
    doubled = scenario.assign(P=2 * scenario["P"])
    ratio = project_stirpat(model, doubled).iloc[0] / project_stirpat(model, scenario).iloc[0]
    assert ratio == pytest.approx(2 ** model.elasticities["P"], rel=1e-12)


def test_project_refuses_bad_scenarios():
    model = fit_stirpat(synthetic(2, noise=0.0, collinear=False))
    with pytest.raises(ScenarioSpecError, match="lacks driver"):
        project_stirpat(model, pd.DataFrame({"P": [1.0], "A": [1.0]}))
    drivers = pd.DataFrame({"P": [1.0, 2.0], "A": [1.0, -1.0], "T": [1.0, 1.0]},
                           index=[2030, 2031])
    with pytest.raises(ActivityDataError) as err:
        project_stirpat(model, drivers)
    assert err.value.rows == [2031]


def test_fit_refuses_bad_history():
    history = synthetic(0, noise=0.0, collinear=False)
    bad = history.copy()
    bad.loc[2000, "C"] = 0.0
    with pytest.raises(ActivityDataError) as err:
        fit_stirpat(bad)
    assert err.value.rows == [2000]
    with pytest.raises(ActivityDataError, match="do not vary"):
        fit_stirpat(history.assign(X=5.0))
    with pytest.raises(ActivityDataError, match="no column"):
        fit_stirpat(history, drivers=["P", "GDP"])
    with pytest.raises(ActivityDataError, match="at least 3"):
        fit_stirpat(history.iloc[:2])
    with pytest.raises(ScenarioSpecError):
        fit_stirpat(history, cv=1)
    with pytest.raises(ScenarioSpecError):
        fit_stirpat(history, cv="kfold")
    with pytest.raises(ScenarioSpecError):
        fit_stirpat(history, alphas=[-1.0])


def test_model_is_frozen_and_reports():
    model = fit_stirpat(synthetic(4, noise=0.05, collinear=True), drivers=["P", "A", "T"])
    assert isinstance(model, StirpatModel)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.alpha = 1.0
    text = model.summary()
    assert f"alpha = {model.alpha:.3g}" in text and "elasticity A" in text and "R2" in text
    assert list(model.cv_curve.columns) == ["cv_mse", "cv_se"]
    assert model.cv_curve.index.name == "alpha" and len(model.cv_curve) == len(DEFAULT_ALPHAS)
