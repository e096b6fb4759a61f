"""Land-use conversion and soil carbon of cropland / grassland management (IPCC 2006 Vol. 4,
Ch. 2, 5, 6; Tier 1).

Conversion (Eq. 2.16, 2.25): the living biomass of the old use is lost and that of the new use
gained in the year of conversion (``dC_B = A x (B_after - B_before)``); soil organic carbon
moves from ``SOC_before`` to ``SOC_after`` linearly over ``D = 20`` years
(``dC_soil = A_transition x (SOC_after - SOC_before) / D``) where
``SOC = SOCref x F_LU x F_MG x F_I`` (Table 2.3, 5.5, 6.2). CO2 = -(dC_B + dC_soil) x 44/12,
so clearing forest for cropland is a source and carbon gains are removals (negative).

Activity kinds
--------------
``land_conversion``
    item = ``<from>_to_<to>`` (classes ``forest``, ``cropland``, ``grassland``, ``wetlands``,
    ``settlements``, ``other_land``) or columns ``from_class`` / ``to_class``; value = area
    converted in ``year`` (ha; mu / wan_mu converted by the core); required ``climate_zone``
    (``boreal``, ``cool_temperate_dry``, ``cool_temperate_moist``, ``warm_temperate_dry``,
    ``warm_temperate_moist``, ``tropical_dry``, ``tropical_moist``, ``tropical_wet``,
    ``tropical_montane``); optional ``soil_type`` (Table 2.3 class, default
    ``high_activity_clay``), ``area_in_transition_ha``, overrides
    ``biomass_c_before_t_per_ha``, ``biomass_c_after_t_per_ha``, ``soc_before_t_per_ha``,
    ``soc_after_t_per_ha``. Category by the new use: 3.B.1.b forest, 3.B.2.b cropland,
    3.B.3.b grassland, 3.B.4.b wetlands, 3.B.5.b settlements, 3.B.6.b other land. New forest
    starts with no biomass (its growth is the ``afforestation`` kind). Soil carbon of
    conversions to or from wetlands, settlements and other land is not estimated (no Tier 1
    stock change factors carried); give ``soc_before_t_per_ha``/``soc_after_t_per_ha``.
``cropland_management`` (3.B.2.a)
    value = cropland area whose management changed in ``year``; ``from_management`` and
    ``to_management`` from :data:`CROPLAND_MANAGEMENT`; required ``climate_zone``; optional
    ``soil_type``, ``land_use`` (``long_term_cultivated`` default, ``paddy_rice``,
    ``perennial_crop``, ``set_aside``), ``area_in_transition_ha``.
``grassland_management`` (3.B.3.a)
    as above with :data:`GRASSLAND_MANAGEMENT`.

Soil transition: a row of year t reports the soil change of its own area plus, on the first row
of its series and year, that of the conversions of the same series (region, facility, from, to,
climate zone, soil type, land use) dated t-19..t-1 in the rows given: each converted hectare keeps
contributing for 20 years and counts once a year. Give a row (area 0 is fine) for each inventory
year, or give ``area_in_transition_ha`` (the area converted within the last 20 years) directly.

Examples
--------
>>> from carbonledger.engines.land_conversion import conversion_co2
>>> round(float(conversion_co2(100.0, biomass_c_before_t_per_ha=80.0,
...                            biomass_c_after_t_per_ha=5.0)), 1)  # forest to cropland
27500.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from ..kinds import ActivityKind
from .afolu_common import (
    C_TO_CO2,
    FactorFetcher,
    apply_override,
    check_items,
    check_non_negative,
    column_or_nan,
    join_ids,
    result_frame,
    text_column,
)

__all__ = [
    "ACTIVITY_KINDS",
    "LAND_CLASSES",
    "CLIMATE_ZONES",
    "CROPLAND_MANAGEMENT",
    "GRASSLAND_MANAGEMENT",
    "conversion_co2",
    "soc_stock",
    "soil_change_c",
    "transition_area_sum",
    "compute_conversion",
    "compute_cropland_management",
    "compute_grassland_management",
]

LAND_CLASSES = ("forest", "cropland", "grassland", "wetlands", "settlements", "other_land")
_CATEGORY = {"forest": "3.B.1.b", "cropland": "3.B.2.b", "grassland": "3.B.3.b",
             "wetlands": "3.B.4.b", "settlements": "3.B.5.b", "other_land": "3.B.6.b"}
#: Table 2.3 climate zones -> Table 5.5 / 6.2 climate groups (boreal read as moist: an
#: assumption, Table 5.5 pools temperate and boreal).
CLIMATE_ZONES = {
    "boreal": "temperate_boreal_moist",
    "cool_temperate_dry": "temperate_boreal_dry", "cool_temperate_moist": "temperate_boreal_moist",
    "warm_temperate_dry": "temperate_boreal_dry", "warm_temperate_moist": "temperate_boreal_moist",
    "tropical_dry": "tropical_dry", "tropical_moist": "tropical_moist",
    "tropical_wet": "tropical_moist", "tropical_montane": "tropical_montane",
}
#: Cropland management id -> (F_MG item, F_I item) of Table 5.5. "straw_return" is medium input
#: (all residues returned), "residue_removed" low input (residues removed or burnt).
CROPLAND_MANAGEMENT = {
    "residue_removed": ("full_tillage", "low_input"),
    "straw_return": ("full_tillage", "medium_input"),
    "high_residue": ("full_tillage", "high_input"),
    "organic_fertiliser": ("full_tillage", "high_input_with_manure"),
    "reduced_tillage": ("reduced_tillage", "medium_input"),
    "no_till": ("no_till", "medium_input"),
    "reduced_tillage_organic_fertiliser": ("reduced_tillage", "high_input_with_manure"),
    "no_till_organic_fertiliser": ("no_till", "high_input_with_manure"),
}
#: Grassland management id -> (F_MG item, F_I item) of Table 6.2.
GRASSLAND_MANAGEMENT = {
    "nominally_managed": ("nominally_managed", "grassland_medium_input"),
    "moderately_degraded": ("moderately_degraded", "grassland_medium_input"),
    "severely_degraded": ("severely_degraded", "grassland_medium_input"),
    "improved": ("improved", "grassland_medium_input"),
    "improved_high_input": ("improved", "grassland_high_input"),
}
_SOIL = "land_soil"
_BIOMASS = "land_biomass"
_TRANSITION_BIG = 100_000


# --------------------------------------------------------------------------- kernels
def conversion_co2(area_ha, *, biomass_c_before_t_per_ha, biomass_c_after_t_per_ha,
                   soil_change_t_c=0.0) -> np.ndarray:
    """CO2 (t; removals negative) of a land-use conversion: immediate biomass change
    (Eq. 2.16) plus the year's soil carbon change (Eq. 2.25).

    Examples
    --------
    >>> float(conversion_co2(1.0, biomass_c_before_t_per_ha=0.0, biomass_c_after_t_per_ha=3.0))
    -11.0
    """
    biomass_change = np.asarray(area_ha, dtype="float64") * (
        np.asarray(biomass_c_after_t_per_ha, dtype="float64")
        - np.asarray(biomass_c_before_t_per_ha, dtype="float64"))
    return -(biomass_change + np.asarray(soil_change_t_c, dtype="float64")) * C_TO_CO2


def soc_stock(soc_ref_t_per_ha, *, f_lu=1.0, f_mg=1.0, f_i=1.0) -> np.ndarray:
    """Soil organic carbon stock, t C/ha (Eq. 2.25): ``SOCref x F_LU x F_MG x F_I``.

    Examples
    --------
    >>> round(float(soc_stock(38.0, f_lu=0.80, f_mg=1.0, f_i=1.0)), 2)
    30.4
    """
    return (np.asarray(soc_ref_t_per_ha, dtype="float64") * np.asarray(f_lu)
            * np.asarray(f_mg) * np.asarray(f_i))


def soil_change_c(area_ha, *, soc_before_t_per_ha, soc_after_t_per_ha,
                  transition_years=20.0) -> np.ndarray:
    """Annual soil carbon change, t C (Eq. 2.25): ``A x (SOC_after - SOC_before) / D``.

    Examples
    --------
    >>> round(float(soil_change_c(100.0, soc_before_t_per_ha=38.0, soc_after_t_per_ha=30.4)), 2)
    -38.0
    """
    return (np.asarray(area_ha, dtype="float64")
            * (np.asarray(soc_after_t_per_ha, dtype="float64")
               - np.asarray(soc_before_t_per_ha, dtype="float64"))
            / np.asarray(transition_years, dtype="float64"))


def transition_area_sum(values, years, series, *, window_years=20) -> np.ndarray:
    """Carry each row's ``values`` (an area, or an annual soil change) through the
    ``window_years`` after its year: a row reports its own value plus, once per series and year
    (on the first such row), the values of the same ``series`` dated within the window before
    its year. Summed over the rows of a year, every value counts once. Vectorized: one sort
    and binary searches.

    Examples
    --------
    >>> transition_area_sum([10.0, 5.0, 1.0], [2000, 2010, 2025], [0, 0, 0]).tolist()
    [10.0, 15.0, 6.0]
    >>> transition_area_sum([2.0, 3.0, 1.0], [2000, 2000, 2001], [0, 0, 0]).tolist()
    [2.0, 3.0, 6.0]
    """
    values = np.asarray(values, dtype="float64")
    years = np.asarray(years, dtype="int64")
    series = np.asarray(series, dtype="int64")
    order = np.lexsort((years, series))
    combined = series[order] * _TRANSITION_BIG + years[order]
    cumulative = np.concatenate([[0.0], np.cumsum(values[order])])
    first_of_year = np.searchsorted(combined, combined, side="left")
    window_start = np.searchsorted(combined, combined - window_years + 1, side="left")
    earlier = cumulative[first_of_year] - cumulative[window_start]
    is_first = first_of_year == np.arange(len(order))
    totals = np.empty(len(values))
    totals[order] = values[order] + np.where(is_first, earlier, 0.0)
    return totals


# --------------------------------------------------------------------------- helpers
def _climate_and_soil(rows: pd.DataFrame, kind: str):
    if "climate_zone" not in rows.columns or rows["climate_zone"].isna().any():
        missing = rows.index if "climate_zone" not in rows.columns else rows.index[
            rows["climate_zone"].isna()]
        raise ActivityDataError(f"{kind}: column climate_zone is missing", rows=list(missing),
                                fix=f"give climate_zone, one of: {', '.join(CLIMATE_ZONES)}")
    zone = rows["climate_zone"].astype(object).astype(str)
    check_items(zone, list(CLIMATE_ZONES), what="climate_zone", kind=kind)
    soil = text_column(rows, "soil_type", "high_activity_clay")
    return zone, soil


def _soc_ref(rows, fetch, zone, soil, kind):
    frame = pd.DataFrame({"item": soil, "climate_zone": zone}, index=rows.index)
    try:
        return fetch.many("soc_ref", frame, unit="t/ha")
    except LookupError as exc:
        raise ActivityDataError(f"{kind}: no SOCref (Table 2.3) for this soil type and climate "
                                "zone", rows=getattr(exc, "rows", []),
                                fix="use a soil_type of Table 2.3 that exists in this climate "
                                    "zone, or give soc_before_t_per_ha and soc_after_t_per_ha"
                                ) from None


def _stock_factor(fetch, parameter, items, groups, index):
    frame = pd.DataFrame({"item": items, "climate_group": groups}, index=index)
    return fetch.many(parameter, frame)


def _series(rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
    present = [c for c in ("region", "facility", *columns) if c in rows.columns]
    return pd.MultiIndex.from_frame(rows[present].astype(str)).factorize()[0]


def _soil_flux_c(rows, area_ha, delta_soc, series, transition_years, kind):
    """This year's soil carbon change (t C) of each row: its own conversion plus the earlier
    conversions of its series still in transition, or ``area_in_transition_ha`` x dSOC / D."""
    given = column_or_nan(rows, "area_in_transition_ha")
    check_non_negative(np.where(np.isnan(given), 0.0, given), rows.index,
                       what="area_in_transition_ha", kind=kind)
    years = pd.to_numeric(rows["year"], errors="coerce").to_numpy()
    annual = soil_change_c(area_ha, soc_before_t_per_ha=0.0, soc_after_t_per_ha=delta_soc,
                           transition_years=transition_years)
    carried = transition_area_sum(annual, years, series, window_years=int(transition_years))
    direct = soil_change_c(np.nan_to_num(given), soc_before_t_per_ha=0.0,
                           soc_after_t_per_ha=delta_soc, transition_years=transition_years)
    return np.where(np.isnan(given), carried, direct)


def _class_biomass(fetch, classes: pd.Series, zone: pd.Series, index) -> tuple[np.ndarray, ...]:
    """Tier 1 biomass carbon (t C/ha) per land class and climate zone."""
    values = np.zeros(len(classes))
    ids = np.full(len(classes), "", dtype=object)
    missing = np.zeros(len(classes), dtype=bool)
    for cls in classes.unique():
        mask = (classes == cls).to_numpy()
        sub = pd.DataFrame({"climate_zone": zone[mask]}, index=index[mask])
        try:
            if cls == "forest":
                agb, agb_ids = fetch.many("agb", sub.assign(item="forest")[["item", "climate_zone"]],
                                          unit="t/ha")
                root, root_ids = fetch.many("root_shoot",
                                            sub.assign(item="forest")[["item", "climate_zone"]])
                cf = fetch.get("carbon_fraction", "forest")
                values[mask] = agb * (1.0 + root) * cf.value
                ids[mask] = join_ids(agb_ids, root_ids, cf.factor_id)
            elif cls == "grassland":
                dm, dm_ids = fetch.many("biomass_dm",
                                        sub.assign(item="grassland")[["item", "climate_zone"]],
                                        unit="t/ha")
                cf = fetch.get("carbon_fraction", "grassland")
                values[mask] = dm * cf.value
                ids[mask] = join_ids(dm_ids, cf.factor_id)
            else:
                factor = fetch.get("biomass_c", cls, unit="t/ha")
                values[mask], ids[mask] = factor.value, factor.factor_id
        except LookupError:
            missing |= mask
    return values, ids, missing


# --------------------------------------------------------------------------- computes
def _from_to(rows: pd.DataFrame, kind: str) -> tuple[pd.Series, pd.Series]:
    if "from_class" in rows.columns and "to_class" in rows.columns:
        given = rows["from_class"].notna() & rows["to_class"].notna()
    else:
        given = pd.Series(False, index=rows.index)
    parts = text_column(rows, "item", "").str.split("_to_", n=1, expand=True)
    if parts.shape[1] < 2:
        parts[1] = ""
    source = pd.Series(np.where(given, text_column(rows, "from_class", ""), parts[0].fillna("")),
                       index=rows.index).astype(str)
    target = pd.Series(np.where(given, text_column(rows, "to_class", ""), parts[1].fillna("")),
                       index=rows.index).astype(str)
    valid = [f"{a}_to_{b}" for a in LAND_CLASSES for b in LAND_CLASSES if a != b]
    combined = source.astype(str) + "_to_" + target.astype(str)
    same = (source == target).to_numpy()
    check_items(combined[~same], valid, what="conversion", kind=kind)
    if same.any():
        raise ActivityDataError(f"{kind}: a conversion needs two different land classes",
                                rows=rows.index[same].tolist(),
                                fix="use cropland_management / grassland_management or "
                                    "forest_stock for land remaining in its class")
    return source.astype(str), target.astype(str)


def compute_conversion(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Land converted to another use (3.B.x.b): biomass change plus 20-year soil change.

    Examples
    --------
    >>> from carbonledger.engines.land_conversion import compute_conversion
    >>> compute_conversion.__name__
    'compute_conversion'
    """
    kind = "land_conversion"
    index = rows.index
    area_ha = check_non_negative(pd.to_numeric(rows["value"], errors="coerce"), index,
                                 what="value (area converted)", kind=kind)
    source, target = _from_to(rows, kind)
    zone, soil = _climate_and_soil(rows, kind)
    fetch = FactorFetcher(lib)

    before, before_ids, miss_b = _class_biomass(fetch, source, zone, index)
    after, after_ids, miss_a = _class_biomass(fetch, target, zone, index)
    after = np.where(target == "forest", 0.0, after)
    after_ids = np.where(target == "forest", "new_forest_starts_without_biomass", after_ids)
    miss_a &= (target != "forest").to_numpy()
    before, before_ids = apply_override(rows, "biomass_c_before_t_per_ha", before, before_ids)
    after, after_ids = apply_override(rows, "biomass_c_after_t_per_ha", after, after_ids)
    lacking = (miss_b & np.isnan(column_or_nan(rows, "biomass_c_before_t_per_ha"))) | (
        miss_a & np.isnan(column_or_nan(rows, "biomass_c_after_t_per_ha")))
    if lacking.any():
        raise ActivityDataError(f"{kind}: no default biomass for this land class and climate zone",
                                rows=index[lacking].tolist(),
                                fix="give biomass_c_before_t_per_ha / biomass_c_after_t_per_ha")

    mineral = ["forest", "cropland", "grassland"]
    soil_known = (source.isin(mineral) & target.isin(mineral)).to_numpy()
    soc_before = np.full(len(rows), np.nan)
    soc_after = np.full(len(rows), np.nan)
    soc_ids = np.full(len(rows), "soil:not_estimated", dtype=object)
    if soil_known.any():
        sub = rows.loc[soil_known]
        ref, ref_ids = _soc_ref(sub, fetch, zone[soil_known], soil[soil_known], kind)
        groups = zone[soil_known].map(CLIMATE_ZONES)
        f_lu, lu_ids = _stock_factor(fetch, "f_lu", "long_term_cultivated", groups, sub.index)
        f_mg, mg_ids = _stock_factor(fetch, "f_mg", "full_tillage", groups, sub.index)
        f_i, i_ids = _stock_factor(fetch, "f_i", "medium_input", groups, sub.index)
        crop = soc_stock(ref, f_lu=f_lu, f_mg=f_mg, f_i=f_i)
        by_class = {"forest": ref, "grassland": ref, "cropland": crop}
        soc_before[soil_known] = np.select([source[soil_known] == c for c in mineral],
                                           [by_class[c] for c in mineral])
        soc_after[soil_known] = np.select([target[soil_known] == c for c in mineral],
                                          [by_class[c] for c in mineral])
        touches_crop = ((source[soil_known] == "cropland") | (target[soil_known] == "cropland"))
        soc_ids[soil_known] = np.where(touches_crop, join_ids(ref_ids, lu_ids, mg_ids, i_ids),
                                       ref_ids)
    soc_before, soc_ids = apply_override(rows, "soc_before_t_per_ha", soc_before, soc_ids)
    soc_after, soc_ids = apply_override(rows, "soc_after_t_per_ha", soc_after, soc_ids)
    years_factor = fetch.get("transition_years", "soil")
    delta_soc = np.nan_to_num(soc_after - soc_before)
    series = _series(rows.assign(_from=source, _to=target, _zone=zone, _soil=soil),
                     ["_from", "_to", "_zone", "_soil"])
    soil_c = _soil_flux_c(rows, area_ha, delta_soc, series, years_factor.value, kind)
    co2 = conversion_co2(area_ha, biomass_c_before_t_per_ha=before,
                         biomass_c_after_t_per_ha=after, soil_change_t_c=soil_c)
    category = target.map(_CATEGORY).to_numpy()
    return result_frame(index, category, "CO2", co2,
                        join_ids(before_ids, after_ids, soc_ids, years_factor.factor_id))


def _management_pair(rows, vocabulary_map, kind):
    for column in ("from_management", "to_management"):
        if column not in rows.columns:
            raise ActivityDataError(f"{kind}: column {column} is missing", rows=list(rows.index),
                                    fix=f"give {column}, one of: {', '.join(vocabulary_map)}")
        check_items(text_column(rows, column, ""), list(vocabulary_map), what=column, kind=kind)
    return text_column(rows, "from_management", ""), text_column(rows, "to_management", "")


def _compute_management(rows, lib, *, kind, vocabulary_map, category, land_use_default):
    index = rows.index
    area_ha = check_non_negative(pd.to_numeric(rows["value"], errors="coerce"), index,
                                 what="value (area)", kind=kind)
    old, new = _management_pair(rows, vocabulary_map, kind)
    zone, soil = _climate_and_soil(rows, kind)
    land_use = text_column(rows, "land_use", land_use_default or "")
    fetch = FactorFetcher(lib)
    ref, ref_ids = _soc_ref(rows, fetch, zone, soil, kind)
    groups = zone.map(CLIMATE_ZONES)
    if land_use_default:
        check_items(land_use, ["long_term_cultivated", "paddy_rice", "perennial_crop",
                               "set_aside"], what="land_use", kind=kind)
        f_lu, lu_ids = _stock_factor(fetch, "f_lu", land_use, groups, index)
    else:
        f_lu, lu_ids = np.ones(len(rows)), np.full(len(rows), "", dtype=object)
    factors = {}
    for side, ids in (("from", old), ("to", new)):
        mg_items = ids.map({m: pair[0] for m, pair in vocabulary_map.items()})
        i_items = ids.map({m: pair[1] for m, pair in vocabulary_map.items()})
        f_mg, mg_ids = _stock_factor(fetch, "f_mg", mg_items, groups, index)
        f_i, i_ids = _stock_factor(fetch, "f_i", i_items, groups, index)
        factors[side] = (soc_stock(ref, f_lu=f_lu, f_mg=f_mg, f_i=f_i), join_ids(mg_ids, i_ids))
    years_factor = fetch.get("transition_years", "soil")
    delta_soc = factors["to"][0] - factors["from"][0]
    series = _series(rows.assign(_old=old, _new=new, _zone=zone, _soil=soil, _lu=land_use),
                     ["_old", "_new", "_zone", "_soil", "_lu"])
    soil_c = _soil_flux_c(rows, area_ha, delta_soc, series, years_factor.value, kind)
    ids = join_ids(ref_ids, lu_ids, factors["from"][1], factors["to"][1], years_factor.factor_id)
    return result_frame(index, category, "CO2", -soil_c * C_TO_CO2, ids)


def compute_cropland_management(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Soil carbon change of cropland remaining cropland (3.B.2.a) from a management change
    (straw return, organic fertiliser, reduced tillage; Table 5.5) over 20 years (Eq. 2.25).

    Examples
    --------
    >>> from carbonledger.engines.land_conversion import compute_cropland_management
    >>> compute_cropland_management.__name__
    'compute_cropland_management'
    """
    return _compute_management(rows, lib, kind="cropland_management",
                               vocabulary_map=CROPLAND_MANAGEMENT, category="3.B.2.a",
                               land_use_default="long_term_cultivated")


def compute_grassland_management(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Soil carbon change of grassland remaining grassland (3.B.3.a) from a management change
    (degradation, improvement; Table 6.2) over 20 years (Eq. 2.25).

    Examples
    --------
    >>> from carbonledger.engines.land_conversion import compute_grassland_management
    >>> compute_grassland_management.__name__
    'compute_grassland_management'
    """
    return _compute_management(rows, lib, kind="grassland_management",
                               vocabulary_map=GRASSLAND_MANAGEMENT, category="3.B.3.a",
                               land_use_default=None)


_SOIL_OPTIONAL = ("soil_type", "area_in_transition_ha")
_MANAGEMENT_KEYS = ("from_management", "to_management", "climate_zone", "soil_type")
ACTIVITY_KINDS = [
    ActivityKind(
        name="land_conversion", sector="lulucf", unit="ha", compute=compute_conversion,
        required=("climate_zone",),
        optional=("from_class", "to_class", *_SOIL_OPTIONAL, "biomass_c_before_t_per_ha",
                  "biomass_c_after_t_per_ha", "soc_before_t_per_ha", "soc_after_t_per_ha"),
        description="Land converted to another use (3.B.x.b): biomass loss + 20-year soil change",
        extra={"key_columns": ("from_class", "to_class", "climate_zone", "soil_type")},
    ),
    ActivityKind(
        name="cropland_management", sector="lulucf", unit="ha",
        compute=compute_cropland_management,
        required=("from_management", "to_management", "climate_zone"),
        optional=("land_use", *_SOIL_OPTIONAL),
        description="Cropland soil carbon from management change (3.B.2.a), Table 5.5 factors",
        extra={"key_columns": _MANAGEMENT_KEYS + ("land_use",)},
    ),
    ActivityKind(
        name="grassland_management", sector="lulucf", unit="ha",
        compute=compute_grassland_management,
        required=("from_management", "to_management", "climate_zone"),
        optional=_SOIL_OPTIONAL,
        description="Grassland soil carbon from management change (3.B.3.a), Table 6.2 factors",
        extra={"key_columns": _MANAGEMENT_KEYS},
    ),
]
