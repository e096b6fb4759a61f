"""Reporting tables of an Inventory: the provincial-guideline summary (sector x gas), the
methane inventory by source, and sinks (gross emissions, gross removals, net) of land use.

Category names come from ``carbonledger/data/ipcc_categories.csv`` (IPCC 2006 codes with
English and Chinese names) by longest-prefix match, so a deeper code (``1.A.2.f``) is named by
its nearest listed parent when it is not listed itself.

Examples
--------
>>> category_names(["1.A.2.f", "4.A.1", "scope2.electricity"])["name"].tolist()
['Manufacturing industries and construction', 'Solid waste disposal', 'Indirect emissions of purchased and imported electricity and heat (scope 2; memo)']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["category_names", "provincial_summary", "methane_inventory", "sink_table",
           "SECTOR_LABELS", "GAS_GROUPS"]

SECTOR_LABELS = {
    "energy": "Energy 能源活动",
    "ippu": "Industrial processes 工业生产过程",
    "agriculture": "Agriculture 农业",
    "lulucf": "LULUCF 土地利用、土地利用变化和林业",
    "waste": "Waste 废弃物处理",
}
#: Reporting columns of the provincial guideline's summary table and the gases in each.
GAS_GROUPS = {
    "CO2": ("CO2",),
    "CH4": ("CH4",),
    "N2O": ("N2O",),
    "HFCs": ("HFC-23", "HFC-32", "HFC-125", "HFC-134a", "HFC-143a", "HFC-152a", "HFC-227ea"),
    "PFCs": ("CF4", "C2F6", "C3F8", "c-C4F8"),
    "SF6": ("SF6",),
    "NF3": ("NF3",),
}


@lru_cache(maxsize=1)
def _categories() -> pd.DataFrame:
    with (resources.files("carbonledger") / "data" / "ipcc_categories.csv").open(
            "r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False).set_index("code")


def category_names(codes) -> pd.DataFrame:
    """Name, Chinese name and methane-source label of IPCC category codes (longest prefix)."""
    table = _categories()
    records = []
    for code in codes:
        text = str(code)
        parts = text.split(".")
        match = None
        for length in range(len(parts), 0, -1):
            candidate = ".".join(parts[:length])
            if candidate in table.index:
                match = candidate
                break
        row = table.loc[match] if match else None
        records.append({"category": text,
                        "name": row["name"] if row is not None else text,
                        "name_zh": row["name_zh"] if row is not None else "",
                        "methane_source": row["methane_source"] if row is not None else ""})
    return pd.DataFrame.from_records(records)


def _gas_group(gases: pd.Series) -> np.ndarray:
    lookup = {gas: group for group, members in GAS_GROUPS.items() for gas in members}
    return np.array([lookup.get(g, "") for g in gases], dtype=object)


def provincial_summary(inv, *, year=None, unit: str = "t") -> pd.DataFrame:
    """The provincial guideline's summary table: IPCC sector x gas, totals with and without
    LULUCF, and memo rows (scope 2, biogenic CO2).

    CO2, CH4 and N2O are in ``unit`` of each gas; HFCs, PFCs, SF6 and NF3 in ``unit`` CO2e (they
    are groups of gases); ``total_co2e`` in ``unit`` CO2e with the inventory's GWP set.
    Indexed by (year, row).
    """
    from .units import unit_scale

    scale = unit_scale("t", unit)
    years = inv.column("year").to_numpy()
    frame = pd.DataFrame({
        "year": years,
        "ipcc_sector": inv.results["ipcc_sector"].astype(object).to_numpy(),
        "gas": inv.results["gas"].astype(object).to_numpy(),
        "scope": inv.results["scope"].to_numpy(),
        "t": inv.results["emissions_t"].to_numpy(),
        "co2e": inv.results["co2e_t"].to_numpy(),
    })
    if year is not None:
        frame = frame[np.isin(frame["year"], np.atleast_1d(year))]
    frame["group"] = _gas_group(frame["gas"])
    direct = frame[(frame["scope"] == 1) & (frame["group"] != "")]
    columns = []
    for group in GAS_GROUPS:
        value = "t" if group in ("CO2", "CH4", "N2O") else "co2e"
        name = f"{group}" if value == "t" else f"{group}_co2e"
        sub = direct[direct["group"] == group].groupby(["year", "ipcc_sector"])[value].sum()
        columns.append(sub.rename(name))
    columns.append(direct.groupby(["year", "ipcc_sector"])["co2e"].sum().rename("total_co2e"))
    table = pd.concat(columns, axis=1).fillna(0.0) * scale
    table = table.reindex(pd.MultiIndex.from_product(
        [sorted(set(frame["year"])), list(SECTOR_LABELS)], names=["year", "ipcc_sector"]),
        fill_value=0.0)
    pieces = []
    for y, block in table.groupby(level="year"):
        block = block.droplevel("year")
        rows = block.rename(index=SECTOR_LABELS)
        without = block.drop(index="lulucf").sum()
        rows.loc["Total excluding LULUCF 总量（不含LULUCF）"] = without
        rows.loc["Total including LULUCF 总量（含LULUCF）"] = block.sum()
        memo = frame[frame["year"] == y]
        rows.loc["Memo: scope 2 (net imported electricity and heat) 调入电力热力间接排放"] = 0.0
        rows.loc["Memo: scope 2 (net imported electricity and heat) 调入电力热力间接排放",
                 ["CO2", "total_co2e"]] = memo.loc[memo["scope"] == 2, "t"].sum() * scale
        rows.loc["Memo: biogenic CO2 生物质燃烧二氧化碳"] = 0.0
        rows.loc["Memo: biogenic CO2 生物质燃烧二氧化碳", "CO2"] = memo.loc[
            memo["gas"] == "CO2_biogenic", "t"].sum() * scale
        rows.index.name = "row"
        pieces.append(rows.assign(year=y).set_index("year", append=True).swaplevel())
    return pd.concat(pieces)


def methane_inventory(inv, *, year=None, gwp_unit: str = "t") -> pd.DataFrame:
    """Methane by source (fuel combustion, coal mining, oil and gas, enteric fermentation,
    manure, rice, waste disposal, wastewater, ...): t CH4, t CO2e and share of the total.

    Indexed by (year, ipcc_sector, source), sorted by emissions within each year.
    """
    table = inv.results
    mask = (table["gas"] == "CH4").to_numpy()
    categories = table["category"].astype(object).to_numpy()[mask]
    names = category_names(pd.unique(categories))
    source = dict(zip(names["category"], names["methane_source"].replace("", "Other"),
                      strict=True))
    frame = pd.DataFrame({
        "year": inv.column("year").to_numpy()[mask],
        "ipcc_sector": table["ipcc_sector"].astype(object).to_numpy()[mask],
        "source": [source[c] for c in categories],
        "ch4_t": table["emissions_t"].to_numpy()[mask],
        "co2e_t": table["co2e_t"].to_numpy()[mask],
    })
    if year is not None:
        frame = frame[np.isin(frame["year"], np.atleast_1d(year))]
    out = frame.groupby(["year", "ipcc_sector", "source"])[["ch4_t", "co2e_t"]].sum()
    out["share"] = out["ch4_t"] / out.groupby(level="year")["ch4_t"].transform("sum")
    return out.sort_values(["year", "ch4_t"], ascending=[True, False])


def sink_table(inv, *, year=None) -> pd.DataFrame:
    """Land use by category: gross emissions (>= 0), gross removals (<= 0) and net, in t CO2e,
    with a total row per year. A positive net on a category is a sink turned into a source."""
    table = inv.results
    mask = (table["ipcc_sector"] == "lulucf").to_numpy()
    categories = table["category"].astype(object).to_numpy()[mask]
    names = category_names(pd.unique(categories)).set_index("category")
    co2e = table["co2e_t"].to_numpy()[mask]
    frame = pd.DataFrame({
        "year": inv.column("year").to_numpy()[mask],
        "category": categories,
        "emissions_t_co2e": np.where(co2e > 0, co2e, 0.0),
        "removals_t_co2e": np.where(co2e < 0, co2e, 0.0),
        "net_t_co2e": co2e,
    })
    if year is not None:
        frame = frame[np.isin(frame["year"], np.atleast_1d(year))]
    out = frame.groupby(["year", "category"]).sum()
    out.insert(0, "name", [names.loc[c, "name"] for c in out.index.get_level_values("category")])
    totals = out.groupby(level="year")[["emissions_t_co2e", "removals_t_co2e",
                                         "net_t_co2e"]].sum()
    totals["name"] = "Total LULUCF"
    totals["category"] = "3.B (total)"
    totals = totals.set_index("category", append=True)
    return pd.concat([out, totals[out.columns]]).sort_index()
