"""STIRPAT: a top-down, regression-based projection of emissions from their drivers.

STIRPAT (Stochastic Impacts by Regression on Population, Affluence and Technology; Dietz & Rosa
1994, 1997) writes ``I = a * P^b * A^c * T^d * e``; in logs

    ``ln C = a + b ln P + c ln A + d ln T (+ e ln X ...) + error``,

so each coefficient is an elasticity: the percent change of C for a 1 % change of the driver,
the others held fixed. Population, GDP per person and energy intensity move together over time,
so ordinary least squares on a short annual series gives unstable, often wrong-signed
elasticities; the usual remedy in the STIRPAT literature is ridge regression. This module fits it
with the penalty chosen by time-series-aware cross-validation and reports what it chose.

It is the second, top-down method alongside the bottom-up scenario runner: fit on history, then
:func:`project_stirpat` under a scenario's driver pathway and compare with the runner's result.

Method (numpy only)
-------------------
- Predictors are ``ln`` of each driver, **standardised** (mean 0, standard deviation 1, ``ddof =
  0``) with the statistics of the rows being fitted; the target ``ln C`` is centred, so the
  intercept is not penalised.
- Ridge solves ``min ||y - Z beta||^2 + alpha ||beta||^2`` through the SVD of ``Z``, for every
  penalty on the grid at once. ``alpha`` is on this standardised scale (``Z'Z`` has ``n`` on
  its diagonal).
- Coefficients are reported on the original log scale: ``b_j = beta_j / sd_j`` and
  ``a = mean(y) - sum_j b_j mean(ln X_j)``.
- Cross-validation never shuffles years: ``cv="loo"`` leaves out one year at a time;
  ``cv=k`` splits the years into ``k`` contiguous blocks (blocked k-fold). Standardisation is
  recomputed inside every training fold. The score is the pooled mean squared error of
  ``ln C`` on held-out years; the penalty with the lowest score is chosen (the smallest such
  penalty on an exact tie). No random numbers are used, so a fit is reproducible.

Examples
--------
>>> import numpy as np, pandas as pd
>>> years = np.arange(2000, 2021)
>>> t = years - 2000
>>> hist = pd.DataFrame({"P": 100 * 1.01 ** t * (1 + 0.02 * np.cos(0.7 * t)),
...                      "A": 20 * 1.08 ** t * (1 + 0.03 * np.sin(1.3 * t)),
...                      "T": 0.9 ** t * (1 + 0.05 * np.sin(t))}, index=years)
>>> hist["C"] = 0.5 * hist["P"] ** 1.0 * hist["A"] ** 0.7 * hist["T"] ** 0.9
>>> model = fit_stirpat(hist)
>>> model.elasticities.round(3).to_dict()
{'P': 1.0, 'A': 0.7, 'T': 0.9}
>>> round(model.r2, 6)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonledger.errors import ActivityDataError, ScenarioSpecError

__all__ = ["StirpatModel", "fit_stirpat", "project_stirpat", "DEFAULT_ALPHAS"]

#: Default penalty grid (standardised scale): 1e-6 .. 1e4, five points a decade.
DEFAULT_ALPHAS = np.logspace(-6, 4, 51)


@dataclass(frozen=True)
class StirpatModel:
    """A fitted STIRPAT ridge model.

    Attributes
    ----------
    target : name of the modelled column (``"C"``).
    drivers : names of the driver columns, in order.
    intercept : ``a`` in ``ln C = a + sum_j b_j ln X_j``.
    elasticities : Series of ``b_j`` by driver, on the original log scale.
    alpha : the penalty chosen by cross-validation (standardised scale).
    r2 : in-sample coefficient of determination of ``ln C`` at ``alpha``.
    residual_sd : standard deviation of the in-sample residuals of ``ln C``.
    cv : ``"loo"`` or ``"blocked-<k>"``.
    cv_curve : DataFrame indexed by ``alpha`` with ``cv_mse`` (pooled held-out mean squared
        error of ``ln C``) and ``cv_se`` (its standard error across folds).
    n_obs : number of years fitted.
    """

    target: str
    drivers: tuple[str, ...]
    intercept: float
    elasticities: pd.Series
    alpha: float
    r2: float
    residual_sd: float
    cv: str
    cv_curve: pd.DataFrame
    n_obs: int

    def summary(self) -> str:
        """A short text report: penalty, elasticities, R2 and the CV score.

        Examples
        --------
        >>> import pandas as pd
        >>> hist = pd.DataFrame({"P": [1.0, 1.1, 1.2, 1.3, 1.5], "A": [1.0, 1.3, 1.2, 1.6, 1.7],
        ...                      "T": [1.0, 0.9, 0.95, 0.8, 0.7]})
        >>> hist["C"] = hist["P"] * hist["A"] ** 0.5 * hist["T"]
        >>> print(fit_stirpat(hist).summary().splitlines()[0])
        STIRPAT ridge fit of ln C on ln P, ln A, ln T (5 years, cv=loo)
        """
        terms = ", ".join(f"ln {d}" for d in self.drivers)
        best = self.cv_curve.loc[self.alpha]
        lines = [f"STIRPAT ridge fit of ln {self.target} on {terms} "
                 f"({self.n_obs} years, cv={self.cv})",
                 f"  chosen penalty alpha = {self.alpha:.3g} (standardised predictors)",
                 f"  intercept = {self.intercept:.6g}"]
        lines += [f"  elasticity {d} = {b:.6g}" for d, b in self.elasticities.items()]
        lines += [f"  R2 = {self.r2:.6f}; residual sd = {self.residual_sd:.3g}",
                  f"  CV mse = {best['cv_mse']:.3g} (se {best['cv_se']:.2g})"]
        return "\n".join(lines)


def _positive_logs(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> np.ndarray:
    """ln of the columns as a float array, or ActivityDataError naming the bad rows."""
    try:
        values = frame[list(columns)].to_numpy(dtype="float64")
    except (TypeError, ValueError) as exc:
        raise ActivityDataError(f"{what} has non-numeric values in {list(columns)}",
                                fix="give plain positive numbers") from exc
    bad = ~(np.isfinite(values) & (values > 0)).all(axis=1)
    if bad.any():
        raise ActivityDataError(
            f"{what} needs finite positive values (logarithms are taken) in {list(columns)}",
            rows=list(frame.index[bad]), fix="fill gaps and drop or correct non-positive values")
    return np.log(values)


def _ridge_paths(x_train: np.ndarray, y_train: np.ndarray,
                 alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardised ridge for every alpha: (coefficients p x n_alpha, mean, sd, y mean)."""
    mean = x_train.mean(axis=0)
    sd = x_train.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)          # a constant driver in a short fold: no signal
    z = (x_train - mean) / sd
    y_mean = float(y_train.mean())
    u, s, vt = np.linalg.svd(z, full_matrices=False)
    uty = u.T @ (y_train - y_mean)
    denom = s[:, None] ** 2 + alphas[None, :]
    shrink = np.divide(s[:, None], denom, out=np.zeros_like(denom), where=denom > 0)
    beta = vt.T @ (shrink * uty[:, None])
    return beta, mean, sd, y_mean


def _folds(n: int, cv) -> tuple[list[np.ndarray], str]:
    if isinstance(cv, str):
        if cv != "loo":
            raise ScenarioSpecError(f"unknown cv={cv!r}",
                                    fix="use 'loo' or an integer number of contiguous blocks")
        return [np.array([i]) for i in range(n)], "loo"
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)):
        raise ScenarioSpecError(f"cv must be 'loo' or an integer, got {cv!r}",
                                fix="use cv='loo' or cv=5")
    if not 2 <= cv <= n - 1:
        raise ScenarioSpecError(f"cv={cv} blocks do not fit {n} years",
                                fix=f"use 2 <= cv <= {n - 1}, or cv='loo'")
    return np.array_split(np.arange(n), int(cv)), f"blocked-{int(cv)}"


def fit_stirpat(history: pd.DataFrame, *, target: str = "C",
                drivers: Sequence[str] | None = None, alphas=None,
                cv: str | int = "loo") -> StirpatModel:
    """Fit ``ln C = a + b ln P + c ln A + d ln T (+ ...)`` by ridge with a CV-chosen penalty.

    Parameters
    ----------
    history : DataFrame
        One row per year (put the year in the index), with the ``target`` column and the driver
        columns, all positive: e.g. ``C`` (CO2), ``P`` (population), ``A`` (GDP per person at
        constant prices), ``T`` (energy or CO2 per unit of GDP), plus any extra drivers
        (urbanisation rate, industry share, ...). Every column enters in logarithms.
    target : str
        The modelled column.
    drivers : sequence of str, optional
        Driver columns; by default every column except ``target``.
    alphas : array-like, optional
        Penalty grid (non-negative, standardised scale); default :data:`DEFAULT_ALPHAS`.
    cv : "loo" or int
        ``"loo"``: leave one year out. ``k``: ``k`` contiguous blocks of years (blocked k-fold).

    Returns
    -------
    StirpatModel

    Raises
    ------
    ActivityDataError
        Missing, non-numeric or non-positive values (naming the rows), a missing column, a
        driver that is constant over the history, or fewer than 3 years.
    ScenarioSpecError
        A malformed ``alphas`` or ``cv``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> t = np.arange(12.0)
    >>> hist = pd.DataFrame({"P": 50 * 1.02 ** t * (1 + 0.01 * np.sin(2 * t)),
    ...                      "A": 10 * 1.06 ** t,
    ...                      "T": 1.5 * 0.96 ** t * (1 + 0.03 * np.cos(t))},
    ...                     index=np.arange(2010, 2022))
    >>> hist["C"] = 2.0 * hist["P"] * hist["A"] ** 0.8 * hist["T"]
    >>> m = fit_stirpat(hist, cv=4)
    >>> m.cv, bool(m.alpha == m.cv_curve.index.min())
    ('blocked-4', True)
    >>> m.elasticities.round(2).to_dict()
    {'P': 1.0, 'A': 0.8, 'T': 1.0}
    """
    if not isinstance(history, pd.DataFrame):
        raise ActivityDataError(f"history must be a DataFrame, got {type(history).__name__}",
                                fix="one row per year with columns C, P, A, T")
    drivers = [c for c in history.columns if c != target] if drivers is None else list(drivers)
    absent = [c for c in [target, *drivers] if c not in history.columns]
    if absent:
        raise ActivityDataError(f"history has no column(s) {absent}",
                                fix="give the target and every driver as columns")
    if not drivers:
        raise ActivityDataError("fit_stirpat needs at least one driver column",
                                fix="add P, A and T columns")
    if target in drivers:
        raise ScenarioSpecError(f"the target {target!r} cannot also be a driver",
                                fix="remove it from drivers")
    n = len(history)
    if n < 3:
        raise ActivityDataError(f"fit_stirpat needs at least 3 years, got {n}",
                                fix="give a longer history")
    x = _positive_logs(history, drivers, what="history")
    y = _positive_logs(history, [target], what="history")[:, 0]
    constant = [d for d, sd in zip(drivers, x.std(axis=0), strict=True) if not sd > 0]
    if constant:
        raise ActivityDataError(f"driver(s) {constant} do not vary over the history; their "
                                "elasticity cannot be estimated", fix="drop them from drivers")
    grid = DEFAULT_ALPHAS if alphas is None else np.asarray(alphas, dtype="float64").ravel()
    if grid.size == 0 or not np.isfinite(grid).all() or (grid < 0).any():
        raise ScenarioSpecError("alphas must be a non-empty set of finite non-negative numbers",
                                fix="e.g. alphas=np.logspace(-6, 4, 51)")
    grid = np.unique(grid)
    folds, cv_name = _folds(n, cv)

    fold_mse = np.empty((len(folds), grid.size))
    sq_total = np.zeros(grid.size)
    for f, test in enumerate(folds):
        train = np.setdiff1d(np.arange(n), test)
        beta, mean, sd, y_mean = _ridge_paths(x[train], y[train], grid)
        pred = y_mean + ((x[test] - mean) / sd) @ beta          # n_test x n_alpha
        sq = (y[test, None] - pred) ** 2
        sq_total += sq.sum(axis=0)
        fold_mse[f] = sq.mean(axis=0)
    cv_mse = sq_total / n
    cv_se = fold_mse.std(axis=0, ddof=1) / np.sqrt(len(folds))
    best = int(np.argmin(cv_mse))
    alpha = float(grid[best])

    beta, mean, sd, y_mean = _ridge_paths(x, y, grid[best:best + 1])
    b = beta[:, 0] / sd
    a = y_mean - float(b @ mean)
    resid = y - (a + x @ b)
    sst = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((resid ** 2).sum()) / sst if sst > 0 else float("nan")
    curve = pd.DataFrame({"cv_mse": cv_mse, "cv_se": cv_se},
                         index=pd.Index(grid, name="alpha"))
    return StirpatModel(target=target, drivers=tuple(drivers), intercept=a,
                        elasticities=pd.Series(b, index=list(drivers), name="elasticity"),
                        alpha=alpha, r2=r2, residual_sd=float(resid.std()), cv=cv_name,
                        cv_curve=curve, n_obs=n)


def project_stirpat(model: StirpatModel, drivers: pd.DataFrame) -> pd.Series:
    """Project the target under a scenario's driver pathway: ``exp(a + sum_j b_j ln X_j)``.

    Parameters
    ----------
    model : StirpatModel from :func:`fit_stirpat`.
    drivers : DataFrame
        One row per year with (at least) the model's driver columns, positive, in the same
        units as the history. Extra columns are ignored.

    Returns
    -------
    Series indexed like ``drivers``, named after the target, in the target's unit. It is the
    back-transformed log prediction, i.e. the conditional median under log-normal errors; for
    the mean multiply by ``exp(model.residual_sd ** 2 / 2)``.

    Raises
    ------
    ScenarioSpecError
        A driver column of the model is missing.
    ActivityDataError
        Missing or non-positive driver values (naming the rows).

    Examples
    --------
    >>> import pandas as pd
    >>> model = StirpatModel(target="C", drivers=("P", "A"), intercept=0.0,
    ...                      elasticities=pd.Series({"P": 1.0, "A": 0.5}), alpha=0.0, r2=1.0,
    ...                      residual_sd=0.0, cv="loo", cv_curve=pd.DataFrame(), n_obs=10)
    >>> scenario = pd.DataFrame({"P": [2.0, 2.0], "A": [4.0, 9.0]}, index=[2025, 2030])
    >>> project_stirpat(model, scenario).round(9).to_dict()
    {2025: 4.0, 2030: 6.0}
    """
    if not isinstance(drivers, pd.DataFrame):
        raise ActivityDataError(f"drivers must be a DataFrame, got {type(drivers).__name__}",
                                fix="one row per year with the model's driver columns")
    absent = [d for d in model.drivers if d not in drivers.columns]
    if absent:
        raise ScenarioSpecError(f"the scenario lacks driver column(s) {absent}",
                                fix=f"give every driver the model was fitted on: "
                                    f"{list(model.drivers)}")
    x = _positive_logs(drivers, model.drivers, what="scenario drivers")
    coef = model.elasticities.reindex(list(model.drivers)).to_numpy(dtype="float64")
    return pd.Series(np.exp(model.intercept + x @ coef), index=drivers.index, name=model.target)
