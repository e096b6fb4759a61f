"""Data-quality checks of facility rows, before a verifier sees them: :func:`check`.

Every rule returns findings instead of raising; a clean dataset returns an empty table.

======================  ========  ==============================================================
rule                    severity  finds
======================  ========  ==============================================================
unaccountable           error     rows compute refuses (unknown fuel, impossible unit, no factor)
duplicate_rows          error     the same facility/year/month/activity/item twice
unit_inconsistent       warning   an energy unit for a fuel measured by mass or volume, or one
                                  fuel of a facility reported in several units
missing_months          warning   a facility's fuel reported for some months of a year only
ncv_out_of_range        warning   a measured NCV outside the fuel's plausible range
carbon_content_range    warning   a measured carbon content outside the fuel's plausible range
intensity_jump          warning   month-on-month change of CO2e per unit of output > ``jump``
intensity_outlier       warning   robust z-score (median/MAD) of CO2e per unit of output among
                                  peers (same industry or sector and output unit) > ``z_limit``
output_missing          warning   emissions but no production rows where an intensity is needed
attribute_inconsistent  warning   one facility reported under several sectors
annual_total_mismatch   error     computed total CO2e differs from a given annual figure
======================  ========  ==============================================================

Plausible ranges are the 2006 IPCC default 95 % ranges (Vol. 2 Tables 1.2 and 1.3) of the
fuel's IPCC equivalent; China's raw coal and washed coals span every coal rank, so coal items
take the union of the IPCC coal ranges (derived; see :func:`plausible_ranges`).

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"facility": ["F1", "F1"], "year": [2022, 2022], "month": [1, 1],
...     "sector": ["steel"] * 2, "activity": ["fuel_combustion"] * 2, "item": ["coke"] * 2,
...     "value": [10.0, 12.0], "unit": ["t"] * 2})
>>> check(rows)[["severity", "rule", "facility"]].values.tolist()[0]
['error', 'duplicate_rows', 'F1']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..activity import read_activity
from ..catalog import items as item_table
from ..catalog import resolve_items
from ..errors import CarbonLedgerError
from ..inventory import _library
from ..units import item_scale, parse_unit, unit_scale, ureg
from .mrv import compute

__all__ = ["check", "plausible_ranges", "FINDING_COLUMNS"]

FINDING_COLUMNS = ["severity", "rule", "facility", "rows", "message"]
_ROW_LIMIT = 1000
_INTENSITY_SECTORS = {"power", "heat_supply", "steel", "nonferrous", "building_materials",
                      "chemicals", "petroleum_refining", "pulp_paper", "coking"}
_COAL_IPCC = ("anthracite", "coking_coal", "other_bituminous_coal", "sub_bituminous_coal",
              "lignite")


def plausible_ranges(lib, item: str) -> dict:
    """``{"ncv": (low, high) in GJ/t, "carbon_content": (low, high) in t/TJ}`` of a fuel
    (entries missing when the library has no range).

    Examples
    --------
    >>> import carbonledger as cl
    >>> r = plausible_ranges(cl.load_factors(), "raw_coal")
    >>> r["ncv"][0] < 10 < 25 < r["ncv"][1]
    True
    """
    catalog = item_table()
    group = catalog["group"].get(item, "")
    fuels = _COAL_IPCC if group == "coal" and catalog["basis"].get(item) == "mass" and item in (
        "raw_coal", "cleaned_coal", "other_washed_coal", "briquettes") else (
        catalog["ipcc_fuel"].get(item, "") or item,)
    out = {}
    for parameter, unit in (("ncv", "GJ/t"), ("carbon_content", "t/TJ")):
        lows, highs = [], []
        for fuel in fuels:
            try:
                factor = lib.get(parameter, fuel, unit=unit, source="ipcc2006")
            except CarbonLedgerError:
                continue
            if np.isfinite(factor.lower) and np.isfinite(factor.upper):
                lows.append(factor.lower)
                highs.append(factor.upper)
        if lows:
            out[parameter] = (min(lows), max(highs))
    return out


def _finding(severity, rule, facility, labels, message) -> dict:
    return {"severity": severity, "rule": rule, "facility": facility,
            "rows": list(labels)[:_ROW_LIMIT], "message": message}


def check(rows, *, annual=None, factors=None, gwp: str = "AR5", grid_purpose: str = "ets",
          jump: float = 0.5, z_limit: float = 3.5, rtol: float = 0.01) -> pd.DataFrame:
    """Data-quality findings of facility rows (never raises on bad data).

    Parameters
    ----------
    rows : DataFrame or path (CSV/XLSX/Parquet) of facility rows (as for ``compute``; a
        ``month`` column enables the monthly rules).
    annual : optional DataFrame ``facility, year, total_co2e_t`` of reported annual totals.
    factors, gwp, grid_purpose : as for :func:`~carbonledger.enterprise.compute`.
    jump : month-on-month relative change of intensity that is flagged.
    z_limit : robust z-score limit of the outlier rule.
    rtol : relative tolerance of the annual-total rule.

    Returns
    -------
    DataFrame with columns ``severity, rule, facility, rows, message`` (rows: row labels).

    Examples
    --------
    >>> import pandas as pd
    >>> clean = pd.DataFrame({"facility": ["F1"] * 12, "year": [2022] * 12,
    ...     "month": range(1, 13), "sector": ["machinery"] * 12,
    ...     "activity": ["fuel_combustion"] * 12, "item": ["natural_gas"] * 12,
    ...     "value": [10.0] * 12, "unit": ["wan_m3"] * 12})
    >>> len(check(clean))
    0
    """
    lib = _library(factors)
    frame = read_activity(rows).copy()
    for column in ("facility", "sector", "activity", "item", "unit"):
        frame[column] = frame[column].astype(str)
    frame["item"] = resolve_items(frame["item"]).astype(str)
    findings: list[dict] = []
    result = compute(frame, factors=lib, gwp=gwp, grid_purpose=grid_purpose, on_error="collect",
                     monthly="month" in frame.columns)
    for reason, part in result.rejected.groupby("reason", sort=False):
        for facility, sub in part.groupby("facility", sort=True):
            findings.append(_finding("error", "unaccountable", facility, sub["row"], reason))
    findings += _duplicates(frame)
    findings += _units(frame, lib)
    if "month" in frame.columns:
        findings += _missing_months(frame)
    findings += _ranges(frame, lib)
    table = result.table
    if "month" in frame.columns and len(table):
        findings += _jumps(frame, table, jump)
    annual_table = (_annual_totals(table) if "month" in table.columns else table)
    findings += _outliers(frame, annual_table, z_limit)
    findings += _output_missing(frame, annual_table)
    findings += _attributes(frame)
    if annual is not None:
        findings += _annual(frame, annual_table, annual, rtol)
    out = pd.DataFrame(findings, columns=FINDING_COLUMNS)
    order = {"error": 0, "warning": 1}
    return out.sort_values(["severity", "rule", "facility"], key=lambda s: s.map(order)
                           if s.name == "severity" else s, kind="stable").reset_index(drop=True)


def _annual_totals(table: pd.DataFrame) -> pd.DataFrame:
    sums = table.groupby(["facility", "year"], as_index=False)[
        ["total_co2e_t", "output"]].sum(min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["intensity_co2e_t_per_unit"] = sums["total_co2e_t"] / sums["output"]
    unit = table.groupby(["facility", "year"])["output_unit"].first().reset_index()
    return sums.merge(unit, on=["facility", "year"])


def _duplicates(frame) -> list[dict]:
    keys = [c for c in ("facility", "year", "month", "activity", "item") if c in frame.columns]
    dup = frame.duplicated(keys, keep=False)
    out = []
    for facility, sub in frame[dup].groupby("facility", sort=True):
        out.append(_finding("error", "duplicate_rows", facility, sub.index,
                            f"{len(sub)} rows repeat the same {'/'.join(keys)}"))
    return out


def _units(frame, lib) -> list[dict]:
    out = []
    fuels = frame[frame["activity"] == "fuel_combustion"]
    basis = item_table()["basis"]
    energy_dim = ureg.get_dimensionality("J")
    for (item, unit), sub in fuels.groupby(["item", "unit"], sort=True):
        try:
            is_energy = ureg.get_dimensionality(parse_unit(unit)) == energy_dim
            item_scale(unit, "TJ", item, None, "calorific", lib)
        except CarbonLedgerError:
            continue  # reported as unaccountable
        if is_energy and basis.get(item, "") in ("mass", "volume"):
            for facility, rows in sub.groupby("facility", sort=True):
                out.append(_finding("warning", "unit_inconsistent", facility, rows.index,
                                    f"{item} is measured by {basis[item]} but reported in {unit}"))
    mixed = fuels.groupby(["facility", "item"])["unit"].nunique()
    for facility, item in mixed[mixed > 1].index:
        sub = fuels[(fuels["facility"] == facility) & (fuels["item"] == item)]
        out.append(_finding("warning", "unit_inconsistent", facility, sub.index,
                            f"{item} reported in several units: {sorted(sub['unit'].unique())}"))
    return out


def _missing_months(frame) -> list[dict]:
    out = []
    energy = frame[frame["activity"].isin(["fuel_combustion", "purchased_energy"])]
    months = energy.groupby(["facility", "year", "activity", "item"])["month"].agg(
        lambda m: set(pd.to_numeric(m, errors="coerce").dropna().astype(int)))
    for (facility, year, _, item), present in months.items():
        missing = sorted(set(range(1, 13)) - present)
        if missing:
            labels = energy[(energy["facility"] == facility) & (energy["year"] == year) & (
                energy["item"] == item)].index
            out.append(_finding("warning", "missing_months", facility, labels,
                                f"{item} {year}: {len(present)} of 12 months; missing "
                                f"{', '.join(map(str, missing))}"))
    return out


def _ranges(frame, lib) -> list[dict]:
    out = []
    for column, rule, unit in (("ncv", "ncv_out_of_range", "GJ/t"),
                               ("carbon_content", "carbon_content_range", "t/TJ")):
        if column not in frame.columns:
            continue
        measured = pd.to_numeric(frame[column], errors="coerce")
        has = measured.notna() & (frame["activity"] == "fuel_combustion")
        for item, sub in frame[has].groupby("item", sort=True):
            bounds = plausible_ranges(lib, item).get(column)
            if bounds is None:
                continue
            values = measured[sub.index]
            if column == "ncv" and "ncv_unit" in frame.columns:
                units = frame.loc[sub.index, "ncv_unit"].fillna("GJ/t").astype(str)
                scale = units.map(lambda u, target=unit: _safe_scale(u, target))
                values = values * scale
            outside = (values < bounds[0]) | (values > bounds[1])
            for facility, rows in sub[outside.to_numpy()].groupby("facility", sort=True):
                out.append(_finding("warning", rule, facility, rows.index,
                                    f"measured {column} of {item} outside {bounds[0]:.4g}.."
                                    f"{bounds[1]:.4g} {unit} (IPCC 2006 95 % range)"))
    return out


def _safe_scale(unit: str, target: str) -> float:
    try:
        return unit_scale(unit, target)
    except CarbonLedgerError:
        return np.nan


def _jumps(frame, table, jump) -> list[dict]:
    out = []
    monthly = table[table["output"].notna() & (table["output"] > 0)].sort_values(
        ["facility", "year", "month"])
    for facility, sub in monthly.groupby("facility", sort=True):
        series = sub["total_co2e_t"].to_numpy() / sub["output"].to_numpy()
        change = np.abs(np.diff(series)) / np.maximum(np.abs(series[:-1]), 1e-12)
        flagged = np.flatnonzero(change > jump)
        if len(flagged):
            when = [f"{int(sub['year'].iloc[i + 1])}-{int(sub['month'].iloc[i + 1]):02d}"
                    for i in flagged]
            labels = frame[(frame["facility"] == facility)].index
            out.append(_finding("warning", "intensity_jump", facility, labels,
                                f"CO2e per unit of output changes by more than {jump:.0%} "
                                f"month on month in {', '.join(when)}"))
    return out


def _peer(frame, table) -> pd.Series:
    attrs = frame.groupby("facility")[["sector"] + (["industry"] if "industry" in
                                                      frame.columns else [])].first()
    column = "industry" if "industry" in attrs.columns else "sector"
    return table["facility"].map(attrs[column]).astype(str) + "|" + table["output_unit"].astype(
        str) + "|" + table["year"].astype(str)


def _outliers(frame, table, z_limit) -> list[dict]:
    out = []
    usable = table[np.isfinite(table["intensity_co2e_t_per_unit"].astype(float))].copy()
    if usable.empty:
        return out
    usable["peer"] = _peer(frame, usable).to_numpy()
    for peer, sub in usable.groupby("peer", sort=True):
        if len(sub) < 5:
            continue
        x = sub["intensity_co2e_t_per_unit"].to_numpy(dtype="float64")
        median = np.median(x)
        mad = np.median(np.abs(x - median))
        if mad > 0:
            z = 0.6745 * (x - median) / mad
        else:  # more than half the peers equal: the mean absolute deviation (Iglewicz-Hoaglin)
            mean_ad = np.mean(np.abs(x - median))
            if mean_ad <= 0:
                continue
            z = (x - median) / (1.253314 * mean_ad)
        for position in np.flatnonzero(np.abs(z) > z_limit):
            facility = sub["facility"].iloc[position]
            labels = frame[frame["facility"] == facility].index
            out.append(_finding("warning", "intensity_outlier", facility, labels,
                                f"CO2e per unit of output {x[position]:.4g} vs peer median "
                                f"{median:.4g} (robust z {z[position]:.1f}; peers {peer})"))
    return out


def _output_missing(frame, table) -> list[dict]:
    out = []
    sector = frame.groupby("facility")["sector"].first()
    product = frame.groupby("facility")["product"].first() if "product" in frame.columns else None
    for row in table.itertuples(index=False):
        needed = sector.get(row.facility, "") in _INTENSITY_SECTORS or (
            product is not None and isinstance(product.get(row.facility), str))
        if needed and row.total_co2e_t > 0 and not (np.isfinite(row.output) and row.output > 0):
            labels = frame[(frame["facility"] == row.facility) & (frame["year"] == row.year)].index
            out.append(_finding("warning", "output_missing", row.facility, labels,
                                f"{row.year}: emissions {row.total_co2e_t:,.0f} t CO2e but no "
                                "production rows; the intensity cannot be computed"))
    return out


def _attributes(frame) -> list[dict]:
    out = []
    sectors = frame.groupby("facility")["sector"].nunique()
    for facility in sectors[sectors > 1].index:
        sub = frame[frame["facility"] == facility]
        out.append(_finding("warning", "attribute_inconsistent", facility, sub.index,
                            f"reported under several sectors: {sorted(sub['sector'].unique())}"))
    return out


def _annual(frame, table, annual, rtol) -> list[dict]:
    out = []
    given = annual.rename(columns={"co2e_t": "total_co2e_t"})
    merged = given.merge(table[["facility", "year", "total_co2e_t"]], on=["facility", "year"],
                         how="left", suffixes=("_given", ""))
    for row in merged.itertuples(index=False):
        computed = row.total_co2e_t if np.isfinite(row.total_co2e_t) else 0.0
        if abs(computed - row.total_co2e_t_given) > rtol * max(abs(row.total_co2e_t_given), 1e-9):
            labels = frame[(frame["facility"] == row.facility) & (frame["year"] == row.year)].index
            out.append(_finding("error", "annual_total_mismatch", row.facility, labels,
                                f"{row.year}: computed {computed:,.1f} t CO2e vs reported "
                                f"{row.total_co2e_t_given:,.1f} (tolerance {rtol:.0%})"))
    return out
