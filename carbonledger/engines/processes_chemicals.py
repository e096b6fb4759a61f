"""Chemical industry process emissions (IPCC 2006 Vol. 3 Ch. 3).

Ammonia (2.B.1), nitric acid (2.B.2), adipic acid (2.B.3), carbides (2.B.5) and natural soda
ash (2.B.7). Kernels are pure numpy; each kind's ``compute`` fetches defaults once per distinct
item, applies the Tier 2 override columns and vectorizes over rows.

Examples
--------
>>> round(float(ammonia_co2(1000.0, fuel_gj_per_t=30.2, carbon_content_kg_per_gj=15.3)), 1)
1694.2
>>> float(nitric_acid_n2o(1000.0, ef_kg_per_t=9.0))
9.0
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
    "ammonia_co2",
    "nitric_acid_n2o",
    "adipic_acid_n2o",
    "carbide_emissions",
    "soda_ash_co2",
]

CHEMICALS = "ippu_chemicals"

AMMONIA_ITEMS = (
    "ng_conventional",
    "ng_excess_air",
    "ng_autothermal",
    "partial_oxidation",
    "ng_average",
    "partial_oxidation_average",
)
NITRIC_ITEMS = (
    "nscr",
    "process_integrated",
    "atmospheric_pressure",
    "medium_pressure",
    "high_pressure",
)
#: Nitric-acid plant types whose Table 3.3 factor already includes abatement.
NITRIC_ABATED = ("nscr", "process_integrated")
ADIPIC_ITEMS = (
    "unabated",
    "catalytic_destruction",
    "thermal_destruction",
    "recycle_to_nitric_acid",
    "recycle_to_adipic_acid",
)
CARBIDE_ITEMS = ("calcium_carbide", "silicon_carbide")
SODA_ASH_ITEMS = ("trona", "natural_soda_ash")


# --------------------------------------------------------------------------- kernels


def ammonia_co2(
    ammonia_t,
    *,
    fuel_gj_per_t,
    carbon_content_kg_per_gj,
    oxidation_fraction=1.0,
    co2_recovered_t=0.0,
) -> np.ndarray:
    """CO2 from ammonia production (Vol. 3 Ch. 3, Eq. 3.1-3.3).

    ``CO2 = NH3_t x FR x CC x COF x 44/12 / 1000 - R``: total fuel requirement (feedstock and
    fuel, GJ/t NH3) times its carbon content (kg C/GJ), less CO2 recovered for downstream use
    (urea). Recovery larger than generation is refused.

    Examples
    --------
    >>> float(ammonia_co2(1000.0, fuel_gj_per_t=30.2, carbon_content_kg_per_gj=15.3,
    ...                   co2_recovered_t=733.0).round(1))
    961.2
    """
    ammonia_t = check_nonnegative(ammonia_t, "ammonia_t")
    fuel = check_nonnegative(fuel_gj_per_t, "fuel_gj_per_t")
    carbon = check_nonnegative(carbon_content_kg_per_gj, "carbon_content_kg_per_gj")
    oxidation = check_fraction(oxidation_fraction, "oxidation_fraction", allow_nan=False)
    recovered = check_nonnegative(co2_recovered_t, "co2_recovered_t")
    generated = ammonia_t * fuel * carbon * oxidation * C_TO_CO2 / 1000.0
    bad = np.broadcast_to(
        recovered > generated * (1 + 1e-12), np.broadcast(generated, recovered).shape
    )
    if np.any(bad):
        raise ActivityDataError(
            "CO2 recovered for urea exceeds the CO2 generated",
            rows=np.flatnonzero(np.atleast_1d(bad)).tolist(),
            fix="check co2_recovered_t / urea_t against the ammonia produced",
        )
    return generated - recovered


def nitric_acid_n2o(
    acid_t, *, ef_kg_per_t, destruction_fraction=0.0, abatement_utilisation=1.0
) -> np.ndarray:
    """N2O from nitric acid production, t (Vol. 3 Ch. 3, Eq. 3.6; Table 3.3 factors).

    ``N2O = acid_t x EF x (1 - DF x ASUF) / 1000`` with EF in kg N2O per t 100 % HNO3.

    Examples
    --------
    >>> float(nitric_acid_n2o(1000.0, ef_kg_per_t=9.0, destruction_fraction=0.8,
    ...                       abatement_utilisation=0.5))
    5.4
    """
    acid_t = check_nonnegative(acid_t, "acid_t")
    ef = check_nonnegative(ef_kg_per_t, "ef_kg_per_t")
    df = check_fraction(destruction_fraction, "destruction_fraction", allow_nan=False)
    asuf = check_fraction(abatement_utilisation, "abatement_utilisation", allow_nan=False)
    return acid_t * ef * (1.0 - df * asuf) / 1000.0


def adipic_acid_n2o(
    acid_t, *, ef_kg_per_t=300.0, destruction_fraction=0.0, abatement_utilisation=1.0
) -> np.ndarray:
    """N2O from adipic acid production, t (Vol. 3 Ch. 3, Eq. 3.8; Table 3.4).

    Examples
    --------
    >>> round(float(adipic_acid_n2o(1000.0, destruction_fraction=0.925,
    ...                             abatement_utilisation=0.89)), 5)
    53.025
    """
    acid_t = check_nonnegative(acid_t, "acid_t")
    ef = check_nonnegative(ef_kg_per_t, "ef_kg_per_t")
    df = check_fraction(destruction_fraction, "destruction_fraction", allow_nan=False)
    asuf = check_fraction(abatement_utilisation, "abatement_utilisation", allow_nan=False)
    return acid_t * ef * (1.0 - df * asuf) / 1000.0


def carbide_emissions(product_t, *, ef_t_per_t) -> np.ndarray:
    """Emissions from carbide production, t (Vol. 3 Ch. 3, Eq. 3.11; Tables 3.7/3.8).

    Calcium carbide 1.090 t CO2/t; silicon carbide 2.62 t CO2/t and 11.6 kg CH4/t.

    Examples
    --------
    >>> float(carbide_emissions(1000.0, ef_t_per_t=1.090))
    1090.0
    """
    product_t = check_nonnegative(product_t, "product_t")
    return product_t * check_nonnegative(ef_t_per_t, "ef_t_per_t")


def soda_ash_co2(input_t, *, ef_t_per_t) -> np.ndarray:
    """CO2 from natural soda ash production (Vol. 3 Ch. 3, section 3.7).

    ``ef_t_per_t`` is 0.097 per t trona or 0.138 per t natural soda ash (trona stoichiometry).

    Examples
    --------
    >>> float(soda_ash_co2(1000.0, ef_t_per_t=0.097))
    97.0
    """
    input_t = check_nonnegative(input_t, "input_t")
    return input_t * check_nonnegative(ef_t_per_t, "ef_t_per_t")


# --------------------------------------------------------------------------- compute


def _compute_ammonia(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    ammonia_t = start(rows, "ammonia_production", AMMONIA_ITEMS)
    fuel, fuel_ids = default_or_override(
        rows, lib, "fuel_requirement", "fuel_gj_per_t", "GJ/t", table=CHEMICALS
    )
    carbon, carbon_ids = default_or_override(
        rows, lib, "carbon_content", "carbon_content_kg_per_gj", "kg/GJ", table=CHEMICALS
    )

    urea_t = check_nonnegative(np.nan_to_num(column(rows, "urea_t")), "urea_t", labels=labels)
    recovered_t = column(rows, "co2_recovered_t")
    both = (column(rows, "urea_t") >= 0) & (recovered_t >= 0)
    if both.any():
        raise ActivityDataError(
            "ammonia_production: give either urea_t or co2_recovered_t, not both",
            rows=list(labels[both]),
            fix="keep the measured co2_recovered_t and drop urea_t, or the reverse",
        )
    recovered_t = check_nonnegative(np.nan_to_num(recovered_t), "co2_recovered_t", labels=labels)
    recovery_ids = pick(recovered_t > 0, "measured:co2_recovered_t", "")
    if (urea_t > 0).any():
        uptake = lib.get("co2_uptake", "urea", unit="t/t", table=CHEMICALS, gas="CO2")
        recovered_t = recovered_t + urea_t * uptake.value
        recovery_ids = pick(urea_t > 0, f"measured:urea_t + {uptake.factor_id}", recovery_ids)

    generated = ammonia_t * fuel * carbon * C_TO_CO2 / 1000.0
    excess = recovered_t > generated * (1 + 1e-12)
    if excess.any():
        raise ActivityDataError(
            "ammonia_production: CO2 recovered for urea exceeds the CO2 generated",
            rows=list(labels[excess]),
            fix="check urea_t / co2_recovered_t against the ammonia produced",
        )
    co2_t = ammonia_co2(
        ammonia_t, fuel_gj_per_t=fuel, carbon_content_kg_per_gj=carbon, co2_recovered_t=recovered_t
    )
    ids = join_ids(fuel_ids, carbon_ids, recovery_ids)
    return result_frame(rows, [(None, "2.B.1", "CO2", co2_t, ids)])


def _abatement_columns(rows: pd.DataFrame):
    labels = rows.index
    df = check_fraction(column(rows, "destruction_fraction"), "destruction_fraction", labels=labels)
    asuf = check_fraction(
        column(rows, "abatement_utilisation"), "abatement_utilisation", labels=labels
    )
    return df, asuf


def _compute_nitric(rows: pd.DataFrame, lib) -> pd.DataFrame:
    acid_t = start(rows, "nitric_acid_production", NITRIC_ITEMS)
    df, asuf = _abatement_columns(rows)
    abated = item_in(rows, NITRIC_ABATED)
    double = abated & (np.nan_to_num(df) > 0)
    if double.any():
        raise ActivityDataError(
            "nitric_acid_production: the NSCR and process-integrated factors of Table 3.3 "
            "already include abatement; a destruction_fraction would count it twice",
            rows=list(rows.index[double]),
            fix="drop destruction_fraction on these rows, or use the unabated plant type with it",
        )
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_kg_per_t", "kg/t", table=CHEMICALS, gas="N2O"
    )
    has_df = ~np.isnan(df)
    n2o_t = nitric_acid_n2o(
        acid_t,
        ef_kg_per_t=ef,
        destruction_fraction=np.nan_to_num(df),
        abatement_utilisation=np.where(np.isnan(asuf), 1.0, asuf),
    )
    df_ids = pick(has_df, "measured:destruction_fraction", "")
    asuf_ids = pick(has_df & ~np.isnan(asuf), "measured:abatement_utilisation", "")
    return result_frame(rows, [(None, "2.B.2", "N2O", n2o_t, join_ids(ef_ids, df_ids, asuf_ids))])


def _abatement_default(
    rows: pd.DataFrame, lib, parameter: str, name: str, abating: np.ndarray, unabated: float
):
    """Adipic-acid abatement parameter: the default on abating rows, ``unabated`` on the others,
    then replaced by column ``name`` where it is given (on any row)."""
    values, ids = lookup(
        lib,
        rows,
        parameter,
        "1",
        need=abating & np.isnan(column(rows, name)),
        table=CHEMICALS,
        gas="N2O",
    )
    return override(rows, name, np.where(abating, values, unabated), ids)


def _compute_adipic(rows: pd.DataFrame, lib) -> pd.DataFrame:
    acid_t = start(rows, "adipic_acid_production", ADIPIC_ITEMS)
    _abatement_columns(rows)  # validates both shares; the defaults come below
    constant = np.full(len(rows), "adipic_acid", dtype=object)
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_kg_per_t", "kg/t", items=constant, table=CHEMICALS, gas="N2O"
    )
    abating = ~item_in(rows, ("unabated",))
    df, df_ids = _abatement_default(
        rows, lib, "destruction_factor", "destruction_fraction", abating, 0.0
    )
    asuf, asuf_ids = _abatement_default(
        rows, lib, "utilisation_factor", "abatement_utilisation", abating, 1.0
    )
    n2o_t = adipic_acid_n2o(
        acid_t,
        ef_kg_per_t=ef,
        destruction_fraction=np.nan_to_num(df),
        abatement_utilisation=np.where(np.isnan(asuf), 1.0, asuf),
    )
    return result_frame(rows, [(None, "2.B.3", "N2O", n2o_t, join_ids(ef_ids, df_ids, asuf_ids))])


def _compute_carbide(rows: pd.DataFrame, lib) -> pd.DataFrame:
    product_t = start(rows, "carbide_production", CARBIDE_ITEMS)
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_t_per_t", "t/t", table=CHEMICALS, gas="CO2"
    )
    silicon = item_in(rows, ("silicon_carbide",))
    pieces = [(None, "2.B.5", "CO2", carbide_emissions(product_t, ef_t_per_t=ef), ef_ids)]
    if silicon.any():
        ch4, ch4_ids = lookup(lib, rows, "ef", "t/t", need=silicon, table=CHEMICALS, gas="CH4")
        ch4_t = carbide_emissions(product_t, ef_t_per_t=np.nan_to_num(ch4))
        pieces.append((silicon, "2.B.5", "CH4", ch4_t, ch4_ids))
    return result_frame(rows, pieces)


def _compute_soda_ash(rows: pd.DataFrame, lib) -> pd.DataFrame:
    input_t = start(rows, "soda_ash_production", SODA_ASH_ITEMS)
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_t_per_t", "t/t", table=CHEMICALS, gas="CO2"
    )
    return result_frame(
        rows, [(None, "2.B.7", "CO2", soda_ash_co2(input_t, ef_t_per_t=ef), ef_ids)]
    )


ACTIVITY_KINDS = [
    process_kind(
        "ammonia_production",
        _compute_ammonia,
        optional=("fuel_gj_per_t", "carbon_content_kg_per_gj", "urea_t", "co2_recovered_t"),
        items=AMMONIA_ITEMS,
        description="Ammonia produced by process route (t); Vol.3 Eq. 3.1, Table 3.1; CO2 "
        "recovered for urea deducted (2.B.1)",
    ),
    process_kind(
        "nitric_acid_production",
        _compute_nitric,
        optional=("ef_kg_per_t", "destruction_fraction", "abatement_utilisation"),
        items=NITRIC_ITEMS,
        description="Nitric acid (100 % HNO3) by plant type (t); Vol.3 Eq. 3.6, Table 3.3 (2.B.2)",
    ),
    process_kind(
        "adipic_acid_production",
        _compute_adipic,
        optional=("ef_kg_per_t", "destruction_fraction", "abatement_utilisation"),
        items=ADIPIC_ITEMS,
        description="Adipic acid by abatement technology (t); Vol.3 Eq. 3.8, Table 3.4 (2.B.3)",
    ),
    process_kind(
        "carbide_production",
        _compute_carbide,
        optional=("ef_t_per_t",),
        items=CARBIDE_ITEMS,
        description="Calcium / silicon carbide produced (t); Vol.3 Tables 3.7, 3.8 (2.B.5)",
    ),
    process_kind(
        "soda_ash_production",
        _compute_soda_ash,
        optional=("ef_t_per_t",),
        items=SODA_ASH_ITEMS,
        description="Natural soda ash: trona used or soda ash produced (t); Vol.3 section 3.7 "
        "(2.B.7)",
    ),
]
