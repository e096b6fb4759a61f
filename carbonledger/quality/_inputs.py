"""Inputs shared by the quality functions: result rows with their activity keys, the split of
``factor_id`` into factor parts, the 95 % uncertainty of each part and of each activity row,
and the pooling of result rows into groups that carry one activity error and one set of factors.

Uncertainties are 95 % half-widths relative to the value (a fraction: 0.05 is +-5 %), the
convention of IPCC 2006 Vol.1 Ch.3 (Section 3.1.3; Eq. 3.1 and 3.2 combine such half-widths).

Examples
--------
>>> split_factor_id("a:t:x|ef + b:t:y|ox; measured:ncv").tolist()
['a:t:x|ef', 'b:t:y|ox', 'measured:ncv']
"""

from __future__ import annotations

import re
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..grouping import factorize_columns
from ..kinds import get_kind

__all__ = ["ACTIVITY_UNCERTAINTY_DEFAULTS", "FACTOR_UNCERTAINTY_DEFAULTS", "split_factor_id",
           "result_rows", "factor_uncertainty", "activity_uncertainty", "pooled_groups",
           "Z95", "GROUP_KEYS", "reporting_years"]

#: Normal quantile of a two-sided 95 % interval: a 95 % half-width U is 1.96 standard deviations.
Z95 = 1.959963984540054

#: Columns a result group can be summarised by (all are fixed within one pooled group).
GROUP_KEYS = ("category", "gas", "ipcc_sector", "sector", "activity", "item")

_SPLIT = re.compile(r"\s*[+;]\s*")

#: Default activity-data uncertainty (95 % half-width as a fraction) by activity kind or IPCC
#: sector, with its basis. A row's own ``activity_uncertainty`` column and the caller's
#: ``activity_uncertainty=`` dict take precedence (kind before sector).
ACTIVITY_UNCERTAINTY_DEFAULTS = MappingProxyType({
    "energy": (0.05, "IPCC 2006 Vol.2 Ch.2 Sec. 2.4.2.2 (fuel statistics of energy balances: "
               "+-5 % when the statistics office gives no range)"),
    "purchased_energy": (0.02, "assumption: metered electricity/heat purchases"),
    "electricity_import": (0.05, "assumption: as energy statistics"),
    "electricity_export": (0.05, "assumption: as energy statistics"),
    "ippu": (0.05, "assumption: plant production records (IPCC 2006 Vol.3 treats plant-level "
             "production data as a few per cent)"),
    "agriculture": (0.20, "assumption: livestock numbers, fertiliser and crop statistics "
                    "(order of IPCC 2006 Vol.4 Ch.10 Sec. 10.2.3 guidance on populations)"),
    "lulucf": (0.30, "assumption: land areas and stock volumes of land-use statistics"),
    "waste": (0.30, "assumption: waste quantities and wastewater loads of municipal "
              "statistics (IPCC 2006 Vol.5 Ch.3 Sec. 3.7 treats poorly recorded waste data "
              "as tens of per cent)"),
    "*": (0.10, "assumption: any other kind"),
})

#: Default factor uncertainty (95 % half-width as a fraction) by parameter, for factor rows
#: without ``lower``/``upper`` in the library, for ``measured:`` values and for ids not in the
#: library. ``table:parameter`` keys take precedence over ``parameter`` keys.
FACTOR_UNCERTAINTY_DEFAULTS = MappingProxyType({
    "carbon_content": (0.05, "assumption: the IPCC 2006 Vol.2 Table 1.3 95 % ranges of the main "
                       "fossil fuels (other bituminous coal 24.4-27.2 t C/TJ, +-5.4 %; natural "
                       "gas 14.8-15.9, +-3.6 %)"),
    "oxidation": (0.02, "assumption: oxidation rates of 0.93-0.99 leave a few per cent"),
    "ncv": (0.05, "assumption: the IPCC 2006 Vol.2 Table 1.2 ranges of coal and oil products"),
    "grid_ef": (0.05, "assumption: published grid factors are computed from energy statistics"),
    "heat_ef": (0.10, "assumption"),
    "coal_equivalent": (0.05, "assumption"),
    "ef": (0.10, "assumption: default process / combustion factor without a published range"),
    "ef_enteric_ch4": (0.50, "IPCC 2006 Vol.4 Ch.10 Sec. 10.3.4: Tier 1 enteric factors are "
                       "uncertain by +-30-50 % (upper end taken)"),
    "ef_manure_ch4": (0.30, "assumption after IPCC 2006 Vol.4 Ch.10 Sec. 10.4.4 (Tier 1 manure "
                      "CH4 factors, tens of per cent)"),
    "ef3": (1.00, "assumption: manure N2O factors are ranges of a factor of two (IPCC 2006 "
            "Vol.4 Table 10.21, -50 %/+100 %; larger side taken)"),
    "frac_gas_ms": (0.50, "assumption"),
    "n_rate": (0.50, "assumption: N excretion rates (IPCC 2006 Vol.4 Table 10.19 defaults)"),
    "typical_animal_mass": (0.30, "assumption"),
    "soc_ref": (0.50, "assumption: reference soil carbon stocks (IPCC 2006 Vol.4 Table 2.3 "
                "gives wide nominal errors)"),
    "f_lu": (0.10, "assumption: stock change factors (IPCC 2006 Vol.4 Table 5.5 errors of "
             "5-15 %)"),
    "f_mg": (0.10, "assumption: as f_lu"),
    "f_i": (0.10, "assumption: as f_lu"),
    "transition_years": (0.0, "convention (20 years), not a measured quantity"),
    "biomass_dm": (0.75, "assumption: the IPCC ranges of land_biomass rows are +-70-170 %"),
    "biomass_c": (0.75, "assumption: as biomass_dm"),
    "carbon_fraction": (0.10, "assumption"),
    "doc": (0.20, "assumption: degradable organic carbon (IPCC 2006 Vol.5 Ch.3 Sec. 3.7.1)"),
    "docf": (0.20, "assumption: as doc"),
    "mcf": (0.30, "assumption: methane correction factors of unmanaged sites"),
    "ch4_fraction": (0.05, "assumption: CH4 fraction of landfill gas"),
    "oxidation_factor": (0.10, "assumption"),
    "measured": (0.05, "assumption: plant-specific measured parameter (Tier 2/3)"),
    "unlisted": (0.50, "assumption: factor id not in the factor library"),
    "*": (0.50, "assumption: any other parameter without a published range"),
})

_MARKER_PREFIXES = ("stock_difference:",)


def split_factor_id(factor_id) -> np.ndarray:
    """The factor parts of one ``factor_id`` (joined by ``+``, `` + `` or ``; `` by engines).

    Examples
    --------
    >>> split_factor_id("x:t:a|ef").tolist()
    ['x:t:a|ef']
    """
    if factor_id is None or (isinstance(factor_id, float) and np.isnan(factor_id)):
        return np.array([], dtype=object)
    parts = [p for p in _SPLIT.split(str(factor_id).strip()) if p]
    return np.array(list(dict.fromkeys(parts)), dtype=object)


def result_rows(inv, *, scope=1, include_lulucf: bool = True, years=None) -> pd.DataFrame:
    """The Inventory's result rows with ``year, sector, activity, item, position`` (the row's
    position in ``inv.activity``), ``category, gas, ipcc_sector, co2e_t, emissions_t,
    factor_id``; biogenic CO2 (a memo item) is left out.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> frame = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [10.0],
    ...     "unit": ["wan_m3"]})
    >>> result_rows(cl.compute_inventory(frame))["gas"].tolist()
    ['CO2', 'CH4', 'N2O']
    """
    results = inv.results
    position = results["row"].to_numpy()
    keep = np.array(results["gas"].astype(object) != "CO2_biogenic", dtype=bool)
    if scope is not None:
        keep &= np.isin(results["scope"].to_numpy(), np.atleast_1d(scope))
    if not include_lulucf:
        keep &= (results["ipcc_sector"].astype(object) != "lulucf").to_numpy()
    year = inv.activity["year"].to_numpy()[position].astype(np.int64)
    if years is not None:
        keep &= np.isin(year, np.atleast_1d(years))
    data = {"year": year}
    for name in ("sector", "activity", "item"):
        column = inv.activity[name]
        data[name] = column.astype(object).to_numpy()[position]
    data["position"] = position
    for name in ("category", "gas", "ipcc_sector", "factor_id"):
        data[name] = results[name].astype(object).to_numpy()
    data["co2e_t"] = results["co2e_t"].to_numpy(dtype="float64")
    data["emissions_t"] = results["emissions_t"].to_numpy(dtype="float64")
    frame = pd.DataFrame(data)
    return frame.loc[keep].reset_index(drop=True)


def reporting_years(rows: pd.DataFrame) -> np.ndarray:
    """Years that hold at least half as many (category, gas) as the fullest year.

    Years carrying only history rows (landfill deposits before the first inventory year, kept
    for the first-order decay) are left out of default base years, jumps and completeness.

    Examples
    --------
    >>> frame = pd.DataFrame({"year": [2000] + [2020] * 3 + [2021] * 3,
    ...                       "category": ["4.A.1"] + ["4.A.1", "1.A.1", "2.A.1"] * 2,
    ...                       "gas": ["CH4"] + ["CH4", "CO2", "CO2"] * 2})
    >>> reporting_years(frame).tolist()
    [2020, 2021]
    """
    if not len(rows):
        return np.array([], dtype=np.int64)
    counts = rows.drop_duplicates(["year", "category", "gas"]).groupby("year").size()
    return counts.index[counts >= 0.5 * counts.max()].to_numpy(dtype=np.int64)


def _default(defaults, table: str, parameter: str) -> tuple[float, str, str]:
    for key in (f"{table}:{parameter}", parameter, "*"):
        if key in defaults:
            value, basis = defaults[key]
            return float(value), basis, key
    return 0.5, "assumption", "*"


def factor_uncertainty(parts, lib, *, defaults=None) -> pd.DataFrame:
    """95 % uncertainty of each factor part, from the library's ``lower``/``upper`` where given.

    Returns one row per part (index ``part``) with ``status`` (``range``: from the library's
    95 % bounds; ``default``: library row without a range; ``measured``; ``marker``: a method
    label such as ``stock_difference:...`` that carries no factor; ``unlisted``: not in the
    library), ``parameter``, ``value``, ``lower``, ``upper``, ``u_minus`` and ``u_plus``
    (relative distances of the bounds), ``u`` (the larger side, used by Approach 1),
    ``asymmetric`` (sides differ by more than 10 %), ``distribution`` (used by the Monte Carlo:
    ``normal``, ``lognormal`` or ``split_normal``; ``none`` for exact parts) and ``basis``.

    Examples
    --------
    >>> import carbonledger as cl
    >>> table = factor_uncertainty(["ipcc2006/2006:co2_ef:anthracite|ef|CO2",
    ...                             "measured:carbon_content"], cl.load_factors())
    >>> table["status"].tolist()
    ['range', 'measured']
    >>> round(float(table["u"].iloc[0]), 4)    # (98300 - 94600) / 98300, the larger side
    0.0376
    """
    defaults = FACTOR_UNCERTAINTY_DEFAULTS if defaults is None else {
        **FACTOR_UNCERTAINTY_DEFAULTS, **defaults}
    parts = list(dict.fromkeys(str(p) for p in parts))
    library = lib.rows.drop_duplicates("factor_id").set_index("factor_id")
    records = []
    for part in parts:
        record = {"part": part, "parameter": "", "table": "", "value": np.nan,
                  "lower": np.nan, "upper": np.nan}
        if part in library.index:
            row = library.loc[part]
            record.update(parameter=row["parameter"], table=row["table"], value=row["value"],
                          lower=row["lower"], upper=row["upper"])
            has_range = bool(np.isfinite(row["lower"]) and np.isfinite(row["upper"]))
            status = "range" if has_range else "default"
        elif part.startswith("measured:"):
            status, record["parameter"] = "measured", "measured"
        elif part.startswith(_MARKER_PREFIXES):
            status = "marker"
        else:
            status, record["parameter"] = "unlisted", "unlisted"
        record["status"] = status
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[
        "part", "parameter", "table", "value", "lower", "upper", "status"]).set_index("part")
    value = frame["value"].to_numpy(dtype="float64")
    magnitude = np.abs(value)
    ranged = (frame["status"] == "range").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        u_minus = np.where(ranged & (magnitude > 0),
                           np.abs(value - frame["lower"].to_numpy(dtype="float64")) / magnitude,
                           np.nan)
        u_plus = np.where(ranged & (magnitude > 0),
                          np.abs(frame["upper"].to_numpy(dtype="float64") - value) / magnitude,
                          np.nan)
    basis = np.full(len(frame), "factor library 95 % range (larger side for Approach 1)",
                    dtype=object)
    zero = ranged & (magnitude == 0)
    basis[zero] = "value 0: no relative uncertainty (the row emits nothing)"
    u_minus[zero] = u_plus[zero] = 0.0
    for position, (status, parameter, table) in enumerate(
            zip(frame["status"], frame["parameter"], frame["table"], strict=True)):
        if status == "range":
            continue
        if status == "marker":
            u_minus[position] = u_plus[position] = 0.0
            basis[position] = "method marker, no factor (covered by the activity uncertainty)"
            continue
        value_u, text, key = _default(defaults, table, parameter)
        u_minus[position] = u_plus[position] = value_u
        basis[position] = f"default[{key}]: {text}"
    frame["u_minus"] = u_minus
    frame["u_plus"] = u_plus
    frame["u"] = np.maximum(u_minus, u_plus)
    small = np.minimum(u_minus, u_plus)
    frame["asymmetric"] = (frame["u"].to_numpy() > 1.1 * small) & (frame["u"].to_numpy() > 0)
    same_sign = ((np.sign(frame["lower"].to_numpy()) == np.sign(value))
                 & (np.sign(frame["upper"].to_numpy()) == np.sign(value)))
    lower_positive = ranged & same_sign & (frame["lower"].to_numpy() != 0)
    frame["distribution"] = np.where(
        frame["u"].to_numpy() == 0, "none",
        np.where(frame["asymmetric"].to_numpy(),
                 np.where(lower_positive, "lognormal", "split_normal"), "normal"))
    frame["basis"] = basis
    return frame


def activity_uncertainty(inv, rows: pd.DataFrame, overrides=None) -> tuple[np.ndarray,
                                                                           pd.DataFrame]:
    """95 % relative uncertainty of the activity behind each result row, and the defaults used.

    Precedence: the activity row's ``activity_uncertainty`` column (a fraction, where finite),
    then ``overrides`` by kind, by IPCC sector, then :data:`ACTIVITY_UNCERTAINTY_DEFAULTS` by
    kind, by sector, then ``"*"``.

    Returns ``(u, used)`` where ``used`` lists per activity kind the value applied, its basis and
    the number of result rows that took it.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> frame = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [10.0],
    ...     "unit": ["wan_m3"]})
    >>> inv = cl.compute_inventory(frame)
    >>> u, used = activity_uncertainty(inv, result_rows(inv), {"energy": 0.03})
    >>> u.tolist(), used["basis"].tolist()
    ([0.03, 0.03, 0.03], ["activity_uncertainty['energy'] (caller)"])
    """
    overrides = dict(overrides or {})
    kinds = pd.unique(rows["activity"])
    value_of: dict[str, tuple[float, str]] = {}
    for kind in kinds:
        try:
            sector = get_kind(kind).sector
        except KeyError:
            sector = "*"
        for source, key in ((overrides, kind), (overrides, sector),
                            (ACTIVITY_UNCERTAINTY_DEFAULTS, kind),
                            (ACTIVITY_UNCERTAINTY_DEFAULTS, sector),
                            (ACTIVITY_UNCERTAINTY_DEFAULTS, "*")):
            if key in source:
                entry = source[key]
                if source is overrides:
                    value_of[kind] = (float(entry), f"activity_uncertainty[{key!r}] (caller)")
                else:
                    value_of[kind] = (float(entry[0]), f"default[{key}]: {entry[1]}")
                break
    codes, uniques = pd.factorize(rows["activity"])
    per_kind = np.array([value_of[k][0] for k in uniques], dtype="float64")
    u = per_kind[codes] if len(rows) else np.zeros(0)
    from_column = np.zeros(len(rows), dtype=bool)
    if "activity_uncertainty" in inv.activity.columns:
        column = pd.to_numeric(inv.activity["activity_uncertainty"], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan)[rows["position"].to_numpy()]
        from_column = np.isfinite(column)
        u = np.where(from_column, np.abs(column), u)
    taken = ~from_column
    counts = np.bincount(codes[taken], minlength=len(uniques)) if len(rows) else []
    used = pd.DataFrame({
        "activity": list(uniques),
        "uncertainty": per_kind,
        "basis": [value_of[k][1] for k in uniques],
        "result_rows": counts,
    })
    if from_column.any():
        used = pd.concat([used, pd.DataFrame({
            "activity": ["(activity_uncertainty column)"], "uncertainty": [np.nan],
            "basis": ["the activity rows' own activity_uncertainty values"],
            "result_rows": [int(from_column.sum())]})], ignore_index=True)
    return u, used[used["result_rows"] > 0].reset_index(drop=True)


def pooled_groups(rows: pd.DataFrame, u_activity: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Pool result rows into groups that share one activity error and one set of factors.

    Activity rows with the same year, sector, kind, item and the same (category, gas,
    factor_id) results form a *cluster*: their activity errors are independent of each other
    (added in quadrature) and shared by the gases of each row (one draw per cluster in the Monte
    Carlo, exact when the gases of the pooled rows are proportional). A group is a cluster's
    results of one (category, gas, factor_id).

    Returns ``(groups, cluster)``: ``groups`` has the :data:`GROUP_KEYS`, ``year``,
    ``factor_id``, ``co2e_t`` (sum) and ``activity_u_t`` (absolute 95 % half-width from activity
    data), and ``cluster`` holds each group's cluster code.

    Examples
    --------
    >>> rows = pd.DataFrame({"year": [2022] * 4, "sector": ["a", "b", "a", "b"],
    ...     "activity": ["k"] * 4, "item": ["x"] * 4, "position": [0, 1, 0, 1],
    ...     "category": ["1.A"] * 4, "gas": ["CO2", "CO2", "CH4", "CH4"],
    ...     "ipcc_sector": ["energy"] * 4, "factor_id": ["f", "f", "g", "g"],
    ...     "co2e_t": [30.0, 40.0, 3.0, 4.0]})
    >>> groups, cluster = pooled_groups(rows, np.full(4, 0.1))
    >>> groups[["sector", "gas", "co2e_t", "activity_u_t"]].round(6).values.tolist()[:2]
    [['a', 'CH4', 3.0, 0.3], ['a', 'CO2', 30.0, 3.0]]
    >>> cluster.tolist()          # the gases of one activity row share its activity error
    [0, 0, 1, 1]
    """
    triple = factorize_columns(rows, ["category", "gas", "factor_id"])[0].astype(np.uint64)
    hashed = (triple + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    hashed ^= hashed >> np.uint64(29)
    position_codes, _ = pd.factorize(rows["position"])
    signature = np.zeros(int(position_codes.max()) + 1 if len(rows) else 0, dtype=np.uint64)
    np.add.at(signature, position_codes, hashed)
    work = rows.assign(signature=signature[position_codes],
                       spread=(u_activity * rows["co2e_t"].to_numpy()) ** 2)
    cluster_codes, _ = factorize_columns(work, ["year", "sector", "activity", "item",
                                                "signature"])
    work["cluster"] = cluster_codes
    keys = ["cluster", "year", *GROUP_KEYS, "factor_id"]
    grouped = work.groupby(keys, sort=True, dropna=False)[["co2e_t", "spread"]].sum()
    groups = grouped.reset_index()
    groups["activity_u_t"] = np.sqrt(groups.pop("spread").to_numpy())
    return groups.drop(columns="cluster"), groups["cluster"].to_numpy()
