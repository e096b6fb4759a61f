"""Managed soils N2O, liming and urea CO2 (IPCC 2006 Vol. 4, Ch. 11).

Direct N2O (3.C.4, Eq. 11.1): ``N2O-N = (F_SN + F_ON + F_CR + F_SOM) x EF1 + F_OS x EF2 +
F_PRP x EF3PRP``; indirect N2O (3.C.5): volatilisation (Eq. 11.9)
``(F_SN x Frac_GASF + (F_ON + F_PRP) x Frac_GASM) x EF4`` and leaching (Eq. 11.10)
``(F_SN + F_ON + F_PRP + F_CR + F_SOM) x Frac_LEACH x EF5``; N2O = N2O-N x 44/28.
Liming (3.C.2, Eq. 11.12) and urea (3.C.3, Eq. 11.13): CO2 = M x EF x 44/12.

Activity kinds (value = N in t, or kg converted by the core):

* ``synthetic_fertiliser`` (F_SN), ``organic_fertiliser`` (F_ON: manure, compost, sewage
  sludge), ``crop_residue`` (F_CR), ``som_mineralisation`` (F_SOM): item = any label of the N
  source. Optional: ``share_flooded_rice`` (fraction applied to flooded rice, EF1FR), ``climate``
  (``wet``/``dry``: selects the 2019 Refinement's disaggregated factors when that edition is
  preferred), overrides ``ef1``, ``frac_gas``, ``frac_leach`` (set 0 where no leaching occurs,
  Table 11.3), ``ef4``, ``ef5``.
* ``organic_soil_cultivation``: value = area of drained organic soils (ha); optional ``climate``
  (``temperate`` default / ``tropical``), override ``ef2_kg_per_ha``.
* ``liming``: item = ``limestone`` or ``dolomite``, value = t of lime; ``urea_application``:
  value = t of urea (item ``urea``). Override ``ef_t_c_per_t``.

Examples
--------
>>> from carbonledger.engines.agriculture_soils import direct_n2o
>>> round(float(direct_n2o(1_000_000.0, ef1=0.01)), 4)  # 1000 t N x EF1 0.01 x 44/28
15.7143
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kinds import ActivityKind
from .afolu_common import (
    C_TO_CO2,
    N2ON_TO_N2O,
    FactorFetcher,
    activity_value,
    apply_override,
    as_ids,
    check_fraction,
    check_items,
    column_or_nan,
    concat_results,
    join_ids,
    pick_ids,
    put_ids,
    result_frame,
    text_column,
    vocabulary,
)

__all__ = [
    "ACTIVITY_KINDS",
    "direct_n2o",
    "indirect_n2o_volatilisation",
    "indirect_n2o_leaching",
    "managed_soils_n2o_direct",
    "carbonate_co2",
    "compute_n_input",
    "compute_organic_soils",
    "compute_carbonate",
]

_TABLE = "agriculture_soils"


def direct_n2o(n_kg, *, ef1) -> np.ndarray:
    """Direct N2O in tonnes from N added to soil: ``N x EF x 44/28 / 1000`` (Eq. 11.1 term).

    Parameters
    ----------
    n_kg : N input, kg N.
    ef1 : kg N2O-N per kg N (EF1 0.01, EF1FR 0.003 or EF3PRP 0.02 / 0.01; Table 11.1).

    Examples
    --------
    >>> float(direct_n2o([280.0], ef1=0.01)[0]) * 1e3  # kg N2O
    4.4
    """
    return np.asarray(n_kg, dtype="float64") * np.asarray(ef1, dtype="float64") * N2ON_TO_N2O / 1e3


def indirect_n2o_volatilisation(n_kg, *, frac_gas, ef4) -> np.ndarray:
    """Indirect N2O in tonnes from atmospheric deposition of volatilised N (Eq. 11.9).

    Examples
    --------
    >>> round(float(indirect_n2o_volatilisation(1e6, frac_gas=0.10, ef4=0.01)), 5)
    1.57143
    """
    return (np.asarray(n_kg, dtype="float64") * np.asarray(frac_gas, dtype="float64")
            * np.asarray(ef4, dtype="float64") * N2ON_TO_N2O / 1e3)


def indirect_n2o_leaching(n_kg, *, frac_leach, ef5) -> np.ndarray:
    """Indirect N2O in tonnes from N leaching and runoff (Eq. 11.10).

    Examples
    --------
    >>> round(float(indirect_n2o_leaching(1e6, frac_leach=0.30, ef5=0.0075)), 5)
    3.53571
    """
    return (np.asarray(n_kg, dtype="float64") * np.asarray(frac_leach, dtype="float64")
            * np.asarray(ef5, dtype="float64") * N2ON_TO_N2O / 1e3)


def managed_soils_n2o_direct(*, f_sn_kg=0.0, f_on_kg=0.0, f_cr_kg=0.0, f_som_kg=0.0,
                             f_os_ha=0.0, f_prp_cpp_kg=0.0, f_prp_so_kg=0.0, ef1=0.01,
                             ef2_kg_per_ha=8.0, ef3_prp_cpp=0.02, ef3_prp_so=0.01) -> np.ndarray:
    """Direct N2O in tonnes from managed soils, all terms of Eq. 11.1 at once.

    The defaults are the IPCC 2006 Table 11.1 values (EF2 for temperate cropland/grassland).

    Examples
    --------
    >>> round(float(managed_soils_n2o_direct(f_sn_kg=1e6, f_prp_cpp_kg=1e5)), 4)
    18.8571
    """
    n2o_n_kg = ((np.asarray(f_sn_kg, dtype="float64") + f_on_kg + f_cr_kg + f_som_kg) * ef1
                + np.asarray(f_os_ha, dtype="float64") * ef2_kg_per_ha
                + np.asarray(f_prp_cpp_kg, dtype="float64") * ef3_prp_cpp
                + np.asarray(f_prp_so_kg, dtype="float64") * ef3_prp_so)
    return n2o_n_kg * N2ON_TO_N2O / 1e3


def carbonate_co2(mass_t, *, ef_t_c_per_t) -> np.ndarray:
    """CO2 in tonnes from liming or urea application (Eq. 11.12, 11.13): ``M x EF x 44/12``.

    Examples
    --------
    >>> round(float(carbonate_co2(100.0, ef_t_c_per_t=0.12)), 2)  # 100 t limestone
    44.0
    """
    return np.asarray(mass_t, dtype="float64") * np.asarray(ef_t_c_per_t) * C_TO_CO2


def _factor_column(rows, fetch, parameter, source, *, keys=None, override=None, what="fraction"):
    """Default per row (one look-up per distinct key) with an optional override column."""
    frame = pd.DataFrame({"item": source}, index=rows.index)
    for key, values in (keys or {}).items():
        frame[key] = values
    values, ids = fetch.many(parameter, frame)
    if override:
        check_fraction(column_or_nan(rows, override), rows.index, what=override,
                       kind=str(rows["activity"].iloc[0]) if "activity" in rows else "soils")
        values, ids = apply_override(rows, override, values, ids)
    return values, ids


def compute_n_input(rows: pd.DataFrame, lib, *, source: str) -> pd.DataFrame:
    """Direct (3.C.4) and indirect (3.C.5) N2O for one kind of N input (``source`` is
    ``synthetic_fertiliser``, ``organic_fertiliser``, ``crop_residue`` or
    ``som_mineralisation``); ``value`` is t N.

    Examples
    --------
    1000 t of synthetic N: direct N2O 1e6 kg x EF1 0.01 x 44/28 = 15.714 t (IPCC 2006
    Vol.4 Eq. 11.1), plus indirect N2O from volatilisation and leaching (3.C.5).

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["n"], "value": [1000.0]})
    >>> out = compute_n_input(rows, cl.load_factors(), source="synthetic_fertiliser")
    >>> round(float(out.loc[out["category"] == "3.C.4", "emissions_t"].sum()), 3)
    15.714
    """
    index = rows.index
    n_kg = activity_value(rows, what="value (t N)", kind=source) * 1e3
    flooded = np.nan_to_num(check_fraction(column_or_nan(rows, "share_flooded_rice"), index,
                                           what="share_flooded_rice", kind=source))
    keys = {"climate": rows["climate"].array} if "climate" in rows.columns else None
    fetch = FactorFetcher(lib, table=_TABLE)
    items = as_ids(source, len(rows))
    ef1, ef1_ids = _factor_column(rows, fetch, "ef1", items, keys=keys)
    if flooded.any():
        ef1_fr, fr_ids = _factor_column(rows, fetch, "ef1_flooded_rice", items)
        ef1 = (1.0 - flooded) * ef1 + flooded * ef1_fr
        ef1_ids = pick_ids(flooded > 0, join_ids(ef1_ids, fr_ids), ef1_ids)
    ef1, ef1_ids = apply_override(rows, "ef1", ef1, ef1_ids)
    frac_gas, gas_ids = _factor_column(rows, fetch, "frac_gas", items, override="frac_gas")
    frac_leach, leach_ids = _factor_column(rows, fetch, "frac_leach", items,
                                           override="frac_leach")
    managed = as_ids("managed_soils", len(rows))
    ef4, ef4_ids = _factor_column(rows, fetch, "ef4", managed, keys=keys, override="ef4")
    ef5, ef5_ids = _factor_column(rows, fetch, "ef5", managed, override="ef5")
    direct = direct_n2o(n_kg, ef1=ef1)
    indirect = (indirect_n2o_volatilisation(n_kg, frac_gas=frac_gas, ef4=ef4)
                + indirect_n2o_leaching(n_kg, frac_leach=frac_leach, ef5=ef5))
    return concat_results([
        result_frame(index, "3.C.4", "N2O", direct, ef1_ids),
        result_frame(index, "3.C.5", "N2O", indirect,
                     join_ids(gas_ids, ef4_ids, leach_ids, ef5_ids)),
    ])


def compute_organic_soils(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Direct N2O (3.C.4) from drained/managed organic soils under cropland and grassland
    (Eq. 11.1, F_OS x EF2; Table 11.1).

    Examples
    --------
    10 ha of drained temperate organic soil x EF2 8 kg N2O-N/ha (IPCC 2006 Vol.4 Table 11.1)
    x 44/28 = 0.1257 t N2O.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["histosol"], "value": [10.0]})
    >>> round(float(compute_organic_soils(rows, cl.load_factors())["emissions_t"].iloc[0]), 4)
    0.1257
    """
    kind = "organic_soil_cultivation"
    area_ha = activity_value(rows, what="value (area)", kind=kind)
    climate = text_column(rows, "climate", "temperate")
    check_items(climate, ["temperate", "tropical"], what="climate", kind=kind)
    fetch = FactorFetcher(lib, table=_TABLE)
    frame = pd.DataFrame({"item": as_ids("organic_soil", len(rows)), "climate": climate.array},
                         index=rows.index)
    ef2, ids = fetch.many("ef2", frame, unit="kg/ha/yr")
    ef2, ids = apply_override(rows, "ef2_kg_per_ha", ef2, ids)
    return result_frame(rows.index, "3.C.4", "N2O", area_ha * ef2 * N2ON_TO_N2O / 1e3, ids)


def compute_carbonate(rows: pd.DataFrame, lib, *, kind: str, category: str) -> pd.DataFrame:
    """CO2 from liming (3.C.2) or urea application (3.C.3); ``value`` is t of material.

    Examples
    --------
    100 t limestone x 0.12 t C/t x 44/12 = 44 t CO2 (IPCC 2006 Vol.4 Eq. 11.12).

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["limestone"], "value": [100.0]})
    >>> out = compute_carbonate(rows, cl.load_factors(), kind="liming", category="3.C.2")
    >>> round(float(out["emissions_t"].iloc[0]), 6)
    44.0
    """
    mass_t = activity_value(rows, what="value (t)", kind=kind)
    items = text_column(rows, "item", "nan")
    measured = ~np.isnan(column_or_nan(rows, "ef_t_c_per_t"))
    valid = ["urea"] if kind == "urea_application" else ["limestone", "dolomite"]
    valid = [v for v in valid if v in vocabulary(lib, _TABLE, "ef_co2_c")]
    check_items(items[~measured], valid, what="material", kind=kind)
    ef = np.zeros(len(rows))
    ids = as_ids("", len(rows))
    if (~measured).any():
        fetch = FactorFetcher(lib, table=_TABLE)
        ef[~measured], fids = fetch.many("ef_co2_c", items[~measured].to_frame("item"))
        ids = put_ids(ids, ~measured, fids)
    ef, ids = apply_override(rows, "ef_t_c_per_t", ef, ids)
    return result_frame(rows.index, category, "CO2", carbonate_co2(mass_t, ef_t_c_per_t=ef), ids)


def _n_kind(name: str, description: str) -> ActivityKind:
    return ActivityKind(
        name=name, sector="agriculture", unit="t",
        compute=lambda rows, lib: compute_n_input(rows, lib, source=name),
        optional=("share_flooded_rice", "climate", "ef1", "frac_gas", "frac_leach", "ef4", "ef5"),
        description=description,
    )


ACTIVITY_KINDS = [
    _n_kind("synthetic_fertiliser", "Synthetic N fertiliser (t N): direct 3.C.4 / indirect 3.C.5 N2O"),
    _n_kind("organic_fertiliser", "Organic N applied to soils (t N): direct 3.C.4 / indirect 3.C.5 N2O"),
    _n_kind("crop_residue", "N in crop residues returned to soils (t N): 3.C.4 / 3.C.5 N2O"),
    _n_kind("som_mineralisation", "N mineralised from soil organic matter loss (t N): 3.C.4 / 3.C.5"),
    ActivityKind(
        name="organic_soil_cultivation", sector="agriculture", unit="ha",
        compute=compute_organic_soils, optional=("climate", "ef2_kg_per_ha"),
        description="Drained organic soils under cropland/grassland (ha): direct N2O 3.C.4",
    ),
    ActivityKind(
        name="liming", sector="agriculture", unit="t",
        compute=lambda rows, lib: compute_carbonate(rows, lib, kind="liming", category="3.C.2"),
        optional=("ef_t_c_per_t",), items=("limestone", "dolomite"),
        description="Limestone / dolomite applied to soils (t): CO2 3.C.2",
    ),
    ActivityKind(
        name="urea_application", sector="agriculture", unit="t",
        compute=lambda rows, lib: compute_carbonate(rows, lib, kind="urea_application",
                                                    category="3.C.3"),
        optional=("ef_t_c_per_t",), items=("urea",),
        description="Urea applied to soils (t urea): CO2 3.C.3",
    ),
]
