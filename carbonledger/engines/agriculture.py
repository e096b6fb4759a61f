"""Agriculture engine (IPCC 2006 Vol. 4, Ch. 10, 11 and 5): livestock, rice and managed soils.

This module holds the livestock kernels and computes (enteric fermentation, 3.A.1; manure
management, 3.A.2 and 3.C.6; N deposited on pasture by grazing animals, 3.C.4 / 3.C.5) and
declares every agriculture activity kind; rice cultivation lives in
:mod:`carbonledger.engines.agriculture_rice`, managed soils, liming and urea in
:mod:`carbonledger.engines.agriculture_soils`.

Kernels are plain numpy functions that take their factors as keyword arguments (numbers or
arrays); ``compute_*`` functions look the Tier 1 defaults up in the factor library once per
distinct item, apply Tier 2 override columns and return result rows.

Activity kinds
--------------
``enteric_fermentation``
    item = animal (``dairy_cattle``, ``other_cattle``, ``buffalo``, ``sheep``, ``goats``,
    ``swine``, ``horses``, ``camels``, ``mules_asses``), value = head (annual average
    population). Optional: ``ef_kg_per_head`` (measured EF), or ``ge_mj_per_day`` with
    ``ym_pct`` (Tier 2, Eq. 10.21; Ym defaults from Tables 10.12-10.13 where they exist).
``manure_management``
    item = animal (the above plus ``poultry``), value = head; required ``avg_temp_c`` (annual
    average temperature, selects the Table 10.14 column or the Table 10.15 climate);
    optional system shares ``ms_<system>`` (fraction of the animal's manure N handled in each
    system, each 0..1, sum <= 1; ``ms_pasture`` is N deposited on pasture, range and paddock),
    ``ef_ch4_kg_per_head``, ``nex_kg_per_head``, ``frac_gas_ms``, ``frac_leach_ms``.

Examples
--------
>>> from carbonledger.engines.agriculture import enteric_ch4
>>> float(enteric_ch4(1000.0, ef_kg_per_head=68.0))  # 1000 dairy cattle, Asia, Table 10.11
68.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from ..grouping import category_isin, gather_categorical
from ..kinds import ActivityKind
from . import agriculture_rice, agriculture_soils
from .afolu_common import (
    N2ON_TO_N2O,
    FactorFetcher,
    activity_value,
    as_ids,
    check_fraction,
    check_items,
    check_non_negative,
    column_or_nan,
    concat_results,
    join_ids,
    put_ids,
    result_frame,
    text_column,
    vocabulary,
)

__all__ = [
    "ACTIVITY_KINDS",
    "MANURE_SYSTEMS",
    "enteric_ch4",
    "enteric_ef_tier2",
    "manure_ch4",
    "n_excretion",
    "manure_n2o_direct",
    "manure_n_volatilised",
    "manure_n2o_indirect",
    "compute_enteric",
    "compute_manure",
]

#: Manure management systems with an EF3 in ``agriculture_manure_systems`` (Table 10.21).
MANURE_SYSTEMS = (
    "daily_spread", "solid_storage", "dry_lot", "liquid_slurry_crust", "liquid_slurry_no_crust",
    "anaerobic_lagoon", "pit_storage", "anaerobic_digester", "deep_bedding_no_mixing",
    "deep_bedding_active_mixing", "composting_in_vessel", "composting_static_pile",
    "poultry_with_litter", "poultry_without_litter", "aerobic_natural", "aerobic_forced",
)
_SHARE_COLUMNS = tuple(f"ms_{s}" for s in MANURE_SYSTEMS) + ("ms_pasture",)
#: Table 10.22 animal groups. Buffalo is read as "other cattle" (an assumption: Table 10.22
#: has no buffalo row).
_GAS_GROUP = {"dairy_cattle": "dairy_cattle", "other_cattle": "other_cattle",
              "buffalo": "other_cattle", "swine": "swine", "poultry": "poultry"}
_LIVESTOCK = "agriculture_livestock"


# --------------------------------------------------------------------------- kernels
def enteric_ch4(head, *, ef_kg_per_head) -> np.ndarray:
    """Enteric fermentation CH4 in tonnes (IPCC 2006 Vol. 4, Eq. 10.19).

    Parameters
    ----------
    head : annual average population (head).
    ef_kg_per_head : emission factor, kg CH4 per head per year (Tables 10.10-10.11 or Eq. 10.21).

    Examples
    --------
    >>> float(enteric_ch4([500.0, 500.0], ef_kg_per_head=47.0).sum())
    47.0
    """
    return np.asarray(head, dtype="float64") * np.asarray(ef_kg_per_head, dtype="float64") / 1e3


def enteric_ef_tier2(ge_mj_per_day, *, ym_pct, ch4_mj_per_kg: float = 55.65) -> np.ndarray:
    """Tier 2 enteric emission factor, kg CH4 per head per year (Eq. 10.21).

    ``EF = GE x (Ym / 100) x 365 / 55.65``.

    Examples
    --------
    >>> round(float(enteric_ef_tier2(200.0, ym_pct=6.5)), 2)
    85.27
    """
    ge = np.asarray(ge_mj_per_day, dtype="float64")
    return ge * (np.asarray(ym_pct, dtype="float64") / 100.0) * 365.0 / ch4_mj_per_kg


def manure_ch4(head, *, ef_kg_per_head) -> np.ndarray:
    """Manure management CH4 in tonnes (Eq. 10.22).

    Examples
    --------
    >>> float(manure_ch4(1000.0, ef_kg_per_head=18.0))
    18.0
    """
    return np.asarray(head, dtype="float64") * np.asarray(ef_kg_per_head, dtype="float64") / 1e3


def n_excretion(n_rate_kg_per_t_day, typical_animal_mass_kg) -> np.ndarray:
    """Annual N excretion, kg N per head per year (Eq. 10.30).

    ``Nex = Nrate x TAM / 1000 x 365`` with Nrate in kg N per 1000 kg animal mass per day.

    Examples
    --------
    >>> round(float(n_excretion(0.47, 350.0)), 4)  # dairy cattle, Asia (Table 10.19)
    60.0425
    """
    return (np.asarray(n_rate_kg_per_t_day, dtype="float64")
            * np.asarray(typical_animal_mass_kg, dtype="float64") / 1e3 * 365.0)


def _weighted(ms_share, factor) -> np.ndarray:
    share = np.atleast_2d(np.asarray(ms_share, dtype="float64"))
    return (share * np.asarray(factor, dtype="float64")).sum(axis=-1)


def manure_n2o_direct(head, *, nex_kg_per_head, ms_share, ef3) -> np.ndarray:
    """Direct N2O from manure management in tonnes (Eq. 10.25).

    ``N2O = head x Nex x sum_s(MS_s x EF3_s) x 44/28``.

    Parameters
    ----------
    head : head per row, shape (n,).
    nex_kg_per_head : kg N per head per year, shape (n,) or scalar.
    ms_share : fraction of manure N per system, shape (n, k) or (k,).
    ef3 : kg N2O-N per kg N per system, shape (k,) or (n, k).

    Examples
    --------
    >>> round(float(manure_n2o_direct([1000.0], nex_kg_per_head=60.0,
    ...                               ms_share=[[0.5, 0.5]], ef3=[0.005, 0.0])[0]), 6)
    0.235714
    """
    n_kg = np.asarray(head, dtype="float64") * np.asarray(nex_kg_per_head, dtype="float64")
    return n_kg * _weighted(ms_share, ef3) * N2ON_TO_N2O / 1e3


def manure_n_volatilised(head, *, nex_kg_per_head, ms_share, frac_gas_ms) -> np.ndarray:
    """Manure N lost as NH3 and NOx, kg N (Eq. 10.26).

    Examples
    --------
    >>> float(manure_n_volatilised([10.0], nex_kg_per_head=50.0, ms_share=[[1.0]],
    ...                            frac_gas_ms=[0.3])[0])
    150.0
    """
    n_kg = np.asarray(head, dtype="float64") * np.asarray(nex_kg_per_head, dtype="float64")
    return n_kg * _weighted(ms_share, frac_gas_ms)


def manure_n2o_indirect(head, *, nex_kg_per_head, ms_share, frac_gas_ms, ef4,
                        frac_leach_ms=0.0, ef5=0.0) -> np.ndarray:
    """Indirect N2O from manure management in tonnes (Eq. 10.27 and 10.29).

    ``N2O = (N_volatilised x EF4 + N_leached x EF5) x 44/28`` where N_leached uses one
    leaching fraction for the row's managed systems.

    Examples
    --------
    >>> round(float(manure_n2o_indirect([1000.0], nex_kg_per_head=60.0, ms_share=[[1.0]],
    ...                                 frac_gas_ms=[0.3], ef4=0.01)[0]), 6)
    0.282857
    """
    volatilised_kg = manure_n_volatilised(head, nex_kg_per_head=nex_kg_per_head,
                                          ms_share=ms_share, frac_gas_ms=frac_gas_ms)
    managed_kg = (np.asarray(head, dtype="float64") * np.asarray(nex_kg_per_head, dtype="float64")
                  * np.atleast_2d(np.asarray(ms_share, dtype="float64")).sum(axis=-1))
    leached_kg = managed_kg * np.asarray(frac_leach_ms, dtype="float64")
    n2o_n_kg = volatilised_kg * np.asarray(ef4, dtype="float64") + leached_kg * np.asarray(ef5)
    return n2o_n_kg * N2ON_TO_N2O / 1e3


# --------------------------------------------------------------------------- computes
def _head(rows: pd.DataFrame, kind: str) -> np.ndarray:
    return activity_value(rows, what="value (head)", kind=kind)


def compute_enteric(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Enteric fermentation CH4 (category 3.A.1) for ``enteric_fermentation`` rows.

    Tier 1 EF from Tables 10.10-10.11 (Asia / developing countries); a row with
    ``ef_kg_per_head`` uses it; a row with ``ge_mj_per_day`` uses Eq. 10.21 with ``ym_pct``
    (or the Table 10.12-10.13 default Ym of the animal).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"item": ["dairy_cattle"], "value": [1000.0],
    ...                      "ef_kg_per_head": [68.0]})
    >>> float(compute_enteric(rows, lib=None)["emissions_t"].iloc[0])
    68.0
    """
    kind = "enteric_fermentation"
    head = _head(rows, kind)
    measured = column_or_nan(rows, "ef_kg_per_head")
    ge = column_or_nan(rows, "ge_mj_per_day")
    ym = column_or_nan(rows, "ym_pct")
    tier1 = np.isnan(measured) & np.isnan(ge)
    tier2 = np.isnan(measured) & ~np.isnan(ge)
    check_non_negative(np.where(np.isnan(measured), 0.0, measured), rows.index,
                       what="ef_kg_per_head", kind=kind)
    check_non_negative(np.where(np.isnan(ge), 0.0, ge), rows.index, what="ge_mj_per_day", kind=kind)
    ef = measured.copy()
    ids = as_ids("measured:ef_kg_per_head", len(rows))
    items = text_column(rows, "item", "nan")
    if tier1.any() or tier2.any():
        fetch = FactorFetcher(lib)
        check_items(items[tier1 | tier2], vocabulary(lib, _LIVESTOCK, "ef_enteric_ch4"),
                    what="animal", kind=kind)
    if tier1.any():
        values, fids = fetch.many("ef_enteric_ch4", items[tier1].to_frame("item"),
                                  unit="kg/head/yr")
        ef[tier1], ids = values, put_ids(ids, tier1, fids)
    if tier2.any():
        need_ym = tier2 & np.isnan(ym)
        ym_ids = as_ids("measured:ym_pct", len(rows))
        if need_ym.any():
            known = vocabulary(lib, "agriculture_livestock_tier2", "ym")
            lacking = need_ym & ~category_isin(items, known)
            if lacking.any():
                raise ActivityDataError(
                    f"{kind}: no default Ym (Tables 10.12-10.13) for this animal",
                    rows=rows.index[lacking].tolist(),
                    fix=f"give column ym_pct (defaults exist for {', '.join(known)})")
            values, fids = fetch.many("ym", items[need_ym].to_frame("item"))
            ym[need_ym], ym_ids = values, put_ids(ym_ids, need_ym, fids)
        energy = fetch.get("ch4_energy_content", "livestock", unit="MJ/kg")
        ef[tier2] = enteric_ef_tier2(ge[tier2], ym_pct=ym[tier2], ch4_mj_per_kg=energy.value)
        ids = put_ids(ids, tier2, join_ids("measured:ge_mj_per_day", ym_ids[tier2],
                                           energy.factor_id))
    return result_frame(rows.index, "3.A.1", "CH4", enteric_ch4(head, ef_kg_per_head=ef), ids)


def _temperature_keys(rows: pd.DataFrame, items: pd.Series, kind: str) -> pd.DataFrame:
    """Look-up keys of Tables 10.14-10.15: the animal, the temperature column (10..28 degC)
    and the climate, as categoricals (each distinct temperature is turned into text once)."""
    temp_c = column_or_nan(rows, "avg_temp_c")
    bad = np.isnan(temp_c)
    if bad.any():
        raise ActivityDataError(f"{kind}: column avg_temp_c (annual average temperature, degC) "
                                "is missing or not a number", rows=rows.index[bad].tolist(),
                                fix="give avg_temp_c for every manure_management row")
    column = np.clip(np.rint(temp_c), 10, 28).astype(int) - 10
    climate = np.where(temp_c < 15, 0, np.where(temp_c > 25, 2, 1))
    return pd.DataFrame({
        "item": items.array,
        "temperature_c": pd.Categorical.from_codes(column, [str(t) for t in range(10, 29)],
                                                   validate=False),
        "climate": pd.Categorical.from_codes(climate, ["cool", "temperate", "warm"],
                                             validate=False),
    }, index=rows.index)


def _shares(rows: pd.DataFrame, kind: str) -> np.ndarray:
    shares = np.zeros((len(rows), len(_SHARE_COLUMNS)))
    for position, column in enumerate(_SHARE_COLUMNS):
        if column in rows.columns:
            shares[:, position] = np.nan_to_num(check_fraction(
                column_or_nan(rows, column), rows.index, what=column, kind=kind))
    over = shares.sum(axis=1) > 1.0 + 1e-9
    if over.any():
        raise ActivityDataError(f"{kind}: manure system shares (ms_*) add up to more than 1",
                                rows=rows.index[over].tolist(),
                                fix="give each ms_<system> as the fraction of manure N, total <= 1")
    return shares


def _system_mask(used: np.ndarray) -> np.ndarray:
    """One int64 per row whose bit ``j`` says the row uses manure system ``j``."""
    mask = np.zeros(len(used), dtype=np.int64)
    for j in np.flatnonzero(used.any(axis=0)):
        mask |= used[:, j].astype(np.int64) << j
    return mask


def _frac_gas_matrix(rows, items: pd.Series, shares: np.ndarray, fetch, kind: str):
    """Frac_GasMS per row and managed system (rows with a measured frac_gas_ms use it).

    Factors are fetched per system and Table 10.22 animal group present (system by system,
    groups in alphabetical order); values and ids are built once per distinct combination of
    group and systems used, then gathered to the rows."""
    k = len(MANURE_SYSTEMS)
    measured = check_fraction(column_or_nan(rows, "frac_gas_ms"), rows.index,
                              what="frac_gas_ms", kind=kind)
    group_names = sorted({*_GAS_GROUP.values(), "other"})
    other = group_names.index("other")
    per_category = np.array([group_names.index(_GAS_GROUP[c]) if c in _GAS_GROUP else other
                             for c in items.cat.categories] + [other], dtype=np.int64)
    item_codes = items.cat.codes.to_numpy()
    groups = per_category[np.where(item_codes >= 0, item_codes, len(per_category) - 1)]
    active = (shares > 0) & np.isnan(measured)[:, None]
    key = groups * (np.int64(1) << k) + _system_mask(active)
    uniques, combo = np.unique(key, return_inverse=True)
    combos = [divmod(int(u), 1 << k) for u in uniques]
    pairs = sorted({(j, g) for g, used in combos for j in range(k) if used >> j & 1})
    value_of: dict[tuple[int, int], float] = {}
    id_of: dict[tuple[int, int], str] = {}
    for j, g in pairs:
        try:
            factor = fetch.get("frac_gas_ms", MANURE_SYSTEMS[j], animal_group=group_names[g])
        except LookupError:
            mask = active[:, j] & (groups == g)
            raise ActivityDataError(
                f"{kind}: IPCC 2006 Table 10.22 has no default Frac_GasMS for "
                f"{group_names[g]} manure in {MANURE_SYSTEMS[j]}", rows=rows.index[mask].tolist(),
                fix="give column frac_gas_ms (fraction of managed manure N volatilised)",
            ) from None
        value_of[(j, g)], id_of[(j, g)] = factor.value, factor.factor_id
    table = np.zeros((len(combos), k))
    labels = []
    for position, (g, used) in enumerate(combos):
        systems = [j for j in range(k) if used >> j & 1]
        for j in systems:
            table[position, j] = value_of[(j, g)]
        labels.append("+".join(id_of[(j, g)] for j in systems))
    frac = table[combo]
    use = ~np.isnan(measured)
    frac[use] = measured[use, None]
    return frac, put_ids(gather_categorical(labels, combo), use, "measured:frac_gas_ms")


def compute_manure(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Manure management CH4 and N2O for ``manure_management`` rows.

    Returns CH4 (3.A.2), direct N2O (3.A.2, Eq. 10.25), indirect N2O (3.C.6, Eq. 10.26-10.29)
    and, for rows with ``ms_pasture`` > 0, direct (3.C.4, EF3PRP of Table 11.1) and indirect
    (3.C.5, Eq. 11.9-11.10) N2O from N deposited by grazing animals.

    Examples
    --------
    1000 dairy cattle in Asia at 20 degC: 18 kg CH4/head/yr (IPCC 2006 Vol.4 Table 10.14).

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["dairy_cattle"], "value": [1000.0],
    ...                      "avg_temp_c": [20.0]})
    >>> out = compute_manure(rows, cl.load_factors())
    >>> float(out.loc[(out["category"] == "3.A.2") & (out["gas"] == "CH4"), "emissions_t"].sum())
    18.0
    """
    kind = "manure_management"
    head = _head(rows, kind)
    items = text_column(rows, "item", "nan")
    check_items(items, vocabulary(lib, _LIVESTOCK, "ef_manure_ch4"), what="animal", kind=kind)
    keys = _temperature_keys(rows, items, kind)
    shares = _shares(rows, kind)
    fetch = FactorFetcher(lib)
    n = len(rows)

    ef_ch4, ch4_ids = fetch.many("ef_manure_ch4", keys, unit="kg/head/yr")
    measured_ef = column_or_nan(rows, "ef_ch4_kg_per_head")
    use = ~np.isnan(measured_ef)
    ef_ch4[use] = measured_ef[use]
    ch4_ids = put_ids(ch4_ids, use, "measured:ef_ch4_kg_per_head")
    frames = [result_frame(rows.index, "3.A.2", "CH4", manure_ch4(head, ef_kg_per_head=ef_ch4),
                           ch4_ids)]

    nex = column_or_nan(rows, "nex_kg_per_head")
    nex_ids = as_ids("measured:nex_kg_per_head", n)
    need = np.isnan(nex)
    if need.any():
        animals = items[need].to_frame("item")
        rate, rate_ids = fetch.many("n_rate", animals, unit="kg/t/day")
        mass, mass_ids = fetch.many("typical_animal_mass", animals, unit="kg")
        nex[need] = n_excretion(rate, mass)
        nex_ids = put_ids(nex_ids, need, join_ids(rate_ids, mass_ids))

    managed = shares[:, :-1]
    used = managed.any(axis=0)
    ef3 = np.zeros(len(MANURE_SYSTEMS))
    ef3_id = {}
    for j in np.flatnonzero(used):
        factor = fetch.get("ef3", MANURE_SYSTEMS[j])
        ef3[j], ef3_id[j] = factor.value, factor.factor_id
    # one integer per row says which systems it uses; each distinct mask's id is built once
    masks, mask_codes = np.unique(_system_mask(managed > 0), return_inverse=True)
    mask_ids = gather_categorical(["+".join(ef3_id[j] for j in sorted(ef3_id) if m >> j & 1)
                                   for m in masks.tolist()], mask_codes)
    ef3_ids = join_ids(nex_ids, mask_ids)
    direct = manure_n2o_direct(head, nex_kg_per_head=nex, ms_share=managed, ef3=ef3)
    frames.append(result_frame(rows.index, "3.A.2", "N2O", direct, ef3_ids))

    frac_gas, gas_ids = _frac_gas_matrix(rows, items, managed, fetch, kind)
    leach = np.nan_to_num(check_fraction(column_or_nan(rows, "frac_leach_ms"), rows.index,
                                         what="frac_leach_ms", kind=kind))
    ef4 = fetch.get("ef4", "managed_soils")
    ef5 = fetch.get("ef5", "managed_soils")
    indirect = manure_n2o_indirect(head, nex_kg_per_head=nex, ms_share=managed,
                                   frac_gas_ms=frac_gas, ef4=ef4.value, frac_leach_ms=leach,
                                   ef5=ef5.value)
    frames.append(result_frame(rows.index, "3.C.6", "N2O", indirect,
                               join_ids(nex_ids, gas_ids, ef4.factor_id, ef5.factor_id)))

    pasture = shares[:, -1] > 0
    if pasture.any():
        index = rows.index[pasture]
        prp_n_kg = head[pasture] * nex[pasture] * shares[pasture, -1]
        ef3_prp, prp_ids = fetch.many("ef3_prp", items[pasture].to_frame("item"))
        frames.append(result_frame(index, "3.C.4", "N2O",
                                   agriculture_soils.direct_n2o(prp_n_kg, ef1=ef3_prp),
                                   join_ids(nex_ids[pasture], prp_ids)))
        gas_f = fetch.get("frac_gas", "pasture_manure")
        leach_f = fetch.get("frac_leach", "pasture_manure")
        indirect_prp = (agriculture_soils.indirect_n2o_volatilisation(
            prp_n_kg, frac_gas=gas_f.value, ef4=ef4.value)
            + agriculture_soils.indirect_n2o_leaching(prp_n_kg, frac_leach=leach_f.value,
                                                      ef5=ef5.value))
        frames.append(result_frame(index, "3.C.5", "N2O", indirect_prp, join_ids(
            nex_ids[pasture], gas_f.factor_id, ef4.factor_id, leach_f.factor_id, ef5.factor_id)))
    return concat_results(frames)


ACTIVITY_KINDS = [
    ActivityKind(
        name="enteric_fermentation", sector="agriculture", unit="head", compute=compute_enteric,
        optional=("ef_kg_per_head", "ge_mj_per_day", "ym_pct"),
        description="Enteric fermentation CH4 (3.A.1), IPCC 2006 Tier 1 (Asia) or Tier 2 Eq. 10.21",
    ),
    ActivityKind(
        name="manure_management", sector="agriculture", unit="head", compute=compute_manure,
        required=("avg_temp_c",),
        optional=(*_SHARE_COLUMNS, "ef_ch4_kg_per_head", "nex_kg_per_head", "frac_gas_ms",
                  "frac_leach_ms"),
        description="Manure management CH4 and N2O (3.A.2, 3.C.6; pasture N to 3.C.4/3.C.5)",
        extra={"key_columns": ("avg_temp_c",)},
    ),
    *agriculture_rice.ACTIVITY_KINDS,
    *agriculture_soils.ACTIVITY_KINDS,
]
