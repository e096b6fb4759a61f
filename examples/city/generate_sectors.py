"""Generate the NON-ENERGY activity rows of the example city (IPPU, fugitive, agriculture,
LULUCF, waste), 2015-2025, into ``activity_sectors.csv``.

SYNTHETIC DATA, like ``activity.csv``: every quantity below is an assumption of this example,
kept on the order of magnitude that README.md states with its basis ("Non-energy sectors").
The industrial drivers (crude steel, aluminium, cement, calcium carbide, coke, natural gas) are
taken from ``generate.py`` so the two files describe the same city; population comes from
``real_figures.gdp_table()``.

Run ``python examples/city/generate_sectors.py`` (from anywhere; it imports its siblings). It is
deterministic (no random numbers of its own; ``generate.drivers()`` is seeded) and writes
``activity_sectors.csv`` next to itself through a temporary file. The rows follow the
carbonledger convention ``year, sector, activity, item, value, unit`` plus each kind's parameter
columns (see ``carbonledger.activity_kinds()``); account them together with ``activity.csv``::

    import pandas as pd, carbonledger as cl
    rows = pd.concat([pd.read_csv("examples/city/activity.csv"),
                      pd.read_csv("examples/city/activity_sectors.csv")], ignore_index=True)
    inv = cl.compute_inventory(rows)

Accounting choices (README.md explains each):

* no ``steel_production`` row: the blast-furnace coke is ``fuel_combustion`` of ``steel`` in
  ``activity.csv``, so a BF-BOF Tier 1 factor (1.46 t CO2/t) would count it twice; only the
  carbonate fluxes (``carbonate_use``) and the lime kilns (``lime_production``) are IPPU;
* no ``coal_mining`` row: the city has no coal mine (its energy balance records no coal
  production);
* ``carbide_production`` is the IPPU side of the coke that ``activity.csv`` books as
  ``non_energy_use`` (feedstock, no combustion emissions there).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from generate import _atomic_write, _csv_bytes, activity_rows, drivers  # sibling (script)
from real_figures import gdp_table

HERE = Path(__file__).resolve().parent
YEARS = np.arange(2015, 2026)
N = len(YEARS)
LANDFILL_YEARS = np.arange(2000, 2026)  # the managed landfill opened in 2000 (assumption)
BASE = ["year", "sector", "activity", "item", "value", "unit"]


def ramp(first: float, last: float, n: int = N) -> np.ndarray:
    """Linear trend from ``first`` (first year) to ``last`` (last year).

    Examples
    --------
    >>> ramp(1.0, 2.0, 3).tolist()
    [1.0, 1.5, 2.0]
    """
    return np.linspace(first, last, n)


# ---------------------------------------------------------------------------------------------
# Assumptions (README.md, section "Non-energy sectors", gives the basis of each)
# ---------------------------------------------------------------------------------------------
IPPU = {
    "lime_t_per_t_steel": 0.075,  # BOF + sinter lime from the steelworks' own kilns
    "lime_t_per_t_carbide": 0.90,  # CaO + 3C -> CaC2 + CO, commercial carbide ~80 % CaC2
    "limestone_t_per_thm": 0.085,  # raw calcite charged to sinter / blast furnace
    "dolomite_t_per_thm": 0.045,  # raw dolomite flux
    "anode_effect_min_per_cell_day": ramp(0.40, 0.15),  # CWPB potlines, Tier 2 slope method
    "sf6_base_bank_t": 12.0,  # 330/750 kV substations, smelter rectifier yards
    "sf6_kg_per_mw": 2.0,  # switchgear per MW of connected generation (coal + PV + wind)
    "sf6_leak_rate": ramp(0.010, 0.006),  # fraction of the bank per year
}
LIVESTOCK_HEAD = pd.DataFrame(  # annual average population (head)
    {
        "sheep": [88_000, 90_000, 92_000, 95_000, 97_000, 98_000,
                  100_000, 102_000, 104_000, 105_000, 106_000],
        "goats": [12_000, 11_800, 11_500, 11_000, 10_600, 10_300,
                  10_000, 9_700, 9_400, 9_200, 9_000],
        "other_cattle": [7_000, 7_200, 7_500, 7_900, 8_300, 8_800,
                         9_300, 9_800, 10_300, 10_700, 11_000],
        "dairy_cattle": [2_500, 2_600, 2_700, 2_900, 3_000, 3_200,
                         3_400, 3_600, 3_800, 3_900, 4_000],
        "swine": [45_000, 44_000, 43_000, 42_000, 34_000, 35_000,
                  39_000, 40_000, 39_000, 38_500, 38_000],  # 2019-2020: African swine fever
        "poultry": [500_000, 505_000, 510_000, 515_000, 520_000, 525_000,
                    530_000, 535_000, 540_000, 545_000, 550_000],
    },
    index=YEARS,
)
#: Manure management system shares (fraction of manure N; the rest of 1 is pasture).
MANURE_SHARES = {
    "sheep": {"ms_solid_storage": 0.5, "ms_pasture": 0.5},
    "goats": {"ms_solid_storage": 0.5, "ms_pasture": 0.5},
    "other_cattle": {"ms_dry_lot": 0.6, "ms_solid_storage": 0.3, "ms_pasture": 0.1},
    "dairy_cattle": {"ms_solid_storage": 0.5, "ms_dry_lot": 0.3, "ms_liquid_slurry_crust": 0.2},
    "swine": {"ms_solid_storage": 0.6, "ms_pit_storage": 0.3, "ms_liquid_slurry_crust": 0.1},
    "poultry": {"ms_poultry_with_litter": 0.4, "ms_poultry_without_litter": 0.6},
}
AGRICULTURE = {
    "avg_temp_c": 7.8,  # annual mean air temperature of the oasis
    "cropland_ha": 114_400 / 15,  # 11.44 x 10^4 mu of cropland (seed 000)
    # synthetic N (t N): zero growth to 2020 (seed 002), then -10 % by 2025 vs 2020
    "fertiliser_t_n": np.r_[[2150.0, 2180.0, 2200.0, 2190.0, 2170.0, 2150.0],
                            2150.0 * (1.0 - 0.02 * np.arange(1, 6))],
    "urea_share_of_n": 0.55,  # share of synthetic N applied as urea
    "urea_n_content": 0.46,  # t N per t urea
    "residue_ag_t_dm_per_ha": 6.0,  # above-ground crop residue (maize / wheat)
    "grain_t_dm_per_ha": 6.0,
    "n_ag": 0.006,  # N content of above-ground residue (t N / t DM)
    "r_bg": 0.22,  # below-ground biomass ratio
    "n_bg": 0.007,  # N content of below-ground residue
    "stubble_return_share": 0.15,  # residue left in the field without straw return
}
LAND = {
    "climate_zone": "cool_temperate_dry",  # IPCC Table 2.3 zone (MAT 0-10 degC, MAP < PET)
    "forest_type": "temperate_hardwood",  # poplar / elm shelterbelts and public-benefit forest
    "forest_stock_2014_m3": 200_000.0,
    "forest_stock_growth": 0.035,  # net growth of the stock per year
    "afforested_2015_wan_mu": 4.0,  # land converted to forest within the last 20 years
    "afforested_per_year_wan_mu": 0.6,
    "afforestation_increment_m3_per_ha": 1.5,  # young drip-irrigated plantings
    "grassland_to_cropland_mu": [900, 900, 1200, 1500, 1500, 1200, 1200, 1050, 1050, 900, 900],
    "cropland_to_settlements_mu": [1050, 900, 1050, 1350, 1500, 1200, 1200, 1050, 900, 900, 750],
    "straw_return_mu_per_year": 4500.0,  # cropland switched from residue removal to straw return
}
WASTE = {
    "msw_kg_per_person_day": ramp(0.35, 0.50, len(LANDFILL_YEARS)),
    # MSW composition (wet weight); landfill CH4 needs only the degradable components
    "composition": {"food": 0.55, "paper": 0.08, "garden": 0.04, "wood": 0.02,
                    "textiles": 0.03, "plastics": 0.11, "other_inert": 0.17},
    "incineration_share": {2020: 0.30, 2021: 0.45, 2022: 0.55, 2023: 0.60, 2024: 0.65,
                           2025: 0.65},  # waste-to-energy plant from 2020
    "composting_share": {2020: 0.02, 2021: 0.03, 2022: 0.03, 2023: 0.04, 2024: 0.04,
                         2025: 0.04},  # source-separated kitchen waste
    "sewer_share": ramp(0.86, 0.96),  # population served by the municipal plants
    "protein_kg_per_person_yr": ramp(33.0, 37.0),
    "coking_wastewater_m3_per_t": 0.40,
    "coking_wastewater_cod_kg_per_m3": 4.0,
    "meat_t": ramp(8_000.0, 9_500.0),  # slaughter and meat processing (t product)
}


# ---------------------------------------------------------------------------------------------
# Row builders
# ---------------------------------------------------------------------------------------------
def block(sector: str, activity: str, item, values, unit: str, *, years=YEARS,
          decimals: int = 4, **params) -> pd.DataFrame:
    """Rows of one kind: one per year (``item``, parameters: scalars or one value per year).

    Examples
    --------
    >>> block("steel", "carbonate_use", "calcite", [1.0, 2.0], "t", years=[2020, 2021]
    ...       )[["year", "item", "value"]].values.tolist()
    [[2020, 'calcite', 1.0], [2021, 'calcite', 2.0]]
    """
    years = np.asarray(years, dtype=np.int64)
    frame = pd.DataFrame({"year": years, "sector": sector, "activity": activity, "item": item,
                          "value": np.round(np.asarray(values, dtype=np.float64), decimals),
                          "unit": unit})
    for name, value in params.items():
        frame[name] = value
    return frame


def energy_drivers() -> pd.DataFrame:
    """Per-year drivers shared with ``activity.csv``: production (Mt), coke made (wan t) and the
    natural gas burned in the city (yi m3).

    Examples
    --------
    >>> bool(energy_drivers().loc[2020, "clinker_mt"] > 2.0)
    True
    """
    d = drivers()
    rows = activity_rows(d)
    burned = rows[(rows["activity"] == "fuel_combustion") & (rows["item"] == "natural_gas")]
    coke = rows[(rows["activity"] == "transformation_output") & (rows["sector"] == "coking")
                & (rows["item"] == "coke")]
    return pd.DataFrame({
        "crude_steel_mt": d["crude_steel_mt"],
        "hot_metal_mt": d["crude_steel_mt"] * d["hot_metal_per_steel"],
        "aluminium_mt": d["aluminium_mt"],
        "clinker_mt": d["cement_mt"] * d["clinker_ratio"],
        "carbide_mt": d["carbide_mt"],
        "generation_mw": d["coal_mw"] + d["pv_mw"] + d["wind_mw"],
        "coke_wan_t": coke.set_index("year")["value"],
        "natural_gas_yi_m3": burned.groupby("year")["value"].sum(),
    }, index=YEARS)


def ippu_and_fugitive(e: pd.DataFrame) -> list[pd.DataFrame]:
    """Clinker, lime, carbonate fluxes, calcium carbide, aluminium, SF6; gas distribution."""
    p = IPPU
    bank_t = p["sf6_base_bank_t"] + p["sf6_kg_per_mw"] * e["generation_mw"] / 1000.0
    return [
        block("building_materials", "clinker_production", "clinker", e["clinker_mt"] * 100,
              "wan_t"),
        block("steel", "lime_production", "high_calcium",
              e["crude_steel_mt"] * p["lime_t_per_t_steel"] * 100, "wan_t"),
        block("chemicals", "lime_production", "high_calcium",
              e["carbide_mt"] * p["lime_t_per_t_carbide"] * 100, "wan_t"),
        block("steel", "carbonate_use", "calcite",
              e["hot_metal_mt"] * p["limestone_t_per_thm"] * 100, "wan_t"),
        block("steel", "carbonate_use", "dolomite",
              e["hot_metal_mt"] * p["dolomite_t_per_thm"] * 100, "wan_t"),
        block("chemicals", "carbide_production", "calcium_carbide", e["carbide_mt"] * 100,
              "wan_t"),
        block("nonferrous", "aluminium_production", "cwpb", e["aluminium_mt"] * 100, "wan_t",
              anode_effect_minutes=np.round(p["anode_effect_min_per_cell_day"], 4)),
        block("power", "sf6_equipment", "installed_bank", bank_t, "t",
              leak_rate=np.round(p["sf6_leak_rate"], 4)),
        block("other_industry", "oil_gas_system", "gas_distribution", e["natural_gas_yi_m3"],
              "yi_m3"),
    ]


def agriculture(e: pd.DataFrame) -> list[pd.DataFrame]:
    """Livestock (enteric, manure), synthetic N, urea, crop residues; no rice (arid oasis)."""
    a = AGRICULTURE
    frames = []
    for animal, head in LIVESTOCK_HEAD.items():
        if animal != "poultry":  # IPCC Tier 1 has no enteric factor for poultry
            frames.append(block("agriculture", "enteric_fermentation", animal, head, "head",
                                decimals=0))
        frames.append(block("agriculture", "manure_management", animal, head, "head",
                            decimals=0, avg_temp_c=a["avg_temp_c"], **MANURE_SHARES[animal]))
    n_t = a["fertiliser_t_n"]
    frames.append(block("agriculture", "synthetic_fertiliser", "synthetic_n", n_t, "t",
                        decimals=1))
    frames.append(block("agriculture", "urea_application", "urea",
                        n_t * a["urea_share_of_n"] / a["urea_n_content"], "t", decimals=1))
    straw_ha = np.cumsum(np.full(N, LAND["straw_return_mu_per_year"])) / 15.0
    returned = a["stubble_return_share"] + straw_ha / a["cropland_ha"]
    ag_n_kg_per_ha = a["residue_ag_t_dm_per_ha"] * a["n_ag"] * 1e3 * returned
    bg_n_kg_per_ha = ((a["residue_ag_t_dm_per_ha"] + a["grain_t_dm_per_ha"]) * a["r_bg"]
                      * a["n_bg"] * 1e3)
    residue_t_n = a["cropland_ha"] * (ag_n_kg_per_ha + bg_n_kg_per_ha) / 1e3
    frames.append(block("agriculture", "crop_residue", "cereal_residue", residue_t_n, "t",
                        decimals=1))
    return frames


def land_use() -> list[pd.DataFrame]:
    """Forest stock, afforestation, land conversion and the straw-return management change."""
    q = LAND
    stock_m3 = q["forest_stock_2014_m3"] * (1.0 + q["forest_stock_growth"]) ** (YEARS - 2014)
    start = np.where(YEARS == 2015, q["forest_stock_2014_m3"], np.nan)
    afforested = q["afforested_2015_wan_mu"] + q["afforested_per_year_wan_mu"] * (YEARS - 2015)
    zone = q["climate_zone"]
    return [
        block("forestry", "forest_stock", q["forest_type"], stock_m3, "m3", decimals=0,
              stock_m3_start=start),
        block("forestry", "afforestation", q["forest_type"], afforested, "wan_mu",
              increment_m3_per_ha=q["afforestation_increment_m3_per_ha"]),
        block("land_use", "land_conversion", "grassland_to_cropland",
              q["grassland_to_cropland_mu"], "mu", climate_zone=zone),
        block("land_use", "land_conversion", "cropland_to_settlements",
              q["cropland_to_settlements_mu"], "mu", climate_zone=zone),
        block("land_use", "cropland_management", "cropland",
              np.full(N, q["straw_return_mu_per_year"]), "mu", from_management="residue_removed",
              to_management="straw_return", climate_zone=zone),
    ]


def population_wan() -> pd.Series:
    """Resident population (10^4) 2000-2025: gdp.csv from 2015; before, the 2010-2020 census
    growth rate extended backwards from the 2010 census (assumption).

    Examples
    --------
    >>> round(float(population_wan()[2010]), 4)
    23.1853
    """
    gdp = gdp_table().set_index("year")["population_resident_wan"]
    census_2010, census_2020 = 23.1853, 31.2663
    rate = (census_2020 / census_2010) ** 0.1
    early = {int(y): census_2010 * rate ** (y - 2010) for y in range(2000, 2015)}
    return pd.Series({**early, **gdp.to_dict()}).sort_index()


def waste(e: pd.DataFrame) -> list[pd.DataFrame]:
    """Landfill history 2000-2025, incineration and composting from 2020, wastewater."""
    w = WASTE
    pop = population_wan()
    msw_t = pop.loc[LANDFILL_YEARS].to_numpy() * 1e4 * w["msw_kg_per_person_day"] * 365 / 1e3
    incinerated = pd.Series(w["incineration_share"]).reindex(LANDFILL_YEARS, fill_value=0.0)
    composted = pd.Series(w["composting_share"]).reindex(LANDFILL_YEARS, fill_value=0.0)
    landfilled_t = msw_t * (1.0 - incinerated.to_numpy() - composted.to_numpy())
    frames = []
    for item in ("food", "paper", "garden", "wood", "textiles"):
        frames.append(block("waste", "landfill_disposal", item,
                            landfilled_t * w["composition"][item], "t", years=LANDFILL_YEARS,
                            decimals=1, site_type="managed_anaerobic",
                            climate_zone="boreal_temperate_dry", oxidising_cover="yes"))
    late = LANDFILL_YEARS >= 2020
    for item, share in w["composition"].items():
        frames.append(block("waste", "incineration", item,
                            msw_t[late] * incinerated.to_numpy()[late] * share, "t",
                            years=LANDFILL_YEARS[late], decimals=1,
                            technology="continuous_stoker"))
    frames.append(block("waste", "composting", "food", msw_t[late] * composted.to_numpy()[late],
                        "t", years=LANDFILL_YEARS[late], decimals=1))
    people = pop.loc[YEARS].to_numpy()
    sewer = np.round(w["sewer_share"], 4)
    frames += [
        block("waste", "domestic_wastewater", "population", people, "wan_person",
              treatment_system="centralised_aerobic_well_managed", share=sewer),
        block("waste", "domestic_wastewater", "population", people, "wan_person",
              treatment_system="septic_system", share=np.round(1.0 - sewer, 4)),
        block("waste", "domestic_wastewater_n2o", "population", people, "wan_person",
              protein_kg_per_person_yr=np.round(w["protein_kg_per_person_yr"], 2),
              treatment_system="centralised_aerobic_well_managed"),
        block("coking", "industrial_wastewater", "coking",
              e["coke_wan_t"] * 1e4 * w["coking_wastewater_m3_per_t"]
              * w["coking_wastewater_cod_kg_per_m3"] / 1e3, "t", decimals=1,
              treatment_system="centralised_aerobic_well_managed", value_is="cod"),
        block("food", "industrial_wastewater", "meat_poultry", w["meat_t"], "t", decimals=0,
              treatment_system="anaerobic_shallow_lagoon", value_is="production"),
    ]
    return frames


def sector_rows() -> pd.DataFrame:
    """Every non-energy activity row, in a fixed column order (base columns first).

    Examples
    --------
    >>> rows = sector_rows()
    >>> int(rows.loc[rows["activity"] == "landfill_disposal", "year"].min())
    2000
    """
    e = energy_drivers()
    frames = ippu_and_fugitive(e) + agriculture(e) + land_use() + waste(e)
    rows = pd.concat(frames, ignore_index=True)
    extra = [c for c in rows.columns if c not in BASE]
    return rows[BASE + extra]


def main() -> None:
    rows = sector_rows()
    _atomic_write(HERE / "activity_sectors.csv", _csv_bytes(rows))
    counts = rows.groupby("activity", sort=True).size()
    print(counts.to_string())
    print(f"{len(rows)} rows written to {HERE / 'activity_sectors.csv'}")


if __name__ == "__main__":
    main()
