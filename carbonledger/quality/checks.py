"""QA/QC checks of an inventory (IPCC 2006 Vol.1 Ch.6, Table 6.1 general QC procedures, and
Vol.2 Ch.6 reference approach). Every check returns findings; none raises.

=======================  =====================================================================
check                    finds
=======================  =====================================================================
``implied_factors``      implied CO2 factors of fuel combustion (t CO2 / TJ of each fuel,
                         category and year) outside the IPCC 2006 95 % range of the fuel's
                         default (Vol.2 Table 1.4, ``co2_ef`` lower/upper in the library). Other
                         kinds equal their library factor by construction unless measured, so
                         only combustion is compared.
``jumps``                year-on-year changes of a category x gas above ``threshold`` that also
                         move the total by more than ``min_share`` of it.
``completeness``         notation keys derivable from the data: a category estimated in earlier
                         and later years but not in one (NE), estimated until / from a year (NO
                         or NE), activity rows of value 0 (NO).
``sector_sums``          category codes booked to another IPCC sector (the sector sums then
                         disagree with the sums of their categories), summary totals that differ
                         from their rows, and differences from ``reported_totals``.
``reference_approach``   reference approach CO2 (apparent consumption x carbon content x
                         oxidation, carbon of non-energy use excluded) against the sectoral CO2
                         of fuel combustion, per year.
=======================  =====================================================================

Jumps and completeness look at reporting years only (years with at least half the categories
of the fullest year; history-only years such as early landfill deposits are skipped).

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2021, 2022], "sector": ["steel"] * 2,
...     "activity": ["fuel_combustion"] * 2, "item": ["natural_gas"] * 2,
...     "value": [100.0, 300.0], "unit": ["wan_m3"] * 2})
>>> found = qa_checks(cl.compute_inventory(rows))
>>> sorted(set(found["check"]))
['jumps']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog import items as item_table
from ..engines.combustion import C_TO_CO2
from ..errors import CarbonLedgerError
from ..summaries import SECTOR_LABELS
from ..units import item_scale
from ._inputs import reporting_years

__all__ = ["qa_checks", "check_implied_factors", "check_jumps", "check_completeness",
           "check_sector_sums", "check_reference_approach", "FINDING_COLUMNS", "CHECKS"]

FINDING_COLUMNS = ["severity", "check", "category", "gas", "year", "value", "notation_key",
                   "message"]
_SEVERITY = {"error": 0, "warning": 1, "info": 2}
_FUEL_ROLES = ("fuel_combustion", "non_energy_use", "transformation_input",
               "transformation_output", "losses")


def _findings(records) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(records), columns=FINDING_COLUMNS)
    return frame.astype({"value": "float64"})


def _finding(severity, check, message, *, category=None, gas=None, year=None, value=np.nan,
             notation_key=None) -> dict:
    return {"severity": severity, "check": check, "category": category, "gas": gas,
            "year": None if year is None else int(year), "value": float(value),
            "notation_key": notation_key, "message": message}


def _table(inv) -> pd.DataFrame:
    results = inv.results
    position = results["row"].to_numpy()
    return pd.DataFrame({
        "year": inv.activity["year"].to_numpy()[position].astype(np.int64),
        "position": position,
        "activity": inv.activity["activity"].astype(object).to_numpy()[position],
        "item": inv.activity["item"].astype(object).to_numpy()[position],
        "category": results["category"].astype(object).to_numpy(),
        "gas": results["gas"].astype(object).to_numpy(),
        "ipcc_sector": results["ipcc_sector"].astype(object).to_numpy(),
        "scope": results["scope"].to_numpy(),
        "emissions_t": results["emissions_t"].to_numpy(dtype="float64"),
        "co2e_t": results["co2e_t"].to_numpy(dtype="float64"),
        "factor_id": results["factor_id"].astype(object).to_numpy(),
    })


def check_implied_factors(inv, *, tolerance: float = 0.0) -> pd.DataFrame:
    """Implied CO2 factors of fuel combustion outside the IPCC 2006 95 % range.

    One finding per category and fuel (the years flagged are named; ``year`` and ``value`` are
    those of the latest). ``tolerance`` widens the range (0.05: 5 % beyond each bound). Fuels
    without an IPCC range in the library are not compared.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["raw_coal"], "value": [10.0],
    ...     "unit": ["wan_t"], "carbon_content": [35.0]})
    >>> check_implied_factors(cl.compute_inventory(rows))["value"].round(-2).tolist()
    [120600.0]
    """
    table = _table(inv)
    mask = ((table["activity"] == "fuel_combustion") & (table["gas"] == "CO2")
            & (table["scope"] == 1)).to_numpy()
    if not mask.any() or inv.energy.empty:
        return _findings([])
    sub = table[mask]
    labels = inv.activity.index.to_numpy()[sub["position"].to_numpy()]
    energy_tj = inv.energy["energy_tj"].reindex(labels).to_numpy(dtype="float64")
    sub = sub.assign(energy_tj=energy_tj,
                     measured=sub["factor_id"].str.contains("measured:", regex=False))
    sums = sub.groupby(["year", "category", "item"]).agg(
        co2_t=("emissions_t", "sum"), energy_tj=("energy_tj", "sum"),
        measured=("measured", "any"))
    catalog = item_table()
    ranges: dict[str, tuple[float, float, str] | None] = {}
    outside = []
    for (year, category, item), row in sums.iterrows():
        if item not in ranges:
            fuel = catalog["ipcc_fuel"].get(item, "") or item
            try:
                f = inv.factors.get("ef", fuel, unit="kg/TJ", gas="CO2", table="co2_ef")
                ranges[item] = (f.lower, f.upper, f.factor_id) if np.isfinite(
                    f.lower) and np.isfinite(f.upper) else None
            except CarbonLedgerError:
                ranges[item] = None
        bounds = ranges[item]
        if bounds is None or not row["energy_tj"] > 0:
            continue
        ief = row["co2_t"] * 1000.0 / row["energy_tj"]
        if ief < bounds[0] * (1 - tolerance) or ief > bounds[1] * (1 + tolerance):
            outside.append((category, item, year, ief, bool(row["measured"])))
    records = []
    flagged = pd.DataFrame(outside, columns=["category", "item", "year", "ief", "measured"])
    for (category, item), block in flagged.groupby(["category", "item"], sort=True):
        low, high, fid = ranges[item]
        last = block.sort_values("year").iloc[-1]
        years = block["year"].astype(int)
        span = (f"{years.min()}-{years.max()}, {len(years)} years" if len(years) > 1
                else f"{years.min()}")
        source = ("measured carbon content/oxidation" if block["measured"].any()
                  else "its factors")
        records.append(_finding(
            "warning", "implied_factors",
            f"implied CO2 factor {last['ief']:,.0f} kg/TJ of {item} in {category} ({span}; from "
            f"{source}) is outside the IPCC 2006 range {low:,.0f}-{high:,.0f} kg/TJ ({fid})",
            category=category, gas="CO2", year=last["year"], value=last["ief"]))
    return _findings(records)


def check_jumps(inv, *, threshold: float = 0.3, min_share: float = 0.001) -> pd.DataFrame:
    """Year-on-year changes of a category x gas above ``threshold`` (a fraction) that move the
    year's absolute total by at least ``min_share`` of it.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2021, 2022], "sector": ["steel"] * 2,
    ...     "activity": ["fuel_combustion"] * 2, "item": ["natural_gas"] * 2,
    ...     "value": [100.0, 110.0], "unit": ["wan_m3"] * 2})
    >>> check_jumps(cl.compute_inventory(rows)).empty
    True
    """
    table = _table(inv)
    table = table[table["year"].isin(reporting_years(table))]
    sums = table.groupby(["category", "gas", "year"])["co2e_t"].sum().reset_index()
    scale = table.assign(a=table["co2e_t"].abs()).groupby("year")["a"].sum()
    sums = sums.sort_values(["category", "gas", "year"])
    previous = sums.groupby(["category", "gas"])["co2e_t"].shift()
    previous_year = sums.groupby(["category", "gas"])["year"].shift()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (sums["co2e_t"] - previous) / previous.abs()
    step = (sums["co2e_t"] - previous).abs()
    flagged = (change.abs() > threshold) & (step >= min_share * sums["year"].map(scale)) & (
        previous != 0)
    records = [
        _finding("warning", "jumps",
                 f"{row.category} {row.gas}: {row.co2e_t:,.0f} t CO2e in {row.year} is "
                 f"{100 * ch:+.1f} % on {int(py)} ({prev:,.0f}); explain the change or check "
                 "the activity data", category=row.category, gas=row.gas, year=row.year,
                 value=100 * ch)
        for row, ch, prev, py in zip(sums[flagged].itertuples(index=False), change[flagged],
                                     previous[flagged], previous_year[flagged], strict=True)]
    return _findings(records)


def check_completeness(inv) -> pd.DataFrame:
    """Notation keys derivable from the data (NE, NO) for categories missing in some years.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020, 2021, 2022, 2020, 2022], "sector": ["steel"] * 5,
    ...     "activity": ["fuel_combustion"] * 3 + ["clinker_production"] * 2,
    ...     "item": ["natural_gas"] * 3 + ["clinker"] * 2, "value": [1.0] * 5,
    ...     "unit": ["wan_m3"] * 3 + ["wan_t"] * 2})
    >>> found = check_completeness(cl.compute_inventory(rows))
    >>> found[["category", "year", "notation_key"]].values.tolist()
    [['2.A.1', 2021, 'NE']]
    """
    table = _table(inv)
    years = reporting_years(table)
    table = table[table["year"].isin(years)]
    records = []
    present = table.groupby(["category", "gas"])["year"].unique()
    for (category, gas), seen in present.items():
        seen = np.sort(seen.astype(np.int64))
        for year in np.setdiff1d(years, seen):
            if seen.min() < year < seen.max():
                records.append(_finding(
                    "warning", "completeness",
                    f"{category} {gas} is estimated in {seen.min()} and {seen.max()} but not in "
                    f"{year}: estimate it, or report NE/NO/IE with the reason",
                    category=category, gas=gas, year=year, notation_key="NE"))
            else:
                edge = "last" if year > seen.max() else "first"
                records.append(_finding(
                    "info", "completeness",
                    f"{category} {gas} is {edge} estimated in "
                    f"{seen.max() if edge == 'last' else seen.min()}; report {year} as NO (not "
                    "occurring) or NE (not estimated)", category=category, gas=gas, year=year,
                    notation_key="NO/NE"))
    zero = (inv.activity["value"].to_numpy(dtype="float64") == 0)
    if zero.any():
        rows = table[zero[table["position"].to_numpy()]].drop_duplicates(
            ["category", "gas", "year"])
        records.extend(_finding("info", "completeness",
                                f"{r.category} {r.gas} has activity rows of value 0 in {r.year}: "
                                "report NO (not occurring)", category=r.category, gas=r.gas,
                                year=r.year, notation_key="NO")
                       for r in rows.itertuples(index=False))
    return _findings(records)


def _sector_of_code(code: str) -> str | None:
    text = str(code)
    if text.startswith("scope2"):
        return None
    head = text.split(".")[0]
    if head == "1":
        return "energy"
    if head == "2":
        return "ippu"
    if head == "3":
        return "lulucf" if text.startswith(("3.B", "3.D")) else "agriculture"
    if head == "4":
        return "waste"
    return None


def check_sector_sums(inv, *, reported_totals=None, tolerance: float = 0.001) -> pd.DataFrame:
    """Sector sums against the sums of their categories and against reported totals.

    Parameters
    ----------
    reported_totals : optional totals to compare (t CO2e, scope 1 incl. LULUCF): a Series
        indexed by year, or by (year, ipcc_sector).
    tolerance : relative difference accepted against ``reported_totals``.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [100.0],
    ...     "unit": ["wan_m3"]})
    >>> inv = cl.compute_inventory(rows)
    >>> check_sector_sums(inv).empty
    True
    >>> check_sector_sums(inv, reported_totals=pd.Series({2022: 3000.0}))["check"].tolist()
    ['sector_sums']
    """
    table = _table(inv)
    direct = table[table["scope"] == 1]
    records = []
    mapping = {c: _sector_of_code(c) for c in pd.unique(direct["category"])}
    coded = direct["category"].map(mapping)
    wrong = coded.notna() & (coded != direct["ipcc_sector"])
    if wrong.any():
        by_sector = direct.groupby(["year", "ipcc_sector"])["co2e_t"].sum()
        by_code = direct.assign(coded=coded).groupby(["year", "coded"])["co2e_t"].sum()
        for (year, category, sector), rows in direct[wrong].groupby(
                ["year", "category", "ipcc_sector"]):
            proper = mapping[category]
            records.append(_finding(
                "error", "sector_sums",
                f"{category} ({rows['co2e_t'].sum():,.0f} t CO2e in {year}) is booked to "
                f"{sector}, its code belongs to {proper}: the {sector} sum "
                f"{by_sector.get((year, sector), 0.0):,.0f} t disagrees with the sum of its "
                f"categories {by_code.get((year, sector), 0.0):,.0f} t",
                category=category, year=year, value=rows["co2e_t"].sum()))
    summary = inv.provincial_summary()
    labels = list(SECTOR_LABELS.values())
    for year, block in summary.groupby(level="year"):
        block = block.droplevel("year")["total_co2e"]
        sectors = block.reindex(labels).fillna(0.0)
        land = sectors[SECTOR_LABELS["lulucf"]]
        totals = {label: block[[r for r in block.index if r.startswith(prefix)]].sum()
                  for label, prefix in (("excluding LULUCF", "Total excluding"),
                                        ("including LULUCF", "Total including"))}
        pairs = ((totals["excluding LULUCF"], sectors.sum() - land, "excluding LULUCF"),
                 (totals["including LULUCF"], sectors.sum(), "including LULUCF"))
        for total, parts, label in pairs:
            if not np.isclose(total, parts, rtol=1e-9, atol=1e-6):
                records.append(_finding(
                    "error", "sector_sums", f"total {label} {total:,.0f} t CO2e in {year} is not "
                    f"the sum of its sector rows {parts:,.0f} t", year=year, value=total - parts))
    if reported_totals is not None:
        reported = pd.Series(reported_totals, dtype="float64")
        if reported.index.nlevels == 2:
            ours = direct.groupby(["year", "ipcc_sector"])["co2e_t"].sum()
        else:
            ours = direct.groupby("year")["co2e_t"].sum()
        for key, value in reported.items():
            mine = float(ours.get(key, 0.0))
            if not np.isclose(mine, value, rtol=tolerance, atol=0.0):
                year = key[0] if isinstance(key, tuple) else key
                where = f" {key[1]}" if isinstance(key, tuple) else ""
                records.append(_finding(
                    "error", "sector_sums",
                    f"reported{where} total {value:,.0f} t CO2e for {year} differs from the "
                    f"inventory's sum {mine:,.0f} t ({100 * (mine - value) / abs(value):+.2f} %)",
                    year=year, value=mine - value))
    return _findings(records)


def _carbon_per_tj(lib, item: str) -> tuple[float, float] | None:
    """(t C per TJ, oxidation) of a fuel: the library's carbon content and oxidation, else the
    IPCC default CO2 factor as carbon with oxidation 1."""
    try:
        carbon = lib.get("carbon_content", item, unit="t/TJ").value
    except CarbonLedgerError:
        fuel = item_table()["ipcc_fuel"].get(item, "") or item
        try:
            ef = lib.get("ef", fuel, unit="kg/TJ", gas="CO2", table="co2_ef").value
        except CarbonLedgerError:
            return None
        return ef / 1000.0 / C_TO_CO2, 1.0
    try:
        oxidation = lib.get("oxidation", item, unit="1").value
    except CarbonLedgerError:
        oxidation = 1.0
    return carbon, oxidation


def check_reference_approach(inv, *, supply=None, year=None, tolerance: float = 0.05
                             ) -> pd.DataFrame:
    """Reference approach CO2 against the sectoral CO2 of fuel combustion (Vol.2 Ch.6).

    Parameters
    ----------
    supply : apparent consumption of one year, as returned by
        :func:`carbonledger.apparent_consumption` (index ``item``, columns
        ``apparent_consumption`` and ``unit``); needs ``year``. Without it the apparent
        consumption of each fuel is taken from the inventory's own energy rows: burned +
        non-energy use + transformation input - transformation output + losses (a simplified
        reference approach: it checks the carbon balance of transformation and the factors, not
        the supply statistics).
    year : the year of ``supply``.
    tolerance : relative difference accepted (0.05; differences of a few per cent are normal
        between the two approaches, larger ones should be explained).

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["raw_coal"], "value": [10.0],
    ...     "unit": ["wan_t"]})
    >>> inv = cl.compute_inventory(rows)
    >>> check_reference_approach(inv).empty
    True
    >>> supply = pd.DataFrame({"apparent_consumption": [12.0], "unit": ["wan_t"]},
    ...                       index=pd.Index(["raw_coal"], name="item"))
    >>> round(float(check_reference_approach(inv, supply=supply, year=2022)["value"].iloc[0]), 1)
    20.0
    """
    table = _table(inv)
    sectoral = table[(table["activity"] == "fuel_combustion") & (table["gas"] == "CO2")
                     & (table["scope"] == 1)].groupby("year")["emissions_t"].sum()
    energy = inv.energy
    if energy.empty:
        return _findings([])
    roles = energy["activity"].astype(object)
    fuels = energy[roles.isin(_FUEL_ROLES).to_numpy() & energy["fossil"].to_numpy()]
    fuels = fuels.assign(year=fuels["year"].astype(np.int64), item=fuels["item"].astype(object),
                         signed_tj=fuels["energy_tj"] * fuels["sign"],
                         feedstock_tj=np.where(fuels["activity"].astype(object)
                                               == "non_energy_use", fuels["energy_tj"], 0.0))
    per_item = fuels.groupby(["year", "item"])[["signed_tj", "feedstock_tj"]].sum()
    if supply is not None:
        if year is None:
            raise ValueError("supply= needs year=")
        records = []
        for item, row in supply.iterrows():
            try:
                tj = float(row["apparent_consumption"]) * item_scale(
                    str(row["unit"]), "TJ", str(item), None, "calorific", inv.factors)
            except CarbonLedgerError:
                continue
            feedstock = per_item["feedstock_tj"].get((int(year), item), 0.0)
            records.append({"year": int(year), "item": item, "signed_tj": tj,
                            "feedstock_tj": feedstock})
        per_item = pd.DataFrame(records, columns=["year", "item", "signed_tj", "feedstock_tj"]
                                ).set_index(["year", "item"])
    carbon = {item: _carbon_per_tj(inv.factors, item)
              for item in pd.unique(per_item.index.get_level_values("item"))}
    skipped = sorted(item for item, c in carbon.items() if c is None)
    per_item = per_item[[carbon[i] is not None for i in per_item.index.get_level_values("item")]]
    factor = np.array([carbon[i][0] * carbon[i][1] * C_TO_CO2
                       for i in per_item.index.get_level_values("item")], dtype="float64")
    reference = ((per_item["signed_tj"] - per_item["feedstock_tj"]) * factor).groupby(
        level="year").sum()
    records = []
    for y, ref in reference.items():
        sect = float(sectoral.get(y, 0.0))
        if sect == 0 and ref == 0:
            continue
        difference = (ref - sect) / abs(sect) if sect else np.inf
        if abs(difference) > tolerance:
            records.append(_finding(
                "warning", "reference_approach",
                f"reference approach {ref:,.0f} t CO2 vs sectoral approach {sect:,.0f} t CO2 of "
                f"fuel combustion in {y} ({100 * difference:+.1f} %): check the supply "
                "statistics, transformation losses and carbon of non-energy use"
                + (f" (no carbon content for {skipped})" if skipped else ""),
                category="1.A", gas="CO2", year=y, value=100 * difference))
    return _findings(records)


#: The checks run by :func:`qa_checks`, by name.
CHECKS = {
    "implied_factors": check_implied_factors,
    "jumps": check_jumps,
    "completeness": check_completeness,
    "sector_sums": check_sector_sums,
    "reference_approach": check_reference_approach,
}


def qa_checks(inv, *, checks=None, jump_threshold: float = 0.3, jump_min_share: float = 0.001,
              ief_tolerance: float = 0.0, reported_totals=None, total_tolerance: float = 0.001,
              supply=None, supply_year=None, reference_tolerance: float = 0.05) -> pd.DataFrame:
    """Run the QA/QC checks and return every finding (never raises).

    Parameters
    ----------
    inv : an :class:`~carbonledger.Inventory`.
    checks : names of :data:`CHECKS` to run (default all).
    jump_threshold, jump_min_share : see :func:`check_jumps`.
    ief_tolerance : see :func:`check_implied_factors`.
    reported_totals, total_tolerance : see :func:`check_sector_sums`.
    supply, supply_year, reference_tolerance : see :func:`check_reference_approach`.

    Returns
    -------
    DataFrame with ``severity`` (``error``, ``warning``, ``info``), ``check``, ``category``,
    ``gas``, ``year``, ``value``, ``notation_key`` and ``message``; empty when nothing is found.
    A check that cannot run is reported as an ``error`` finding of that check.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [100.0],
    ...     "unit": ["wan_m3"]})
    >>> qa_checks(cl.compute_inventory(rows)).empty
    True
    """
    options = {
        "implied_factors": {"tolerance": ief_tolerance},
        "jumps": {"threshold": jump_threshold, "min_share": jump_min_share},
        "completeness": {},
        "sector_sums": {"reported_totals": reported_totals, "tolerance": total_tolerance},
        "reference_approach": {"supply": supply, "year": supply_year,
                               "tolerance": reference_tolerance},
    }
    names = list(CHECKS) if checks is None else [checks] if isinstance(checks, str) else list(
        checks)
    frames = []
    for name in names:
        if name not in CHECKS:
            frames.append(_findings([_finding("error", str(name),
                                              f"unknown check {name!r}; checks: {list(CHECKS)}")]))
            continue
        try:
            frames.append(CHECKS[name](inv, **options[name]))
        except Exception as exc:  # noqa: BLE001 - a failing check is itself a finding
            frames.append(_findings([_finding("error", name,
                                              f"the check could not run: {type(exc).__name__}: "
                                              f"{exc}")]))
    frames = [f for f in frames if len(f)]
    if not frames:
        return _findings([])
    found = pd.concat(frames, ignore_index=True)
    order = found["severity"].map(_SEVERITY)
    return found.assign(_order=order).sort_values(
        ["_order", "check", "year", "category"], kind="stable", na_position="first").drop(
        columns="_order").reset_index(drop=True)
