"""Uncertainty, Approach 1: error propagation (IPCC 2006 Vol.1 Ch.3, Eq. 3.1, 3.2, Table 3.2).

Inputs of each result row of the inventory (in t CO2e):

* activity uncertainty ``Ua`` (95 % half-width, fraction) from the activity row's
  ``activity_uncertainty`` column, else the caller's dict, else
  :data:`~carbonledger.quality.ACTIVITY_UNCERTAINTY_DEFAULTS` (by kind, then IPCC sector);
* factor uncertainty ``Uf`` of every factor part named by the row's ``factor_id`` (parts joined
  by ``+``): ``max(upper - value, value - lower) / value`` from the factor library's 95 % bounds
  (the larger side when a range is asymmetric), else
  :data:`~carbonledger.quality.FACTOR_UNCERTAINTY_DEFAULTS` by parameter (listed in
  ``defaulted_factors``).

A row's emission is treated as the product of its activity and its factor parts, so Eq. 3.1
gives ``U_row = sqrt(Ua^2 + sum Uf_p^2)``. Rows are summed by Eq. 3.2 into the rows of Table 3.2
(category x gas by default): ``U = sqrt(sum (U_i x_i)^2) / |sum x_i|``, where the errors of one
factor are one error (a factor shared by rows of the category counts with their summed emissions)
and the activity errors of different activity rows are independent. The level uncertainty is
Table 3.2 column H summed; the trend uncertainty uses the type A and type B sensitivities (columns
I to M): factors are correlated between the two years, activity data are not.

Where an engine does not combine factors as a product (sums in indirect N2O, differences of soil
stock-change factors, first-order decay of landfills) the product rule is an approximation; with
uncertainties above about +-60 % Approach 1 is unreliable (Vol.1 Sec. 3.2.3.1) and
:func:`~carbonledger.quality.uncertainty_montecarlo` should be preferred.

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2020, 2022], "sector": ["steel", "steel"],
...     "activity": ["fuel_combustion"] * 2, "item": ["natural_gas"] * 2,
...     "value": [100.0, 120.0], "unit": ["wan_m3"] * 2})
>>> res = uncertainty_approach1(cl.compute_inventory(rows))
>>> res.year, res.base_year
(2022, 2020)
>>> round(res.trend_pct, 1)
20.0
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..grouping import factorize_columns, group_sum
from ._inputs import (
    GROUP_KEYS,
    factor_uncertainty,
    pooled_groups,
    reporting_years,
    result_rows,
    split_factor_id,
)
from ._inputs import activity_uncertainty as _activity_u

__all__ = ["UncertaintyResult", "uncertainty_approach1", "prepare_uncertainty", "resolve_by"]


@dataclass(frozen=True)
class UncertaintyResult:
    """Approach 1 result (values in t CO2e, uncertainties as 95 % half-widths in %).

    Attributes
    ----------
    table : Table 3.2 by the ``by`` keys: ``base_co2e_t`` (C), ``co2e_t`` (D),
        ``activity_u_pct`` (E), ``factor_u_pct`` (F), ``combined_u_pct`` (G),
        ``variance_contribution`` (H, %^2), ``type_a_sensitivity`` (I), ``type_b_sensitivity``
        (J), ``trend_u_factor_pp`` (K), ``trend_u_activity_pp`` (L), ``trend_variance`` (M,
        pp^2). E and F are of ``year`` (of ``base_year`` for a category absent in ``year``).
    year, base_year : the assessed year and the trend's base year (None: no trend).
    total_co2e_t, base_total_co2e_t : inventory totals of the two years.
    uncertainty_pct, base_uncertainty_pct : level uncertainty of the total in each year.
    trend_pct : ``(total - base_total) / |base_total|`` in %.
    trend_uncertainty_pct : 95 % half-width of the trend in percentage points.
    factors : every factor part used, with status, bounds, ``u`` and ``basis``.
    defaulted_factors : factor parts whose uncertainty is a default (no range in the library).
    activity_defaults : the activity uncertainty applied per kind, with its basis.
    notes : what the figures assume.
    """

    table: pd.DataFrame
    year: int
    base_year: int | None
    total_co2e_t: float
    base_total_co2e_t: float
    uncertainty_pct: float
    base_uncertainty_pct: float
    trend_pct: float
    trend_uncertainty_pct: float
    factors: pd.DataFrame
    defaulted_factors: tuple[str, ...]
    activity_defaults: pd.DataFrame
    notes: tuple[str, ...]


def resolve_by(by) -> list[str]:
    """Grouping columns: ``"category"`` means category x gas (Table 3.2 lists each category by
    gas); a list is taken as given.

    Examples
    --------
    >>> resolve_by("category"), resolve_by(["ipcc_sector"])
    (['category', 'gas'], ['ipcc_sector'])
    """
    keys = [by, "gas"] if isinstance(by, str) and by != "gas" else [
        str(k) for k in np.atleast_1d(by)]
    unknown = [k for k in keys if k not in GROUP_KEYS]
    if unknown:
        raise ValueError(f"cannot group uncertainties by {unknown}; use {list(GROUP_KEYS)}")
    return keys


def _years(rows: pd.DataFrame, year, base_year) -> tuple[int, int | None]:
    present = np.unique(rows["year"].to_numpy())
    if len(present) == 0:
        raise ValueError("the inventory has no result rows to assess")
    year = int(present.max()) if year is None else int(year)
    if base_year is None:
        earlier = reporting_years(rows)
        earlier = earlier[earlier < year]
        base_year = int(earlier.min()) if len(earlier) else None
    if year not in present:
        raise ValueError(f"the inventory has no results for {year}; years: {present.tolist()}")
    if base_year is not None and int(base_year) not in present:
        raise ValueError(f"the inventory has no results for base year {base_year}")
    return year, (None if base_year is None else int(base_year))


def _incidence(factor_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(group, part) pairs: group positions, part codes and the part names."""
    id_codes, unique_ids = pd.factorize(pd.Series(factor_ids, dtype=object))
    parts_of = [split_factor_id(f) for f in unique_ids]
    names = list(dict.fromkeys(p for parts in parts_of for p in parts))
    lookup = {name: position for position, name in enumerate(names)}
    counts = np.array([len(p) for p in parts_of], dtype=np.int64)
    flat = np.array([lookup[p] for parts in parts_of for p in parts], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
    per_group = counts[id_codes]
    group = np.repeat(np.arange(len(factor_ids)), per_group)
    offset = np.arange(per_group.sum()) - np.repeat(np.cumsum(per_group) - per_group, per_group)
    part = flat[np.repeat(starts[id_codes], per_group) + offset]
    return group, part, names


def prepare_uncertainty(inv, *, year=None, base_year=None, activity_uncertainty=None,
                        scope=1, include_lulucf=True, factor_defaults=None):
    """Groups, factor parts and their uncertainties for ``year`` and ``base_year`` (shared by
    Approach 1, the Monte Carlo and the Approach 2 key-category analysis).

    Returns a namespace with ``year``, ``base_year``, ``groups`` and ``cluster`` (see
    :func:`~carbonledger.quality._inputs.pooled_groups`), ``pair_group``/``pair_part`` (which
    factor parts each group uses), ``factors`` (their uncertainties), ``defaulted`` and
    ``activity_used``.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [10.0],
    ...     "unit": ["wan_m3"]})
    >>> prep = prepare_uncertainty(cl.compute_inventory(rows))
    >>> len(prep.groups), len(prep.factors), prep.base_year is None
    (3, 4, True)
    """
    rows = result_rows(inv, scope=scope, include_lulucf=include_lulucf)
    year, base_year = _years(rows, year, base_year)
    wanted = [year] if base_year is None else [base_year, year]
    rows = rows[rows["year"].isin(wanted)].reset_index(drop=True)
    u_activity, activity_used = _activity_u(inv, rows, activity_uncertainty)
    groups, cluster = pooled_groups(rows, u_activity)
    pair_group, pair_part, part_names = _incidence(groups["factor_id"].to_numpy(dtype=object))
    factors = factor_uncertainty(part_names, inv.factors, defaults=factor_defaults)
    defaulted = tuple(factors.index[factors["status"].isin(
        ["default", "measured", "unlisted"])].tolist())
    return SimpleNamespace(year=year, base_year=base_year, groups=groups, cluster=cluster,
                           pair_group=pair_group, pair_part=pair_part, factors=factors,
                           defaulted=defaulted, activity_used=activity_used)


def _level(prep, keys: list[str]) -> pd.DataFrame:
    """Per (year, keys): emissions, activity and factor uncertainty (fractions)."""
    groups = prep.groups
    codes, uniques = factorize_columns(groups, ["year", *keys])
    n = len(uniques)
    x = groups["co2e_t"].to_numpy()
    total = group_sum(codes, x, n)
    cluster_codes, cluster_uniques = factorize_columns(
        pd.DataFrame({"row": codes, "cluster": prep.cluster}), ["row", "cluster"])
    by_cluster = group_sum(cluster_codes, groups["activity_u_t"].to_numpy(), len(cluster_uniques))
    activity_var = group_sum(cluster_uniques["row"].to_numpy(dtype=np.int64), by_cluster ** 2, n)
    u_part = prep.factors["u"].to_numpy()
    pair_row = codes[prep.pair_group]
    pair_codes, pair_uniques = factorize_columns(
        pd.DataFrame({"row": pair_row, "part": prep.pair_part}), ["row", "part"])
    x_part = group_sum(pair_codes, x[prep.pair_group], len(pair_uniques))
    spread = (u_part[pair_uniques["part"].to_numpy(dtype=np.int64)] * x_part) ** 2
    factor_var = group_sum(pair_uniques["row"].to_numpy(dtype=np.int64), spread, n)
    magnitude = np.abs(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        activity_u = np.where(magnitude > 0, np.sqrt(activity_var) / magnitude, 0.0)
        factor_u = np.where(magnitude > 0, np.sqrt(factor_var) / magnitude, 0.0)
    out = uniques.assign(co2e_t=total, activity_u=activity_u, factor_u=factor_u)
    out["year"] = out["year"].astype(np.int64)
    return out


def _table_3_2(level: pd.DataFrame, keys: list[str], year: int, base_year: int | None
               ) -> pd.DataFrame:
    this = level[level["year"] == year].set_index(keys)
    if base_year is None:
        base = this.iloc[:0]
    else:
        base = level[level["year"] == base_year].set_index(keys)
    index = this.index.union(base.index) if len(base) else this.index
    d = this["co2e_t"].reindex(index, fill_value=0.0)
    c = base["co2e_t"].reindex(index, fill_value=0.0)
    present = this["co2e_t"].reindex(index).notna() & (d != 0)
    e = this["activity_u"].reindex(index).where(present, base["activity_u"].reindex(index))
    f = this["factor_u"].reindex(index).where(present, base["factor_u"].reindex(index))
    e, f = e.fillna(0.0), f.fillna(0.0)
    g = np.sqrt(e ** 2 + f ** 2)
    sum_d, sum_c = float(d.sum()), float(c.sum())
    table = pd.DataFrame({"base_co2e_t": c, "co2e_t": d, "activity_u_pct": 100 * e,
                          "factor_u_pct": 100 * f, "combined_u_pct": 100 * g}, index=index)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["variance_contribution"] = (100 * g * d / sum_d) ** 2 if sum_d else np.nan
        if base_year is not None and sum_c != 0:
            type_a = ((0.01 * d + sum_d) / (0.01 * c + sum_c) - sum_d / sum_c) * 100.0
            type_b = d / sum_c
            table["type_a_sensitivity"] = type_a
            table["type_b_sensitivity"] = type_b
            table["trend_u_factor_pp"] = type_a * 100 * f
            table["trend_u_activity_pp"] = type_b * 100 * e * np.sqrt(2.0)
            table["trend_variance"] = (table["trend_u_factor_pp"] ** 2
                                       + table["trend_u_activity_pp"] ** 2)
        else:
            for name in ("type_a_sensitivity", "type_b_sensitivity", "trend_u_factor_pp",
                         "trend_u_activity_pp", "trend_variance"):
                table[name] = np.nan
    return table.sort_values("co2e_t", key=np.abs, ascending=False)


def _notes(prep, table: pd.DataFrame) -> tuple[str, ...]:
    notes = [
        "95 % half-widths; emissions in t CO2e of the inventory's GWP set (GWP uncertainty "
        "not included)",
        "asymmetric factor ranges: the larger side is used (Approach 1)",
        "factor parts combine as a product (Eq. 3.1); categories are independent (Eq. 3.2); "
        "factors are fully correlated between the two years, activity data are not",
        "calorific values that convert fuel quantities to energy are not part of factor_id: "
        "their uncertainty is in the activity uncertainty",
    ]
    large = table.index[table["combined_u_pct"] > 60].tolist()
    if large:
        notes.append(f"combined uncertainty above 60 % for {large[:5]}"
                     + (f" and {len(large) - 5} more" if len(large) > 5 else "")
                     + ": Approach 1 is unreliable there (Vol.1 Sec. 3.2.3.1); "
                     "use uncertainty_montecarlo")
    if prep.defaulted:
        notes.append(f"{len(prep.defaulted)} factor part(s) have no range in the library and "
                     "take a default uncertainty (see defaulted_factors)")
    return tuple(notes)


def uncertainty_approach1(inv, *, base_year=None, year=None, activity_uncertainty=None,
                          by="category", scope=1, include_lulucf: bool = True,
                          factor_defaults=None) -> UncertaintyResult:
    """IPCC Approach 1 uncertainty of the level and the trend (Vol.1 Ch.3, Table 3.2).

    Parameters
    ----------
    inv : an :class:`~carbonledger.Inventory`.
    base_year, year : the trend's base year (default: the earliest reporting year, i.e. the
        earliest year holding at least half the categories of the fullest year; None when there
        is no earlier one) and the assessed year (default: the latest).
    activity_uncertainty : dict of 95 % half-widths (fractions) by activity kind or IPCC sector,
        e.g. ``{"fuel_combustion": 0.03, "agriculture": 0.1}``; the rows' own
        ``activity_uncertainty`` column wins.
    by : ``"category"`` (category x gas, the rows of Table 3.2), ``"ipcc_sector"`` (sector x
        gas), or a list of columns of ``category, gas, ipcc_sector, sector, activity, item``.
    scope : scopes assessed (default 1, the territorial inventory; ``None`` for all).
    include_lulucf : keep land use (removals enter with their sign).
    factor_defaults : ``{parameter or "table:parameter": (u, basis)}`` replacing entries of
        :data:`~carbonledger.quality.FACTOR_UNCERTAINTY_DEFAULTS`.

    Returns
    -------
    UncertaintyResult

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022, 2022], "sector": ["steel", "residential"],
    ...     "activity": ["fuel_combustion"] * 2, "item": ["natural_gas", "raw_coal"],
    ...     "value": [100.0, 1.0], "unit": ["wan_m3", "wan_t"],
    ...     "activity_uncertainty": [0.02, None]})
    >>> res = uncertainty_approach1(cl.compute_inventory(rows))
    >>> res.base_year is None and res.uncertainty_pct > 0
    True
    >>> sorted(res.table.index.get_level_values("gas").unique())
    ['CH4', 'CO2', 'N2O']
    """
    keys = resolve_by(by)
    prep = prepare_uncertainty(inv, year=year, base_year=base_year,
                               activity_uncertainty=activity_uncertainty, scope=scope,
                               include_lulucf=include_lulucf, factor_defaults=factor_defaults)
    level = _level(prep, keys)
    table = _table_3_2(level, keys, prep.year, prep.base_year)
    total = float(table["co2e_t"].sum())
    base_total = float(table["base_co2e_t"].sum()) if prep.base_year is not None else np.nan
    uncertainty = float(np.sqrt(table["variance_contribution"].sum())) if total else np.nan
    base_uncertainty = np.nan
    trend = trend_u = np.nan
    if prep.base_year is not None and base_total:
        base_level = level[level["year"] == prep.base_year]
        base_u = 100 * np.sqrt(base_level["activity_u"] ** 2 + base_level["factor_u"] ** 2)
        base_uncertainty = float(np.sqrt(
            ((base_u * base_level["co2e_t"] / base_total) ** 2).sum()))
        trend = 100.0 * (total - base_total) / abs(base_total)
        trend_u = float(np.sqrt(table["trend_variance"].sum()))
    return UncertaintyResult(
        table=table, year=prep.year, base_year=prep.base_year, total_co2e_t=total,
        base_total_co2e_t=base_total, uncertainty_pct=uncertainty,
        base_uncertainty_pct=base_uncertainty, trend_pct=trend, trend_uncertainty_pct=trend_u,
        factors=prep.factors, defaulted_factors=prep.defaulted,
        activity_defaults=prep.activity_used, notes=_notes(prep, table))
