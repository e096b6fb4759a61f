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
from ..grouping import factorize_columns, gather_categorical, map_categorical
from ..kinds import ActivityKind
from .afolu_common import (
    C_TO_CO2,
    FactorFetcher,
    activity_value,
    apply_override,
    as_ids,
    check_items,
    check_non_negative,
    column_or_nan,
    first_appearance,
    join_ids,
    pick_ids,
    put_ids,
    result_frame,
    series_codes,
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
    zone = text_column(rows, "climate_zone", "nan")
    check_items(zone, list(CLIMATE_ZONES), what="climate_zone", kind=kind)
    soil = text_column(rows, "soil_type", "high_activity_clay")
    return zone, soil


def _soc_ref(index, fetch, zone, soil, kind):
    frame = pd.DataFrame({"item": soil.array, "climate_zone": zone.array}, index=index)
    try:
        return fetch.many("soc_ref", frame, unit="t/ha")
    except LookupError as exc:
        raise ActivityDataError(f"{kind}: no SOCref (Table 2.3) for this soil type and climate "
                                "zone", rows=getattr(exc, "rows", []),
                                fix="use a soil_type of Table 2.3 that exists in this climate "
                                    "zone, or give soc_before_t_per_ha and soc_after_t_per_ha"
                                ) from None


def _stock_factor(fetch, parameter, items, groups, index):
    frame = pd.DataFrame({"item": as_ids(items, len(index)), "climate_group": groups},
                         index=index)
    return fetch.many(parameter, frame)


def _series(rows: pd.DataFrame, keys: dict) -> np.ndarray:
    """Series code per row: region, facility (where given) and the ``keys`` categoricals."""
    columns = {c: rows[c].array for c in ("region", "facility") if c in rows.columns}
    columns.update({name: pd.Series(values).array for name, values in keys.items()})
    frame = pd.DataFrame(columns, index=rows.index)
    return series_codes(frame, list(frame.columns))


def _recode(values: pd.Series, categories) -> pd.Series:
    """The categorical ``values`` on the given categories (labels outside them -> missing)."""
    position = {c: i for i, c in enumerate(categories)}
    mapping = np.array([position.get(c, -1) for c in values.cat.categories] + [-1],
                       dtype=np.int64)
    codes = values.cat.codes.to_numpy()
    return pd.Series(pd.Categorical.from_codes(mapping[codes], list(categories), validate=False),
                     index=values.index)


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


def _class_biomass(fetch, classes: pd.Series, zone: pd.Series, index) -> tuple:
    """Tier 1 biomass carbon (t C/ha) per land class and climate zone (classes in order of
    first appearance)."""
    n = len(classes)
    values = np.zeros(n)
    ids = as_ids("", n)
    missing = np.zeros(n, dtype=bool)
    codes = classes.cat.codes.to_numpy()
    categories = classes.cat.categories
    counts = np.bincount(codes[codes >= 0], minlength=len(categories))
    for code in first_appearance(codes, len(categories)):
        if counts[code] == 0:
            continue
        cls = categories[code]
        mask = codes == code
        m = int(counts[code])
        try:
            if cls == "forest":
                sub = pd.DataFrame({"item": as_ids("forest", m), "climate_zone": zone[mask].array},
                                   index=index[mask])
                agb, agb_ids = fetch.many("agb", sub, unit="t/ha")
                root, root_ids = fetch.many("root_shoot", sub)
                cf = fetch.get("carbon_fraction", "forest")
                values[mask] = agb * (1.0 + root) * cf.value
                ids = put_ids(ids, mask, join_ids(agb_ids, root_ids, cf.factor_id))
            elif cls == "grassland":
                sub = pd.DataFrame({"item": as_ids("grassland", m),
                                    "climate_zone": zone[mask].array}, index=index[mask])
                dm, dm_ids = fetch.many("biomass_dm", sub, unit="t/ha")
                cf = fetch.get("carbon_fraction", "grassland")
                values[mask] = dm * cf.value
                ids = put_ids(ids, mask, join_ids(dm_ids, cf.factor_id))
            else:
                factor = fetch.get("biomass_c", cls, unit="t/ha")
                values[mask] = factor.value
                ids = put_ids(ids, mask, factor.factor_id)
        except LookupError:
            missing |= mask
    return values, ids, missing


# --------------------------------------------------------------------------- computes
def _from_to(rows: pd.DataFrame, kind: str) -> tuple[pd.Series, pd.Series]:
    """Land classes before and after (categoricals on :data:`LAND_CLASSES`): from the
    ``from_class``/``to_class`` columns where both are given, else from ``<from>_to_<to>``
    items (each distinct item is split once)."""
    index = rows.index
    if "from_class" in rows.columns and "to_class" in rows.columns:
        given = (rows["from_class"].notna() & rows["to_class"].notna()).to_numpy()
    else:
        given = np.zeros(len(rows), dtype=bool)
    item = text_column(rows, "item", "")
    parts = [str(c).split("_to_", 1) for c in item.cat.categories]
    item_codes = item.cat.codes.to_numpy()
    from_item = gather_categorical([p[0] for p in parts], item_codes)
    to_item = gather_categorical([p[1] if len(p) > 1 else "" for p in parts], item_codes)
    if given.any():
        source = pick_ids(given, text_column(rows, "from_class", "").array, from_item)
        target = pick_ids(given, text_column(rows, "to_class", "").array, to_item)
    else:
        source, target = from_item, to_item
    pairs = pd.DataFrame({"from": source, "to": target})
    codes, uniques = factorize_columns(pairs, ["from", "to"])
    combined = pd.Series(gather_categorical(
        [f"{a}_to_{b}" for a, b in zip(uniques["from"], uniques["to"], strict=True)], codes),
        index=index)
    same = (uniques["from"] == uniques["to"]).to_numpy()[codes]
    valid = [f"{a}_to_{b}" for a in LAND_CLASSES for b in LAND_CLASSES if a != b]
    check_items(combined[~same], valid, what="conversion", kind=kind)
    if same.any():
        raise ActivityDataError(f"{kind}: a conversion needs two different land classes",
                                rows=index[same].tolist(),
                                fix="use cropland_management / grassland_management or "
                                    "forest_stock for land remaining in its class")
    return (_recode(pd.Series(source, index=index), LAND_CLASSES),
            _recode(pd.Series(target, index=index), LAND_CLASSES))


def compute_conversion(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Land converted to another use (3.B.x.b): biomass change plus 20-year soil change.

    Examples
    --------
    100 ha of warm-temperate dry forest cleared for cropland: biomass 72.756 t C/ha lost and
    5 t C/ha gained, soil 0.38 t C/ha this year (IPCC 2006 Vol.4 Eq. 2.16, 2.25): a source.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["forest_to_cropland"], "value": [100.0],
    ...                      "climate_zone": ["warm_temperate_dry"]})
    >>> round(float(compute_conversion(rows, cl.load_factors())["emissions_t"].iloc[0]), 1)
    24983.2
    """
    kind = "land_conversion"
    index = rows.index
    area_ha = activity_value(rows, what="value (area converted)", kind=kind)
    source, target = _from_to(rows, kind)
    zone, soil = _climate_and_soil(rows, kind)
    fetch = FactorFetcher(lib)

    before, before_ids, miss_b = _class_biomass(fetch, source, zone, index)
    after, after_ids, miss_a = _class_biomass(fetch, target, zone, index)
    source_code, target_code = source.cat.codes.to_numpy(), target.cat.codes.to_numpy()
    new_forest = target_code == LAND_CLASSES.index("forest")
    after = np.where(new_forest, 0.0, after)
    after_ids = pick_ids(new_forest, "new_forest_starts_without_biomass", after_ids)
    miss_a &= ~new_forest
    before, before_ids = apply_override(rows, "biomass_c_before_t_per_ha", before, before_ids)
    after, after_ids = apply_override(rows, "biomass_c_after_t_per_ha", after, after_ids)
    lacking = (miss_b & np.isnan(column_or_nan(rows, "biomass_c_before_t_per_ha"))) | (
        miss_a & np.isnan(column_or_nan(rows, "biomass_c_after_t_per_ha")))
    if lacking.any():
        raise ActivityDataError(f"{kind}: no default biomass for this land class and climate zone",
                                rows=index[lacking].tolist(),
                                fix="give biomass_c_before_t_per_ha / biomass_c_after_t_per_ha")

    mineral = [LAND_CLASSES.index(c) for c in ("forest", "cropland", "grassland")]
    soil_known = np.isin(source_code, mineral) & np.isin(target_code, mineral)
    soc_before = np.full(len(rows), np.nan)
    soc_after = np.full(len(rows), np.nan)
    soc_ids = as_ids("soil:not_estimated", len(rows))
    if soil_known.any():
        sub_index = index[soil_known]
        ref, ref_ids = _soc_ref(sub_index, fetch, zone[soil_known], soil[soil_known], kind)
        groups = map_categorical(zone[soil_known], CLIMATE_ZONES)
        f_lu, lu_ids = _stock_factor(fetch, "f_lu", "long_term_cultivated", groups, sub_index)
        f_mg, mg_ids = _stock_factor(fetch, "f_mg", "full_tillage", groups, sub_index)
        f_i, i_ids = _stock_factor(fetch, "f_i", "medium_input", groups, sub_index)
        crop = soc_stock(ref, f_lu=f_lu, f_mg=f_mg, f_i=f_i)
        cropland = LAND_CLASSES.index("cropland")
        from_crop = source_code[soil_known] == cropland
        to_crop = target_code[soil_known] == cropland
        # forest and grassland keep SOCref, cropland SOCref x F_LU x F_MG x F_I
        soc_before[soil_known] = np.where(from_crop, crop, ref)
        soc_after[soil_known] = np.where(to_crop, crop, ref)
        soc_ids = put_ids(soc_ids, soil_known,
                          pick_ids(from_crop | to_crop, join_ids(ref_ids, lu_ids, mg_ids, i_ids),
                                   ref_ids))
    soc_before, soc_ids = apply_override(rows, "soc_before_t_per_ha", soc_before, soc_ids)
    soc_after, soc_ids = apply_override(rows, "soc_after_t_per_ha", soc_after, soc_ids)
    years_factor = fetch.get("transition_years", "soil")
    delta_soc = np.nan_to_num(soc_after - soc_before)
    series = _series(rows, {"_from": source, "_to": target, "_zone": zone, "_soil": soil})
    soil_c = _soil_flux_c(rows, area_ha, delta_soc, series, years_factor.value, kind)
    co2 = conversion_co2(area_ha, biomass_c_before_t_per_ha=before,
                         biomass_c_after_t_per_ha=after, soil_change_t_c=soil_c)
    category = map_categorical(target, _CATEGORY)
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
    area_ha = activity_value(rows, what="value (area)", kind=kind)
    old, new = _management_pair(rows, vocabulary_map, kind)
    zone, soil = _climate_and_soil(rows, kind)
    land_use = text_column(rows, "land_use", land_use_default or "")
    fetch = FactorFetcher(lib)
    ref, ref_ids = _soc_ref(index, fetch, zone, soil, kind)
    groups = map_categorical(zone, CLIMATE_ZONES)
    if land_use_default:
        check_items(land_use, ["long_term_cultivated", "paddy_rice", "perennial_crop",
                               "set_aside"], what="land_use", kind=kind)
        f_lu, lu_ids = _stock_factor(fetch, "f_lu", land_use, groups, index)
    else:
        f_lu, lu_ids = np.ones(len(rows)), as_ids("", len(rows))
    factors = {}
    for side, ids in (("from", old), ("to", new)):
        mg_items = map_categorical(ids, {m: pair[0] for m, pair in vocabulary_map.items()})
        i_items = map_categorical(ids, {m: pair[1] for m, pair in vocabulary_map.items()})
        f_mg, mg_ids = _stock_factor(fetch, "f_mg", mg_items, groups, index)
        f_i, i_ids = _stock_factor(fetch, "f_i", i_items, groups, index)
        factors[side] = (soc_stock(ref, f_lu=f_lu, f_mg=f_mg, f_i=f_i), join_ids(mg_ids, i_ids))
    years_factor = fetch.get("transition_years", "soil")
    delta_soc = factors["to"][0] - factors["from"][0]
    series = _series(rows, {"_old": old, "_new": new, "_zone": zone, "_soil": soil,
                            "_lu": land_use})
    soil_c = _soil_flux_c(rows, area_ha, delta_soc, series, years_factor.value, kind)
    ids = join_ids(ref_ids, lu_ids, factors["from"][1], factors["to"][1], years_factor.factor_id)
    return result_frame(index, category, "CO2", -soil_c * C_TO_CO2, ids)


def compute_cropland_management(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Soil carbon change of cropland remaining cropland (3.B.2.a) from a management change
    (straw return, organic fertiliser, reduced tillage; Table 5.5) over 20 years (Eq. 2.25).

    Examples
    --------
    1000 ha from residue removal to straw return (warm temperate moist; SOCref 88, F_LU
    0.69, F_I 0.92 -> 1.00; IPCC 2006 Vol.4 Tables 2.3, 5.5) over 20 years: -890.56 t CO2/yr.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["cropland"], "value": [1000.0],
    ...                      "from_management": ["residue_removed"],
    ...                      "to_management": ["straw_return"],
    ...                      "climate_zone": ["warm_temperate_moist"]})
    >>> out = compute_cropland_management(rows, cl.load_factors())
    >>> round(float(out["emissions_t"].iloc[0]), 2)
    -890.56
    """
    return _compute_management(rows, lib, kind="cropland_management",
                               vocabulary_map=CROPLAND_MANAGEMENT, category="3.B.2.a",
                               land_use_default="long_term_cultivated")


def compute_grassland_management(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Soil carbon change of grassland remaining grassland (3.B.3.a) from a management change
    (degradation, improvement; Table 6.2) over 20 years (Eq. 2.25).

    Examples
    --------
    1000 ha of cool-temperate dry grassland (SOCref 50) degrading to severely degraded
    (F_MG 1.00 -> 0.70, IPCC 2006 Vol.4 Table 6.2) over 20 years: +2750 t CO2/yr, a source.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["grassland"], "value": [1000.0],
    ...                      "from_management": ["nominally_managed"],
    ...                      "to_management": ["severely_degraded"],
    ...                      "climate_zone": ["cool_temperate_dry"]})
    >>> round(float(compute_grassland_management(rows, cl.load_factors())["emissions_t"]
    ...             .iloc[0]), 6)
    2750.0
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
