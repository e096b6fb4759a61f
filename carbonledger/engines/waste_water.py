"""Wastewater CH4 and N2O (IPCC 2006 Vol.5 Ch.6, with the 2019 Refinement where preferred).

This module also holds the small row helpers shared by every waste engine (the activity-kind
registry imports :mod:`carbonledger.engines.waste`, which imports this module).

Methods
-------
Domestic CH4 (Eq. 6.1-6.3): ``CH4 = (TOW - S) x Bo x MCF - R``. TOW comes from population
(``P x BOD g/person/day x 365 x I x 1e-6`` t BOD, Table 6.4 and Eq. 6.3) or is given directly as
a mass of BOD or COD (item ``bod`` or ``cod``). Bo is 0.6 kg CH4/kg BOD or 0.25 kg CH4/kg COD
(Table 6.2). **BOD vs COD:** China's statistics report COD; carbonledger never converts COD to
BOD with a ratio: a COD load is used with the COD-based Bo (0.25), a BOD load with 0.6, so that
TOW and Bo always share a basis as Ch.6 requires.

Industrial CH4 (Eq. 6.4-6.6): ``CH4 = (TOW - S) x 0.25 x MCF - R`` with TOW in kg COD, given
directly or as production x wastewater per tonne x COD per m3 (Table 6.9).

Domestic N2O (Eq. 6.7-6.8, plus 2019R Table 6.8A for plants): ``N = P x protein x F_NPR x
F_NON-CON x F_IND-COM``; effluent ``N2O = (N x n_effluent_fraction - N_sludge) x EF_eff x 44/28``;
plants (only where the edition in use has an EF for the treatment system, i.e. the 2019R) ``N2O =
N x EF_plant x 44/28``.

Editions are never mixed silently: the MCF (or effluent EF) row found for a row fixes the source
(``ipcc2006/2006`` or ``ipcc2006/2019r``) and every dependent factor of that row is looked up in
the same source; the ``factor_id`` column lists each factor used.

Examples
--------
>>> round(float(wastewater_ch4_t(1000.0, bo_t_per_t=0.25, mcf=0.8)), 1)
200.0
>>> round(float(effluent_n2o_t(1000.0, ef_n2o_n_per_n=0.005)), 4)
7.8571
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..blocks import result_frame
from ..errors import ActivityDataError, MissingFactorError
from ..grouping import factorize_columns
from ..kinds import ActivityKind
from ..units import convert, parse_unit

__all__ = ["wastewater_ch4_t", "domestic_tow_t", "effluent_n2o_t", "ACTIVITY_KINDS",
           "DOMESTIC_SYSTEMS", "INDUSTRIAL_SYSTEMS", "N2O_PER_N2O_N"]

#: Molecular weight ratio N2O / N2O-N.
N2O_PER_N2O_N = 44.0 / 28.0

#: Treatment and discharge systems of 2006 Table 6.3 and 2019R Table 6.3 (domestic).
DOMESTIC_SYSTEMS = (
    "sea_river_lake_discharge", "other_aquatic_discharge", "reservoir_lake_estuary_discharge",
    "stagnant_sewer", "flowing_sewer", "centralised_aerobic_well_managed",
    "centralised_aerobic_overloaded", "anaerobic_digester_sludge", "anaerobic_reactor",
    "anaerobic_shallow_lagoon", "anaerobic_deep_lagoon", "wetland_surface_flow",
    "wetland_horizontal_subsurface", "wetland_vertical_subsurface", "septic_system",
    "septic_land_dispersal", "latrine_dry_family", "latrine_dry_communal", "latrine_wet",
    "latrine_sediment_removal",
)
#: Treatment and discharge systems of 2006 Table 6.8 (industrial).
INDUSTRIAL_SYSTEMS = (
    "sea_river_lake_discharge", "centralised_aerobic_well_managed",
    "centralised_aerobic_overloaded", "anaerobic_digester_sludge", "anaerobic_reactor",
    "anaerobic_shallow_lagoon", "anaerobic_deep_lagoon",
)
#: On-site systems: wastewater not collected in sewers (Eq. 6.3 factor I = 1.0).
_UNCOLLECTED = ("septic_system", "septic_land_dispersal", "latrine_dry_family",
                "latrine_dry_communal", "latrine_wet", "latrine_sediment_removal")


# ---------------------------------------------------------------------------------- kernels
def wastewater_ch4_t(tow_t, *, bo_t_per_t, mcf, sludge_removed_t=0.0, recovered_t=0.0):
    """CH4 (t) from organics in wastewater (Vol.5 Eq. 6.1 / 6.4).

    ``CH4 = (TOW - S) x Bo x MCF - R`` with TOW and S in t of BOD (or COD) and Bo in t CH4 per
    t of the same oxygen demand. Arrays broadcast.

    Examples
    --------
    >>> wastewater_ch4_t([100.0, 100.0], bo_t_per_t=0.6, mcf=[0.5, 0.0]).tolist()
    [30.0, 0.0]
    """
    tow = np.asarray(tow_t, dtype="float64")
    return (tow - sludge_removed_t) * bo_t_per_t * np.asarray(mcf, dtype="float64") - recovered_t


def domestic_tow_t(population, *, bod_g_per_person_day, industrial_correction=1.0):
    """Organics in domestic wastewater (t BOD/yr) from population (Vol.5 Eq. 6.3).

    ``TOW = P x BOD x 365 x I`` (g -> t: 1e-6).

    Examples
    --------
    >>> round(float(domestic_tow_t(10000, bod_g_per_person_day=40, industrial_correction=1.25)), 3)
    182.5
    """
    people = np.asarray(population, dtype="float64")
    return people * bod_g_per_person_day * 365.0 * industrial_correction * 1e-6


def effluent_n2o_t(nitrogen_t, *, ef_n2o_n_per_n=0.005):
    """N2O (t) from nitrogen (t N) and an EF in kg N2O-N per kg N (Vol.5 Eq. 6.7).

    Examples
    --------
    >>> round(float(effluent_n2o_t(28.0, ef_n2o_n_per_n=0.01)), 6)
    0.44
    """
    return np.asarray(nitrogen_t, dtype="float64") * ef_n2o_n_per_n * N2O_PER_N2O_N


# -------------------------------------------------------------------- helpers (all engines)
def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric parameter column as float64 (all NaN when the column is absent)."""
    if name not in rows.columns:
        return np.full(len(rows), np.nan)
    values = pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype="float64")
    bad = np.isnan(values) & rows[name].notna().to_numpy()
    if bad.any():
        raise ActivityDataError(f"column {name!r} holds a non-number",
                                rows=rows.index[bad].tolist(),
                                fix=f"give {name} as a number or leave it blank")
    return values


def _text(rows: pd.DataFrame, name: str, default: str | None = None) -> np.ndarray:
    """A text column as an object array of str (``default`` where absent or blank)."""
    if name not in rows.columns:
        return np.full(len(rows), default, dtype=object)
    codes, uniques = pd.factorize(rows[name].astype(object))
    cleaned = np.array([str(u).strip() for u in uniques] + [""], dtype=object)[codes]
    return np.where(cleaned == "", default, cleaned).astype(object)


def _flag(rows: pd.DataFrame, name: str) -> np.ndarray:
    """A yes/no column as booleans (absent or blank: False); refuses anything else."""
    lowered = np.char.lower(_text(rows, name, "no").astype(str))
    yes = np.isin(lowered, ["yes", "true", "1", "y"])
    no = np.isin(lowered, ["no", "false", "0", "n", "none"])
    if (~(yes | no)).any():
        raise ActivityDataError(f"column {name!r} must be yes or no",
                                rows=rows.index[~(yes | no)].tolist(),
                                fix=f"write yes/no in {name}")
    return yes


def _check_range(rows: pd.DataFrame, values: np.ndarray, name: str, *, upper: float | None = 1.0):
    """Refuse values below 0 (or above ``upper``) naming the rows; NaN (not given) passes."""
    bad = values < 0 if upper is None else (values < 0) | (values > upper)
    if np.any(bad):
        span = "non-negative" if upper is None else f"between 0 and {upper:g}"
        raise ActivityDataError(f"{name} must be {span}", rows=rows.index[bad].tolist(),
                                fix=f"give {name} {span}")


def _check_known(rows: pd.DataFrame, values: np.ndarray, allowed, name: str) -> None:
    """Refuse values of ``name`` outside ``allowed``, naming the values and rows."""
    bad = ~np.isin(values.astype(str), list(allowed))
    if bad.any():
        names = sorted({str(v) for v in values[bad]})
        raise ActivityDataError(f"unknown {name} {names}", rows=rows.index[bad].tolist(),
                                fix=f"use one of: {', '.join(allowed)}")


def _factor(lib, parameter: str, keys: pd.DataFrame, given: np.ndarray, measured: str, *,
           unit: str | None = None, source=None) -> tuple[np.ndarray, np.ndarray]:
    """Per-row factor: the measured column where given (id ``measured:<column>``), else the
    library default looked up once per distinct key (``source`` may be one id or an array)."""
    values = given.astype("float64").copy()
    ids = np.full(len(values), f"measured:{measured}", dtype=object)
    need = np.isnan(values)
    if not need.any():
        return values, ids
    single = source is None or isinstance(source, str)
    sources = (np.full(len(values), source, dtype=object) if single
               else np.asarray(source, dtype=object))
    for src in pd.unique(sources[need]):
        mask = need & (sources == src)
        values[mask], ids[mask] = _lookup(lib, parameter, keys.loc[mask], unit=unit, source=src)
    return values, ids


def _lookup(lib, parameter: str, keys: pd.DataFrame, *, unit=None, source=None):
    """``lib.get`` once per distinct row of ``keys`` (``item`` plus key columns), gathered back
    to rows; a miss raises :class:`MissingFactorError` naming every row that needs it."""
    columns = list(keys.columns)
    codes, uniques = factorize_columns(keys, columns)
    values = np.empty(len(uniques))
    ids = np.empty(len(uniques), dtype=object)
    missing = []
    for position, combo in enumerate(uniques.to_dict("records")):
        item = combo.pop("item")
        scoped = {k: v for k, v in combo.items() if isinstance(v, str) and v != ""}
        try:
            found = lib.get(parameter, item, unit=unit, source=source, **scoped)
        except MissingFactorError as exc:
            missing.append((position, exc))
            continue
        values[position], ids[position] = found.value, found.factor_id
    if missing:
        first = missing[0][1]
        bad = np.isin(codes, [p for p, _ in missing])
        raise MissingFactorError(first.message, rows=keys.index[bad].tolist(), fix=first.fix,
                                 parameter=parameter)
    return values[codes], ids[codes]


def _source_of(factor_ids: np.ndarray) -> np.ndarray:
    """The ``source/edition`` part of factor ids (None for measured values)."""
    codes, uniques = pd.factorize(pd.Series(factor_ids, dtype=object))
    sources = np.array([u.split(":")[0] if isinstance(u, str) and not u.startswith("measured:")
                        else None for u in uniques], dtype=object)
    return sources[codes]


def _join_ids(*parts: np.ndarray) -> np.ndarray:
    """Join factor-id arrays row-wise with ``"; "``, once per distinct combination."""
    frame = pd.DataFrame({i: pd.Series(part, dtype=object) for i, part in enumerate(parts)})
    codes, uniques = factorize_columns(frame, list(frame.columns))
    joined = np.array(["; ".join(str(v) for v in row) for row in uniques.itertuples(index=False)],
                      dtype=object)
    return joined[codes]


def _quantity(rows: pd.DataFrame, to_unit: str, mask: np.ndarray, what: str) -> np.ndarray:
    """``value`` of the masked rows converted to ``to_unit`` (NaN elsewhere)."""
    out = np.full(len(rows), np.nan)
    if not mask.any():
        return out
    sub = rows.loc[mask]
    target = parse_unit(to_unit).dimensionality
    units = sub["unit"].astype(str)
    wrong = ~units.map(lambda u: parse_unit(u).dimensionality == target).to_numpy()
    if wrong.any():
        raise ActivityDataError(f"{what} needs a unit convertible to {to_unit}",
                                rows=sub.index[wrong].tolist(), fix=f"give value in {to_unit}")
    out[mask] = convert(sub["value"].to_numpy(dtype="float64"), units.to_numpy(), to_unit)
    return out


def _recovered(rows: pd.DataFrame, generated_t: np.ndarray, what: str) -> np.ndarray:
    recovered = np.nan_to_num(_column(rows, "recovered_t"))
    _check_range(rows, recovered, "recovered_t", upper=None)
    over = recovered > generated_t * (1 + 1e-9) + 1e-12
    if over.any():
        raise ActivityDataError(f"recovered CH4 exceeds the CH4 {what} generates",
                                rows=rows.index[over].tolist(),
                                fix="recovered_t is tonnes of CH4 recovered (flared or used)")
    return recovered


def _sludge(rows: pd.DataFrame, tow_t: np.ndarray) -> np.ndarray:
    sludge = np.nan_to_num(_column(rows, "sludge_removed_t"))
    _check_range(rows, sludge, "sludge_removed_t", upper=None)
    if (sludge > tow_t).any():
        raise ActivityDataError("sludge_removed_t exceeds the organics in the wastewater (TOW)",
                                rows=rows.index[sludge > tow_t].tolist(),
                                fix="S is t of BOD/COD removed as sludge, at most TOW")
    return sludge


# ------------------------------------------------------------------------- activity kinds
def compute_domestic_wastewater(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Domestic wastewater CH4 (4.D.1): item ``population`` (person), ``bod`` or ``cod`` (mass).

    Columns: ``treatment_system`` (required), ``share`` (fraction of the population or load in
    that system, default 1), ``bod_g_per_person_day``, ``industrial_correction``, ``mcf``, ``bo``,
    ``sludge_removed_t`` (t BOD/COD), ``recovered_t`` (t CH4).
    """
    system = _text(rows, "treatment_system")
    _check_known(rows, system, DOMESTIC_SYSTEMS, "treatment_system")
    item = _text(rows, "item")
    _check_known(rows, item, ("population", "bod", "cod"), "item for domestic_wastewater")
    share = np.nan_to_num(_column(rows, "share"), nan=1.0)
    _check_range(rows, share, "share")
    people = item == "population"
    persons = _quantity(rows, "person", people, "a population row")
    load_t = _quantity(rows, "t", ~people, "a BOD/COD row")
    _check_range(rows, np.nan_to_num(np.where(people, persons, load_t)), "value", upper=None)
    keys = pd.DataFrame({"item": "wastewater", "treatment_system": system,
                         "wastewater": "domestic"}, index=rows.index, dtype=object)
    mcf, mcf_id = _factor(lib, "mcf", keys, _column(rows, "mcf"), "mcf")
    _check_range(rows, mcf, "mcf")
    edition = _source_of(mcf_id)
    basis = np.where(item == "cod", "cod", "bod")
    bo, bo_id = _factor(lib, "bo", keys.assign(basis=basis), _column(rows, "bo"), "bo",
                       unit="kg/kg", source=edition)
    tow = np.where(people, 0.0, load_t * share)
    ids = _join_ids(mcf_id, bo_id)
    if people.any():
        sub = rows.loc[people]
        pkeys = pd.DataFrame({"item": "wastewater", "country": "china"}, index=sub.index,
                             dtype=object)
        bod, bod_id = _factor(lib, "bod_per_capita", pkeys,
                             _column(sub, "bod_g_per_person_day"), "bod_g_per_person_day",
                             unit="g/person/d")
        collection = np.where(np.isin(system[people], _UNCOLLECTED), "uncollected", "collected")
        corr, corr_id = _factor(lib, "industrial_correction", pkeys.assign(collection=collection),
                               _column(sub, "industrial_correction"), "industrial_correction")
        tow[people] = domestic_tow_t(persons[people] * share[people], bod_g_per_person_day=bod,
                                     industrial_correction=corr)
        ids[people] = _join_ids(ids[people], bod_id, corr_id)
    sludge = _sludge(rows, tow)
    generated = wastewater_ch4_t(tow, bo_t_per_t=bo, mcf=mcf, sludge_removed_t=sludge)
    ch4 = generated - _recovered(rows, generated, "the wastewater")
    return result_frame(rows.index, "4.D.1", "CH4", ch4, ids)


def compute_domestic_wastewater_n2o(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Domestic wastewater N2O (4.D.1) from population and protein (Eq. 6.7-6.8; 2019R plants).

    Columns: ``protein_kg_per_person_yr`` (required), ``share``, ``treatment_system`` (for the
    2019R plant EF), ``garbage_disposal`` (yes/no: F_NON-CON 1.4/1.1), ``n_effluent_fraction``
    (N left after treatment, default 1), ``n_sludge_t``, ``n2o_ef_effluent``, ``n2o_ef_plant``.
    """
    people = rows["value"].to_numpy(dtype="float64")
    protein = _column(rows, "protein_kg_per_person_yr")
    _check_range(rows, np.nan_to_num(protein), "protein_kg_per_person_yr", upper=None)
    share = np.nan_to_num(_column(rows, "share"), nan=1.0)
    _check_range(rows, share, "share")
    kept = np.nan_to_num(_column(rows, "n_effluent_fraction"), nan=1.0)
    _check_range(rows, kept, "n_effluent_fraction")
    system = _text(rows, "treatment_system", "")
    given = system != ""
    if given.any():
        _check_known(rows.loc[given], system[given], DOMESTIC_SYSTEMS, "treatment_system")
    keys = pd.DataFrame({"item": "wastewater"}, index=rows.index, dtype=object)
    ef_eff, eff_id = _factor(lib, "n2o_ef_effluent", keys, _column(rows, "n2o_ef_effluent"),
                            "n2o_ef_effluent")
    edition = _source_of(eff_id)
    fnpr, fnpr_id = _factor(lib, "n_fraction_protein", keys, np.full(len(rows), np.nan), "",
                           unit="kg/kg")
    disposal = np.where(_flag(rows, "garbage_disposal"), "yes", "no")
    noncon, noncon_id = _factor(lib, "non_consumed_protein", keys.assign(garbage_disposal=disposal),
                               _column(rows, "non_consumed_protein"), "non_consumed_protein")
    indcom, indcom_id = _factor(lib, "industrial_commercial_protein", keys,
                               _column(rows, "industrial_commercial_protein"),
                               "industrial_commercial_protein")
    nitrogen_t = people * share * protein * fnpr * noncon * indcom * 1e-3
    n_sludge = np.nan_to_num(_column(rows, "n_sludge_t"))
    _check_range(rows, n_sludge, "n_sludge_t", upper=None)
    effluent_n = nitrogen_t * kept - n_sludge
    if (effluent_n < -1e-12).any():
        raise ActivityDataError("n_sludge_t exceeds the nitrogen in the wastewater",
                                rows=rows.index[effluent_n < -1e-12].tolist(),
                                fix="n_sludge_t is t N removed with sludge, at most the N load")
    n2o = effluent_n2o_t(effluent_n, ef_n2o_n_per_n=ef_eff)
    ids = _join_ids(eff_id, fnpr_id, noncon_id, indcom_id)
    plant = _column(rows, "n2o_ef_plant")
    plant_id = np.where(np.isnan(plant), "", "measured:n2o_ef_plant").astype(object)
    # The plant EF exists only in editions that define one (2019R Table 6.8A): look it up in
    # the same source as the effluent EF, and only where that source has the system.
    table = lib.table("waste_wastewater")
    for src in pd.unique(edition[given & np.isnan(plant)]):
        listed = table.loc[(table["source"] == src) & (table["parameter"] == "n2o_ef_plant"),
                           "treatment_system"] if "treatment_system" in table else pd.Series()
        mask = given & np.isnan(plant) & (edition == src) & np.isin(system, listed.to_numpy())
        if mask.any():
            pkeys = keys.loc[mask].assign(treatment_system=system[mask], wastewater="domestic")
            plant[mask], plant_id[mask] = _lookup(lib, "n2o_ef_plant", pkeys, source=src)
    _check_range(rows, np.nan_to_num(plant), "n2o_ef_plant")
    n2o = n2o + effluent_n2o_t(nitrogen_t, ef_n2o_n_per_n=np.nan_to_num(plant))
    ids = np.where(plant_id != "", _join_ids(ids, plant_id), ids)
    return result_frame(rows.index, "4.D.1", "N2O", n2o, ids)


def compute_industrial_wastewater(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Industrial wastewater CH4 (4.D.2): item = industry (Table 6.9 names or any label).

    ``value_is`` = ``cod`` (default: value is a COD mass) or ``production`` (value is tonnes of
    product; TOW = product x ``wastewater_m3_per_t`` x ``cod_kg_per_m3``, Table 6.9 defaults).
    Columns: ``treatment_system`` (required), ``mcf``, ``bo``, ``sludge_removed_t`` (t COD),
    ``recovered_t`` (t CH4).
    """
    system = _text(rows, "treatment_system")
    _check_known(rows, system, INDUSTRIAL_SYSTEMS, "treatment_system")
    mode = _text(rows, "value_is", "cod")
    _check_known(rows, mode, ("cod", "production"), "value_is")
    mass_t = _quantity(rows, "t", np.ones(len(rows), dtype=bool), "industrial wastewater")
    _check_range(rows, mass_t, "value", upper=None)
    keys = pd.DataFrame({"item": "wastewater", "treatment_system": system,
                         "wastewater": "industrial"}, index=rows.index, dtype=object)
    mcf, mcf_id = _factor(lib, "mcf", keys, _column(rows, "mcf"), "mcf")
    _check_range(rows, mcf, "mcf")
    bo, bo_id = _factor(lib, "bo", keys.assign(basis="cod"), _column(rows, "bo"), "bo",
                        unit="kg/kg", source=_source_of(mcf_id))
    tow = mass_t.copy()
    ids = _join_ids(mcf_id, bo_id)
    made = mode == "production"
    if made.any():
        sub = rows.loc[made]
        ikeys = pd.DataFrame({"item": _text(sub, "item")}, index=sub.index, dtype=object)
        water, water_id = _factor(lib, "wastewater_generation", ikeys,
                                 _column(sub, "wastewater_m3_per_t"), "wastewater_m3_per_t",
                                 unit="m3/t")
        cod, cod_id = _factor(lib, "cod_concentration", ikeys, _column(sub, "cod_kg_per_m3"),
                             "cod_kg_per_m3", unit="kg/m3")
        _check_range(sub, water, "wastewater_m3_per_t", upper=None)
        _check_range(sub, cod, "cod_kg_per_m3", upper=None)
        tow[made] = mass_t[made] * water * cod * 1e-3
        ids[made] = _join_ids(ids[made], water_id, cod_id)
    generated = wastewater_ch4_t(tow, bo_t_per_t=bo, mcf=mcf,
                                 sludge_removed_t=_sludge(rows, tow))
    ch4 = generated - _recovered(rows, generated, "the wastewater")
    return result_frame(rows.index, "4.D.2", "CH4", ch4, ids)


ACTIVITY_KINDS = [
    ActivityKind("domestic_wastewater", "waste", None, compute_domestic_wastewater,
                 required=("treatment_system",),
                 optional=("share", "bod_g_per_person_day", "industrial_correction", "mcf", "bo",
                           "sludge_removed_t", "recovered_t"),
                 items=("population", "bod", "cod"),
                 description="Domestic wastewater CH4 (4.D.1) from population or a BOD/COD load",
                 extra={"key_columns": ("treatment_system",)}),
    ActivityKind("domestic_wastewater_n2o", "waste", "person", compute_domestic_wastewater_n2o,
                 required=("protein_kg_per_person_yr",),
                 optional=("share", "treatment_system", "garbage_disposal", "n_effluent_fraction",
                           "n_sludge_t", "n2o_ef_effluent", "n2o_ef_plant",
                           "non_consumed_protein", "industrial_commercial_protein"),
                 items=("population",),
                 description="Domestic wastewater N2O (4.D.1): effluent, and plants under 2019R",
                 extra={"key_columns": ("treatment_system",)}),
    ActivityKind("industrial_wastewater", "waste", None, compute_industrial_wastewater,
                 required=("treatment_system",),
                 optional=("value_is", "wastewater_m3_per_t", "cod_kg_per_m3", "mcf", "bo",
                           "sludge_removed_t", "recovered_t"),
                 description="Industrial wastewater CH4 (4.D.2) from a COD load or production",
                 extra={"key_columns": ("treatment_system",)}),
]
