"""Fuel combustion (scope 1) and purchased / imported electricity and heat (scope 2).

Kernels are plain numpy functions with units in their parameter names; the activity kinds at the
bottom fetch factors once per distinct fuel x sector (or region x year) and gather them by code.

CO2 (provincial guideline / IPCC 2006 Vol.2 Eq. 2.1): Tier 2 where a carbon content and an
oxidation rate are known (measured per row, else the China defaults),
``CO2 = fuel_TJ x carbon_tC/TJ x oxidation x 44/12``; otherwise Tier 1,
``CO2 = fuel_TJ x EF_kgCO2/TJ / 1000`` with the IPCC default of the item's IPCC fuel.
CH4 and N2O: ``fuel_TJ x EF_kg/TJ / 1000`` with the IPCC default for the sector's combustion
group (Vol.2 Tables 2.2-2.5 stationary, Ch.3 mobile): the sector reaches the lookup, since coal
CH4 is 1 kg/TJ in energy industries but 10 kg/TJ in manufacturing.

Examples
--------
>>> import numpy as np
>>> combustion_co2_t(np.array([20.908]), carbon_t_per_tj=26.37, oxidation=0.94).round(1).tolist()
[1900.3]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..blocks import ResultBlock, Slot, empty_result, result_frame
from ..catalog import items as item_table
from ..catalog import sectors as sector_table
from ..errors import ActivityDataError, FactorFallbackWarning, MissingFactorError
from ..grouping import column_codes, factorize_columns, gather_categorical
from ..kinds import ActivityKind
from ..units import item_scale

__all__ = ["combustion_co2_t", "combustion_gas_t", "scope2_co2_t", "ACTIVITY_KINDS",
           "C_TO_CO2"]

#: Molecular weight ratio CO2/C.
C_TO_CO2 = 44.0 / 12.0


def combustion_co2_t(fuel_tj, *, carbon_t_per_tj, oxidation):
    """CO2 (t) from fuel energy (TJ), carbon content (t C/TJ) and oxidation rate (fraction).

    Examples
    --------
    >>> round(float(combustion_co2_t(1.0, carbon_t_per_tj=15.3, oxidation=0.99)), 4)
    55.539
    """
    return np.asarray(fuel_tj, dtype="float64") * carbon_t_per_tj * oxidation * C_TO_CO2


def combustion_gas_t(fuel_tj, *, ef_kg_per_tj):
    """Emissions (t of the gas) from fuel energy (TJ) and an emission factor (kg/TJ).

    Examples
    --------
    >>> float(combustion_gas_t(100.0, ef_kg_per_tj=56100.0))
    5610.0
    """
    return np.asarray(fuel_tj, dtype="float64") * ef_kg_per_tj / 1000.0


def scope2_co2_t(energy_mwh, *, ef_t_per_mwh):
    """Indirect CO2 (t) of electricity (MWh) at a grid factor (t CO2/MWh).

    Examples
    --------
    >>> round(float(scope2_co2_t(1000.0, ef_t_per_mwh=0.5366)), 6)
    536.6
    """
    return np.asarray(energy_mwh, dtype="float64") * ef_t_per_mwh


def _sector_info(rows: pd.DataFrame) -> tuple[pd.Categorical, pd.Categorical]:
    """(combustion group, IPCC category) per row from the sector catalog, or from the
    ``sector_group`` and ``category`` columns where given. Looked up once per sector and
    gathered by code."""
    table = sector_table()
    sector_codes, sectors = column_codes(rows["sector"])
    group = _per_sector(sector_codes, sectors, table["combustion_group"], rows, "sector_group")
    category = _per_sector(sector_codes, sectors, table["ipcc_category"], rows, "category")
    unknown = (np.asarray(group.codes) < 0) | (np.asarray(category.codes) < 0)
    if unknown.any():
        names = sorted(set(rows["sector"][unknown].astype(str)))
        raise ActivityDataError(
            f"sector(s) {names} have no combustion group / IPCC category",
            rows=rows.index[unknown].tolist(),
            fix="use a sector id of carbonledger.sectors(), or give sector_group (e.g. "
            "manufacturing_construction) and category (e.g. 1.A.2.m) columns",
        )
    return group, category


def _per_sector(sector_codes, sectors, mapping: pd.Series, rows: pd.DataFrame, column: str
                ) -> pd.Categorical:
    """The catalog's value of each row's sector, overridden by ``rows[column]`` where given."""
    labels = [mapping.get(str(s), np.nan) or np.nan for s in sectors]
    values = gather_categorical(labels, sector_codes)
    if column not in rows.columns:
        return values
    given = rows[column].astype(object)
    return pd.Categorical(given.where(given.notna(), values.astype(object)))


def _co2_factors(uniques: pd.DataFrame, lib) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct (item, group): carbon content x oxidation (t C/TJ) or Tier-1 EF, and ids."""
    catalog = item_table()
    carbon = np.full(len(uniques), np.nan)
    oxidation = np.full(len(uniques), np.nan)
    ids = np.empty(len(uniques), dtype=object)
    for position, (item, group) in enumerate(uniques[["item", "group"]].itertuples(index=False)):
        try:
            cc = lib.get("carbon_content", item, unit="t/TJ")
            ox = lib.get("oxidation", item, unit="1", sector_group=group)
            carbon[position], oxidation[position] = cc.value, ox.value
            ids[position] = f"{cc.factor_id}+{ox.factor_id}"
            continue
        except MissingFactorError:
            pass
        ipcc_fuel = catalog["ipcc_fuel"].get(item, "") or item
        ef = lib.get("ef", ipcc_fuel, unit="kg/TJ", gas="CO2", sector_group=group)
        carbon[position] = ef.value / 1000.0 / C_TO_CO2
        oxidation[position] = 1.0
        ids[position] = ef.factor_id
    return carbon, oxidation, ids


def _measured(rows: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rows.columns:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def compute_fuel_combustion(rows: pd.DataFrame, lib) -> ResultBlock:
    """CO2, CH4 and N2O of fuel burned (rows carry ``energy_tj`` from the energy engine).

    Factors are looked up once per distinct (item, combustion group) and gathered to rows by
    code; the result is a block with one slot per gas (CO2 or biogenic CO2, CH4, N2O).
    """
    if rows.empty:
        return ResultBlock(np.zeros(0, dtype=np.int64), pd.Categorical([]), ())
    group, category = _sector_info(rows)
    keys = pd.DataFrame({"item": rows["item"].array, "group": group}, copy=False)
    codes, uniques = factorize_columns(keys, ["item", "group"])
    fuel_tj = rows["energy_tj"].to_numpy(dtype="float64")
    try:
        carbon_u, oxidation_u, co2_ids_u = _co2_factors(uniques, lib)
    except MissingFactorError as exc:
        bad = (rows["item"] == exc.fields.get("item")).to_numpy()
        raise MissingFactorError(exc.message, rows=rows.index[bad].tolist(), fix=exc.fix) from exc
    measured = {name: _measured(rows, name) for name in ("carbon_content", "oxidation")
                if name in rows.columns}
    if measured:
        co2, co2_ids = _measured_co2(rows, fuel_tj, codes, carbon_u, oxidation_u, co2_ids_u,
                                     measured)
    else:
        co2 = fuel_tj * (carbon_u * oxidation_u * C_TO_CO2)[codes]
        co2_ids = gather_categorical(co2_ids_u, codes)
    fossil_u = np.array([bool(item_table()["fossil"].get(i, True)) for i in uniques["item"]])
    co2_gas = pd.Categorical.from_codes(np.where(fossil_u, 0, 1).astype(np.int8)[codes],
                                        ["CO2", "CO2_biogenic"], validate=False)
    n = len(rows)
    slots = [Slot(co2_gas, co2, co2_ids, np.ones(n, dtype=np.int8))]
    ipcc = uniques["item"].map(item_table()["ipcc_fuel"]).fillna("")
    ipcc = np.where(ipcc == "", uniques["item"], ipcc)
    for gas in ("CH4", "N2O"):
        ef_u = np.empty(len(uniques))
        id_u = np.empty(len(uniques), dtype=object)
        for code, (fuel, grp) in enumerate(zip(ipcc, uniques["group"], strict=True)):
            try:
                factor = lib.get("ef", fuel, unit="kg/TJ", gas=gas, sector_group=grp)
            except MissingFactorError as exc:
                raise MissingFactorError(exc.message, rows=rows.index[codes == code].tolist(),
                                         fix=exc.fix) from exc
            ef_u[code], id_u[code] = factor.value, factor.factor_id
        slots.append(Slot.constant(gas, combustion_gas_t(fuel_tj, ef_kg_per_tj=ef_u[codes]),
                                   gather_categorical(id_u, codes)))
    return ResultBlock(rows.index.to_numpy().astype(np.int64, copy=False), category,
                       tuple(slots))


def _measured_co2(rows, fuel_tj, codes, carbon_u, oxidation_u, co2_ids_u, measured):
    """CO2 and its factor ids where measured carbon content or oxidation replace defaults."""
    nan = np.full(len(rows), np.nan)
    cc_measured = measured.get("carbon_content", nan)
    ox_measured = measured.get("oxidation", nan)
    bad = (ox_measured < 0) | (ox_measured > 1) | (cc_measured < 0)
    if bad.any():
        raise ActivityDataError("measured oxidation outside 0..1 or negative carbon content",
                                rows=rows.index[bad].tolist(),
                                fix="give oxidation as a fraction (0.98, not 98) and carbon "
                                "content in t C/TJ")
    has_cc, has_ox = np.isfinite(cc_measured), np.isfinite(ox_measured)
    carbon = np.where(has_cc, cc_measured, carbon_u[codes])
    oxidation = np.where(has_ox, ox_measured, oxidation_u[codes])
    co2_ids = gather_categorical(co2_ids_u, codes)
    if has_cc.any() or has_ox.any():
        label = np.where(has_cc & has_ox, "measured:carbon_content+oxidation",
                         np.where(has_cc, "measured:carbon_content", "measured:oxidation"))
        co2_ids = pd.Categorical(np.where(has_cc | has_ox, label, co2_ids.astype(object)))
    return combustion_co2_t(fuel_tj, carbon_t_per_tj=carbon, oxidation=oxidation), co2_ids


def _grid_factor(lib, item: str, region: str, year: int, purpose: str):
    """Grid (or heat) factor for a grid region and year: the nearest published year when the
    year is missing, the national factor when the region has none (both with a warning)."""
    if item == "heat":
        return lib.get("heat_ef", "heat", unit="t/GJ"), "GJ"
    try:
        return lib.get_nearest_year("grid_ef", "electricity", unit="t/MWh", region=region,
                                    year=int(year), purpose=purpose), "MWh"
    except MissingFactorError:
        if region == "national":
            raise
        warnings.warn(f"no {purpose} grid factor for region {region!r}; using the national one",
                      FactorFallbackWarning, stacklevel=3)
        return _grid_factor(lib, item, "national", year, purpose)


def _scope2(rows: pd.DataFrame, lib, sign: float, purpose: str) -> pd.DataFrame:
    if rows.empty:
        return empty_result()
    not_energy = ~rows["item"].isin(["electricity", "heat"]).to_numpy()
    if not_energy.any():
        raise ActivityDataError("electricity/heat kinds take item electricity or heat",
                                rows=rows.index[not_energy].tolist(),
                                fix="use fuel_combustion for fuels")
    region = pd.Series("national", index=rows.index, dtype=object)
    for column in ("region", "grid_region"):  # grid_region wins over region
        if column in rows.columns:
            given = rows[column].astype(object)
            region = given.where(given.notna(), region)
    keys = pd.DataFrame({"item": rows["item"], "unit": rows["unit"],
                         "region": pd.Categorical(region), "year": pd.Categorical(rows["year"])},
                        index=rows.index)
    codes, uniques = factorize_columns(keys, ["item", "unit", "region", "year"])
    ef_u = np.empty(len(uniques))
    scale_u = np.empty(len(uniques))
    id_u = np.empty(len(uniques), dtype=object)
    for position, (item, unit, reg, year) in enumerate(uniques.itertuples(index=False)):
        try:
            factor, basis = _grid_factor(lib, item, reg, year, purpose)
        except MissingFactorError as exc:
            raise MissingFactorError(exc.message, rows=rows.index[codes == position].tolist(),
                                     fix="give grid_region of a published grid (national, "
                                     "northwest, ... or a province) or add the factor") from exc
        ef_u[position], id_u[position] = factor.value, factor.factor_id
        scale_u[position] = item_scale(str(unit), basis, str(item), None, "calorific", lib)
    energy = rows["value"].to_numpy(dtype="float64") * scale_u[codes]
    category = gather_categorical(
        ["scope2.heat" if item == "heat" else "scope2.electricity" for item in uniques["item"]],
        codes)
    return result_frame(rows.index, category, "CO2",
                        sign * scope2_co2_t(energy, ef_t_per_mwh=ef_u[codes]),
                        gather_categorical(id_u, codes), scope=2)


def compute_purchased(rows, lib, *, grid_purpose="mee_nbs_average"):
    """Scope 2 of electricity and heat bought inside the boundary, or imported into it (for
    imports the energy is counted by the consumption rows; the activity roles differ, the
    emissions do not)."""
    return _scope2(rows, lib, 1.0, grid_purpose)


def compute_export(rows, lib, *, grid_purpose="mee_nbs_average"):
    """Exported electricity: credited (negative scope 2) at the grid factor."""
    return _scope2(rows, lib, -1.0, grid_purpose)


def compute_nothing(rows, lib, **_options):
    """Energy-only kinds: counted in energy totals, no emissions of their own."""
    return empty_result()


_FUELS = {"fuel_items": True}
_SECONDARY = ("electricity", "heat")
ACTIVITY_KINDS = [
    ActivityKind("fuel_combustion", "energy", None, compute_fuel_combustion,
                 optional=("ncv", "ncv_unit", "carbon_content", "oxidation", "sector_group",
                           "category"),
                 description="Fuel burned: energy, CO2 (Tier 2 / Tier 1), CH4, N2O by sector",
                 extra=_FUELS),
    ActivityKind("non_energy_use", "energy", None, compute_nothing,
                 description="Feedstock / raw-material use (原料用能): energy, deductible; no "
                 "combustion emissions", extra=_FUELS),
    ActivityKind("transformation_input", "energy", None, compute_nothing,
                 description="Fuel into coking, refining, gas works (not burned): energy only",
                 extra=_FUELS),
    ActivityKind("transformation_output", "energy", None, compute_nothing,
                 description="Energy made inside the boundary (coke, gas, electricity, heat): "
                 "subtracted from the total", extra=_FUELS),
    ActivityKind("losses", "energy", None, compute_nothing,
                 description="Transmission and distribution losses: energy only", extra=_FUELS),
    ActivityKind("energy_consumption", "energy", None, compute_nothing, items=_SECONDARY,
                 description="Final use of electricity or heat: energy only"),
    ActivityKind("purchased_energy", "energy", None, compute_purchased, items=_SECONDARY,
                 optional=("grid_region",),
                 description="Electricity/heat bought: energy and scope 2",
                 extra={"options": ("grid_purpose",)}),
    ActivityKind("electricity_import", "energy", None, compute_purchased, items=_SECONDARY,
                 optional=("grid_region",), description="Net electricity imports: scope 2",
                 extra={"options": ("grid_purpose",)}),
    ActivityKind("electricity_export", "energy", None, compute_export, items=_SECONDARY,
                 optional=("grid_region",), description="Electricity exports: scope 2 credit",
                 extra={"options": ("grid_purpose",)}),
    ActivityKind("renewable_electricity", "energy", None, compute_nothing,
                 items=("electricity",), optional=("technology",),
                 description="Local non-fossil generation: non-fossil share, 2022 rule",
                 extra={"key_columns": ("technology",)}),
]
