"""Generate the synthetic example city "Example City (Jiayuguan-like)", 2015-2025.

SYNTHETIC DATA. The city is modelled on the kind of place the seed plans describe (a steel,
electrolytic-aluminium, coking and captive-coal-power city on the northwest grid with a large PV
base), with magnitudes kept on the order of public figures for Jiayuguan (see README.md). It is
not Jiayuguan and none of its activity numbers are statistics.

Run ``python examples/city/generate.py`` (from anywhere). It is deterministic (seeded noise,
fixed XLSX timestamps) and writes, next to itself:

* ``activity.csv``              activity rows 2015-2025 (energy kinds of the carbonledger convention)
* ``energy_balance_2020.csv``   the 2020 balance in the Chinese yearbook layout (units in headers)
* ``energy_balance_2020.xlsx``  the same balance with a title row and a units row
* ``gdp.csv``, ``targets.csv``  real GDP/population figures with sources, and the targets
                                (tables built in ``real_figures.py``)
* ``summary.csv``               the generator's own check: energy (tce) and scope-1 CO2 per year

Every file is written to a temporary name and renamed, so a failed run leaves no partial file.
The assumptions (capacities, specific consumptions, shares) are the constants below; README.md
states each one with its order-of-magnitude basis.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from real_figures import gdp_table, targets_table  # sibling module (run as a script)

HERE = Path(__file__).resolve().parent
YEARS = np.arange(2015, 2026)
SEED = 20240601
TITLE = "Example City (Jiayuguan-like) 能源平衡表（实物量）2020年 — 合成数据，非真实统计 (synthetic, not real data)"

# ---------------------------------------------------------------------------------------------
# Assumptions (see README.md for the basis of each)
# ---------------------------------------------------------------------------------------------
N = len(YEARS)
ramp = lambda a, b: np.linspace(a, b, N)  # noqa: E731  (linear trend 2015 -> 2025)

DRIVERS = pd.DataFrame(
    {
        # production (Mt)
        "crude_steel_mt": [7.60, 6.40, 7.20, 7.80, 8.05, 8.20, 8.45, 8.55, 8.60, 8.50, 8.40],
        "aluminium_mt": [1.05, 1.08, 1.20, 1.30, 1.33, 1.34, 1.35, 1.35, 1.35, 1.35, 1.35],
        "cement_mt": [3.00, 2.55, 2.75, 3.00, 3.10, 3.20, 3.30, 3.10, 2.90, 2.80, 2.70],
        "carbide_mt": [0.12, 0.11, 0.13, 0.14, 0.15, 0.15, 0.16, 0.16, 0.16, 0.16, 0.16],
        "methanol_mt": [0.08] * N,
        # power plant (captive coal units, MW and full-load hours)
        "coal_mw": [3000.0] * 3 + [3350.0] * (N - 3),
        "coal_hours": [6200, 5300, 5700, 6000, 6150, 6250, 6450, 6550, 6500, 6400, 6300],
        "coal_rate_gce_per_kwh": ramp(320.0, 303.0),
        "pv_mw": [250, 350, 450, 600, 700, 800, 1000, 1500, 2300, 3100, 3900],
        "pv_hours": [1450, 1470, 1500, 1520, 1540, 1560, 1560, 1540, 1520, 1500, 1480],
        "wind_mw": [150, 150, 200, 200, 250, 300, 300, 400, 500, 600, 700],
        "wind_hours": [1700, 1650, 1800, 1950, 2000, 2050, 2100, 2100, 2150, 2150, 2150],
        # steel (per tonne of hot metal / crude steel)
        "hot_metal_per_steel": [0.90] * N,
        "coke_t_per_thm": ramp(0.470, 0.425),
        "pci_t_per_thm": ramp(0.130, 0.165),
        "sinter_coal_t_per_thm": [0.030] * N,
        "steel_cog_m3_per_t": ramp(42.0, 40.0),
        "steel_ng_m3_per_t": ramp(8.0, 22.0),
        "steel_kwh_per_t": ramp(470.0, 445.0),
        "recovered_kwh_per_thm": ramp(150.0, 200.0),
        # aluminium (whole-plant AC electricity per tonne) and cement
        "aluminium_kwh_per_t": ramp(13650.0, 13250.0),
        "aluminium_ng_m3_per_t": [60.0] * N,
        "clinker_ratio": [0.70] * N,
        "clinker_kgce_per_t": ramp(115.0, 103.0),
        "cement_kwh_per_t": ramp(88.0, 78.0),
        # coking
        "coking_capacity_mt": [2.90] * N,
        "coke_self_supply": [0.88] * N,
        "coal_per_coke": ramp(1.34, 1.31),
        "cog_m3_per_t_coke": [430.0] * N,
        "tar_t_per_t_coke": [0.045] * N,
        "cog_heating_share": ramp(0.43, 0.40),
        "cog_loss_share": ramp(0.020, 0.010),
        "coking_kwh_per_t": [35.0] * N,
        # heat supply (district heating)
        "heated_area_mm2": ramp(9.0, 11.8),
        "heat_gj_per_m2": ramp(0.42, 0.35),
        "industrial_heat_mgj": ramp(0.80, 1.00),
        "heat_loss_share": ramp(0.06, 0.05),
        "boiler_efficiency": ramp(0.80, 0.84),
        "heat_ng_share": [0, 0, 0, 0.01, 0.03, 0.05, 0.07, 0.09, 0.10, 0.11, 0.12],
        # other final consumption (wan_t, yi_m3, yi_kWh)
        "transport_diesel": [22.0, 20.5, 21.5, 23.0, 24.0, 24.0, 25.0, 24.5, 24.5, 24.0, 23.5],
        "transport_gasoline": [6.5, 6.8, 7.0, 7.3, 7.6, 7.4, 7.8, 7.7, 7.8, 7.7, 7.5],
        "transport_ng": ramp(0.10, 0.18),
        "transport_elec": [0.04, 0.05, 0.06, 0.08, 0.10, 0.12, 0.16, 0.22, 0.30, 0.40, 0.50],
        "commercial_elec": ramp(3.2, 5.5),
        "commercial_ng": ramp(0.25, 0.40),
        "commercial_lpg": ramp(0.60, 0.50),
        "commercial_coal": [4.0, 3.5, 2.5, 1.5, 0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.5],
        "residential_elec": ramp(2.6, 4.2),
        "residential_ng": ramp(0.35, 0.55),
        "residential_lpg": ramp(0.80, 0.60),
        "residential_coal": [6.0, 5.6, 5.0, 4.2, 3.5, 3.0, 2.6, 2.2, 1.9, 1.7, 1.5],
        "other_ind_elec": [4.0, 4.3, 4.6, 5.0, 5.4, 5.8, 6.5, 7.5, 9.0, 11.0, 13.0],
        "other_ind_coal": ramp(10.0, 4.0),
        "other_ind_ng": ramp(0.05, 0.20),
        "other_ind_diesel": [2.0] * N,
        "chem_coal": ramp(10.0, 5.0),
        "chem_ng": ramp(0.02, 0.10),
        "construction_diesel": [1.5] * N,
        "construction_elec": [0.08] * N,
        "agriculture_diesel": [0.8] * N,
        "agriculture_elec": [0.10] * N,
        # grid
        "grid_loss_share": ramp(0.032, 0.028),
        "export_share_of_re": [0.25] * N,
        "export_base_yi_kwh": [3.0] * N,
        "own_use_share": [0.062] * N,
        "import_floor_yi_kwh": [5.0] * N,
    },
    index=YEARS,
)
NOISY = ["crude_steel_mt", "cement_mt", "coal_hours", "transport_diesel", "other_ind_elec"]

# GB/T 2589 (2008-era) reference coefficients, shared/reference/public_figures.md §5a (R2);
# used only by the generator's own summary check, never by the model.
TCE_PER_UNIT = {  # tce per unit of the activity column (wan_t -> wan_tce etc. handled below)
    "raw_coal": 0.7143,
    "cleaned_coal": 0.9000,
    "coke": 0.9714,
    "other_coking_products": 1.1429,
    "gasoline": 1.4714,
    "diesel": 1.4571,
    "lpg": 1.7143,
    "coke_oven_gas": 0.5929,  # midpoint of 0.5714-0.6143 kgce/m3
    "natural_gas": 1.3300,
    "electricity": 0.1229,
    "heat": 0.03412,
}
# CO2 per unit (kg per kg or m3), provincial-guideline-style values of public_figures.md §5b (R2);
# coke-oven gas derived: 0.5929 kgce/m3 x 29.307 MJ/kgce x 13.58 tC/TJ (M) x 0.99 x 44/12.
CO2_KG_PER_UNIT = {
    "raw_coal": 1.9003,
    "coke": 2.8604,
    "gasoline": 2.9251,
    "diesel": 3.0959,
    "lpg": 3.1013,
    "natural_gas": 2.1622,
    "coke_oven_gas": 0.5929 * 29.307e-3 * 13.58 * 0.99 * 44 / 12,
}
UNIT_BASE = {"wan_t": 1e7, "yi_m3": 1e8, "yi_kWh": 1e8, "GJ": 1.0}  # -> kg, m3, kWh, GJ
DECIMALS = {"wan_t": 4, "yi_m3": 4, "yi_kWh": 4, "GJ": 0}
UNIT_OF = {"coke_oven_gas": "yi_m3", "natural_gas": "yi_m3", "electricity": "yi_kWh", "heat": "GJ"}


def drivers() -> pd.DataFrame:
    """The assumption table with seeded +-1 % noise on a few production drivers."""
    rng = np.random.default_rng(SEED)
    d = DRIVERS.astype(float).copy()
    for column in NOISY:
        d[column] *= 1.0 + np.clip(rng.normal(0.0, 0.006, N), -0.01, 0.01)
    return d


def activity_rows(d: pd.DataFrame) -> pd.DataFrame:
    """Build the activity rows of every year from the drivers (see README for the logic)."""
    rows: list[tuple] = []

    def add(year, sector, activity, item, value, region="", technology=""):
        unit = UNIT_OF.get(item, "wan_t")
        rows.append(
            (
                int(year),
                sector,
                activity,
                item,
                round(float(value), DECIMALS[unit]),
                unit,
                region,
                technology,
            )
        )

    for y, r in d.iterrows():
        hot_metal = r.crude_steel_mt * r.hot_metal_per_steel  # Mt
        # steel: coke, PCI and sinter coal, coke-oven gas, natural gas, electricity
        steel_coke = hot_metal * r.coke_t_per_thm * 100  # wan_t
        carbide_coke = r.carbide_mt * 0.56 * 100  # wan_t coke per t CaC2 (non-energy)
        coke_out = min(r.coking_capacity_mt * 100, r.coke_self_supply * (steel_coke + carbide_coke))
        cog_out = coke_out * 1e4 * r.cog_m3_per_t_coke / 1e8  # yi_m3
        cog_heating = cog_out * r.cog_heating_share
        cog_loss = cog_out * r.cog_loss_share
        cog_steel = r.crude_steel_mt * 1e6 * r.steel_cog_m3_per_t / 1e8
        cog_meoh_feed = r.methanol_mt * 1e6 * 1900 / 1e8
        cog_meoh_fuel = r.methanol_mt * 1e6 * 250 / 1e8
        cog_power = cog_out - cog_heating - cog_loss - cog_steel - cog_meoh_feed - cog_meoh_fuel
        if cog_power < 0:
            raise ValueError(f"{y}: coke-oven gas over-allocated by {-cog_power:.4f} yi_m3")
        # power: captive coal units (+ co-fired COG) and recovered-gas/TRT generation
        coal_gen = r.coal_mw * r.coal_hours / 1e5  # yi_kWh
        recovered_gen = hot_metal * 1e6 * r.recovered_kwh_per_thm / 1e8
        fuel_wan_tce = coal_gen * r.coal_rate_gce_per_kwh / 100
        power_coal = (fuel_wan_tce - cog_power * 1e8 * 0.5929 / 1e7) / 0.7143
        pv_gen = r.pv_mw * r.pv_hours / 1e5
        wind_gen = r.wind_mw * r.wind_hours / 1e5
        # heat supply
        heat_res = r.heated_area_mm2 * 0.75 * 1e6 * r.heat_gj_per_m2
        heat_com = r.heated_area_mm2 * 0.25 * 1e6 * r.heat_gj_per_m2
        heat_ind = r.industrial_heat_mgj * 1e6
        heat_final = heat_res + heat_com + heat_ind
        heat_out = heat_final / (1 - r.heat_loss_share)
        heat_fuel_gj = heat_out / r.boiler_efficiency
        heat_coal = heat_fuel_gj * (1 - r.heat_ng_share) / 20.908 / 1e4  # wan_t (20,908 kJ/kg)
        heat_ng = heat_fuel_gj * r.heat_ng_share / 38.931e-3 / 1e8  # yi_m3 (38,931 kJ/m3)

        # --- electricity demand (yi_kWh)
        elec = {
            "nonferrous": r.aluminium_mt * 1e6 * r.aluminium_kwh_per_t / 1e8,
            "steel": r.crude_steel_mt * 1e6 * r.steel_kwh_per_t / 1e8,
            "building_materials": r.cement_mt * 1e6 * r.cement_kwh_per_t / 1e8,
            "chemicals": (r.carbide_mt * 3250 + r.methanol_mt * 700) * 1e6 / 1e8,
            "coking": coke_out * 1e4 * r.coking_kwh_per_t / 1e8,
            "other_industry": r.other_ind_elec,
            "construction": r.construction_elec,
            "transport": r.transport_elec,
            "commercial": r.commercial_elec,
            "residential": r.residential_elec,
            "agriculture": r.agriculture_elec,
        }
        grid_losses = r.grid_loss_share * sum(elec.values())
        own_use = r.own_use_share * (coal_gen + recovered_gen) + heat_out * 2.5 / 1e8
        supply_local = coal_gen + recovered_gen + pv_gen + wind_gen
        net_import = sum(elec.values()) + grid_losses + own_use - supply_local
        exports = r.export_share_of_re * (pv_gen + wind_gen) + r.export_base_yi_kwh
        imports = net_import + exports
        if imports < r.import_floor_yi_kwh:  # surplus years: more is exported, night imports stay
            exports += r.import_floor_yi_kwh - imports
            imports = r.import_floor_yi_kwh

        # --- rows
        add(y, "power", "renewable_electricity", "electricity", pv_gen, technology="pv")
        add(y, "power", "renewable_electricity", "electricity", wind_gen, technology="wind")
        add(y, "power", "fuel_combustion", "raw_coal", power_coal)
        add(y, "power", "fuel_combustion", "coke_oven_gas", cog_power)
        add(y, "power", "transformation_output", "electricity", coal_gen + recovered_gen)
        add(y, "power", "energy_consumption", "electricity", own_use)
        add(y, "power", "losses", "electricity", grid_losses)
        add(y, "power", "electricity_import", "electricity", imports, region="northwest")
        add(y, "power", "electricity_export", "electricity", exports, region="northwest")
        add(y, "heat_supply", "fuel_combustion", "raw_coal", heat_coal)
        if heat_ng > 0:
            add(y, "heat_supply", "fuel_combustion", "natural_gas", heat_ng)
        add(y, "heat_supply", "transformation_output", "heat", heat_out)
        add(y, "heat_supply", "losses", "heat", heat_out - heat_final)
        add(y, "coking", "transformation_input", "cleaned_coal", coke_out * r.coal_per_coke)
        add(y, "coking", "transformation_output", "coke", coke_out)
        add(y, "coking", "transformation_output", "coke_oven_gas", cog_out)
        add(
            y,
            "coking",
            "transformation_output",
            "other_coking_products",
            coke_out * r.tar_t_per_t_coke,
        )
        add(y, "coking", "fuel_combustion", "coke_oven_gas", cog_heating)
        add(y, "coking", "losses", "coke_oven_gas", cog_loss)
        add(y, "steel", "fuel_combustion", "coke", steel_coke)
        add(
            y,
            "steel",
            "fuel_combustion",
            "raw_coal",
            hot_metal * (r.pci_t_per_thm + r.sinter_coal_t_per_thm) * 100,
        )
        add(y, "steel", "fuel_combustion", "coke_oven_gas", cog_steel)
        add(
            y,
            "steel",
            "fuel_combustion",
            "natural_gas",
            r.crude_steel_mt * r.steel_ng_m3_per_t / 100,
        )
        add(
            y,
            "nonferrous",
            "fuel_combustion",
            "natural_gas",
            r.aluminium_mt * r.aluminium_ng_m3_per_t / 100,
        )
        add(
            y,
            "building_materials",
            "fuel_combustion",
            "raw_coal",
            r.cement_mt * r.clinker_ratio * r.clinker_kgce_per_t / 0.7143 / 10,
        )
        add(y, "chemicals", "fuel_combustion", "raw_coal", r.chem_coal)
        add(y, "chemicals", "fuel_combustion", "coke_oven_gas", cog_meoh_fuel)
        add(y, "chemicals", "fuel_combustion", "natural_gas", r.chem_ng)
        add(y, "chemicals", "non_energy_use", "coke_oven_gas", cog_meoh_feed)
        add(y, "chemicals", "non_energy_use", "coke", carbide_coke)
        add(y, "other_industry", "fuel_combustion", "raw_coal", r.other_ind_coal)
        add(y, "other_industry", "fuel_combustion", "natural_gas", r.other_ind_ng)
        add(y, "other_industry", "fuel_combustion", "diesel", r.other_ind_diesel)
        add(y, "construction", "fuel_combustion", "diesel", r.construction_diesel)
        add(y, "agriculture", "fuel_combustion", "diesel", r.agriculture_diesel)
        add(y, "transport", "fuel_combustion", "diesel", r.transport_diesel)
        add(y, "transport", "fuel_combustion", "gasoline", r.transport_gasoline)
        add(y, "transport", "fuel_combustion", "natural_gas", r.transport_ng)
        for sector, fuels in {
            "commercial": {
                "raw_coal": r.commercial_coal,
                "lpg": r.commercial_lpg,
                "natural_gas": r.commercial_ng,
            },
            "residential": {
                "raw_coal": r.residential_coal,
                "lpg": r.residential_lpg,
                "natural_gas": r.residential_ng,
            },
        }.items():
            for item, value in fuels.items():
                add(y, sector, "fuel_combustion", item, value)
        for sector, value in elec.items():
            add(y, sector, "energy_consumption", "electricity", value)
        heat_use = {
            "chemicals": heat_ind * 0.4,
            "other_industry": heat_ind * 0.6,
            "commercial": heat_com,
            "residential": heat_res,
        }
        for sector, value in heat_use.items():
            add(y, sector, "energy_consumption", "heat", value)
    columns = ["year", "sector", "activity", "item", "value", "unit", "region", "technology"]
    return pd.DataFrame.from_records(rows, columns=columns)


# --------------------------------------------------------------------------------------------
# 2020 balance in the Chinese yearbook layout
# --------------------------------------------------------------------------------------------
BALANCE_COLUMNS = [  # (header, item, unit label)
    ("原煤", "raw_coal", "万吨"),
    ("洗精煤", "cleaned_coal", "万吨"),
    ("焦炭", "coke", "万吨"),
    ("焦炉煤气", "coke_oven_gas", "亿立方米"),
    ("其他焦化产品", "other_coking_products", "万吨"),
    ("汽油", "gasoline", "万吨"),
    ("柴油", "diesel", "万吨"),
    ("液化石油气", "lpg", "万吨"),
    ("天然气", "natural_gas", "亿立方米"),
    ("热力", "heat", "万百万千焦"),
    ("电力", "electricity", "亿千瓦时"),
]
FINAL_ROWS = [  # (label, sector or None for a parent/total, indent)
    ("1.农、林、牧、渔业", "agriculture"),
    ("2.工业", "@industry"),
    ("  其中：用作原料、材料", "@non_energy"),
    ("  黑色金属冶炼和压延加工业", "steel"),
    ("  有色金属冶炼和压延加工业", "nonferrous"),
    ("  非金属矿物制品业", "building_materials"),
    ("  化学原料和化学制品制造业", "chemicals"),
    ("  石油、煤炭及其他燃料加工业", "coking"),
    ("  电力、热力生产和供应业", "power"),
    ("  其他工业", "other_industry"),
    ("3.建筑业", "construction"),
    ("4.交通运输、仓储和邮政业", "transport"),
    ("5.批发和零售业、住宿和餐饮业", "@commerce"),
    ("6.其他", "@other_services"),
    ("7.居民生活", "@residential"),
    ("  城镇", "@urban"),
    ("  乡村", "@rural"),
]
INDUSTRY = [
    "steel",
    "nonferrous",
    "building_materials",
    "chemicals",
    "coking",
    "power",
    "other_industry",
]
COMMERCE_SHARE = 0.4  # share of commercial use in 批发和零售业、住宿和餐饮业 (rest: 其他)
URBAN_SHARE = {"raw_coal": 0.2, "lpg": 0.5, "natural_gas": 0.9, "electricity": 0.7, "heat": 0.95}


def balance_2020(rows: pd.DataFrame) -> tuple[list[str], list[list]]:
    """Return (row labels, values per column) of the 2020 balance in physical units."""
    r20 = rows[rows["year"] == 2020]
    items = [c[1] for c in BALANCE_COLUMNS]
    scale = {"heat": 1e-4}  # GJ -> 万百万千焦

    zero = pd.Series(0.0, index=items)

    def val(activity, sector=None, item=None):
        sel = r20[(r20["activity"] == activity)]
        if sector is not None:
            sel = sel[sel["sector"] == sector]
        return (
            sel.groupby("item")["value"].sum().reindex(items, fill_value=0.0)
            if item is None
            else float(sel.loc[sel["item"] == item, "value"].sum())
        )

    def final(sector):  # fuels burned in power and heat plants are transformation inputs
        fuels = zero if sector in ("power", "heat_supply") else val("fuel_combustion", sector)
        return fuels + val("energy_consumption", sector) + val("non_energy_use", sector)

    table: dict[str, pd.Series] = {}
    pv = val("renewable_electricity", "power").copy()
    tech = r20[r20["activity"] == "renewable_electricity"].set_index("technology")["value"]
    table["1.一次能源生产量"] = zero.copy().add(pv, fill_value=0)
    table["  其中：风电"] = zero.copy()
    table["  其中：风电"]["electricity"] = tech["wind"]
    table["  其中：太阳能发电"] = zero.copy()
    table["  其中：太阳能发电"]["electricity"] = tech["pv"]
    # final consumption, then supply closes the balance
    fin: dict[str, pd.Series] = {}
    for label, sector in FINAL_ROWS:
        if not sector.startswith("@"):
            fin[label] = final(sector)
    fin["  其中：用作原料、材料"] = val("non_energy_use")
    fin["2.工业"] = sum((final(s) for s in INDUSTRY), zero)
    com = final("commercial")
    fin["5.批发和零售业、住宿和餐饮业"] = (com * COMMERCE_SHARE).round(4)
    fin["6.其他"] = com - fin["5.批发和零售业、住宿和餐饮业"]
    res = final("residential")
    fin["  城镇"] = (res * pd.Series(URBAN_SHARE).reindex(items, fill_value=0.5)).round(4)
    fin["  乡村"] = res - fin["  城镇"]
    fin["7.居民生活"] = fin["  城镇"] + fin["  乡村"]
    top = [
        "1.农、林、牧、渔业",
        "2.工业",
        "3.建筑业",
        "4.交通运输、仓储和邮政业",
        "5.批发和零售业、住宿和餐饮业",
        "6.其他",
        "7.居民生活",
    ]
    final_total = sum((fin[k] for k in top), zero)
    trans = {
        "1.火力发电": -val("fuel_combustion", "power") + val("transformation_output", "power"),
        "2.供热": -val("fuel_combustion", "heat_supply")
        + val("transformation_output", "heat_supply"),
        "3.炼焦": -val("transformation_input", "coking") + val("transformation_output", "coking"),
    }
    trans_total = sum(trans.values(), zero)
    losses = val("losses")
    stock = zero.copy()
    stock["raw_coal"], stock["coke"] = -5.0, 1.2
    exports = zero.copy()
    exports["other_coking_products"] = -val(
        "transformation_output", "coking", "other_coking_products"
    )
    exports["electricity"] = -val("electricity_export", "power", "electricity")
    need = final_total + losses - trans_total - table["1.一次能源生产量"] - stock - exports
    imports = need.clip(lower=0.0)
    imports["electricity"] = val("electricity_import", "power", "electricity")
    table["2.外省(区、市)调入量"] = imports
    table["3.本省(区、市)调出量(-)"] = exports
    table["4.库存增(-)、减(+)量"] = stock
    available = table["1.一次能源生产量"] + imports + exports + stock
    consumption = final_total + losses - trans_total.clip(upper=0.0)
    layout = [("一、可供本地区消费的能源量", available)]
    layout += [
        (k, table[k])
        for k in [
            "1.一次能源生产量",
            "  其中：风电",
            "  其中：太阳能发电",
            "2.外省(区、市)调入量",
            "3.本省(区、市)调出量(-)",
            "4.库存增(-)、减(+)量",
        ]
    ]
    layout += [("二、加工转换投入(-)产出(+)量", trans_total)] + list(trans.items())
    layout += [("三、损失量", losses), ("四、终端消费量", final_total)]
    layout += [(label, fin[label]) for label, _ in FINAL_ROWS]
    layout += [
        ("五、平衡差额", available + trans_total - losses - final_total),
        ("六、消费量合计", consumption),
    ]
    labels = [label for label, _ in layout]
    values = []
    for _, series in layout:
        s = series.copy()
        s["heat"] = s["heat"] * scale["heat"]
        values.append([None if abs(v) < 1e-9 else round(float(v), 4) for v in s.to_numpy()])
    return labels, values


def summary_table(rows: pd.DataFrame, gdp: pd.DataFrame) -> pd.DataFrame:
    """Generator's own check: total energy (wan tce, calorific) and scope-1 energy CO2 (Mt)."""
    sign = {
        "fuel_combustion": 1,
        "non_energy_use": 1,
        "transformation_input": 1,
        "transformation_output": -1,
        "losses": 1,
        "energy_consumption": 1,
    }
    base = rows["unit"].map(UNIT_BASE)
    physical = rows["value"] * base  # kg, m3, kWh, GJ
    tce_t = physical * rows["item"].map(TCE_PER_UNIT) / np.where(rows["unit"] == "GJ", 1.0, 1e3)
    energy = (tce_t * rows["activity"].map(sign).fillna(0)).groupby(rows["year"]).sum() / 1e4
    burn = rows["activity"] == "fuel_combustion"
    co2_mt = (physical * rows["item"].map(CO2_KG_PER_UNIT).fillna(0) * burn).groupby(
        rows["year"]
    ).sum() / 1e9
    re = rows[rows["activity"] == "renewable_electricity"].groupby("year")["value"].sum()
    non_energy = (tce_t * (rows["activity"] == "non_energy_use")).groupby(rows["year"]).sum() / 1e4
    real_gdp = gdp.set_index("year")["gdp_real_2020prices_yi_yuan"]
    out = pd.DataFrame(
        {
            "total_energy_wan_tce": energy.round(1),
            "non_energy_use_wan_tce": non_energy.round(1),
            "renewable_generation_yi_kwh": re.round(2),
            "scope1_energy_co2_mt": co2_mt.round(2),
            "energy_intensity_tce_per_wan_yuan_2020prices": (energy / real_gdp).round(3),
            "co2_intensity_t_per_wan_yuan_2020prices": (co2_mt * 100 / real_gdp).round(2),
        }
    )
    return out.rename_axis("year").reset_index()


# --------------------------------------------------------------------------------------------
# summary and writing (temporary file, then rename)
# --------------------------------------------------------------------------------------------
def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _csv_bytes(frame: pd.DataFrame, **kwargs) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n", **kwargs).encode("utf-8")


def _xlsx_bytes(labels, values) -> bytes:
    """The 2020 balance as XLSX: title row, header row, units row, body, note row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "能源平衡表2020"
    ws.append([TITLE])
    ws.append(["项目"] + [c[0] for c in BALANCE_COLUMNS])
    ws.append(["计量单位"] + [c[2] for c in BALANCE_COLUMNS])
    for label, row in zip(labels, values, strict=True):
        ws.append([label] + row)
    ws.append(["注：合成数据（synthetic example, not statistics）；热力单位 万百万千焦 = 10^4 GJ"])
    fixed = pd.Timestamp("2024-01-01").to_pydatetime()
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    # make the archive byte-reproducible: fixed core-properties time and zip entry timestamps
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def main() -> None:
    rows = activity_rows(drivers())
    _atomic_write(HERE / "activity.csv", _csv_bytes(rows))
    labels, values = balance_2020(rows)
    header = ["项目"] + [f"{name}({unit})" for name, _, unit in BALANCE_COLUMNS]
    body = pd.DataFrame(
        [[label] + row for label, row in zip(labels, values, strict=True)], columns=header
    )
    title = pd.DataFrame([[TITLE] + [None] * len(BALANCE_COLUMNS)], columns=header)
    balance_csv = pd.concat([title, pd.DataFrame([header], columns=header), body])
    _atomic_write(
        HERE / "energy_balance_2020.csv",
        balance_csv.to_csv(index=False, header=False, lineterminator="\n").encode(),
    )
    _atomic_write(HERE / "energy_balance_2020.xlsx", _xlsx_bytes(labels, values))
    _atomic_write(HERE / "gdp.csv", _csv_bytes(gdp_table()))
    _atomic_write(HERE / "targets.csv", _csv_bytes(targets_table()))
    summary = summary_table(rows, gdp_table())
    _atomic_write(HERE / "summary.csv", _csv_bytes(summary))
    print(summary.to_string(index=False))


if __name__ == "__main__":
    main()
