"""Fugitive emissions from fuels (IPCC sector 1.B): coal mining and oil & gas systems.

Coal mining (1.B.1.a, IPCC 2006 Vol. 2 Ch. 4 section 4.1): Tier 1/2 emission factors per tonne
of raw coal for mining and post-mining, or measured CH4 liberated (Tier 3) for the mining part;
CH4 utilised (recovered x utilisation rate, or utilised directly) and flared is deducted, and the
flared CH4 returns as CO2. Volumes are m3 of pure CH4 at 20 degC and 1 atm (density 0.67 kg/m3).

Underground and surface mines take an optional ``gassiness`` class (``low``, ``average``,
``high``) selecting the low, average or high Tier 1 factor (the guideline recommends the high value
for deep/gassy mines and the low one for shallow mines); blank means average.

Abandoned underground mines (1.B.1.a.i.3, Vol. 2 Ch. 4 Eq. 4.1.10 Tier 1): number of abandoned
mines x fraction gassy x emission factor (10^6 m3 CH4 per mine per year, by closure period) x CH4
density, less CH4 recovered. No default factors or gassy fractions are shipped (see
``fugitive_abandoned_mines.meta.toml``): ``gassy_fraction`` and ``ef_mm3_per_mine`` are required.

Oil and gas systems (1.B.2.a oil, 1.B.2.b gas; Vol. 2 Ch. 4 section 4.2 Tier 1, Table 4.2.5):
factors per m3 of throughput by stage, summed over fugitive, venting and flaring releases.

Examples
--------
>>> round(float(coal_mine_ch4(1_000_000.0)), 1)    # 1 Mt underground coal, t CH4
13735.0
>>> round(float(flared_ch4_co2(1_000_000.0)), 2)   # 10^6 m3 CH4 flared -> t CO2
1842.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError, MissingFactorError
from .processes_common import (
    CH4_TO_CO2,
    check_fraction,
    check_nonnegative,
    column,
    item_codes,
    item_map,
    join_ids,
    lookup,
    override,
    pick,
    process_kind,
    result_frame,
    start,
)

__all__ = [
    "ACTIVITY_KINDS",
    "abandoned_mine_ch4",
    "coal_mine_ch4",
    "flared_ch4_co2",
    "oil_gas_emissions",
]

COAL = "fugitive_coal"
OIL_GAS = "fugitive_oil_gas"
ABANDONED = "fugitive_abandoned_mines"

#: Tier 1 gassiness classes of ``fugitive_coal`` (key column ``gassiness``; blank = average).
GASSINESS = ("low", "average", "high")
#: Closure periods of abandoned underground mines (IPCC 2006 Vol. 2 Ch. 4 Tier 1 intervals).
CLOSURE_PERIODS = ("1901_1925", "1926_1950", "1951_1975", "1976_2000", "2001_present")
ABANDONED_CATEGORY = "1.B.1.a.i.3"

COAL_ITEMS = ("underground", "surface")
COAL_CATEGORY = {"underground": "1.B.1.a.i", "surface": "1.B.1.a.ii"}
#: Releases carried per stage in ``fugitive_oil_gas`` (key column ``release``).
STAGE_RELEASES = {
    "gas_production": ("fugitive", "flaring"),
    "gas_processing": ("fugitive", "flaring", "venting"),
    "gas_transmission": ("fugitive", "venting"),
    "gas_storage": ("fugitive",),
    "gas_distribution": ("fugitive",),
    "oil_production": ("fugitive", "venting", "flaring"),
    "oil_refining": ("fugitive",),
}
OIL_GAS_ITEMS = tuple(STAGE_RELEASES)
OIL_GAS_GASES = ("CH4", "CO2", "N2O")


# --------------------------------------------------------------------------- kernels


def coal_mine_ch4(
    coal_t,
    *,
    ef_m3_per_t=18.0,
    post_mining_ef_m3_per_t=2.5,
    utilised_m3=0.0,
    flared_m3=0.0,
    density_kg_per_m3=0.67,
) -> np.ndarray:
    """CH4 emitted by coal mining and post-mining, t (Vol. 2 Ch. 4, Eqs. 4.1.3-4.1.8).

    ``CH4 = (coal_t x (EF_mining + EF_post) - utilised - flared) x density / 1000``. Defaults are
    the Tier 1 underground averages (18 and 2.5 m3/t); surface mining uses 1.2 and 0.1. CH4
    utilised or flared is deducted from the mining part; more than that part is refused.

    Examples
    --------
    >>> round(float(coal_mine_ch4(1000.0, ef_m3_per_t=1.2, post_mining_ef_m3_per_t=0.1)), 3)
    0.871
    """
    coal_t = check_nonnegative(coal_t, "coal_t")
    ef = check_nonnegative(ef_m3_per_t, "ef_m3_per_t")
    post = check_nonnegative(post_mining_ef_m3_per_t, "post_mining_ef_m3_per_t")
    utilised = check_nonnegative(utilised_m3, "utilised_m3")
    flared = check_nonnegative(flared_m3, "flared_m3")
    density = check_nonnegative(density_kg_per_m3, "density_kg_per_m3")
    mining_m3 = coal_t * ef
    bad = np.atleast_1d(utilised + flared > mining_m3 * (1 + 1e-12))
    if bad.any():
        raise ActivityDataError(
            "CH4 utilised and flared exceeds the CH4 liberated by mining",
            rows=np.flatnonzero(bad).tolist(),
            fix="check the recovered, utilised and flared volumes (m3 of pure CH4)",
        )
    return (mining_m3 + coal_t * post - utilised - flared) * density / 1000.0


def flared_ch4_co2(flared_m3, *, density_kg_per_m3=0.67) -> np.ndarray:
    """CO2 from flaring drained coal-mine CH4, t (44/16 t CO2 per t CH4 burned).

    Examples
    --------
    >>> round(float(flared_ch4_co2(1000.0)), 6)
    1.8425
    """
    flared = check_nonnegative(flared_m3, "flared_m3")
    return flared * check_nonnegative(density_kg_per_m3, "density_kg_per_m3") / 1000.0 * CH4_TO_CO2


def abandoned_mine_ch4(
    mines,
    *,
    gassy_fraction,
    ef_mm3_per_mine,
    recovered_m3=0.0,
    density_kg_per_m3=0.67,
) -> np.ndarray:
    """CH4 emitted by abandoned underground mines, t (Vol. 2 Ch. 4, Eq. 4.1.10 Tier 1).

    ``CH4 = (mines x gassy_fraction x ef_mm3_per_mine x 10^6 - recovered_m3) x density / 1000``;
    the factor is 10^6 m3 CH4 per mine per year. Recovery beyond the emission is refused.

    Examples
    --------
    >>> float(abandoned_mine_ch4(10.0, gassy_fraction=0.5, ef_mm3_per_mine=0.2))  # t CH4
    670.0
    """
    mines = check_nonnegative(mines, "mines")
    fraction = check_fraction(gassy_fraction, "gassy_fraction", allow_nan=False)
    ef = check_nonnegative(ef_mm3_per_mine, "ef_mm3_per_mine")
    recovered = check_nonnegative(recovered_m3, "recovered_m3")
    density = check_nonnegative(density_kg_per_m3, "density_kg_per_m3")
    emitted_m3 = mines * fraction * ef * 1e6
    bad = np.atleast_1d(recovered > emitted_m3 * (1 + 1e-12))
    if bad.any():
        raise ActivityDataError(
            "CH4 recovered exceeds the CH4 emitted by the abandoned mines",
            rows=np.flatnonzero(bad).tolist(),
            fix="check recovered_m3 (m3 of pure CH4)",
        )
    return (emitted_m3 - recovered) * density / 1000.0


def oil_gas_emissions(throughput_m3, *, ef_t_per_m3) -> np.ndarray:
    """Tier 1 oil and gas system emissions, t (Vol. 2 Ch. 4, Eq. 4.2.1; Table 4.2.5).

    ``emissions = throughput_m3 x ef_t_per_m3``; Table 4.2.5 gives Gg per 10^6 m3 of gas
    (= kg/m3) or Gg per 10^3 m3 of oil (= t/m3).

    Examples
    --------
    >>> float(oil_gas_emissions(1e8, ef_t_per_m3=1.8e-6))     # 10^8 m3 gas at 1.8E-03 Gg/10^6 m3
    180.0
    """
    throughput_m3 = check_nonnegative(throughput_m3, "throughput_m3")
    return throughput_m3 * check_nonnegative(ef_t_per_m3, "ef_t_per_m3")


# --------------------------------------------------------------------------- compute


def _gassiness(rows: pd.DataFrame) -> np.ndarray:
    """Per-row gassiness class (``""`` where absent or blank); unknown classes are refused."""
    if "gassiness" not in rows.columns:
        return np.full(len(rows), "", dtype=object)
    codes, uniques = pd.factorize(rows["gassiness"].to_numpy(dtype=object))
    names = np.asarray(
        [*(str(u).strip().lower() for u in uniques), ""], dtype=object
    )
    names[np.isin(names, ["nan", "none", "<na>"])] = ""
    classes = names[np.where(codes < 0, len(names) - 1, codes)]
    bad = ~np.isin(classes, ["", *GASSINESS])
    if bad.any():
        unknown = sorted(set(classes[bad]))
        raise ActivityDataError(
            f"coal_mining: unknown gassiness {', '.join(repr(u) for u in unknown[:5])}",
            rows=list(rows.index[bad]),
            fix=f"use one of: {', '.join(GASSINESS)} (or leave blank for average)",
        )
    return classes


def _by_gassiness(rows, lib, classes, parameter: str, name: str, *, where=None):
    """Tier 1 factor (m3/t) per row for its gassiness class, replaced by column ``name``."""
    values = np.full(len(rows), np.nan)
    ids = np.full(len(rows), "", dtype=object)
    need = np.isnan(column(rows, name))
    if where is not None:
        need = need & where
    for cls in ("", *GASSINESS):
        mask = classes == cls
        if not (mask & need).any():
            continue
        keys = {"gassiness": cls} if cls else {}
        got, got_ids = lookup(
            lib, rows, parameter, "m3/t", need=mask & need, table=COAL, **keys
        )
        values = np.where(mask, got, values)
        ids = pick(mask, got_ids, ids)
    return override(rows, name, values, ids)


def _compute_coal(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    coal_t = start(rows, "coal_mining", COAL_ITEMS)
    measured = column(rows, "measured_ch4_m3")
    check_nonnegative(np.nan_to_num(measured), "measured_ch4_m3", labels=labels)
    has_measured = ~np.isnan(measured)

    classes = _gassiness(rows)
    ef, ef_ids = _by_gassiness(
        rows, lib, classes, "ef_mining", "ef_m3_per_t", where=~has_measured
    )
    post, post_ids = _by_gassiness(rows, lib, classes, "ef_post_mining", "post_mining_ef_m3_per_t")
    density = lib.get("density", "ch4", unit="kg/m3", table=COAL)

    recovered = column(rows, "recovered_m3")
    utilised_given = column(rows, "utilised_m3")
    both = ~np.isnan(recovered) & ~np.isnan(utilised_given)
    if both.any():
        raise ActivityDataError(
            "coal_mining: give utilised_m3, or recovered_m3 with utilisation_rate, not both",
            rows=list(labels[both]),
            fix="keep one description of the CH4 put to use",
        )
    check_nonnegative(np.nan_to_num(recovered), "recovered_m3", labels=labels)
    rate = check_fraction(column(rows, "utilisation_rate"), "utilisation_rate", labels=labels)
    utilised = np.where(
        np.isnan(utilised_given),
        np.nan_to_num(recovered) * np.where(np.isnan(rate), 1.0, rate),
        utilised_given,
    )
    utilised = check_nonnegative(utilised, "utilised_m3", labels=labels)
    flared = check_nonnegative(np.nan_to_num(column(rows, "flared_m3")), "flared_m3", labels=labels)

    mining_m3 = np.where(has_measured, np.nan_to_num(measured), coal_t * np.nan_to_num(ef))
    excess = utilised + flared > mining_m3 * (1 + 1e-12)
    if excess.any():
        raise ActivityDataError(
            "coal_mining: CH4 utilised and flared exceeds the CH4 liberated by mining",
            rows=list(labels[excess]),
            fix="check recovered_m3 / utilised_m3 / flared_m3 (m3 of pure CH4) against production "
            "or measured_ch4_m3",
        )
    ch4_t = (mining_m3 + coal_t * post - utilised - flared) * density.value / 1000.0
    mining_ids = pick(has_measured, "measured:measured_ch4_m3", ef_ids)
    recovery = pick(
        np.isnan(rate), "measured:recovered_m3", "measured:recovered_m3 + measured:utilisation_rate"
    )
    deduction_ids = pick(
        ~np.isnan(utilised_given),
        "measured:utilised_m3",
        pick(~np.isnan(recovered), recovery, ""),
    )
    flare_ids = pick(flared > 0, "measured:flared_m3", "")
    ch4_ids = join_ids(mining_ids, post_ids, density.factor_id, deduction_ids, flare_ids)
    category = item_map(rows, COAL_CATEGORY)
    co2_t = flared_ch4_co2(flared, density_kg_per_m3=density.value)
    co2_ids = join_ids(np.full(len(rows), "measured:flared_m3", dtype=object), density.factor_id)
    return result_frame(
        rows,
        [
            (None, category, "CH4", ch4_t, ch4_ids),
            (flared > 0, category, "CO2", co2_t, co2_ids),
        ],
    )


def _stage_factor(lib, stage: str, gas: str):
    """Sum the factors of one stage and gas over its releases; ``None`` when none applies."""
    total, ids = 0.0, []
    for release in STAGE_RELEASES[stage]:
        try:
            factor = lib.get("ef", stage, unit="t/m3", table=OIL_GAS, gas=gas, release=release)
        except MissingFactorError:
            continue
        total += factor.value
        ids.append(factor.factor_id)
    return (total, " + ".join(ids)) if ids else None


def _compute_oil_gas(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    throughput_m3 = start(rows, "oil_gas_system", OIL_GAS_ITEMS)
    codes, stages = item_codes(rows)
    category = item_map(rows, lambda stage: "1.B.2.a" if stage.startswith("oil_") else "1.B.2.b")
    pieces = []
    for gas in OIL_GAS_GASES:
        name = f"{gas.lower()}_kg_per_m3"
        given = column(rows, name)
        values = np.full(len(stages), np.nan)
        ids = np.full(len(stages), "", dtype=object)
        for code, stage in enumerate(stages):
            if np.isnan(given[codes == code]).any():
                found = _stage_factor(lib, stage, gas)
                if found is not None:
                    values[code], ids[code] = found
        ef, ef_ids = values[codes], ids[codes]
        ef, ef_ids = override(rows, name, ef, ef_ids)
        scale = np.where(np.isnan(given), 1.0, 1e-3)  # override columns are kg/m3
        ef = ef * scale
        present = ~np.isnan(ef)
        if gas == "CH4":
            missing = ~present
            if missing.any():
                raise MissingFactorError(
                    "oil_gas_system: no CH4 factor for this stage in the factor library",
                    rows=list(labels[missing]),
                    fix="load a library with fugitive_oil_gas or give ch4_kg_per_m3",
                )
        emissions = oil_gas_emissions(throughput_m3, ef_t_per_m3=np.nan_to_num(ef))
        pieces.append((present, category, gas, emissions, ef_ids))
    return result_frame(rows, pieces)


def _compute_abandoned(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    mines = start(rows, "abandoned_coal_mines", CLOSURE_PERIODS)
    for name in ("gassy_fraction", "ef_mm3_per_mine"):
        missing = np.isnan(column(rows, name))
        if missing.any():
            raise ActivityDataError(
                f"abandoned_coal_mines: {name} is required (no IPCC default is shipped)",
                rows=list(labels[missing]),
                fix=f"give {name} from the IPCC 2006 Vol. 2 Ch. 4 Tier 1 tables or national "
                "data",
            )
    fraction = check_fraction(column(rows, "gassy_fraction"), "gassy_fraction", labels=labels)
    ef = check_nonnegative(column(rows, "ef_mm3_per_mine"), "ef_mm3_per_mine", labels=labels)
    recovered = column(rows, "recovered_m3")
    check_nonnegative(np.nan_to_num(recovered), "recovered_m3", labels=labels)
    emitted_m3 = mines * fraction * ef * 1e6
    excess = np.nan_to_num(recovered) > emitted_m3 * (1 + 1e-12)
    if excess.any():
        raise ActivityDataError(
            "abandoned_coal_mines: CH4 recovered exceeds the CH4 emitted",
            rows=list(labels[excess]),
            fix="check recovered_m3 (m3 of pure CH4) against mines x gassy_fraction x EF",
        )
    density = lib.get("density", "ch4", unit="kg/m3", table=ABANDONED)
    ch4_t = abandoned_mine_ch4(
        mines,
        gassy_fraction=fraction,
        ef_mm3_per_mine=ef,
        recovered_m3=np.nan_to_num(recovered),
        density_kg_per_m3=density.value,
    )
    ids = join_ids(
        np.full(len(rows), "measured:gassy_fraction + measured:ef_mm3_per_mine", dtype=object),
        density.factor_id,
        pick(~np.isnan(recovered), "measured:recovered_m3", ""),
    )
    category = np.full(len(rows), ABANDONED_CATEGORY, dtype=object)
    return result_frame(rows, [(None, category, "CH4", ch4_t, ids)])


ACTIVITY_KINDS = [
    process_kind(
        "coal_mining",
        _compute_coal,
        sector="energy",
        unit="t",
        optional=(
            "gassiness",
            "ef_m3_per_t",
            "post_mining_ef_m3_per_t",
            "measured_ch4_m3",
            "recovered_m3",
            "utilisation_rate",
            "utilised_m3",
            "flared_m3",
        ),
        items=COAL_ITEMS,
        description="Raw coal mined (t) by mine type; CH4 from mining and post-mining, utilised "
        "and flared CH4 deducted, flared CH4 as CO2 (1.B.1.a.i underground, 1.B.1.a.ii surface); "
        "optional gassiness low/average/high selects the Tier 1 factor",
    ),
    process_kind(
        "abandoned_coal_mines",
        _compute_abandoned,
        sector="energy",
        unit="1",
        optional=("gassy_fraction", "ef_mm3_per_mine", "recovered_m3"),
        items=CLOSURE_PERIODS,
        description="Number of abandoned underground coal mines by closure period; Tier 1 "
        "Eq. 4.1.10 with gassy_fraction and ef_mm3_per_mine (10^6 m3 CH4/mine/yr) required "
        "(1.B.1.a.i.3)",
    ),
    process_kind(
        "oil_gas_system",
        _compute_oil_gas,
        sector="energy",
        unit="m3",
        optional=("ch4_kg_per_m3", "co2_kg_per_m3", "n2o_kg_per_m3"),
        items=OIL_GAS_ITEMS,
        description="Oil or gas throughput by stage (m3 of gas, or m3 of oil); Tier 1 Table "
        "4.2.5 (1.B.2.a oil, 1.B.2.b gas)",
    ),
]
