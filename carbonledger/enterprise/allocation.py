"""Allowances and the allowance position: :func:`allocate`.

Power (benchmark method of the national ETS allocation plans, by unit class)::

    allowance = supply benchmark x power supplied x F_cooling x F_heat x F_load
                + heat benchmark x heat supplied
    F_heat = 1 - c x heat supply ratio            (c = 0.22 coal, 0.6 gas)
    F_load = 1                                      F >= 0.85   (conventional coal only)
           = 1 + 0.0014 x (85 - 100 F)              0.80 <= F < 0.85
           = 1.007 + 0.0016 x (80 - 100 F)          0.75 <= F < 0.80
           = 1.015 ** (16 - 20 F)                   F < 0.75

Cement clinker, electrolytic aluminium, crude steel (intensity method)::

    allowance = output x intensity x adjustment

with the intensity a published benchmark when the caller gives one, else the facility's own
base-year intensity. Benchmarks, corrections and adjustments are factor data
(``factors/ets_allocation/<plan>/``); see the sidecars for what was verified.

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"facility": ["P1"], "unit_class": ["coal_300mw_plus"],
...     "power_supplied_mwh": [1.0e6], "heat_supplied_gj": [0.0]})
>>> out = allocate(units, year=2022, emissions=pd.DataFrame({"facility": ["P1"],
...     "year": [2022], "total_co2e_t": [800_000.0]}))
>>> round(float(out["allowance_t"].iloc[0])), round(float(out["surplus_t"].iloc[0]))
(817700, 17700)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError, MissingFactorError
from ..inventory import _library

__all__ = ["allocate", "plan_for_year", "load_correction"]

_PLANS = {2019: "2019-2020", 2020: "2019-2020", 2021: "2021-2022", 2022: "2021-2022",
          2023: "2023-2024", 2024: "2023-2024"}
_COAL_CONVENTIONAL = ("coal_300mw_plus", "coal_300mw_and_below")


def plan_for_year(year: int) -> str:
    """The allocation plan edition covering ``year``.

    Examples
    --------
    >>> plan_for_year(2022)
    '2021-2022'
    """
    try:
        return _PLANS[int(year)]
    except KeyError as exc:
        raise MissingFactorError(f"no national allocation plan is shipped for {year}",
                                 fix=f"use a year of {sorted(_PLANS)} or pass edition=") from exc


def load_correction(load_factor, *, high=0.85, slope_high=0.0014, mid=0.80,
                    intercept_mid=1.007, slope_mid=0.0016, low=0.75, base_low=1.015):
    """Load (output) factor correction of conventional coal units (piecewise, see module).

    Examples
    --------
    >>> load_correction([0.9, 0.82, 0.78, 0.7]).round(4).tolist()
    [1.0, 1.0042, 1.0102, 1.0302]
    """
    f = np.asarray(load_factor, dtype="float64")
    pct = 100.0 * f
    return np.select([f >= high, f >= mid, f >= low],
                     [np.ones_like(f), 1 + slope_high * (100 * high - pct),
                      intercept_mid + slope_mid * (100 * mid - pct)],
                     np.power(base_low, 16 - 20 * f))


def _get(lib, parameter, item, source, **keys):
    return lib.get(parameter, item, source=source, **keys)


def _verified(emissions, facilities: pd.Series, year: int, include_indirect: bool) -> np.ndarray:
    if emissions is None:
        return np.full(len(facilities), np.nan)
    table = getattr(emissions, "table", emissions)
    table = table[table["year"] == year] if "year" in table.columns else table
    if "total_co2e_t" in table.columns and include_indirect:
        column = table["total_co2e_t"]
    elif "direct_co2e_t" in table.columns:
        column = table["direct_co2e_t"] + (table.get("indirect_co2e_t", 0.0)
                                           if include_indirect else 0.0)
    else:
        column = table["total_co2e_t"]
    sums = column.groupby(table["facility"]).sum()
    return facilities.map(sums).to_numpy(dtype="float64")


def allocate(units: pd.DataFrame, *, year: int, emissions=None, edition: str | None = None,
             factors=None, include_indirect: bool = True) -> pd.DataFrame:
    """Allowance, verified emissions and surplus (+) or deficit (-) per facility.

    Parameters
    ----------
    units : power units (``facility, unit_class, power_supplied_mwh, heat_supplied_gj``,
        optional ``cooling`` = water_cooled/air_cooled, ``heat_supply_ratio``, ``load_factor``)
        and/or industrial plants (``facility, product, output_t`` with ``base_intensity`` or
        ``intensity_benchmark`` in t CO2 per t of product). A ``verified_co2_t`` column
        overrides ``emissions``.
    year : compliance year (selects the benchmark of that year).
    emissions : an :class:`~carbonledger.enterprise.EnterpriseResult` or a table with
        ``facility, year, total_co2e_t`` (or ``direct_co2e_t``/``indirect_co2e_t``).
    edition : allocation plan edition (default: the plan covering ``year``).
    include_indirect : count purchased-electricity emissions as covered (the 2021-2022 plan
        covers direct and purchased-electricity emissions).

    Returns
    -------
    DataFrame per facility: ``allowance_t, verified_co2_t, surplus_t, position, method,
    factor_id``.

    Raises
    ------
    MissingFactorError
        A benchmark the plan edition does not ship (e.g. heat benchmarks of 2023-2024).
    ActivityDataError
        Rows neither power units nor intensity plants (named).
    """
    lib = _library(factors)
    source = f"ets_allocation/{edition or plan_for_year(year)}"
    frame = units.reset_index(drop=True).copy()
    is_power = frame["unit_class"].notna().to_numpy() if "unit_class" in frame.columns else (
        np.zeros(len(frame), dtype=bool))
    is_industry = (frame["product"].notna().to_numpy() if "product" in frame.columns
                   else np.zeros(len(frame), dtype=bool)) & ~is_power
    neither = ~is_power & ~is_industry
    if neither.any():
        raise ActivityDataError("rows are neither power units (unit_class) nor plants (product)",
                                rows=frame.index[neither].tolist(),
                                fix="give unit_class for power units or product for plants")
    allowance = np.zeros(len(frame))
    ids = np.full(len(frame), "", dtype=object)
    method = np.where(is_power, "power_benchmark", "intensity")
    for position in np.flatnonzero(is_power):
        row = frame.iloc[position]
        cls = row["unit_class"]
        group = "gas" if cls == "gas" else "coal"
        supply = _get(lib, "supply_benchmark", cls, source, year=year)
        power = float(row.get("power_supplied_mwh", 0.0) or 0.0)
        heat = float(row.get("heat_supplied_gj", 0.0) or 0.0)
        used = [supply.factor_id]
        cooling = str(row.get("cooling", "water_cooled") or "water_cooled")
        f_cool = _get(lib, "cooling_correction", cooling, source, unit_group=group)
        ratio = row.get("heat_supply_ratio", np.nan)
        if not np.isfinite(ratio):
            ratio = heat / (heat + power * 3.6) if (heat + power) > 0 else 0.0
        coef = _get(lib, "heat_ratio_coefficient", "heat_supply_ratio", source, unit_group=group)
        f_heat = 1.0 - coef.value * ratio
        f_load = 1.0
        load = row.get("load_factor", np.nan)
        if cls in _COAL_CONVENTIONAL and np.isfinite(load):
            params = {name: _get(lib, f"load_{name}", "load_factor", source,
                                 unit_group="coal").value
                      for name in ("threshold_high", "slope_high", "threshold_mid",
                                   "intercept_mid", "slope_mid", "threshold_low", "base_low")}
            f_load = float(load_correction(load, high=params["threshold_high"],
                                           slope_high=params["slope_high"],
                                           mid=params["threshold_mid"],
                                           intercept_mid=params["intercept_mid"],
                                           slope_mid=params["slope_mid"],
                                           low=params["threshold_low"],
                                           base_low=params["base_low"]))
        value = supply.value * power * f_cool.value * f_heat * f_load
        used += [f_cool.factor_id, coef.factor_id]
        if heat > 0:
            heat_bm = _get(lib, "heat_benchmark", cls, source, year=year)
            value += heat_bm.value * heat
            used.append(heat_bm.factor_id)
        allowance[position] = value
        ids[position] = "+".join(used)
    verified_all = _verified(emissions, frame["facility"], year, include_indirect)
    for position in np.flatnonzero(is_industry):
        row = frame.iloc[position]
        intensity = row.get("intensity_benchmark", np.nan)
        label = "given:intensity_benchmark"
        if not np.isfinite(intensity):
            intensity = row.get("base_intensity", np.nan)
            label = "facility:base_intensity"
        if not np.isfinite(intensity):
            raise ActivityDataError("intensity plants need intensity_benchmark or "
                                    "base_intensity (t CO2 per t of product)", rows=[position],
                                    fix="give the facility's base-year intensity")
        adjust = _get(lib, "intensity_adjustment", row["product"], "ets_allocation")
        allowance[position] = float(row["output_t"]) * intensity * adjust.value
        ids[position] = f"{label}+{adjust.factor_id}"
    verified = (frame["verified_co2_t"].to_numpy(dtype="float64")
                if "verified_co2_t" in frame.columns else np.full(len(frame), np.nan))
    per_row = pd.DataFrame({"facility": frame["facility"], "allowance_t": allowance,
                            "method": method, "factor_id": ids, "verified_row": verified,
                            "verified_table": verified_all})
    grouped = per_row.groupby("facility", sort=True)
    out = pd.DataFrame({
        "allowance_t": grouped["allowance_t"].sum(),
        "method": grouped["method"].agg(lambda s: "+".join(sorted(set(s)))),
        "factor_id": grouped["factor_id"].agg(lambda s: "+".join(dict.fromkeys(
            "+".join(s).split("+")))),
    })
    given = grouped["verified_row"].sum(min_count=1)
    table = grouped["verified_table"].first()
    out["verified_co2_t"] = given.where(given.notna(), table)
    out["surplus_t"] = out["allowance_t"] - out["verified_co2_t"]
    out["position"] = np.where(out["surplus_t"].isna(), "unknown",
                               np.where(out["surplus_t"] >= 0, "surplus", "deficit"))
    out["year"] = year
    return out.reset_index()[["facility", "year", "method", "allowance_t", "verified_co2_t",
                              "surplus_t", "position", "factor_id"]]
