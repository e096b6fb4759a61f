"""Industrial processes (IPCC sector 2, IPPU): mineral industry here, the rest in sibling modules.

This module holds the mineral-industry kernels (cement clinker, lime, glass, other carbonate
use; 2006 IPCC Guidelines Vol. 3 Ch. 2) and collects ``ACTIVITY_KINDS`` of every process module:

* :mod:`carbonledger.engines.processes_chemicals` -- ammonia, nitric acid, adipic acid,
  carbides, soda ash (Vol. 3 Ch. 3),
* :mod:`carbonledger.engines.processes_metals` -- iron and steel, ferroalloys, aluminium,
  magnesium (Vol. 3 Ch. 4),
* :mod:`carbonledger.engines.processes_fluorinated` -- HFC-23 from HCFC-22, SF6 in electrical
  equipment (Vol. 3 Ch. 3.10 and 8).

Kernels are pure numpy with units in their parameter names and factors as keyword arguments.
Each kind's ``compute`` fetches defaults from the factor library once per distinct item, applies
the Tier 2 override columns and vectorizes over rows.

Examples
--------
>>> round(float(cement_co2(1_000_000.0)), 1)      # 1 Mt clinker x 0.51 x 1.02
520200.0
>>> [k.name for k in ACTIVITY_KINDS][:3]
['clinker_production', 'lime_production', 'glass_production']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .processes_chemicals import (
    ACTIVITY_KINDS as _CHEMICAL_KINDS,
)
from .processes_chemicals import (
    adipic_acid_n2o,
    ammonia_co2,
    carbide_emissions,
    nitric_acid_n2o,
    soda_ash_co2,
)
from .processes_common import (
    as_array,
    check_fraction,
    check_nonnegative,
    column,
    default_or_override,
    item_in,
    join_ids,
    lookup,
    override,
    pick,
    process_kind,
    result_frame,
    start,
)
from .processes_fluorinated import ACTIVITY_KINDS as _FLUORINATED_KINDS
from .processes_fluorinated import hfc23_from_hcfc22, sf6_bank_leakage, sf6_mass_balance
from .processes_metals import ACTIVITY_KINDS as _METAL_KINDS
from .processes_metals import (
    aluminium_anode_co2,
    aluminium_pfc_slope,
    aluminium_pfc_tier1,
    carbon_balance_co2,
    production_emissions,
)

__all__ = [
    "ACTIVITY_KINDS",
    "cement_co2",
    "clinker_ef_from_cao",
    "lime_co2",
    "glass_co2",
    "carbonate_co2",
    "ammonia_co2",
    "nitric_acid_n2o",
    "adipic_acid_n2o",
    "carbide_emissions",
    "soda_ash_co2",
    "production_emissions",
    "carbon_balance_co2",
    "aluminium_anode_co2",
    "aluminium_pfc_tier1",
    "aluminium_pfc_slope",
    "hfc23_from_hcfc22",
    "sf6_mass_balance",
    "sf6_bank_leakage",
]

MINERALS = "ippu_minerals"

LIME_ITEMS = ("high_calcium", "dolomitic", "dolomitic_high_purity", "hydraulic")
GLASS_ITEMS = (
    "glass",
    "float_glass",
    "container_flint",
    "container_amber_green",
    "fiberglass_e_glass",
    "fiberglass_insulation",
    "specialty_tv_panel",
    "specialty_tv_funnel",
    "specialty_tableware",
    "specialty_lab_pharma",
    "specialty_lighting",
)
CARBONATE_ITEMS = (
    "calcite",
    "magnesite",
    "dolomite",
    "siderite",
    "rhodochrosite",
    "sodium_carbonate",
)


# --------------------------------------------------------------------------- kernels


def cement_co2(
    clinker_t,
    *,
    ef_t_per_t=0.51,
    ckd_correction=1.02,
    carbide_slag_fraction=0.0,
) -> np.ndarray:
    """CO2 from clinker production (IPCC 2006 Vol. 3 Ch. 2, Eq. 2.2 with Eq. 2.4).

    ``CO2 = clinker_t x ef_t_per_t x ckd_correction x (1 - carbide_slag_fraction)``.

    The default ``ef_t_per_t`` is the **uncorrected** clinker factor 0.51 t CO2/t (65 % CaO, all
    from CaCO3); with the default CKD correction 1.02 it gives the Tier 1 0.52 of Eq. 2.4.
    (Passing ``ef_t_per_t=0.52`` together with ``ckd_correction=1.02`` would count the kiln dust
    twice.) Clinker whose CaO comes from carbide slag (电石渣, Ca(OH)2) releases no calcination CO2:
    ``carbide_slag_fraction`` is the share of clinker CaO from such non-carbonate sources.

    Parameters
    ----------
    clinker_t : clinker produced, t (array-like).
    ef_t_per_t : t CO2 per t clinker before the CKD correction.
    ckd_correction : cement kiln dust correction factor (>= 1).
    carbide_slag_fraction : share 0..1 of clinker CaO from carbide slag.

    Returns
    -------
    CO2 in t, same shape as the broadcast inputs.

    Examples
    --------
    >>> float(cement_co2(1000.0))
    520.2
    >>> float(cement_co2(1000.0, carbide_slag_fraction=0.5))
    260.1
    """
    clinker_t = check_nonnegative(clinker_t, "clinker_t")
    ef_t_per_t = check_nonnegative(ef_t_per_t, "ef_t_per_t")
    ckd_correction = check_nonnegative(ckd_correction, "ckd_correction")
    slag = check_fraction(carbide_slag_fraction, "carbide_slag_fraction", allow_nan=False)
    return clinker_t * ef_t_per_t * ckd_correction * (1.0 - slag)


def clinker_ef_from_cao(cao_fraction, *, co2_per_cao_t_per_t=0.785) -> np.ndarray:
    """Clinker emission factor from its CaO content (Vol. 3 Ch. 2, Tier 2, Table 2.4 ratio).

    Examples
    --------
    >>> round(float(clinker_ef_from_cao(0.65)), 4)      # the 65 % CaO behind 0.51
    0.5103
    """
    cao = check_fraction(cao_fraction, "cao_fraction", allow_nan=False)
    return cao * as_array(co2_per_cao_t_per_t)


def lime_co2(lime_t, *, ef_t_per_t) -> np.ndarray:
    """CO2 from lime production (Vol. 3 Ch. 2, Eq. 2.6/2.7 with Table 2.4 factors).

    Table 2.4: high-calcium 0.75, dolomitic 0.77 or 0.86, hydraulic 0.59 t CO2/t lime.

    Examples
    --------
    >>> float(lime_co2([100.0, 200.0], ef_t_per_t=0.75).sum())
    225.0
    """
    lime_t = check_nonnegative(lime_t, "lime_t")
    return lime_t * check_nonnegative(ef_t_per_t, "ef_t_per_t")


def glass_co2(glass_t, *, ef_t_per_t=0.20, cullet_ratio=0.50) -> np.ndarray:
    """CO2 from glass melting (Vol. 3 Ch. 2, Eq. 2.10 Tier 1 / Eq. 2.11 Tier 2).

    ``CO2 = glass_t x ef_t_per_t x (1 - cullet_ratio)``: recycled cullet has already lost its
    carbonate CO2.

    Examples
    --------
    >>> float(glass_co2(1000.0))
    100.0
    """
    glass_t = check_nonnegative(glass_t, "glass_t")
    cullet = check_fraction(cullet_ratio, "cullet_ratio", allow_nan=False)
    return glass_t * check_nonnegative(ef_t_per_t, "ef_t_per_t") * (1.0 - cullet)


def carbonate_co2(carbonate_t, *, ef_t_per_t, calcination_fraction=1.0) -> np.ndarray:
    """CO2 from carbonates calcined (Vol. 3 Ch. 2, Eq. 2.12 glass Tier 3 / Eq. 2.14).

    ``ef_t_per_t`` is the Table 2.1 CO2 content, e.g. 0.43971 for calcite.

    Examples
    --------
    >>> round(float(carbonate_co2(100.0, ef_t_per_t=0.43971)), 3)
    43.971
    """
    carbonate_t = check_nonnegative(carbonate_t, "carbonate_t")
    fraction = check_fraction(calcination_fraction, "calcination_fraction", allow_nan=False)
    return carbonate_t * check_nonnegative(ef_t_per_t, "ef_t_per_t") * fraction


# --------------------------------------------------------------------------- compute


def _compute_clinker(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    clinker_t = start(rows, "clinker_production", ("clinker",))
    cao = check_fraction(column(rows, "cao_content"), "cao_content", labels=labels)
    slag = check_fraction(
        column(rows, "carbide_slag_fraction"), "carbide_slag_fraction", labels=labels
    )
    given_ef = column(rows, "ef_t_per_t")
    use_cao = np.isnan(given_ef) & ~np.isnan(cao)
    need_default = np.isnan(given_ef) & np.isnan(cao)

    ef, ef_ids = lookup(lib, rows, "ef", "t/t", need=need_default, table=MINERALS)
    if use_cao.any():
        ratio = lib.get("stoichiometric_ratio", "cao", unit="t/t", table=MINERALS)
        ef = np.where(use_cao, np.nan_to_num(cao) * ratio.value, ef)
        ef_ids = pick(use_cao, f"measured:cao_content + {ratio.factor_id}", ef_ids)
    ef, ef_ids = override(rows, "ef_t_per_t", ef, ef_ids)

    ckd, ckd_ids = default_or_override(
        rows, lib, "ckd_correction", "ckd_correction", "1", table=MINERALS
    )
    has_slag = ~np.isnan(slag)
    co2_t = cement_co2(
        clinker_t, ef_t_per_t=ef, ckd_correction=ckd, carbide_slag_fraction=np.nan_to_num(slag)
    )
    slag_ids = pick(has_slag, "measured:carbide_slag_fraction", "")
    return result_frame(rows, [(None, "2.A.1", "CO2", co2_t, join_ids(ef_ids, ckd_ids, slag_ids))])


def _compute_lime(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    lime_t = start(rows, "lime_production", LIME_ITEMS)
    content = check_fraction(column(rows, "cao_content"), "cao_content", labels=labels)
    given_ef = column(rows, "ef_t_per_t")
    use_content = np.isnan(given_ef) & ~np.isnan(content)

    ef, ef_ids = lookup(
        lib, rows, "ef", "t/t", need=np.isnan(given_ef) & np.isnan(content), table=MINERALS
    )
    if use_content.any():
        dolomitic = item_in(rows, ("dolomitic", "dolomitic_high_purity"))
        oxide = pick(dolomitic, "cao_mgo", "cao")
        ratio, ratio_ids = lookup(
            lib, rows, "stoichiometric_ratio", "t/t", items=oxide, need=use_content, table=MINERALS
        )
        ef = np.where(use_content, np.nan_to_num(content) * ratio, ef)
        ef_ids = pick(use_content, join_ids("measured:cao_content", ratio_ids), ef_ids)
    ef, ef_ids = override(rows, "ef_t_per_t", ef, ef_ids)
    co2_t = lime_co2(lime_t, ef_t_per_t=ef)
    return result_frame(rows, [(None, "2.A.2", "CO2", co2_t, ef_ids)])


def _compute_glass(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    glass_t = start(rows, "glass_production", GLASS_ITEMS)
    check_fraction(column(rows, "cullet_ratio"), "cullet_ratio", labels=labels)
    ef, ef_ids = default_or_override(rows, lib, "ef", "ef_t_per_t", "t/t", table=MINERALS)
    generic = np.full(len(rows), "glass", dtype=object)
    cullet, cullet_ids = default_or_override(
        rows, lib, "cullet_ratio", "cullet_ratio", "1", items=generic, table=MINERALS
    )
    co2_t = glass_co2(glass_t, ef_t_per_t=ef, cullet_ratio=cullet)
    return result_frame(rows, [(None, "2.A.3", "CO2", co2_t, join_ids(ef_ids, cullet_ids))])


def _compute_carbonate(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    carbonate_t = start(rows, "carbonate_use", CARBONATE_ITEMS)
    fraction = check_fraction(
        column(rows, "calcination_fraction"), "calcination_fraction", labels=labels
    )
    ef, ef_ids = default_or_override(rows, lib, "ef", "ef_t_per_t", "t/t", table=MINERALS)
    co2_t = carbonate_co2(
        carbonate_t, ef_t_per_t=ef, calcination_fraction=np.where(np.isnan(fraction), 1.0, fraction)
    )
    return result_frame(rows, [(None, "2.A.4", "CO2", co2_t, ef_ids)])


_MINERAL_KINDS = [
    process_kind(
        "clinker_production",
        _compute_clinker,
        optional=("ef_t_per_t", "cao_content", "ckd_correction", "carbide_slag_fraction"),
        items=("clinker",),
        description="Cement clinker produced (t); IPCC 2006 Vol.3 Eq. 2.2/2.4; CaO from carbide "
        "slag excluded (2.A.1)",
    ),
    process_kind(
        "lime_production",
        _compute_lime,
        optional=("ef_t_per_t", "cao_content"),
        items=LIME_ITEMS,
        description="Lime produced by type (t); Vol.3 Table 2.4 (2.A.2)",
    ),
    process_kind(
        "glass_production",
        _compute_glass,
        optional=("ef_t_per_t", "cullet_ratio"),
        items=GLASS_ITEMS,
        description="Glass melted by type (t); Vol.3 Eq. 2.10/2.11, Table 2.6 (2.A.3)",
    ),
    process_kind(
        "carbonate_use",
        _compute_carbonate,
        optional=("ef_t_per_t", "calcination_fraction"),
        items=CARBONATE_ITEMS,
        description="Carbonate calcined in other processes (t); Vol.3 Table 2.1 (2.A.4)",
    ),
]

#: Every process kind: minerals, chemicals, metals, fluorinated gases.
ACTIVITY_KINDS = _MINERAL_KINDS + _CHEMICAL_KINDS + _METAL_KINDS + _FLUORINATED_KINDS
