"""Metal industry process emissions (IPCC 2006 Vol. 3 Ch. 4).

Iron and steel (2.C.1, Tier 1 Table 4.1 by route, Tier 2 carbon balance Eq. 4.9), ferroalloys
(2.C.2, Table 4.5), primary aluminium (2.C.3: anode CO2 Table 4.10, PFC Tier 1 Table 4.15 and the
Tier 2 slope method Eq. 4.26/4.27 with Table 4.16) and magnesium (2.C.4: casting SF6 Table 4.20;
primary CO2 from a plant factor).

Examples
--------
>>> float(production_emissions(1_000_000.0, ef_t_per_t=1.46))      # BF-BOF steel, t CO2
1460000.0
>>> cf4_t, c2f6_t = aluminium_pfc_tier1(100_000.0, cf4_kg_per_t=0.4, c2f6_kg_per_t=0.04)
>>> float(cf4_t), float(c2f6_t)
(40.0, 4.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from .processes_common import (
    C_TO_CO2,
    check_fraction,
    check_nonnegative,
    column,
    default_or_override,
    item_in,
    item_map,
    join_ids,
    lookup,
    pick,
    process_kind,
    result_frame,
    start,
)

__all__ = [
    "ACTIVITY_KINDS",
    "production_emissions",
    "carbon_balance_co2",
    "aluminium_anode_co2",
    "aluminium_pfc_tier1",
    "aluminium_pfc_slope",
    "magnesium_sf6",
]

METALS = "ippu_metals"
SLOPE = "ippu_aluminium_slope"

STEEL_ITEMS = ("bf_bof", "eaf", "ohf", "dri", "sinter", "pellet", "coke", "pig_iron")
STEEL_CH4_ITEMS = ("sinter", "coke")
FERROALLOY_ITEMS = (
    "ferrosilicon_45",
    "ferrosilicon_65",
    "ferrosilicon_75",
    "ferrosilicon_90",
    "ferromanganese_7c",
    "ferromanganese_1c",
    "silicomanganese",
    "silicon_metal",
    "ferrochromium",
    "ferrochromium_sinter",
)
ALUMINIUM_ITEMS = ("cwpb", "swpb", "vss", "hss")
#: Cell technology -> anode class of Table 4.10.
ANODE_CLASS = {"cwpb": "prebake", "swpb": "prebake", "vss": "soderberg", "hss": "soderberg"}
MAGNESIUM_ITEMS = ("casting", "primary")


# --------------------------------------------------------------------------- kernels


def production_emissions(production_t, *, ef_t_per_t) -> np.ndarray:
    """Tier 1 production-based emissions, t (Vol. 3 Ch. 4, Eqs. 4.1, 4.4-4.8, 4.15, 4.19).

    The Tier 1 form shared by iron and steel (Table 4.1: BF-BOF 1.46, EAF 0.08, OHF 1.72 t CO2/t
    steel; sinter 0.20, pellet 0.03, coke 0.56, DRI 0.70, pig iron 1.35), ferroalloys (Table 4.5)
    and magnesium: ``emissions = production_t x ef_t_per_t``.

    Examples
    --------
    >>> production_emissions([1000.0, 1000.0], ef_t_per_t=[1.46, 0.08]).tolist()
    [1460.0, 80.0]
    """
    production_t = check_nonnegative(production_t, "production_t")
    return production_t * check_nonnegative(ef_t_per_t, "ef_t_per_t")


def carbon_balance_co2(
    inputs_t, input_carbon_fraction, outputs_t=0.0, output_carbon_fraction=0.0
) -> np.ndarray:
    """Tier 2 carbon-balance CO2, t (Vol. 3 Ch. 4, Eq. 4.9; carbon contents of Table 4.3).

    ``CO2 = (sum(inputs_t x C_in) - sum(outputs_t x C_out)) x 44/12``, summed over the last axis
    (materials). Inputs are reducing agents, fluxes, pig iron and scrap; outputs are steel,
    by-product gases sold and other carbon-bearing products. A negative balance is refused.

    Examples
    --------
    >>> # 450 kg coke at 0.83 C and 1000 kg pig iron at 0.04 C in, 1000 kg steel at 0.01 C out
    >>> round(float(carbon_balance_co2([0.45, 1.0], [0.83, 0.04], [1.0], [0.01])), 4)
    1.4795
    """
    inputs_t = check_nonnegative(inputs_t, "inputs_t")
    c_in = check_fraction(input_carbon_fraction, "input_carbon_fraction", allow_nan=False)
    outputs_t = check_nonnegative(outputs_t, "outputs_t")
    c_out = check_fraction(output_carbon_fraction, "output_carbon_fraction", allow_nan=False)
    carbon_in = np.sum(inputs_t * c_in, axis=-1)
    carbon_out = np.sum(outputs_t * c_out, axis=-1)
    balance = carbon_in - carbon_out
    bad = np.atleast_1d(balance < 0)
    if bad.any():
        raise ActivityDataError(
            "carbon in products exceeds carbon in inputs",
            rows=np.flatnonzero(bad).tolist(),
            fix="check the carbon contents and the product quantities",
        )
    return balance * C_TO_CO2


def aluminium_anode_co2(aluminium_t, *, ef_t_per_t) -> np.ndarray:
    """CO2 from anode or paste consumption, t (Vol. 3 Ch. 4, Eq. 4.19; Table 4.10).

    Tier 1: prebake 1.6, Soderberg 1.7 t CO2 per t primary aluminium.

    Examples
    --------
    >>> float(aluminium_anode_co2(1000.0, ef_t_per_t=1.6))
    1600.0
    """
    aluminium_t = check_nonnegative(aluminium_t, "aluminium_t")
    return aluminium_t * check_nonnegative(ef_t_per_t, "ef_t_per_t")


def aluminium_pfc_tier1(
    aluminium_t, *, cf4_kg_per_t, c2f6_kg_per_t
) -> tuple[np.ndarray, np.ndarray]:
    """CF4 and C2F6 from primary aluminium, Tier 1, t (Vol. 3 Ch. 4, Eq. 4.25; Table 4.15).

    Table 4.15 (kg per t Al): CWPB 0.4 / 0.04, SWPB 1.6 / 0.4, VSS 0.8 / 0.04, HSS 0.4 / 0.03.

    Examples
    --------
    >>> [float(x) for x in aluminium_pfc_tier1(1000.0, cf4_kg_per_t=1.6, c2f6_kg_per_t=0.4)]
    [1.6, 0.4]
    """
    aluminium_t = check_nonnegative(aluminium_t, "aluminium_t")
    cf4_t = aluminium_t * check_nonnegative(cf4_kg_per_t, "cf4_kg_per_t") / 1000.0
    c2f6_t = aluminium_t * check_nonnegative(c2f6_kg_per_t, "c2f6_kg_per_t") / 1000.0
    return cf4_t, c2f6_t


def aluminium_pfc_slope(
    aluminium_t, anode_effect_minutes, *, slope_cf4_kg_per_t, c2f6_cf4_ratio
) -> tuple[np.ndarray, np.ndarray]:
    """CF4 and C2F6 by the Tier 2 slope method, t (Vol. 3 Ch. 4, Eq. 4.26/4.27; Table 4.16).

    ``CF4 = slope x AEM x MP`` (kg), ``C2F6 = CF4 x F_C2F6/CF4``, where AEM is anode-effect
    minutes per cell-day and MP the aluminium produced (t).

    Examples
    --------
    >>> cf4_t, c2f6_t = aluminium_pfc_slope(100_000.0, 0.5, slope_cf4_kg_per_t=0.143,
    ...                                     c2f6_cf4_ratio=0.121)
    >>> round(float(cf4_t), 3), round(float(c2f6_t), 4)
    (7.15, 0.8651)
    """
    aluminium_t = check_nonnegative(aluminium_t, "aluminium_t")
    aem = check_nonnegative(anode_effect_minutes, "anode_effect_minutes")
    slope = check_nonnegative(slope_cf4_kg_per_t, "slope_cf4_kg_per_t")
    ratio = check_nonnegative(c2f6_cf4_ratio, "c2f6_cf4_ratio")
    cf4_t = slope * aem * aluminium_t / 1000.0
    return cf4_t, cf4_t * ratio


def magnesium_sf6(magnesium_t, *, sf6_kg_per_t=1.0) -> np.ndarray:
    """SF6 from magnesium casting, t (Vol. 3 Ch. 4, Eq. 4.30 Tier 1; Table 4.20: 1 kg/t).

    Examples
    --------
    >>> float(magnesium_sf6(2000.0))
    2.0
    """
    magnesium_t = check_nonnegative(magnesium_t, "magnesium_t")
    return magnesium_t * check_nonnegative(sf6_kg_per_t, "sf6_kg_per_t") / 1000.0


# --------------------------------------------------------------------------- compute


def _compute_steel(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    steel_t = start(rows, "steel_production", STEEL_ITEMS)
    carbon_in = column(rows, "carbon_in_t")
    carbon_out = column(rows, "carbon_out_t")
    half = np.isnan(carbon_in) != np.isnan(carbon_out)
    if half.any():
        raise ActivityDataError(
            "steel_production: the Tier 2 carbon balance needs both carbon_in_t and carbon_out_t",
            rows=list(labels[half]),
            fix="give both columns (t of carbon in inputs and in products), or neither",
        )
    tier2 = ~np.isnan(carbon_in)
    check_nonnegative(np.nan_to_num(carbon_in), "carbon_in_t", labels=labels)
    check_nonnegative(np.nan_to_num(carbon_out), "carbon_out_t", labels=labels)
    negative = tier2 & (np.nan_to_num(carbon_out) > np.nan_to_num(carbon_in))
    if negative.any():
        raise ActivityDataError(
            "steel_production: carbon_out_t exceeds carbon_in_t",
            rows=list(labels[negative]),
            fix="check the carbon balance of these plants",
        )
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_t_per_t", "t/t", where=~tier2, table=METALS, gas="CO2"
    )
    co2_t = np.where(
        tier2,
        (np.nan_to_num(carbon_in) - np.nan_to_num(carbon_out)) * C_TO_CO2,
        production_emissions(steel_t, ef_t_per_t=np.nan_to_num(ef)),
    )
    ef_ids = pick(tier2, "measured:carbon_in_t + measured:carbon_out_t", ef_ids)
    pieces = [(None, "2.C.1", "CO2", co2_t, ef_ids)]
    has_ch4 = item_in(rows, STEEL_CH4_ITEMS)
    if has_ch4.any():
        ch4, ch4_ids = lookup(lib, rows, "ef", "t/t", need=has_ch4, table=METALS, gas="CH4")
        ch4_t = production_emissions(steel_t, ef_t_per_t=np.nan_to_num(ch4))
        pieces.append((has_ch4, "2.C.1", "CH4", ch4_t, ch4_ids))
    return result_frame(rows, pieces)


def _compute_ferroalloy(rows: pd.DataFrame, lib) -> pd.DataFrame:
    alloy_t = start(rows, "ferroalloy_production", FERROALLOY_ITEMS)
    ef, ef_ids = default_or_override(rows, lib, "ef", "ef_t_per_t", "t/t", table=METALS, gas="CO2")
    co2_t = production_emissions(alloy_t, ef_t_per_t=ef)
    return result_frame(rows, [(None, "2.C.2", "CO2", co2_t, ef_ids)])


def _compute_aluminium(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    aluminium_t = start(rows, "aluminium_production", ALUMINIUM_ITEMS)
    anode = item_map(rows, ANODE_CLASS)
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_t_per_t", "t/t", items=anode, table=METALS, gas="CO2"
    )
    co2_t = aluminium_anode_co2(aluminium_t, ef_t_per_t=ef)

    aem = check_nonnegative(
        np.nan_to_num(column(rows, "anode_effect_minutes")), "anode_effect_minutes", labels=labels
    )
    slope_rows = ~np.isnan(column(rows, "anode_effect_minutes"))
    tier1 = ~slope_rows
    cf4, cf4_ids = default_or_override(
        rows, lib, "ef", "cf4_kg_per_t", "kg/t", where=tier1, table=METALS, gas="CF4"
    )
    c2f6, c2f6_ids = default_or_override(
        rows, lib, "ef", "c2f6_kg_per_t", "kg/t", where=tier1, table=METALS, gas="C2F6"
    )
    cf4_t, c2f6_t = aluminium_pfc_tier1(
        aluminium_t, cf4_kg_per_t=np.nan_to_num(cf4), c2f6_kg_per_t=np.nan_to_num(c2f6)
    )
    if slope_rows.any():
        slope, slope_ids = default_or_override(
            rows,
            lib,
            "slope",
            "slope_cf4_kg_per_t",
            "kg/t",
            where=slope_rows,
            table=SLOPE,
            gas="CF4",
        )
        ratio, ratio_ids = default_or_override(
            rows,
            lib,
            "c2f6_cf4_ratio",
            "c2f6_cf4_ratio",
            "1",
            where=slope_rows,
            table=SLOPE,
            gas="C2F6",
        )
        s_cf4, s_c2f6 = aluminium_pfc_slope(
            aluminium_t,
            aem,
            slope_cf4_kg_per_t=np.nan_to_num(slope),
            c2f6_cf4_ratio=np.nan_to_num(ratio),
        )
        cf4_t = np.where(slope_rows, s_cf4, cf4_t)
        c2f6_t = np.where(slope_rows, s_c2f6, c2f6_t)
        aem_ids = np.full(len(rows), "measured:anode_effect_minutes", dtype=object)
        cf4_ids = pick(slope_rows, join_ids(aem_ids, slope_ids), cf4_ids)
        c2f6_ids = pick(slope_rows, join_ids(aem_ids, slope_ids, ratio_ids), c2f6_ids)
    return result_frame(
        rows,
        [
            (None, "2.C.3", "CO2", co2_t, ef_ids),
            (None, "2.C.3", "CF4", cf4_t, cf4_ids),
            (None, "2.C.3", "C2F6", c2f6_t, c2f6_ids),
        ],
    )


def _compute_magnesium(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    magnesium_t = start(rows, "magnesium_production", MAGNESIUM_ITEMS)
    primary = item_in(rows, ("primary",))
    casting = ~primary
    ef_given = column(rows, "ef_t_per_t")
    missing = primary & np.isnan(ef_given)
    if missing.any():
        raise ActivityDataError(
            "magnesium_production: primary magnesium needs a plant CO2 factor (ef_t_per_t); "
            "no IPCC 2006 default is carried in this library",
            rows=list(labels[missing]),
            fix="add column ef_t_per_t (t CO2 per t primary Mg, e.g. from the plant's dolomite "
            "or magnesite balance)",
        )
    pieces = []
    if primary.any():
        ids = np.full(len(rows), "measured:ef_t_per_t", dtype=object)
        co2_t = production_emissions(magnesium_t, ef_t_per_t=np.nan_to_num(ef_given))
        pieces.append((primary, "2.C.4", "CO2", co2_t, ids))
    if casting.any():
        sf6, sf6_ids = default_or_override(
            rows, lib, "ef", "sf6_kg_per_t", "kg/t", where=casting, table=METALS, gas="SF6"
        )
        sf6_t = magnesium_sf6(magnesium_t, sf6_kg_per_t=np.nan_to_num(sf6))
        pieces.append((casting, "2.C.4", "SF6", sf6_t, sf6_ids))
    return result_frame(rows, pieces)


ACTIVITY_KINDS = [
    process_kind(
        "steel_production",
        _compute_steel,
        optional=("ef_t_per_t", "carbon_in_t", "carbon_out_t"),
        items=STEEL_ITEMS,
        description="Iron and steel by route (t product); Vol.3 Table 4.1 Tier 1, Eq. 4.9 carbon "
        "balance via carbon_in_t/carbon_out_t (2.C.1)",
    ),
    process_kind(
        "ferroalloy_production",
        _compute_ferroalloy,
        optional=("ef_t_per_t",),
        items=FERROALLOY_ITEMS,
        description="Ferroalloys by alloy (t); Vol.3 Table 4.5 (2.C.2)",
    ),
    process_kind(
        "aluminium_production",
        _compute_aluminium,
        optional=(
            "ef_t_per_t",
            "cf4_kg_per_t",
            "c2f6_kg_per_t",
            "anode_effect_minutes",
            "slope_cf4_kg_per_t",
            "c2f6_cf4_ratio",
        ),
        items=ALUMINIUM_ITEMS,
        description="Primary aluminium by cell technology (t); anode CO2 Table 4.10, PFC Table "
        "4.15 or slope method from anode_effect_minutes (2.C.3)",
    ),
    process_kind(
        "magnesium_production",
        _compute_magnesium,
        optional=("ef_t_per_t", "sf6_kg_per_t"),
        items=MAGNESIUM_ITEMS,
        description="Magnesium cast (SF6, Table 4.20) or primary (CO2, plant factor) (t) (2.C.4)",
    ),
]
