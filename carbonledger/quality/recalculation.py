"""Recalculations: what changed between two editions of an inventory, and why
(IPCC 2006 Vol.1 Ch.5, Sec. 5.2 reasons for recalculation; reported as in Vol.1 Ch.8).

Each (year, category, gas) of either inventory is compared, in t CO2e, and given a reason:

* ``method change``: the category is in one inventory only, or is computed from other
  activity kinds;
* ``factor change``: other factor ids, or the same ids whose values differ between the two
  factor libraries;
* ``activity change``: the same factors, different activity values (summed per kind, item and
  unit);
* ``GWP change``: the inventories use different GWP sets;
* ``other``: the emissions differ for none of the reasons above (e.g. an engine update).

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"], "activity": ["fuel_combustion"],
...     "item": ["natural_gas"], "value": [100.0], "unit": ["wan_m3"]})
>>> old = cl.compute_inventory(rows)
>>> new = cl.compute_inventory(rows.assign(value=[120.0]))
>>> recalculation(old, new)["reason"].unique().tolist()
['activity change']
>>> bool(recalculation(old, old)["changed"].any())
False
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._inputs import split_factor_id

__all__ = ["recalculation"]

_KEYS = ["year", "category", "gas"]


def _frame(inv) -> pd.DataFrame:
    results = inv.results
    position = results["row"].to_numpy()
    activity = inv.activity
    return pd.DataFrame({
        "year": activity["year"].to_numpy()[position].astype(np.int64),
        "category": results["category"].astype(object).to_numpy(),
        "gas": results["gas"].astype(object).to_numpy(),
        "position": position,
        "activity": activity["activity"].astype(object).to_numpy()[position],
        "item": activity["item"].astype(object).to_numpy()[position],
        "unit": activity["unit"].astype(object).to_numpy()[position],
        "value": activity["value"].to_numpy(dtype="float64")[position],
        "factor_id": results["factor_id"].astype(object).to_numpy(),
        "emissions_t": results["emissions_t"].to_numpy(dtype="float64"),
        "co2e_t": results["co2e_t"].to_numpy(dtype="float64"),
    })


def _joined(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per key, the sorted distinct values of ``column`` joined (one string per key)."""
    pairs = frame[[*_KEYS, column]].drop_duplicates()
    return pairs.groupby(_KEYS)[column].agg(lambda s: " | ".join(sorted(map(str, s))))


def _parts(frame: pd.DataFrame) -> pd.Series:
    ids = frame[[*_KEYS, "factor_id"]].drop_duplicates()
    return ids.groupby(_KEYS)["factor_id"].agg(
        lambda s: frozenset(p for f in s for p in split_factor_id(f)))


def _factor_values(lib, parts) -> dict:
    rows = lib.rows.drop_duplicates("factor_id").set_index("factor_id")
    known = [p for p in parts if p in rows.index]
    table = rows.loc[known, ["value", "unit", "lower", "upper"]]
    return {fid: tuple(r) for fid, r in zip(table.index, table.itertuples(index=False),
                                             strict=True)}


def _same(a, b) -> bool:
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) and isinstance(y, float):
            if not (np.isclose(x, y, rtol=1e-12, atol=0.0) or (np.isnan(x) and np.isnan(y))):
                return False
        elif x != y:
            return False
    return True


def recalculation(previous, revised, *, rtol: float = 1e-9) -> pd.DataFrame:
    """Compare two inventories category by category and year, with the reason of each change.

    Parameters
    ----------
    previous, revised : :class:`~carbonledger.Inventory` (e.g. last year's submission and
        this year's recalculated one).
    rtol : relative tolerance under which two numbers are equal.

    Returns
    -------
    DataFrame indexed by (year, category, gas) with ``previous_co2e_t``, ``revised_co2e_t``,
    ``difference_t``, ``difference_pct`` (of the previous estimate), ``status``
    (``unchanged``, ``changed``, ``added``, ``removed``), ``changed`` and ``reason``
    (``no change`` for an unchanged key; several reasons are joined with ``; ``).

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [100.0],
    ...     "unit": ["wan_m3"]})
    >>> a = cl.compute_inventory(rows, gwp="AR5")
    >>> b = cl.compute_inventory(rows, gwp="AR6")
    >>> recalculation(a, b).loc[(2022, "1.A.2.a", "CH4"), "reason"]
    'GWP change'
    """
    old, new = _frame(previous), _frame(revised)
    old_sum = old.groupby(_KEYS)[["co2e_t", "emissions_t"]].sum()
    new_sum = new.groupby(_KEYS)[["co2e_t", "emissions_t"]].sum()
    index = old_sum.index.union(new_sum.index)
    out = pd.DataFrame({"previous_co2e_t": old_sum["co2e_t"].reindex(index),
                        "revised_co2e_t": new_sum["co2e_t"].reindex(index)}, index=index)
    in_old = out["previous_co2e_t"].notna()
    in_new = out["revised_co2e_t"].notna()
    out["difference_t"] = out["revised_co2e_t"].fillna(0.0) - out["previous_co2e_t"].fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["difference_pct"] = 100 * out["difference_t"] / out["previous_co2e_t"].abs()

    kinds_old, kinds_new = _joined(old, "activity"), _joined(new, "activity")
    parts_old, parts_new = _parts(old), _parts(new)
    used = set().union(*parts_old.tolist(), *parts_new.tolist())
    values_old = _factor_values(previous.factors, used)
    values_new = (values_old if revised.factors is previous.factors
                  else _factor_values(revised.factors, used))
    activity_keys = [*_KEYS, "activity", "item", "unit"]
    act_old = old.drop_duplicates([*_KEYS, "position"]).groupby(activity_keys)["value"].sum()
    act_new = new.drop_duplicates([*_KEYS, "position"]).groupby(activity_keys)["value"].sum()
    act = pd.concat([act_old.rename("old"), act_new.rename("new")], axis=1)
    differs = ~np.isclose(act["old"].fillna(np.inf), act["new"].fillna(-np.inf), rtol=rtol,
                          atol=0.0)
    activity_changed = set(act.index[differs].droplevel(["activity", "item", "unit"]))
    emissions_differ = ~np.isclose(old_sum["emissions_t"].reindex(index).fillna(np.inf),
                                   new_sum["emissions_t"].reindex(index).fillna(-np.inf),
                                   rtol=rtol, atol=0.0)
    co2e_differ = ~np.isclose(out["previous_co2e_t"].fillna(np.inf),
                              out["revised_co2e_t"].fillna(-np.inf), rtol=rtol, atol=0.0)
    gwp_changed = previous.gwp != revised.gwp
    reasons, status = [], []
    for position, key in enumerate(index):
        if not in_new.iloc[position]:
            status.append("removed")
            reasons.append("method change: category no longer estimated")
            continue
        if not in_old.iloc[position]:
            status.append("added")
            reasons.append("method change: category newly estimated")
            continue
        why = []
        if kinds_old.get(key) != kinds_new.get(key):
            why.append(f"method change: kinds {kinds_old.get(key)} -> {kinds_new.get(key)}")
        before, after = parts_old.get(key, frozenset()), parts_new.get(key, frozenset())
        if before != after:
            gone, came = sorted(before - after), sorted(after - before)
            why.append("factor change: " + ", ".join(
                [f"-{p}" for p in gone[:2]] + [f"+{p}" for p in came[:2]]))
        else:
            moved = [p for p in sorted(before) if p in values_old and p in values_new
                     and not _same(values_old[p], values_new[p])]
            if moved:
                why.append(f"factor change: values of {', '.join(moved[:3])}")
        if key in activity_changed:
            why.append("activity change")
        if gwp_changed and co2e_differ[position]:
            why.append("GWP change")
        if not why and (emissions_differ[position] or co2e_differ[position]):
            why.append("other: emissions differ with the same activity and factors")
        status.append("changed" if why else "unchanged")
        reasons.append("; ".join(why) if why else "no change")
    out["status"] = status
    out["changed"] = out["status"] != "unchanged"
    out["reason"] = reasons
    return out
