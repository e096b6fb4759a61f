"""Uncertainty, Approach 2: Monte Carlo propagation (IPCC 2006 Vol.1 Ch.3, Sec. 3.2.3.2).

The same inputs as Approach 1 (:mod:`carbonledger.quality.uncertainty`) are sampled, vectorized
over draws (draws are processed in blocks of whole arrays, never one at a time):

* every factor part is drawn **once per draw** and used by every row and year that names it, so
  a factor shared across categories and between the base year and the latest year is perfectly
  correlated, as the guidelines require for the trend;
* factor distributions: ``normal`` (symmetric range; 95 % half-width = 1.96 sigma, or the
  default uncertainty of a factor without a range), ``lognormal`` through both 95 % bounds when
  the range is asymmetric and the lower bound has the value's sign (median ``sqrt(lower *
  upper)``, ``sigma = ln(upper / lower) / 3.92``), ``split_normal`` (two half-normals joined at the
  value, each with its side's 95 % distance / 1.96 as sigma, so the median is the value and the
  2.5 and 97.5 percentiles are the bounds) when it is asymmetric and the lower bound is 0 or of
  the other sign. Draws of non-negative factors are cut at 0;
* activity errors are normal, independent between activity rows and years, and shared by the
  gases of one row;
* a row's emission is its inventory value times the activity draw times the product of its
  factor multipliers (a linear response surface of the engines; the engines are not re-run).

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2020, 2022], "sector": ["steel", "steel"],
...     "activity": ["fuel_combustion"] * 2, "item": ["natural_gas"] * 2,
...     "value": [100.0, 120.0], "unit": ["wan_m3"] * 2})
>>> res = uncertainty_montecarlo(cl.compute_inventory(rows), draws=2000)
>>> res.totals.index.tolist()
[2020, 2022]
>>> bool(res.trend["p2_5_pct"] < 20.0 < res.trend["p97_5_pct"])
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..grouping import factorize_columns
from ._inputs import Z95
from .uncertainty import prepare_uncertainty, resolve_by

__all__ = ["MonteCarloResult", "uncertainty_montecarlo"]

_BLOCK_CELLS = 4_000_000  # group x draw cells per block (about 32 MB of float64)


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo result (t CO2e; percentages relative to the inventory's estimate).

    Attributes
    ----------
    table : per (year, by keys): ``co2e_t`` (the inventory's estimate), ``mean_t``, ``p2_5_t``,
        ``p97_5_t``, ``lower_pct`` and ``upper_pct`` (2.5 and 97.5 percentiles relative to the
        estimate, as in Vol.1 Table 3.3) and ``half_width_pct`` (``(p97.5 - p2.5) / 2 / |mean|``,
        comparable with Approach 1).
    totals : the same columns for the inventory total of each year.
    trend : ``point_pct``, ``mean_pct``, ``p2_5_pct``, ``p97_5_pct`` of the trend from
        ``base_year`` to ``year`` (NaN without a base year).
    total_draws : the sampled totals, one column per year (``draws`` rows).
    year, base_year, draws, seed : the run.
    factors, defaulted_factors, activity_defaults : the inputs, as in Approach 1.
    notes : what the figures assume.
    """

    table: pd.DataFrame
    totals: pd.DataFrame
    trend: pd.Series
    total_draws: pd.DataFrame
    year: int
    base_year: int | None
    draws: int
    seed: int
    factors: pd.DataFrame
    defaulted_factors: tuple[str, ...]
    activity_defaults: pd.DataFrame
    notes: tuple[str, ...]


def _multipliers(factors: pd.DataFrame, z: np.ndarray) -> np.ndarray:
    """Relative factor draws (1 = the library value) from standard normals ``z`` (parts x n)."""
    value = factors["value"].to_numpy(dtype="float64")
    u_minus = factors["u_minus"].to_numpy(dtype="float64")[:, None]
    u_plus = factors["u_plus"].to_numpy(dtype="float64")[:, None]
    kind = factors["distribution"].to_numpy(dtype=object)
    out = np.ones_like(z)
    normal = kind == "normal"
    out[normal] = 1.0 + (u_plus[normal] / Z95) * z[normal]
    split = kind == "split_normal"
    side = np.where(z[split] < 0, u_minus[split], u_plus[split])
    out[split] = 1.0 + side / Z95 * z[split]
    logn = kind == "lognormal"
    if logn.any():
        sign = np.sign(value[logn])[:, None]
        low = factors["lower"].to_numpy(dtype="float64")[logn][:, None] * sign
        high = factors["upper"].to_numpy(dtype="float64")[logn][:, None] * sign
        mu = 0.5 * (np.log(low) + np.log(high))
        sigma = (np.log(high) - np.log(low)) / (2 * Z95)
        out[logn] = np.exp(mu + sigma * z[logn]) / np.abs(value[logn])[:, None]
    lower = factors["lower"].to_numpy(dtype="float64")
    cut = ~((factors["status"].to_numpy() == "range") & (lower < 0))
    np.maximum(out, 0.0, out=out, where=cut[:, None])
    return out


def _slots(pair_group: np.ndarray, pair_part: np.ndarray, n_groups: int, filler: int
           ) -> np.ndarray:
    """Padded (groups x max parts) matrix of part codes; ``filler`` pads short rows."""
    counts = np.bincount(pair_group, minlength=n_groups)
    width = int(counts.max()) if len(counts) and counts.max() > 0 else 1
    slots = np.full((n_groups, width), filler, dtype=np.int64)
    order = np.argsort(pair_group, kind="stable")
    group_sorted = pair_group[order]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    column = np.arange(len(order)) - starts[group_sorted]
    slots[group_sorted, column] = pair_part[order]
    return slots


def _summary(samples: np.ndarray, point: np.ndarray) -> pd.DataFrame:
    mean = samples.mean(axis=1)
    low, high = np.percentile(samples, [2.5, 97.5], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame({
            "co2e_t": point, "mean_t": mean, "p2_5_t": low, "p97_5_t": high,
            "lower_pct": 100 * (low - point) / np.abs(point),
            "upper_pct": 100 * (high - point) / np.abs(point),
            "half_width_pct": 100 * (high - low) / 2 / np.abs(mean),
        })


def uncertainty_montecarlo(inv, *, draws: int = 10000, seed: int = 0, base_year=None, year=None,
                           activity_uncertainty=None, by="category", scope=1,
                           include_lulucf: bool = True, factor_defaults=None
                           ) -> MonteCarloResult:
    """IPCC Approach 2 (Monte Carlo) uncertainty of categories, totals and the trend.

    Parameters
    ----------
    inv : an :class:`~carbonledger.Inventory`.
    draws : number of Monte Carlo draws.
    seed : seed of ``numpy.random.default_rng`` (same seed, same result).
    base_year, year, activity_uncertainty, by, scope, include_lulucf, factor_defaults : as in
        :func:`~carbonledger.quality.uncertainty_approach1`.

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [100.0],
    ...     "unit": ["wan_m3"]})
    >>> inv = cl.compute_inventory(rows)
    >>> a = uncertainty_montecarlo(inv, draws=500, seed=1)
    >>> b = uncertainty_montecarlo(inv, draws=500, seed=1)
    >>> bool(a.totals.equals(b.totals)), a.total_draws.shape
    (True, (500, 1))
    """
    if int(draws) < 2:
        raise ValueError("draws must be at least 2")
    draws = int(draws)
    keys = resolve_by(by)
    prep = prepare_uncertainty(inv, year=year, base_year=base_year,
                               activity_uncertainty=activity_uncertainty, scope=scope,
                               include_lulucf=include_lulucf, factor_defaults=factor_defaults)
    groups = prep.groups
    n_groups, n_parts = len(groups), len(prep.factors)
    row_codes, rows = factorize_columns(groups, ["year", *keys])
    rows["year"] = rows["year"].astype(np.int64)
    x = groups["co2e_t"].to_numpy()
    activity_sd = groups["activity_u_t"].to_numpy() / Z95
    cluster_codes, cluster_uniques = pd.factorize(prep.cluster)
    n_clusters = len(cluster_uniques)
    slots = _slots(prep.pair_group, prep.pair_part, n_groups, n_parts)
    summing = sparse.csr_matrix((np.ones(n_groups), (row_codes, np.arange(n_groups))),
                                shape=(len(rows), n_groups))
    rng = np.random.default_rng(seed)
    samples = np.empty((len(rows), draws))
    block = max(1, min(draws, _BLOCK_CELLS // max(n_groups * slots.shape[1], 1)))
    for start in range(0, draws, block):
        n = min(block, draws - start)
        factor_draws = _multipliers(prep.factors, rng.standard_normal((n_parts, n)))
        factor_draws = np.vstack([factor_draws, np.ones((1, n))])  # the padding part
        multiplier = np.ones((n_groups, n))
        for column in range(slots.shape[1]):
            multiplier *= factor_draws[slots[:, column]]
        activity = rng.standard_normal((n_clusters, n))[cluster_codes]
        emissions = (x[:, None] + activity_sd[:, None] * activity) * multiplier
        samples[:, start:start + n] = summing @ emissions
    table = pd.concat([rows, _summary(samples, np.asarray(summing @ x))], axis=1)
    table = table.set_index(["year", *keys]).sort_index()
    years = [y for y in (prep.base_year, prep.year) if y is not None]
    year_of_row = rows["year"].to_numpy()
    total_samples = np.vstack([samples[year_of_row == y].sum(axis=0) for y in years])
    totals = _summary(total_samples, np.array([x[groups["year"].to_numpy() == y].sum()
                                               for y in years]))
    totals.index = pd.Index(years, name="year")
    trend = pd.Series(np.nan, index=["point_pct", "mean_pct", "p2_5_pct", "p97_5_pct"])
    if prep.base_year is not None:
        base, latest = total_samples[0], total_samples[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            drawn = 100 * (latest - base) / np.abs(base)
        point = totals["co2e_t"].to_numpy()
        trend[:] = [100 * (point[1] - point[0]) / abs(point[0]), drawn.mean(),
                    *np.percentile(drawn, [2.5, 97.5])]
    notes = (
        "factor parts drawn once per draw and shared by rows and years (correlated trend)",
        "distributions: normal (symmetric or defaulted), lognormal through both 95 % bounds "
        "(asymmetric, lower bound of the value's sign), split normal (asymmetric, lower bound "
        "0 or of the other sign); non-negative factors cut at 0",
        "activity errors normal, independent between activity rows and years",
        "emission draws scale each row's estimate by its activity and factor draws (the engines "
        "are not re-run); non-multiplicative engine formulas are linearised",
    )
    return MonteCarloResult(
        table=table, totals=totals, trend=trend,
        total_draws=pd.DataFrame(total_samples.T, columns=pd.Index(years, name="year")),
        year=prep.year, base_year=prep.base_year, draws=draws, seed=int(seed),
        factors=prep.factors, defaulted_factors=prep.defaulted,
        activity_defaults=prep.activity_used, notes=notes)
