"""Catalogs of item (fuel / energy) ids and sector ids, with their Chinese statistical names.

Examples
--------
>>> import carbonledger as cl
>>> cl.items().loc["raw_coal", "name_zh"]
'原煤'
>>> resolve_items(["原煤", "natural_gas", "天然气"]).tolist()
['raw_coal', 'natural_gas', 'natural_gas']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["items", "sectors", "resolve_items", "item_aliases"]


def _read(name: str) -> pd.DataFrame:
    with (resources.files("carbonledger") / "data" / name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _items() -> pd.DataFrame:
    frame = _read("items.csv").set_index("item")
    frame["fossil"] = frame["fossil"].str.lower().eq("true")
    return frame


@lru_cache(maxsize=1)
def _sectors() -> pd.DataFrame:
    return _read("sectors.csv").set_index("sector")


def items() -> pd.DataFrame:
    """Every fuel / energy item id with its Chinese name, aliases, group, fossil flag, IPCC fuel
    and physical basis (mass, volume, electricity, heat)."""
    return _items().copy()


def sectors() -> pd.DataFrame:
    """Every sector id with its Chinese name, IPCC 2006 category and combustion group (the key of
    the IPCC CH4/N2O defaults: energy_industries, manufacturing_construction, ...)."""
    return _sectors().copy()


@lru_cache(maxsize=1)
def item_aliases() -> dict[str, str]:
    """Map of every accepted name (id, Chinese name, alias) to the item id."""
    table = _items()
    mapping: dict[str, str] = {}
    for item, row in table.iterrows():
        mapping[item] = item
        if row["name_zh"]:
            mapping.setdefault(row["name_zh"], item)
        for alias in filter(None, row["aliases"].split("|")):
            mapping.setdefault(alias.strip(), item)
    return mapping


def resolve_items(values) -> pd.Series:
    """Replace Chinese names and aliases by item ids; unknown names pass through unchanged.

    Works on the categories of a categorical Series (cheap at any length).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    mapping = item_aliases()
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = series.cat.categories
        renamed = [mapping.get(str(c).strip(), str(c).strip()) for c in cats]
        if len(set(renamed)) == len(renamed):
            return series.cat.rename_categories(renamed)
        return pd.Series(pd.Categorical(np.asarray(renamed, dtype=object)[series.cat.codes]),
                         index=series.index)
    return series.map(lambda v: mapping.get(str(v).strip(), v) if isinstance(v, str) else v)
