"""Seeded synthetic full inventory: every activity kind, 10 years x 100 regions.

:func:`full_inventory_rows` builds one activity table covering every kind listed by
``carbonledger.activity_kinds()``, with items each engine accepts, the columns each kind needs
(required ones, and the Tier 2 columns that have no library default such as forest growth rates,
a primary-magnesium plant factor or an SF6 leak rate) and region-sized magnitudes. Landfill
deposit histories are consecutive per site and item; forest stock volumes form one growing
series per region and forest type.

The magnitudes are illustrative (a "region" is about one hundredth of China's national
activity), not statistics: they only need to be plausible so that the engines exercise the
code paths real inventories take.

Examples
--------
>>> frame = full_inventory_rows(years=2, regions=2)
>>> import carbonledger as cl
>>> set(cl.activity_kinds().index) <= set(frame["activity"].unique())
True
>>> int(frame.groupby("activity", observed=True).size()["manure_management"])
40
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

__all__ = ["full_inventory_rows", "KIND_SPECS", "rows_per_region_year"]

#: Fuels burned (item -> (unit, typical quantity per sector, region and year in that unit)).
FUELS = {
    "raw_coal": ("t", 4.0e5), "cleaned_coal": ("t", 5.0e4), "other_washed_coal": ("t", 3.0e4),
    "coke": ("t", 6.0e4), "coke_oven_gas": ("wan_m3", 3.0e3), "crude_oil": ("t", 2.0e4),
    "gasoline": ("t", 1.5e4), "kerosene": ("t", 3.0e3), "diesel": ("t", 3.0e4),
    "fuel_oil": ("t", 8.0e3), "lpg": ("t", 5.0e3), "refinery_gas": ("t", 4.0e3),
    "natural_gas": ("wan_m3", 6.0e3), "briquettes": ("t", 2.0e3),
    "other_petroleum_products": ("t", 4.0e3),
}
#: Stationary sectors (catalog ids) and a weight on their fuel use.
SECTOR_WEIGHTS = {
    "power": 12.0, "heat_supply": 3.0, "coking": 2.0, "steel": 4.0, "nonferrous": 1.5,
    "chemicals": 2.5, "building_materials": 3.0, "pulp_paper": 0.6, "food": 0.5,
    "machinery": 0.4, "textiles": 0.4, "other_industry": 0.8, "construction": 0.3,
    "commercial": 0.5, "residential": 0.8, "agriculture": 0.3,
}
#: Mobile combustion: (sector, fuel, unit, typical quantity).
MOBILE = [
    ("road_transport", "gasoline", "t", 1.2e6), ("road_transport", "diesel", "t", 1.4e6),
    ("road_transport", "natural_gas", "wan_m3", 1.5e4), ("road_transport", "lpg", "t", 2.0e4),
    ("rail_transport", "diesel", "t", 4.0e4), ("water_transport", "diesel", "t", 6.0e4),
    ("water_transport", "fuel_oil", "t", 8.0e4), ("aviation", "kerosene", "t", 2.5e5),
]
GRID_REGIONS = ("north", "northeast", "east", "central", "northwest", "south", "southwest",
                "hebei", "shanxi", "anhui", "sichuan", "yunnan", "fujian", "guangxi")
#: Climate zones (Table 2.3) for which the library carries forest and grassland biomass.
LAND_CLIMATES = ("cool_temperate_dry", "cool_temperate_moist", "warm_temperate_dry",
                 "warm_temperate_moist")
SEED = 20240611


def _trait(name: str) -> Callable:
    """A parameter taken from the row's region (climate, grid, temperature...)."""
    return lambda draw: draw.traits[name][draw.region]


def _jitter(centre: float, spread: float, *, low: float = 0.0, high: float = np.inf) -> Callable:
    """A per-row number around ``centre`` (uniform +-``spread``), clipped to ``[low, high]``."""
    return lambda draw: np.clip(centre + draw.rng.uniform(-spread, spread, draw.n), low, high)


def _of_value(fraction: float) -> Callable:
    """A per-row quantity proportional to the row's value (e.g. SF6 disbursed vs acquired)."""
    return lambda draw: fraction * draw.value


def _v(sector: str, item: str, unit: str, typical: float, **params) -> tuple:
    return sector, item, unit, float(typical), params


def _manure(item: str, typical: float, **shares: float) -> tuple:
    return _v("agriculture", item, "head", typical, **{f"ms_{k}": v for k, v in shares.items()})


_SITE_LANDFILL = {"managed_anaerobic": 0.55, "unmanaged_shallow": 0.15}
_WASTE_SHARES = {"food": 0.50, "paper": 0.12, "garden": 0.08, "wood": 0.03, "textiles": 0.04}

#: activity -> {"variants": [(sector, item, unit, typical, params)], "params": {...} applied to
#: every variant, "share": probability that a region (x facility) carries a variant at all,
#: "growth": yearly trend factor, "sigma": log-normal noise of the value}.
KIND_SPECS: dict[str, dict] = {
    # --------------------------------------------------------------------------- energy
    "fuel_combustion": {
        "variants": [_v(s, f, u, q * w) for s, w in SECTOR_WEIGHTS.items()
                     for f, (u, q) in FUELS.items()] + [_v(*m) for m in MOBILE],
        "share": 0.7, "growth": 1.015,
    },
    "non_energy_use": {"variants": [
        _v("chemicals", "naphtha", "t", 3.0e5), _v("chemicals", "raw_coal", "t", 6.0e5),
        _v("chemicals", "natural_gas", "wan_m3", 2.0e4), _v("chemicals", "lpg", "t", 4.0e4),
        _v("other_industry", "bitumen", "t", 2.0e5), _v("other_industry", "lubricants", "t", 3.0e4),
    ]},
    "transformation_input": {"variants": [
        _v("coking", "cleaned_coal", "t", 6.0e6), _v("petroleum_refining", "crude_oil", "t", 7.0e6),
        _v("heat_supply", "raw_coal", "t", 1.0e6),
    ]},
    "transformation_output": {"variants": [
        _v("coking", "coke", "t", 4.5e6), _v("coking", "coke_oven_gas", "wan_m3", 1.5e5),
        _v("petroleum_refining", "gasoline", "t", 1.5e6),
        _v("petroleum_refining", "diesel", "t", 1.8e6),
        _v("petroleum_refining", "kerosene", "t", 5.0e5),
        _v("petroleum_refining", "fuel_oil", "t", 3.0e5),
        _v("power", "electricity", "MWh", 6.0e7), _v("heat_supply", "heat", "GJ", 4.0e7),
    ]},
    "losses": {"variants": [_v("power", "electricity", "MWh", 3.5e6),
                            _v("heat_supply", "heat", "GJ", 2.0e6),
                            _v("other_industry", "natural_gas", "wan_m3", 5.0e3)]},
    "energy_consumption": {"variants": [
        _v(s, "electricity", "MWh", 6.0e6 * w) for s, w in SECTOR_WEIGHTS.items()
        if s not in ("power", "heat_supply")] + [
        _v(s, "heat", "GJ", 3.0e6) for s in ("commercial", "residential", "chemicals",
                                              "food", "textiles")]},
    "purchased_energy": {
        "variants": [_v(s, "electricity", "MWh", 1.0e6 * w)
                     for s, w in SECTOR_WEIGHTS.items() if s not in ("power", "heat_supply")]
        + [_v(s, "heat", "GJ", 1.0e6) for s in ("chemicals", "pulp_paper", "food")],
        "params": {"grid_region": _trait("grid_region")},
    },
    "electricity_import": {"variants": [_v("power", "electricity", "MWh", 2.0e6)],
                           "params": {"grid_region": _trait("grid_region")}, "sigma": 0.4},
    "electricity_export": {"variants": [_v("power", "electricity", "MWh", 1.5e6)],
                           "params": {"grid_region": _trait("grid_region")}, "sigma": 0.4},
    "renewable_electricity": {"variants": [
        _v("power", "electricity", "MWh", q, technology=t)
        for t, q in (("hydro", 1.3e7), ("wind", 7.0e6), ("solar", 4.0e6), ("nuclear", 4.0e6),
                     ("biomass", 1.5e6))], "share": 0.8, "growth": 1.08},
    "coal_mining": {"variants": [_v("coal_mining", "underground", "t", 2.0e7),
                                 _v("coal_mining", "surface", "t", 6.0e6)], "share": 0.6},
    # synthetic mine counts; gassy fraction and EF are required inputs (no default shipped)
    "abandoned_coal_mines": {"variants": [_v("coal_mining", period, "1", count) for period, count
                                          in (("1976_2000", 6.0), ("2001_present", 3.0))],
                             "params": {"gassy_fraction": _jitter(0.5, 0.2, high=1.0),
                                        "ef_mm3_per_mine": _jitter(0.5, 0.3, low=0.05)},
                             "share": 0.3, "growth": 1.0},
    "oil_gas_system": {"variants": [
        _v("oil_gas_extraction", stage, "m3", q) for stage, q in (
            ("gas_production", 2.0e9), ("gas_processing", 1.8e9), ("gas_transmission", 3.5e9),
            ("gas_storage", 2.0e8), ("gas_distribution", 3.0e9), ("oil_production", 2.3e5),
            ("oil_refining", 8.0e6))], "share": 0.5},
    # ----------------------------------------------------------------------------- IPPU
    "clinker_production": {"variants": [_v("building_materials", "clinker", "t", 1.4e7)]},
    "lime_production": {"variants": [_v("building_materials", "high_calcium", "t", 2.5e6),
                                     _v("building_materials", "dolomitic", "t", 6.0e5)]},
    "glass_production": {"variants": [
        _v("building_materials", "float_glass", "t", 5.0e5),
        _v("building_materials", "container_flint", "t", 1.8e5, cullet_ratio=0.3),
        _v("building_materials", "fiberglass_e_glass", "t", 6.0e4)]},
    "carbonate_use": {"variants": [_v("chemicals", "calcite", "t", 4.0e5),
                                   _v("chemicals", "dolomite", "t", 1.5e5),
                                   _v("chemicals", "sodium_carbonate", "t", 1.0e5)]},
    "ammonia_production": {"variants": [_v("chemicals", "ng_conventional", "t", 1.5e5),
                                        _v("chemicals", "partial_oxidation", "t", 3.5e5)]},
    "nitric_acid_production": {"variants": [_v("chemicals", "medium_pressure", "t", 1.0e5),
                                            _v("chemicals", "high_pressure", "t", 6.0e4)]},
    "adipic_acid_production": {"variants": [
        _v("chemicals", "catalytic_destruction", "t", 2.0e4),
        _v("chemicals", "thermal_destruction", "t", 1.0e4)], "share": 0.3},
    "carbide_production": {"variants": [_v("chemicals", "calcium_carbide", "t", 2.8e5),
                                        _v("chemicals", "silicon_carbide", "t", 1.0e4)]},
    "soda_ash_production": {"variants": [_v("chemicals", "natural_soda_ash", "t", 2.0e4)],
                            "share": 0.3},
    "hcfc22_production": {"variants": [_v("chemicals", "hcfc22", "t", 8.0e3,
                                          destruction_fraction=_jitter(0.85, 0.1, high=1.0))],
                          "share": 0.4},
    "steel_production": {"variants": [_v("steel", "bf_bof", "t", 7.0e6),
                                      _v("steel", "eaf", "t", 1.0e6),
                                      _v("steel", "sinter", "t", 6.0e6),
                                      _v("steel", "coke", "t", 3.0e6)]},
    "ferroalloy_production": {"variants": [_v("steel", "ferrosilicon_75", "t", 5.0e4),
                                           _v("steel", "silicomanganese", "t", 1.0e5),
                                           _v("steel", "ferrochromium", "t", 6.0e4)]},
    "aluminium_production": {"variants": [_v("nonferrous", "cwpb", "t", 4.0e5)], "share": 0.7},
    "magnesium_production": {"variants": [
        _v("nonferrous", "primary", "t", 9.0e3, ef_t_per_t=_jitter(5.1, 0.4)),
        _v("nonferrous", "casting", "t", 2.0e3)], "share": 0.4},
    "sf6_equipment": {"variants": [
        _v("power", "mass_balance", "t", 0.8, disbursed_t=_of_value(0.12),
           inventory_decrease_t=_of_value(0.06), capacity_increase_t=_of_value(0.4)),
        _v("power", "installed_bank", "t", 60.0, leak_rate=_jitter(0.005, 0.003))]},
    # ----------------------------------------------------------------------- agriculture
    "enteric_fermentation": {"variants": [
        _v("agriculture", a, "head", q) for a, q in (
            ("dairy_cattle", 1.0e5), ("other_cattle", 8.0e5), ("buffalo", 2.5e5),
            ("sheep", 1.9e6), ("goats", 1.3e6), ("swine", 4.5e6), ("horses", 4.0e4),
            ("camels", 4.0e3), ("mules_asses", 4.0e4))], "growth": 1.0},
    "manure_management": {
        "variants": [
            _manure("dairy_cattle", 1.0e5, solid_storage=0.4, liquid_slurry_no_crust=0.2,
                    daily_spread=0.2, pasture=0.1),
            _manure("other_cattle", 8.0e5, solid_storage=0.5, dry_lot=0.2, pasture=0.2),
            _manure("buffalo", 2.5e5, solid_storage=0.5, dry_lot=0.3, pasture=0.2),
            _manure("sheep", 1.9e6, pasture=0.7, solid_storage=0.2),
            _manure("goats", 1.3e6, pasture=0.7, solid_storage=0.2),
            _manure("swine", 4.5e6, liquid_slurry_no_crust=0.3, solid_storage=0.3,
                    pit_storage=0.2, anaerobic_lagoon=0.1),
            _manure("horses", 4.0e4, solid_storage=0.5, pasture=0.5),
            _manure("camels", 4.0e3, pasture=0.9),
            _manure("mules_asses", 4.0e4, solid_storage=0.5, pasture=0.5),
            _manure("poultry", 5.0e7, poultry_with_litter=0.6, poultry_without_litter=0.3),
        ],
        "params": {"avg_temp_c": _trait("avg_temp_c")}, "growth": 1.0,
    },
    "rice_cultivation": {"variants": [
        _v("agriculture", "continuously_flooded", "ha", 1.0e5, roa_straw_short_t_per_ha=2.0),
        _v("agriculture", "single_aeration", "ha", 1.2e5),
        _v("agriculture", "multiple_aeration", "ha", 6.0e4, preseason="non_flooded_long")],
        "params": {"cultivation_days": _jitter(120.0, 15.0)}, "share": 0.7, "growth": 0.995},
    "synthetic_fertiliser": {"variants": [_v("agriculture", "synthetic_n", "t", 1.8e5)],
                             "growth": 0.98},
    "organic_fertiliser": {"variants": [_v("agriculture", "manure_n", "t", 4.0e4),
                                        _v("agriculture", "compost_n", "t", 5.0e3)]},
    "crop_residue": {"variants": [_v("agriculture", c, "t", q) for c, q in (
        ("rice_residue_n", 1.2e4), ("wheat_residue_n", 1.0e4), ("maize_residue_n", 1.5e4))]},
    "som_mineralisation": {"variants": [_v("agriculture", "cropland_som_n", "t", 2.0e3)]},
    "organic_soil_cultivation": {"variants": [_v("agriculture", "drained_organic_soil", "ha",
                                                 5.0e3, climate="temperate")], "share": 0.5},
    "liming": {"variants": [_v("agriculture", "limestone", "t", 3.0e4),
                            _v("agriculture", "dolomite", "t", 1.0e4)]},
    "urea_application": {"variants": [_v("agriculture", "urea", "t", 2.0e5)], "growth": 0.98},
    # --------------------------------------------------------------------------- LULUCF
    "forest_stock": {"variants": [_v("forestry", t, "m3", q) for t, q in (
        ("temperate_hardwood", 8.0e7), ("temperate_pine", 6.0e7),
        ("temperate_other_conifer", 5.0e7))], "growth": 1.015, "sigma": 0.002},
    "forest_growth": {"variants": [
        _v("forestry", "temperate_hardwood", "ha", 4.0e5, harvest_m3=_jitter(3.0e5, 1.0e5)),
        _v("forestry", "temperate_pine", "ha", 3.0e5, fuelwood_m3=_jitter(5.0e4, 2.0e4)),
        _v("forestry", "temperate_other_conifer", "ha", 2.0e5)],
        "params": {"increment_m3_per_ha": _jitter(4.5, 1.5)}, "growth": 1.01},
    "afforestation": {"variants": [_v("forestry", "temperate_pine", "ha", 2.0e4),
                                   _v("forestry", "temperate_hardwood", "ha", 1.5e4)],
                      "params": {"increment_m3_per_ha": _jitter(3.0, 1.0)}, "sigma": 0.3},
    "land_conversion": {"variants": [_v("forestry", c, "ha", q) for c, q in (
        ("cropland_to_forest", 8.0e3), ("grassland_to_forest", 5.0e3),
        ("forest_to_cropland", 1.0e3), ("grassland_to_cropland", 2.0e3),
        ("cropland_to_settlements", 4.0e3))],
        "params": {"climate_zone": _trait("land_climate")}, "sigma": 0.3},
    "cropland_management": {"variants": [
        _v("agriculture", "straw_return_area", "ha", 3.0e4, from_management="residue_removed",
           to_management="straw_return"),
        _v("agriculture", "no_till_area", "ha", 1.0e4, from_management="residue_removed",
           to_management="no_till"),
        _v("agriculture", "paddy_manure_area", "ha", 8.0e3, from_management="straw_return",
           to_management="organic_fertiliser", land_use="paddy_rice")],
        "params": {"climate_zone": _trait("land_climate")}, "sigma": 0.3},
    "grassland_management": {"variants": [
        _v("agriculture", "grassland_improved", "ha", 2.0e4, from_management="moderately_degraded",
           to_management="nominally_managed"),
        _v("agriculture", "grassland_degraded", "ha", 5.0e3, from_management="nominally_managed",
           to_management="severely_degraded")],
        "params": {"climate_zone": _trait("land_climate")}, "sigma": 0.3},
    # ---------------------------------------------------------------------------- waste
    "landfill_disposal": {"variants": [
        _v("waste_treatment", item, "t", 1.0e6 * share * site_share, site_type=site)
        for site, site_share in _SITE_LANDFILL.items()
        for item, share in _WASTE_SHARES.items()],
        "params": {"climate_zone": _trait("landfill_climate")}, "growth": 0.97},
    "incineration": {"variants": [
        _v("waste_treatment", item, "t", 8.0e5 * share, technology="continuous_stoker")
        for item, share in (("food", 0.5), ("paper", 0.15), ("plastics", 0.12),
                            ("textiles", 0.05), ("wood", 0.03))], "growth": 1.10},
    "open_burning": {"variants": [_v("waste_treatment", item, "t", q) for item, q in (
        ("food", 2.0e4), ("plastics", 5.0e3), ("paper", 6.0e3))], "growth": 0.9, "sigma": 0.3},
    "composting": {"variants": [_v("waste_treatment", "food_waste", "t", 5.0e4),
                                _v("waste_treatment", "garden_waste", "t", 2.0e4, basis="dry")]},
    "anaerobic_digestion": {"variants": [_v("waste_treatment", "food_waste", "t", 8.0e4)],
                            "growth": 1.1},
    "domestic_wastewater": {"variants": [
        _v("waste_treatment", "population", "person", 1.4e7,
           treatment_system="centralised_aerobic_well_managed", share=0.65),
        _v("waste_treatment", "population", "person", 1.4e7, treatment_system="septic_system",
           share=0.25),
        _v("waste_treatment", "population", "person", 1.4e7,
           treatment_system="latrine_dry_family", share=0.10),
        _v("waste_treatment", "cod", "t", 2.0e4, treatment_system="anaerobic_reactor")],
        "growth": 1.005, "sigma": 0.01},
    "domestic_wastewater_n2o": {"variants": [_v(
        "waste_treatment", "population", "person", 1.4e7,
        treatment_system="centralised_aerobic_well_managed",
        protein_kg_per_person_yr=_jitter(33.0, 3.0))], "growth": 1.005, "sigma": 0.01},
    "industrial_wastewater": {"variants": [
        _v("waste_treatment", product, "t", q, value_is="production", treatment_system=system)
        for product, q, system in (
            ("beer_malt", 4.0e4, "anaerobic_reactor"),
            ("dairy_products", 3.0e4, "centralised_aerobic_well_managed"),
            ("meat_poultry", 8.0e4, "anaerobic_shallow_lagoon"),
            ("pulp_paper", 1.0e5, "centralised_aerobic_overloaded"),
            ("organic_chemicals", 5.0e4, "centralised_aerobic_overloaded"))] + [
        _v("waste_treatment", "other_industry_cod", "t", 3.0e4, value_is="cod",
           treatment_system="sea_river_lake_discharge")]},
}


class _Draw:
    """What a parameter function sees: the rows' region codes, the region traits, the rng."""

    def __init__(self, region: np.ndarray, value: np.ndarray, traits: dict,
                 rng: np.random.Generator):
        self.region, self.value, self.traits, self.rng = region, value, traits, rng
        self.n = len(region)


def _traits(regions: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    climate = rng.choice(np.array(LAND_CLIMATES, dtype=object), regions)
    temp_c = np.round(rng.uniform(2.0, 27.0, regions), 1)
    moist = np.char.endswith(climate.astype(str), "moist")
    landfill = np.where(temp_c > 20.0, np.where(moist, "tropical_wet", "tropical_dry"),
                        np.where(moist, "boreal_temperate_wet", "boreal_temperate_dry"))
    return {
        "size": rng.lognormal(0.0, 0.6, regions),
        "avg_temp_c": temp_c,
        "grid_region": rng.choice(np.array(GRID_REGIONS, dtype=object), regions),
        "land_climate": climate,
        "landfill_climate": landfill.astype(object),
    }


def _kind_block(name: str, spec: dict, *, years: np.ndarray, regions: int, facilities: int,
                traits: dict, rng: np.random.Generator) -> pd.DataFrame:
    variants = spec["variants"]
    n_var = len(variants)
    present = rng.random((regions, facilities, n_var)) < spec.get("share", 1.0)
    # facility 0 of every region carries at least one variant: every region has every kind
    empty = ~present[:, 0, :].any(axis=1)
    present[empty, 0, rng.integers(0, n_var, int(empty.sum()))] = True
    reg, fac, var = np.nonzero(present)
    n_series = len(reg)
    n_years = len(years)
    t = np.tile(np.arange(n_years), n_series)
    reg, fac, var = (np.repeat(a, n_years) for a in (reg, fac, var))
    typical = np.array([v[3] for v in variants])
    level = typical[var] * traits["size"][reg] * spec.get("growth", 1.02) ** t
    value = level * rng.lognormal(0.0, spec.get("sigma", 0.08), len(t))
    columns = {
        "year": years[t].astype(np.int64),
        "region": pd.Categorical.from_codes(reg, [f"R{i:03d}" for i in range(regions)]),
        "facility": pd.Categorical.from_codes(fac, [f"F{i:03d}" for i in range(facilities)]),
        "sector": np.array([v[0] for v in variants], dtype=object)[var],
        "activity": np.full(len(t), name, dtype=object),
        "item": np.array([v[1] for v in variants], dtype=object)[var],
        "value": value,
        "unit": np.array([v[2] for v in variants], dtype=object)[var],
    }
    draw = _Draw(reg, value, traits, rng)
    names = dict.fromkeys([*spec.get("params", {}), *(k for v in variants for k in v[4])])
    for column in names:
        out = None
        for position, variant in enumerate(variants):
            given = variant[4].get(column, spec.get("params", {}).get(column))
            if given is None:
                continue
            values = given(draw) if callable(given) else np.full(draw.n, given, dtype=object)
            if out is None:
                out = np.full(draw.n, np.nan, dtype=object)
            mask = var == position
            out[mask] = values[mask]
        columns[column] = out
    return pd.DataFrame(columns)


def full_inventory_rows(*, years: int = 10, regions: int = 100, facilities: int = 1,
                        start_year: int = 2014, kinds: Iterable[str] | None = None,
                        seed: int = SEED) -> pd.DataFrame:
    """A full-inventory activity table: every kind (or those in ``kinds``) for every region,
    facility and year.

    Parameters
    ----------
    years, regions : the panel (``start_year`` .. ``start_year + years - 1`` x R000..).
    facilities : sites per region (F000..); multiplies every kind's row count (used to scale
        one kind to 10^5 rows and more).
    kinds : restrict to these activity kinds (default: every kind of :data:`KIND_SPECS`).
    seed : seed of the generator (same seed, same table).

    Returns
    -------
    DataFrame with ``year, region, facility, sector, activity, item, value, unit`` (categorical
    keys) and the parameter columns of the kinds (NaN on rows of other kinds).

    Examples
    --------
    >>> frame = full_inventory_rows(years=3, regions=4, kinds=["landfill_disposal"])
    >>> histories = frame.groupby(["region", "site_type", "item"], observed=True)["year"]
    >>> bool(histories.apply(lambda y: sorted(y) == [2014, 2015, 2016]).all())
    True
    """
    rng = np.random.default_rng(seed)
    traits = _traits(regions, rng)
    year_values = np.arange(start_year, start_year + years)
    names = list(KIND_SPECS) if kinds is None else list(kinds)
    unknown = [n for n in names if n not in KIND_SPECS]
    if unknown:
        raise KeyError(f"no synthetic spec for {unknown}")
    blocks = []
    for name in names:
        kind_rng = np.random.default_rng([seed, list(KIND_SPECS).index(name)])
        blocks.append(_kind_block(name, KIND_SPECS[name], years=year_values, regions=regions,
                                  facilities=facilities, traits=traits, rng=kind_rng))
    frame = pd.concat(blocks, ignore_index=True, sort=False)
    for column in frame.columns:
        series = frame[column]
        if column in ("year", "value") or pd.api.types.is_numeric_dtype(series):
            continue
        if pd.api.types.is_object_dtype(series) and _is_numeric(series):
            frame[column] = pd.to_numeric(series)
        elif not isinstance(series.dtype, pd.CategoricalDtype):
            frame[column] = series.astype("category")
    return frame


def _is_numeric(series: pd.Series) -> bool:
    sample = series.dropna()
    return len(sample) > 0 and all(isinstance(v, (int, float, np.number)) and not isinstance(
        v, bool) for v in sample.iloc[:50])


def rows_per_region_year(name: str) -> float:
    """Expected rows of kind ``name`` per region, facility and year (variants x share).

    Examples
    --------
    >>> rows_per_region_year("manure_management")
    10.0
    """
    spec = KIND_SPECS[name]
    return len(spec["variants"]) * spec.get("share", 1.0)
