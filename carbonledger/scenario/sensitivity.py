"""Which uncertain numbers move the peak year and the peak value most.

Two methods, both on the numbers written as distributions in the spec:

* **Tornado (one at a time).** Every drawn number at its median, then each one alone at its
  low and its high value (the ``q`` percentiles of its distribution, default 5 and 95; for a
  uniform or triangular distribution these are inside its bounds). All ``2 x parameters``
  runs are evaluated in one vectorized batch. The swing is ``|value(high) - value(low)|``.
* **Standardized rank regression coefficients (global).** On a Monte Carlo sample, the ranks
  of the drawn numbers are regressed on the ranks of the peak value (and of the peak year);
  the coefficient of a parameter is its effect in standard deviations of rank, all other
  numbers varying at the same time (Saltelli et al. 2004, *Sensitivity Analysis in Practice*,
  ch. 1; Iman & Conover 1979). ``r2`` says how much of the rank variance the linear rank
  model explains; with a low ``r2`` (a strongly non-monotone model) read the tornado instead.
  Per-year numbers enter as their mean over the years.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"year": [2020, 2020], "sector": ["steel", "residential"],
...     "activity": ["fuel_combustion"] * 2, "item": ["coke", "raw_coal"],
...     "value": [10.0, 1.0], "unit": ["wan_t", "wan_t"]})
>>> spec = {"inventory": {"activity": rows, "base_year": 2020},
...         "years": {"start": 2020, "end": 2035},
...         "sectors": {
...             "steel": {"activity": {"base": 10.0, "growth": -0.05, "values": {
...                 "2025": {"dist": "uniform", "low": 10.0, "high": 14.0}}}},
...             "residential": {"activity": {"growth": {"dist": "uniform", "low": 0.0,
...                                                    "high": 0.02}}}}}
>>> s = sensitivity(spec, draws=500, seed=1)
>>> s.tornado.index[0], s.central_peak_year
('sectors.steel.activity.values.2025', 2025)
>>> bool(s.srrc.loc["sectors.steel.activity.values.2025", "srrc_peak_value"] > 0.9)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ..errors import ScenarioSpecError
from .peak import peak_years
from .projection import Resolver, central_resolver, compile_model, evaluate
from .runner import ScenarioResult, _metric_matrix, _resolve_spec, run_scenario
from .sampling import parse_spec

__all__ = ["Sensitivity", "sensitivity", "tornado", "rank_regression"]


@dataclass(frozen=True)
class Sensitivity:
    """Result of :func:`sensitivity`.

    Attributes
    ----------
    tornado : one row per parameter (sorted by the swing of the peak value, largest first):
        ``low``, ``high`` (the parameter values), ``peak_value_low_t``, ``peak_value_high_t``,
        ``peak_year_low``, ``peak_year_high``, ``by_value_low_t``, ``by_value_high_t`` (the
        metric in the ``[peak] by`` year, 2030), ``swing_value_t``, ``swing_year``,
        ``swing_by_t``.
    srrc : one row per parameter: ``srrc_peak_value``, ``srrc_peak_year``, ``srrc_<by>_value``
        (standardized rank regression coefficients); ``srrc.attrs`` holds ``r2_peak_value``,
        ``r2_peak_year`` and ``r2_by_value``.
    central_peak_year, central_peak_value : the run with every number at its median.
    scenario : scenario name.
    """

    tornado: pd.DataFrame
    srrc: pd.DataFrame
    central_peak_year: int
    central_peak_value: float
    scenario: str

    def figure(self, **kwargs):
        """Tornado chart (see :func:`carbonledger.scenario.figures.tornado_chart`)."""
        from .figures import tornado_chart

        return tornado_chart(self, **kwargs)


def tornado(spec_or_path, *, q=(5.0, 95.0), overrides=None) -> pd.DataFrame:
    """One-at-a-time swings of every drawn number between its ``q`` percentiles.

    Returns
    -------
    DataFrame indexed by parameter address (see :class:`Sensitivity`), with attrs
    ``central_peak_year`` and ``central_peak_value``.

    Raises
    ------
    ScenarioSpecError
        The spec has no numbers written as distributions.
    """
    spec = _resolve_spec(spec_or_path, overrides)
    model = compile_model(spec)
    names = sorted(model.distributions)
    if not names:
        raise ScenarioSpecError("the scenario has no uncertain numbers to swing",
                                key="distributions", fix="write some numbers as "
                                '{dist = "uniform", low = ..., high = ...}')
    central = central_resolver(model)
    n = len(names)
    lows, highs = [], []
    values = {}
    for i, name in enumerate(names):
        dist = parse_spec(model.distributions[name], name=name)
        low, high = (float(v) for v in dist.ppf(np.asarray(q, dtype="float64") / 100.0))
        lows.append(low)
        highs.append(high)
        base = np.asarray(central.values[name], dtype="float64")
        column = np.repeat(base.reshape(1, -1), 2 * n + 1, axis=0)
        column[2 * i] = low
        column[2 * i + 1] = high
        values[name] = column if base.size > 1 else column[:, 0]
    out = evaluate(model, Resolver(values, 2 * n + 1))
    metric = spec.data.get("peak", {}).get("metric", "co2")
    matrix = _metric_matrix(out["outputs"], metric)
    draws = peak_years(matrix, model.years)
    year, value = draws.year.astype(np.int64), draws.value
    by = int(spec.data.get("peak", {}).get("by", 2030))
    at_by = matrix[:, min(max(by - int(model.years[0]), 0), model.years.size - 1)]
    frame = pd.DataFrame({
        "low": lows, "high": highs,
        "peak_value_low_t": value[0:2 * n:2], "peak_value_high_t": value[1:2 * n:2],
        "peak_year_low": year[0:2 * n:2], "peak_year_high": year[1:2 * n:2],
        "by_value_low_t": at_by[0:2 * n:2], "by_value_high_t": at_by[1:2 * n:2]},
        index=pd.Index(names, name="parameter"))
    frame["swing_value_t"] = (frame["peak_value_high_t"] - frame["peak_value_low_t"]).abs()
    frame["swing_year"] = (frame["peak_year_high"] - frame["peak_year_low"]).abs()
    frame["swing_by_t"] = (frame["by_value_high_t"] - frame["by_value_low_t"]).abs()
    frame = frame.sort_values(["swing_value_t", "swing_year", "swing_by_t"], ascending=False)
    frame.attrs["central_peak_year"] = int(year[-1])
    frame.attrs["central_peak_value"] = float(value[-1])
    frame.attrs["central_by_value"] = float(at_by[-1])
    frame.attrs["by"] = by
    frame.attrs["q"] = tuple(q)
    return frame


def rank_regression(parameters: pd.DataFrame, outputs: pd.DataFrame) -> pd.DataFrame:
    """Standardized rank regression coefficients of ``outputs`` on ``parameters``.

    Parameters
    ----------
    parameters : draws x parameters.
    outputs : draws x outputs (e.g. ``peak_value``, ``peak_year``).

    Returns
    -------
    DataFrame parameters x outputs (coefficients), with ``attrs["r2"]`` per output. A constant
    column (no variation) gets 0; a constant output gets NaN coefficients.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame({"a": rng.random(500), "b": rng.random(500)})
    >>> y = pd.DataFrame({"v": 3 * x["a"] + 0.1 * x["b"]})
    >>> c = rank_regression(x, y)
    >>> bool(c.loc["a", "v"] > 0.9 > 0.2 > c.loc["b", "v"])
    True
    """
    def ranks(frame: pd.DataFrame) -> np.ndarray:
        r = np.column_stack([rankdata(frame[c].to_numpy()) for c in frame.columns])
        sd = r.std(axis=0)
        return np.where(sd > 0, (r - r.mean(axis=0)) / np.where(sd > 0, sd, 1.0), 0.0), sd > 0

    x, _ = ranks(parameters)
    y, varies = ranks(outputs)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    fitted = x @ coef
    r2 = 1.0 - ((y - fitted) ** 2).sum(axis=0) / np.where(varies, (y ** 2).sum(axis=0), 1.0)
    coef[:, ~varies] = np.nan
    out = pd.DataFrame(coef, index=pd.Index(parameters.columns, name="parameter"),
                       columns=outputs.columns)
    out.attrs["r2"] = {c: (float(v) if ok else float("nan"))
                       for c, v, ok in zip(outputs.columns, r2, varies, strict=True)}
    return out


def sensitivity(spec_or_result, *, draws: int = 2000, seed: int = 0, q=(5.0, 95.0),
                overrides=None) -> Sensitivity:
    """Tornado and standardized rank regression for the peak year and value of a scenario.

    Parameters
    ----------
    spec_or_result : a scenario (path, mapping, spec) or a ScenarioResult with draws (its
        draws are reused for the regression).
    draws, seed : Monte Carlo sample for the regression when a spec is given.
    q : percentiles of the low and high values of the tornado.

    Returns
    -------
    Sensitivity
    """
    if isinstance(spec_or_result, ScenarioResult) and spec_or_result.draws:
        result = spec_or_result
    else:
        source = spec_or_result.spec if isinstance(spec_or_result, ScenarioResult) else \
            spec_or_result
        result = run_scenario(source, draws=draws, seed=seed, overrides=overrides)
    swings = tornado(result.spec, q=q)
    d = result.peak_draws
    by = swings.attrs["by"]
    at_by = result.metric_samples()[:, min(max(by - result.base_year, 0), result.years.size - 1)]
    params = result.parameters[sorted(result.parameters.columns)]
    coef = rank_regression(params, pd.DataFrame({"peak_value": d.value,
                                                 "peak_year": d.year.astype(float),
                                                 "by_value": at_by}))
    srrc = coef.rename(columns={"peak_value": "srrc_peak_value", "peak_year": "srrc_peak_year",
                                "by_value": f"srrc_{by}_value"})
    srrc = srrc.reindex(srrc["srrc_peak_value"].abs().sort_values(ascending=False).index)
    srrc.attrs = {}
    for key, value in coef.attrs["r2"].items():
        srrc.attrs[f"r2_{key}"] = value
    return Sensitivity(tornado=swings, srrc=srrc,
                       central_peak_year=swings.attrs["central_peak_year"],
                       central_peak_value=swings.attrs["central_peak_value"],
                       scenario=result.name)
