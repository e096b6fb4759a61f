"""The same arithmetic as compute_inventory's fuel combustion, as a plain pandas merge +
groupby: the baseline the benchmarks compare against (factor tables prepared outside timing)."""

from __future__ import annotations

import pandas as pd

import carbonledger as cl


def factor_tables(frame: pd.DataFrame, lib) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Per (item, unit) TJ per unit and per (item, sector) t of each gas per TJ, from the
    same factor library the engine uses (taken from a small inventory run)."""
    pairs = frame[["item", "unit"]].drop_duplicates().astype(str)
    pairs["tj_per_unit"] = [cl.convert(1.0, u, "TJ", item=i, factors=lib)
                            for i, u in pairs.itertuples(index=False)]
    combos = frame[["item", "sector"]].drop_duplicates().astype(str).reset_index(drop=True)
    probe = combos.assign(year=2022, activity="fuel_combustion", value=1.0, unit="TJ")
    table = cl.compute_inventory(probe, factors=lib).table
    wide = table.pivot_table(index=["item", "sector"], columns="gas", values="emissions_t",
                             observed=True).reset_index()
    wide.columns = ["item", "sector"] + [f"{g}_t_per_tj" for g in wide.columns[2:]]
    gwp = cl.gwp_values("AR5")
    for column in ("item", "unit"):
        pairs[column] = pairs[column].astype(frame[column].dtype)
    for column in ("item", "sector"):
        wide[column] = wide[column].astype(frame[column].dtype)
    return pairs, wide, gwp


def pandas_inventory(frame: pd.DataFrame, pairs, wide, gwp) -> pd.Series:
    """Merge factors onto rows, compute CO2/CH4/N2O and CO2e, sum by sector and gas."""
    df = frame.merge(pairs, on=["item", "unit"], how="left").merge(wide, on=["item", "sector"],
                                                                   how="left")
    tj = df["value"] * df["tj_per_unit"]
    out = pd.DataFrame({"sector": df["sector"], "CO2": tj * df["CO2_t_per_tj"],
                        "CH4": tj * df["CH4_t_per_tj"], "N2O": tj * df["N2O_t_per_tj"]})
    long = out.melt(id_vars="sector", var_name="gas", value_name="emissions_t")
    long["co2e_t"] = long["emissions_t"] * long["gas"].map(gwp)
    return long.groupby(["sector", "gas"], observed=True)["co2e_t"].sum()
