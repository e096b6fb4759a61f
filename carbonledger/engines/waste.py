"""Waste (IPCC 2006 Vol.5): solid-waste disposal (first-order decay), biological treatment,
incineration and open burning; wastewater lives in :mod:`carbonledger.engines.waste_water`.

First-order decay (Vol.5 Ch.3, Eq. 3.1-3.6, with the IPCC Waste Model's delay time)
---------------------------------------------------------------------------------
Each year's deposit ``W(T)`` (t wet waste) carries decomposable carbon
``DDOCm(T) = W(T) x DOC x DOCf x MCF`` (Eq. 3.2). Waste deposited in year ``T`` is taken to
arrive on average at mid-year and to start decaying ``delay_months`` later, i.e. at
``T + s`` with ``s = (6 + delay_months) / 12`` years (the Waste Model's ``M = 7 + delay``
month; its default delay of 6 months gives ``M = 13``: decay starts on 1 January of ``T + 1``).
Write ``s = q + r`` (``q`` whole years, ``0 <= r < 1``). With ``a(t) = exp(-k(t))``:

* in year ``T + q`` the cohort decomposes ``DDOCm(T) x (1 - exp(-k (1 - r)))`` and the rest,
  ``DDOCm(T) x exp(-k (1 - r))``, joins the pool at the end of that year;
* the pool decays as ``P(t) = a(t) P(t-1) + entering(t)`` and decomposes ``P(t-1) (1 - a(t))``
  in year ``t`` (Eq. 3.4-3.5).

For the default delay (``q = 1, r = 0``) this is exactly Eq. 3.4-3.5:
``DDOCma(T) = DDOCmd(T) + DDOCma(T-1) e^-k`` and ``DDOCm decomp(T) = DDOCma(T-1)(1 - e^-k)``.
With ``delay_months = 0`` the deposit year decays for half a year (the Waste Model's ``M = 7``).
``CH4 generated = DDOCm decomp x F x 16/12`` (Eq. 3.6) and
``CH4 emitted = (CH4 generated - R) x (1 - OX)`` (Eq. 3.1: recovery first, then oxidation).

A constant ``k`` uses the lower-triangular (Toeplitz) decay kernel applied as one convolution;
a per-year ``k`` (the rate in force during each year of decay) uses the O(n) recursion solved
by cumulative sums in log space. Both are vectorized (no loop over deposit years).

Examples
--------
>>> import numpy as np
>>> ch4 = landfill_methane([1000.0, 0.0, 0.0], [2000, 2001, 2002], doc=0.15, k=0.185)
>>> round(float(ch4[1]), 3)
8.445
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..blocks import result_frame
from ..errors import ActivityDataError, MissingFactorError
from ..grouping import factorize_columns
from ..kinds import ActivityKind
from .waste_water import ACTIVITY_KINDS as _WASTEWATER_KINDS
from .waste_water import (
    _check_known,
    _check_range,
    _column,
    _factor,
    _flag,
    _join_ids,
    _text,
)

__all__ = ["landfill_methane", "landfill_methane_horizon", "incineration_co2_t",
           "biological_treatment_t", "ACTIVITY_KINDS", "SITE_TYPES", "CLIMATE_ZONES",
           "CH4_PER_C", "CO2_PER_C"]

#: Molecular weight ratios CH4/C and CO2/C.
CH4_PER_C = 16.0 / 12.0
CO2_PER_C = 44.0 / 12.0
#: Site types of Table 3.1 and the category each reports to.
SITE_TYPES = {"managed_anaerobic": "4.A.1", "managed_semi_aerobic": "4.A.1",
              "unmanaged_deep": "4.A.2", "unmanaged_shallow": "4.A.2", "uncategorised": "4.A.3"}
CLIMATE_ZONES = ("boreal_temperate_dry", "boreal_temperate_wet", "tropical_dry", "tropical_wet")
#: Waste components of Table 2.4 (with carbon data); landfill adds bulk and sludge items.
COMPONENTS = ("food", "garden", "paper", "wood", "textiles", "nappies", "rubber_leather",
              "plastics", "other_inert")
LANDFILL_ITEMS = ("food", "garden", "paper", "wood", "textiles", "nappies", "rubber_leather",
                  "msw", "sewage_sludge", "industrial_waste")
INCINERATORS = ("continuous_stoker", "continuous_fluidised_bed", "semi_continuous_stoker",
                "semi_continuous_fluidised_bed", "batch_stoker", "batch_fluidised_bed")


# ----------------------------------------------------------------------------- FOD kernels
def _series(name: str, value, n: int, *, upper: float | None = None) -> np.ndarray:
    arr = np.asarray(value, dtype="float64")
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise ActivityDataError(f"{name} has {arr.size} values; expected 1 or {n}",
                                fix=f"give {name} as a scalar or one value per year")
    bad = ~np.isfinite(arr) | (arr < 0)
    if upper is not None:
        bad |= arr > upper
    if bad.any():
        span = "finite and >= 0" if upper is None else f"between 0 and {upper:g}"
        raise ActivityDataError(f"{name} must be {span}", rows=np.flatnonzero(bad).tolist(),
                                fix=f"check {name} at these positions")
    return arr


def _years(deposited_t, years) -> tuple[np.ndarray, np.ndarray]:
    years = np.asarray(years)
    deposits = np.asarray(deposited_t, dtype="float64")
    if years.ndim != 1 or deposits.shape != years.shape or years.size == 0:
        raise ActivityDataError("deposited_t and years must be equal-length 1-D arrays",
                                fix="give one deposit per year")
    if not np.all(np.equal(np.mod(years, 1), 0)) or np.any(np.diff(years) != 1):
        raise ActivityDataError("years must be whole, consecutive and ascending",
                                rows=years[1:][np.diff(years) != 1].tolist() or years.tolist()[:1],
                                fix="sort the deposit history; give 0 for years without deposits")
    return deposits, years.astype(np.int64)


def _delay_split(delay_months: float) -> tuple[int, float]:
    if not np.isfinite(delay_months) or delay_months < 0:
        raise ActivityDataError("delay_months must be a non-negative number",
                                fix="the IPCC default is 6 months")
    start = (6.0 + delay_months) / 12.0
    whole = int(np.floor(start + 1e-12))
    return whole, max(start - whole, 0.0)


def _decomposed_constant_k(ddoc: np.ndarray, k: float, delay_months: float) -> np.ndarray:
    """DDOCm decomposed per year (along the last axis) for a constant k: one convolution with
    the decay kernel g(lag) (the first column of the lower-triangular decay matrix)."""
    n = ddoc.shape[-1]
    whole, part = _delay_split(delay_months)
    lag = np.arange(n, dtype="float64")
    kernel = np.zeros(n)
    if whole < n:
        kernel[whole] = -np.expm1(-k * (1.0 - part))
        later = lag > whole
        kernel[later] = (np.exp(-k * (1.0 - part)) * np.exp(-k * (lag[later] - whole - 1.0))
                         * -np.expm1(-k))
    return np.convolve(ddoc, kernel)[:n]


def _pool(entering: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Solve P(t) = exp(-k(t)) P(t-1) + entering(t), P(-1) = 0, along the last axis.

    ``P(t) = exp(-K(t)) sum_{j<=t} entering(j) exp(K(j))`` with ``K = cumsum(k)``, evaluated in
    blocks whose K span stays below 600 so that no exponential overflows.
    """
    n = entering.shape[-1]
    cum = np.cumsum(k, axis=-1)
    out = np.empty_like(entering)
    carry = np.zeros(entering.shape[:-1])
    start = 0
    while start < n:
        base = cum[..., start - 1] if start else np.zeros(entering.shape[:-1])
        rel = cum[..., start:] - base[..., None]
        span = rel.reshape(-1, rel.shape[-1]).max(axis=0)
        too_far = np.flatnonzero(span > 600.0)
        stop = start + (max(int(too_far[0]), 1) if too_far.size else rel.shape[-1])
        rel = rel[..., : stop - start]
        summed = np.cumsum(entering[..., start:stop] * np.exp(rel), axis=-1)
        out[..., start:stop] = np.exp(-rel) * (carry[..., None] + summed)
        carry = out[..., stop - 1]
        start = stop
    return out


def _decomposed_varying_k(ddoc: np.ndarray, k: np.ndarray, delay_months: float) -> np.ndarray:
    """DDOCm decomposed per year for a per-year k (same shape as ``ddoc``), O(n) per series."""
    whole, part = _delay_split(delay_months)
    n = ddoc.shape[-1]
    starting = np.zeros_like(ddoc)
    if whole < n:
        starting[..., whole:] = ddoc[..., : n - whole]
    first = starting * -np.expm1(-k * (1.0 - part))
    entering = starting * np.exp(-k * (1.0 - part))
    pool = _pool(entering, k)
    previous = np.concatenate([np.zeros(ddoc.shape[:-1] + (1,)), pool[..., :-1]], axis=-1)
    return previous * -np.expm1(-k) + first


def _landfill(deposited_t, years, *, until_year, doc, docf, mcf, f, k, delay_months,
              recovered_t, ox):
    deposits, years = _years(deposited_t, years)
    n = years.size
    last = years[-1] if until_year is None else int(until_year)
    if last < years[-1]:
        raise ActivityDataError(f"until_year {last} is before the last deposit year {years[-1]}",
                                fix="give until_year >= the last deposit year")
    horizon = last - years[0] + 1
    deposits = _series("deposited_t", deposits, n)
    ddoc = np.zeros(horizon)
    ddoc[:n] = deposits * _series("doc", doc, n, upper=1) * _series("docf", docf, n, upper=1) \
        * _series("mcf", mcf, n, upper=1)
    f_ch4 = float(_series("f", f, 1, upper=1)[0])
    k_arr = np.asarray(k, dtype="float64")
    if k_arr.ndim == 0:
        rate = float(_series("k", k_arr, 1, upper=50.0)[0])
        decomposed = _decomposed_constant_k(ddoc, rate, delay_months)
    else:
        if k_arr.size == n and horizon > n:
            k_arr = np.concatenate([k_arr, np.full(horizon - n, k_arr[-1])])
        rates = _series("k", k_arr, horizon, upper=50.0)
        decomposed = _decomposed_varying_k(ddoc, rates, delay_months)
    generated_t = decomposed * f_ch4 * CH4_PER_C
    recovered = _series("recovered_t", recovered_t, horizon)
    over = recovered > generated_t * (1 + 1e-9) + 1e-12
    if over.any():
        raise ActivityDataError("recovered_t exceeds the CH4 generated",
                                rows=(years[0] + np.flatnonzero(over)).tolist(),
                                fix="recovered_t is tonnes of CH4 recovered in each inventory year")
    emitted_t = (generated_t - recovered) * (1.0 - _series("ox", ox, horizon, upper=1))
    return np.arange(years[0], last + 1), emitted_t


def landfill_methane(deposited_t, years, *, doc, docf=0.5, mcf=1.0, f=0.5, k, delay_months=6,
                     recovered_t=0.0, ox=0.0) -> np.ndarray:
    """CH4 emitted (t) in each year of ``years`` by a solid-waste disposal site (FOD, Eq. 3.1-3.6).

    Parameters
    ----------
    deposited_t : waste deposited in each year (t, wet weight), one value per year.
    years : the deposit years: whole, consecutive and ascending (refused otherwise).
    doc, mcf : degradable organic carbon (fraction of wet waste) and methane correction factor:
        a scalar or one value per deposit year (they scale that year's deposit).
    docf, f : fraction of DOC that decomposes (0.5) and CH4 fraction of landfill gas (0.5).
    k : decay rate (1/yr): a scalar, or one value per year meaning the rate in force during
        that year for all waste then decaying.
    delay_months : months between average deposition (mid-year) and the start of decay (6).
    recovered_t : CH4 recovered in each inventory year (t); ``ox`` : oxidation factor (0.1 for
        managed sites covered with oxidising material, else 0). Scalar or per year.

    Returns
    -------
    numpy array of CH4 emitted (t), one value per year in ``years``. Emissions continue after
    the last deposit year; this function stops at the last year given. Use
    :func:`landfill_methane_horizon` to follow them further.

    Examples
    --------
    >>> landfill_methane([1000.0, 1000.0], [2020, 2021], doc=0.15, k=0.06).round(4).tolist()
    [0.0, 2.9118]
    """
    return _landfill(deposited_t, years, until_year=None, doc=doc, docf=docf, mcf=mcf, f=f, k=k,
                     delay_months=delay_months, recovered_t=recovered_t, ox=ox)[1]


def landfill_methane_horizon(deposited_t, years, *, until_year, doc, docf=0.5, mcf=1.0, f=0.5,
                             k, delay_months=6, recovered_t=0.0,
                             ox=0.0) -> tuple[np.ndarray, np.ndarray]:
    """CH4 emitted (t) from the first deposit year through ``until_year`` (no deposits after
    the last year given).

    Parameters are those of :func:`landfill_methane`; a per-year ``k`` may cover the deposit
    years only (its last value then holds to ``until_year``) or the whole horizon;
    ``recovered_t`` and ``ox`` are scalars or one value per horizon year.

    Returns
    -------
    (inventory_years, ch4_t) arrays.

    Examples
    --------
    >>> yrs, ch4 = landfill_methane_horizon([1000.0], [2020], until_year=2400, doc=0.15, k=0.185)
    >>> round(float(ch4.sum()), 6), int(yrs[-1])
    (50.0, 2400)
    """
    return _landfill(deposited_t, years, until_year=until_year, doc=doc, docf=docf, mcf=mcf, f=f,
                     k=k, delay_months=delay_months, recovered_t=recovered_t, ox=ox)


# -------------------------------------------------------------- incineration and biology
def incineration_co2_t(waste_t, *, dry_matter, carbon_fraction_dry, fossil_carbon_fraction,
                       oxidation_factor=1.0):
    """Fossil CO2 (t) from incinerated or open-burned waste (Vol.5 Eq. 5.1/5.2).

    ``CO2 = SW x dm x CF x FCF x OF x 44/12`` with SW in t wet weight.

    Examples
    --------
    >>> round(float(incineration_co2_t(100.0, dry_matter=1.0, carbon_fraction_dry=0.75,
    ...                                fossil_carbon_fraction=1.0)), 3)
    275.0
    """
    return (np.asarray(waste_t, dtype="float64") * dry_matter * carbon_fraction_dry
            * fossil_carbon_fraction * oxidation_factor * CO2_PER_C)


def biological_treatment_t(waste_t, *, ef_g_per_kg, recovered_t=0.0):
    """CH4 or N2O (t) from composting / anaerobic digestion (Vol.5 Eq. 4.1/4.2).

    ``E = M x EF x 1e-3 - R`` with M in t and EF in g per kg of waste treated.

    Examples
    --------
    >>> float(biological_treatment_t(1000.0, ef_g_per_kg=4.0))
    4.0
    """
    return np.asarray(waste_t, dtype="float64") * ef_g_per_kg * 1e-3 - recovered_t


# ------------------------------------------------------------------------- activity kinds
def _landfill_parameters(rows: pd.DataFrame, lib):
    site = _text(rows, "site_type")
    _check_known(rows, site, tuple(SITE_TYPES), "site_type")
    item = _text(rows, "item")
    _check_known(rows, item, LANDFILL_ITEMS, "item for landfill_disposal")
    base = pd.DataFrame({"item": item}, index=rows.index, dtype=object)
    doc, doc_id = _factor(lib, "doc", base, _column(rows, "doc"), "doc")
    keys = pd.DataFrame({"item": "landfill", "site_type": site}, index=rows.index, dtype=object)
    mcf, mcf_id = _factor(lib, "mcf", keys, _column(rows, "mcf"), "mcf")
    docf, docf_id = _factor(lib, "docf", keys, _column(rows, "docf"), "docf")
    f_ch4, f_id = _factor(lib, "ch4_fraction", keys, _column(rows, "f"), "f")
    cover = _flag(rows, "oxidising_cover")
    if (cover & ~np.char.startswith(site.astype(str), "managed")).any():
        raise ActivityDataError("oxidising_cover applies to managed sites only (Table 3.2)",
                                rows=rows.index[cover & ~np.char.startswith(site.astype(str),
                                                                          "managed")].tolist(),
                                fix="set oxidising_cover to no, or correct site_type")
    ox, ox_id = _factor(lib, "oxidation_factor", keys.assign(oxidising_cover=np.where(
        cover, "yes", "no")), _column(rows, "ox"), "ox")
    zone = _text(rows, "climate_zone", "")
    k_given = _column(rows, "k")
    need = np.isnan(k_given)
    if (need & (zone == "")).any():
        raise ActivityDataError("landfill_disposal needs a climate_zone (or a measured k)",
                                rows=rows.index[need & (zone == "")].tolist(),
                                fix=f"give climate_zone: {', '.join(CLIMATE_ZONES)}")
    _check_known(rows.loc[need], zone[need], CLIMATE_ZONES, "climate_zone")
    k, k_id = _factor(lib, "k", base.assign(climate_zone=zone), k_given, "k", unit="1/yr")
    for name, values in (("doc", doc), ("mcf", mcf), ("docf", docf), ("f", f_ch4), ("ox", ox)):
        _check_range(rows, values, name)
    _check_range(rows, k, "k", upper=50.0)
    ids = _join_ids(doc_id, mcf_id, docf_id, f_id, k_id, ox_id)
    return site, doc * docf * mcf, f_ch4, k, ox, ids


def compute_landfill(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Solid-waste disposal CH4 (4.A) with first-order decay over each site's deposit history.

    Rows are deposits per year (``value`` in t wet waste) of one ``item`` at one site; a site
    is ``region`` x ``facility`` x ``site_type`` (whichever are present). The rows of a site and
    item form a history that must cover consecutive years (give 0 for a year without deposits).
    Each row reports the CH4 emitted **in its year** by everything deposited in that history up
    to and including that year (with the default 6-month delay the current year's deposit adds
    nothing until the next year). To report a closed site, keep giving its rows with value 0.
    Recovery ``recovered_t`` is per site and year: the sum over the site's rows of that year,
    shared among its items in proportion to their generation; then ``(1 - OX)`` applies.
    Defaults: DOC (Table 2.4, wet), MCF by ``site_type`` (Table 3.1), DOCf and F 0.5, OX 0 or 0.1
    with ``oxidising_cover=yes`` (Table 3.2), k by item and ``climate_zone`` (Table 3.3), delay 6
    months; each may be given per row as a measured column (doc, mcf, docf, f, ox, k).
    """
    try:
        site, ddoc_per_t, f_ch4, k, ox, ids = _landfill_parameters(rows, lib)
    except MissingFactorError as exc:
        raise MissingFactorError(exc.message, rows=exc.rows,
                                 fix="give the missing parameter as a column (doc for msw, "
                                 "sewage_sludge and industrial_waste; k for nappies and "
                                 "rubber_leather), or add it to a factor table") from exc
    deposits = rows["value"].to_numpy(dtype="float64")
    _check_range(rows, deposits, "value (deposited waste)", upper=None)
    frame = rows[[c for c in ("region", "facility") if c in rows.columns]].astype(object)
    frame = frame.fillna("").assign(site_type=site, item=_text(rows, "item"))
    group, _ = factorize_columns(frame, list(frame.columns))
    year = rows["year"].to_numpy(dtype=np.int64)
    order = np.lexsort((year, group))
    g_sorted, y_sorted = group[order], year[order]
    same = g_sorted[1:] == g_sorted[:-1]
    broken = same & (np.diff(y_sorted) != 1)
    if broken.any():
        bad_groups = np.unique(g_sorted[1:][broken])
        raise ActivityDataError("a site's deposit history has a repeated or missing year",
                                rows=rows.index[np.isin(group, bad_groups)].tolist(),
                                fix="give one row per site, item and year, with 0 for years "
                                "without deposits")
    first = pd.Series(y_sorted).groupby(g_sorted).transform("min").to_numpy()
    position = np.empty(len(rows), dtype=np.int64)
    position[order] = y_sorted - first
    width = int(position.max()) + 1 if len(rows) else 0
    n_groups = int(group.max()) + 1 if len(rows) else 0
    ddoc = np.zeros((n_groups, width))
    rates = np.zeros((n_groups, width))
    ddoc[group, position] = deposits * ddoc_per_t
    rates[group, position] = k
    generated = _decomposed_varying_k(ddoc, rates, 6.0)[group, position] * f_ch4 * CH4_PER_C
    site_frame = frame.drop(columns="item").assign(year=year)
    site_year, _ = factorize_columns(site_frame, list(site_frame.columns))
    recovered = np.nan_to_num(_column(rows, "recovered_t"))
    _check_range(rows, recovered, "recovered_t", upper=None)
    gen_site = np.bincount(site_year, weights=generated)
    rec_site = np.bincount(site_year, weights=recovered)
    over = rec_site > gen_site * (1 + 1e-9) + 1e-12
    if over.any():
        raise ActivityDataError("recovered_t exceeds the CH4 the site generates in that year",
                                rows=rows.index[np.isin(site_year, np.flatnonzero(over))].tolist(),
                                fix="recovered_t is t CH4 recovered at the site in that year")
    kept = np.divide(gen_site - rec_site, gen_site, out=np.ones_like(gen_site),
                     where=gen_site > 0)[site_year]
    emitted = generated * kept * (1.0 - ox)
    category = pd.Series(site).map(SITE_TYPES).to_numpy(dtype=object)
    return result_frame(rows.index, category, "CH4", emitted, ids)


def _thermal(rows: pd.DataFrame, lib, practice: str) -> pd.DataFrame:
    item = _text(rows, "item")
    _check_known(rows, item, (*COMPONENTS, "msw"), f"item for {practice}")
    waste_t = rows["value"].to_numpy(dtype="float64")
    _check_range(rows, waste_t, "value (waste burned)", upper=None)
    base = pd.DataFrame({"item": item}, index=rows.index, dtype=object)
    try:
        dm, dm_id = _factor(lib, "dry_matter_fraction", base, _column(rows, "dm"), "dm")
        cf, cf_id = _factor(lib, "carbon_fraction_dry", base, _column(rows, "cf"), "cf")
        fcf, fcf_id = _factor(lib, "fossil_carbon_fraction", base, _column(rows, "fcf"), "fcf")
    except MissingFactorError as exc:
        raise MissingFactorError(exc.message, rows=exc.rows,
                                 fix="bulk msw has no Table 2.4 defaults: give dm, cf and fcf "
                                 "columns, or report the waste by component") from exc
    keys = pd.DataFrame({"item": "waste", "practice": practice}, index=rows.index, dtype=object)
    of, of_id = _factor(lib, "oxidation_factor", keys, _column(rows, "of"), "of")
    for name, values in (("dm", dm), ("cf", cf), ("fcf", fcf), ("of", of)):
        _check_range(rows, values, name)
    co2 = incineration_co2_t(waste_t, dry_matter=dm, carbon_fraction_dry=cf,
                             fossil_carbon_fraction=fcf, oxidation_factor=of)
    gas_keys = pd.DataFrame({"item": "msw", "practice": practice}, index=rows.index, dtype=object)
    if practice == "incineration":
        tech = _text(rows, "technology")
        _check_known(rows, tech, INCINERATORS, "technology")
        gas_keys["technology"] = tech
    ch4_ef, ch4_id = _factor(lib, "ef", gas_keys.assign(gas="CH4"),
                            _column(rows, "ch4_ef_g_per_t"), "ch4_ef_g_per_t", unit="g/t")
    n2o_basis = "wet" if practice == "incineration" else "dry"
    n2o_ef, n2o_id = _factor(lib, "ef", gas_keys.assign(gas="N2O", basis=n2o_basis),
                            _column(rows, "n2o_ef_g_per_t"), "n2o_ef_g_per_t", unit="g/t")
    n2o_mass = waste_t if n2o_basis == "wet" else waste_t * dm
    category = "4.C.1" if practice == "incineration" else "4.C.2"
    return pd.concat([
        result_frame(rows.index, category, "CO2", co2, _join_ids(dm_id, cf_id, fcf_id, of_id)),
        result_frame(rows.index, category, "CH4", waste_t * ch4_ef * 1e-6, ch4_id),
        result_frame(rows.index, category, "N2O", n2o_mass * n2o_ef * 1e-6, _join_ids(n2o_id, dm_id)
               if n2o_basis == "dry" else n2o_id),
    ], ignore_index=True)


def compute_incineration(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Incineration (4.C.1): fossil CO2 by component (Table 2.4 / Eq. 5.1), CH4 and N2O by
    ``technology``. Biogenic CO2 is not reported (it is a memo item)."""
    return _thermal(rows, lib, "incineration")


def compute_open_burning(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Open burning (4.C.2): fossil CO2 with OF 0.58 (Eq. 5.2), CH4 per t wet, N2O per t dry."""
    return _thermal(rows, lib, "open_burning")


def _biological(rows: pd.DataFrame, lib, treatment: str, gases) -> pd.DataFrame:
    waste_t = rows["value"].to_numpy(dtype="float64")
    _check_range(rows, waste_t, "value (waste treated)", upper=None)
    basis = _text(rows, "basis", "wet")
    _check_known(rows, basis, ("wet", "dry"), "basis")
    parts = []
    for gas in gases:
        keys = pd.DataFrame({"item": treatment, "gas": gas, "basis": basis}, index=rows.index,
                            dtype=object)
        measured = f"{gas.lower()}_ef_g_per_kg"
        ef, ef_id = _factor(lib, "ef", keys, _column(rows, measured), measured, unit="g/kg")
        _check_range(rows, ef, measured, upper=None)
        emitted = biological_treatment_t(waste_t, ef_g_per_kg=ef)
        if gas == "CH4":
            recovered = np.nan_to_num(_column(rows, "recovered_t"))
            _check_range(rows, recovered, "recovered_t", upper=None)
            if (recovered > emitted * (1 + 1e-9) + 1e-12).any():
                raise ActivityDataError(f"recovered_t exceeds the CH4 of {treatment}",
                                        rows=rows.index[recovered > emitted + 1e-12].tolist(),
                                        fix="recovered_t is t CH4 recovered")
            emitted = emitted - recovered
        parts.append(result_frame(rows.index, "4.B", gas, emitted, ef_id))
    return pd.concat(parts, ignore_index=True)


def compute_composting(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Composting (4.B): CH4 and N2O per t of waste treated (Table 4.1, ``basis`` wet or dry)."""
    return _biological(rows, lib, "composting", ("CH4", "N2O"))


def compute_anaerobic_digestion(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Anaerobic digestion at biogas facilities (4.B): CH4 (Table 4.1; N2O negligible)."""
    return _biological(rows, lib, "anaerobic_digestion", ("CH4",))


_THERMAL_OPTIONAL = ("dm", "cf", "fcf", "of", "ch4_ef_g_per_t", "n2o_ef_g_per_t")
ACTIVITY_KINDS = [
    ActivityKind("landfill_disposal", "waste", "t", compute_landfill, required=("site_type",),
                 optional=("climate_zone", "doc", "docf", "mcf", "f", "k", "ox",
                           "oxidising_cover", "recovered_t"),
                 items=LANDFILL_ITEMS,
                 description="Waste deposited per year and site: CH4 by first-order decay (4.A)",
                 extra={"key_columns": ("site_type",)}),
    ActivityKind("incineration", "waste", "t", compute_incineration, required=("technology",),
                 optional=_THERMAL_OPTIONAL, items=(*COMPONENTS, "msw"),
                 description="Waste incinerated (wet t): fossil CO2, CH4, N2O (4.C.1)",
                 extra={"key_columns": ("technology",)}),
    ActivityKind("open_burning", "waste", "t", compute_open_burning, optional=_THERMAL_OPTIONAL,
                 items=(*COMPONENTS, "msw"),
                 description="Waste burned in the open (wet t): fossil CO2, CH4, N2O (4.C.2)"),
    ActivityKind("composting", "waste", "t", compute_composting,
                 optional=("basis", "ch4_ef_g_per_kg", "n2o_ef_g_per_kg", "recovered_t"),
                 description="Waste composted (t, wet unless basis=dry): CH4 and N2O (4.B)"),
    ActivityKind("anaerobic_digestion", "waste", "t", compute_anaerobic_digestion,
                 optional=("basis", "ch4_ef_g_per_kg", "recovered_t"),
                 description="Waste digested at biogas plants (t): CH4 (4.B)"),
    *_WASTEWATER_KINDS,
]
