"""Key category analysis (IPCC 2006 Vol.1 Ch.4, Sec. 4.3.1 and 4.3.2).

Level assessment (Eq. 4.1, absolute values so that removals count):
``L_x = |E_x,t| / sum_y |E_y,t|``.

Trend assessment (Eq. 4.2; Eq. 4.3 when a category is 0 in the base year):
``T_x = |E_x,0| / sum_y |E_y,0| * |(E_x,t - E_x,0) / |E_x,0| - (sum E_t - sum E_0) / |sum E_0||``
which equals ``|(E_x,t - E_x,0) - trend * |E_x,0|| / sum_y |E_y,0|`` and, for ``E_x,0 = 0``,
``|E_x,t| / sum_y |E_y,0|`` (Eq. 4.3).

Approach 1: categories are ranked by their share of ``sum L`` (or ``sum T``) and are key until
the cumulative share reaches 95 % (the category that crosses the threshold is key).
Approach 2: each assessment is weighted by the category's Approach 1 uncertainty (Eq. 4.4 and
4.5: ``L_x * U_x``, ``T_x * U_x``) and the threshold is 90 %.

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2022, 2022], "sector": ["steel", "residential"],
...     "activity": ["fuel_combustion"] * 2, "item": ["raw_coal", "natural_gas"],
...     "value": [100.0, 10.0], "unit": ["wan_t", "wan_m3"]})
>>> table = key_categories(cl.compute_inventory(rows), year=2022)
>>> table.index[0]
('1.A.2.a', 'CO2')
>>> bool(table["key"].iloc[0])
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._inputs import result_rows
from .uncertainty import resolve_by, uncertainty_approach1

__all__ = ["key_categories"]


def _ranked(values: pd.Series, threshold: float, prefix: str) -> pd.DataFrame:
    """Share, cumulative share, rank and key flag of non-negative assessment values."""
    total = float(values.sum())
    order = values.sort_values(ascending=False, kind="stable")
    share = order / total if total > 0 else order * 0.0
    cumulative = share.cumsum()
    key = (cumulative - share) < threshold - 1e-12
    if total <= 0:
        key[:] = False
    out = pd.DataFrame({f"{prefix}_share": share, f"{prefix}_cumulative": cumulative,
                        f"{prefix}_rank": np.arange(1, len(order) + 1), f"{prefix}_key": key})
    return out.reindex(values.index)


def _assess(inv, *, year, base_year, approach, include_lulucf, threshold, keys,
            activity_uncertainty) -> pd.DataFrame:
    rows = result_rows(inv, scope=1, include_lulucf=include_lulucf,
                       years=[y for y in (year, base_year) if y is not None])
    sums = rows.groupby(["year", *keys], sort=True)["co2e_t"].sum()
    latest = sums.xs(year, level="year") if year in sums.index.get_level_values("year") else None
    if latest is None:
        raise ValueError(f"the inventory has no scope-1 results for {year}")
    base = None
    if base_year is not None:
        if base_year not in sums.index.get_level_values("year"):
            raise ValueError(f"the inventory has no scope-1 results for base year {base_year}")
        base = sums.xs(base_year, level="year")
    index = latest.index.union(base.index) if base is not None else latest.index
    index.names = keys
    e_t = latest.reindex(index, fill_value=0.0)
    table = pd.DataFrame({"co2e_t": e_t}, index=index)
    if "ipcc_sector" not in keys:
        sector = rows.drop_duplicates(keys).set_index(keys)["ipcc_sector"]
        table.insert(0, "ipcc_sector", sector.reindex(index).to_numpy())
    level = e_t.abs() / e_t.abs().sum()
    table["level_assessment"] = level
    uncertainty = None
    if approach == 2:
        u = uncertainty_approach1(inv, year=year, base_year=base_year, by=keys,
                                  activity_uncertainty=activity_uncertainty,
                                  include_lulucf=include_lulucf).table["combined_u_pct"]
        uncertainty = u.reindex(index).fillna(0.0) / 100.0
        table["uncertainty_pct"] = 100 * uncertainty
        level = level * uncertainty
        table["level_assessment"] = level
    table = table.join(_ranked(table["level_assessment"], threshold, "level"))
    if base is not None:
        e_0 = base.reindex(index, fill_value=0.0)
        table.insert(1, "base_co2e_t", e_0)
        absolute_base = float(e_0.abs().sum())
        total_trend = (e_t.sum() - e_0.sum()) / abs(e_0.sum()) if e_0.sum() else np.nan
        trend = ((e_t - e_0) - total_trend * e_0.abs()).abs() / absolute_base
        if uncertainty is not None:
            trend = trend * uncertainty
        table["trend_assessment"] = trend
        table = table.join(_ranked(trend, threshold, "trend"))
    else:
        for name in ("base_co2e_t", "trend_assessment", "trend_share", "trend_cumulative",
                     "trend_rank"):
            table[name] = np.nan
        table["trend_key"] = False
    table["key"] = table["level_key"] | table["trend_key"]
    tag = str(approach)
    table["criteria"] = [", ".join(c for c, on in ((f"L{tag}", lk), (f"T{tag}", tk)) if on)
                         for lk, tk in zip(table["level_key"], table["trend_key"], strict=True)]
    return table.sort_values("level_rank")


def key_categories(inv, *, year, base_year=None, approach: int = 1, include_lulucf=True,
                   threshold: float | None = None, by="category",
                   activity_uncertainty=None) -> pd.DataFrame:
    """Ranked key-category table: level and trend assessment, Approach 1 or 2.

    Parameters
    ----------
    inv : an :class:`~carbonledger.Inventory` (scope 1 only: scope 2 is a memo item).
    year : the assessed year.
    base_year : the trend's base year (None: level assessment only).
    approach : 1 (shares of emissions) or 2 (shares weighted by the Approach 1 uncertainty).
    include_lulucf : True, False, or ``"both"``: both assessments, with ``key_without_lulucf``
        and ``key_either`` (a category key in either is key, Vol.1 Sec. 4.3.1).
    threshold : cumulative share defining key categories (default 0.95 for Approach 1 and 0.90
        for Approach 2).
    by : ``"category"`` (category x gas, as Vol.1 Table 4.1 suggests) or a list of columns.
    activity_uncertainty : passed to :func:`uncertainty_approach1` for Approach 2.

    Returns
    -------
    DataFrame indexed by the ``by`` keys, sorted by level rank: ``ipcc_sector``,
    ``base_co2e_t``, ``co2e_t``, ``level_assessment``, ``level_share``, ``level_cumulative``,
    ``level_rank``, ``level_key``, ``trend_assessment``, ``trend_share``,
    ``trend_cumulative``, ``trend_rank``, ``trend_key``, ``key``, ``criteria`` (``L1``,
    ``T1``, ``L2``, ``T2``) and for Approach 2 ``uncertainty_pct``.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020, 2022, 2022],
    ...     "sector": ["steel", "steel", "residential"], "activity": ["fuel_combustion"] * 3,
    ...     "item": ["raw_coal", "raw_coal", "natural_gas"], "value": [100.0, 60.0, 2000.0],
    ...     "unit": ["wan_t", "wan_t", "wan_m3"]})
    >>> table = key_categories(cl.compute_inventory(rows), year=2022, base_year=2020)
    >>> table["criteria"].head(3).tolist()
    ['L1, T1', 'T1', '']
    >>> table.index[1]
    ('1.A.4.b', 'CO2')
    """
    if approach not in (1, 2):
        raise ValueError("approach must be 1 or 2")
    if threshold is None:
        threshold = 0.95 if approach == 1 else 0.90
    if not 0 < float(threshold) <= 1:
        raise ValueError("threshold must be a share in (0, 1]")
    keys = resolve_by(by)
    options = dict(year=int(year), base_year=None if base_year is None else int(base_year),
                   approach=approach, threshold=float(threshold), keys=keys,
                   activity_uncertainty=activity_uncertainty)
    if include_lulucf == "both":
        with_land = _assess(inv, include_lulucf=True, **options)
        without = _assess(inv, include_lulucf=False, **options)
        with_land["key_without_lulucf"] = without["key"].reindex(with_land.index).fillna(
            False).astype(bool)
        with_land["key_either"] = with_land["key"] | with_land["key_without_lulucf"]
        return with_land
    return _assess(inv, include_lulucf=bool(include_lulucf), **options)
