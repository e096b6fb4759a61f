"""A seeded synthetic province of key emitters (facility x fuel x month rows), for the demo,
the tests and the benchmarks.

The generator mixes ~50 industries (GB/T 4754 divisions mapped to the catalog's sectors), ~25
fuels and 7 units (t, wan_t, wan_m3, m3, MWh, kWh, GJ), purchased electricity and heat,
desulfurisation sorbent in power plants, clinker and aluminium process rows, and ``production``
rows. Magnitudes are plausible, not real: nothing here describes an actual plant.

Examples
--------
>>> rows = facility_rows(2_000, seed=1)
>>> len(rows) >= 2_000, sorted(rows["unit"].cat.categories)[:3]
(True, ['GJ', 'MWh', 'kWh'])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["FUELS", "INDUSTRIES", "facility_rows", "province", "write_parquet"]

#: Fuel -> (unit, typical monthly quantity in that unit for a mid-size plant).
FUELS = {
    "raw_coal": ("t", 8000.0), "cleaned_coal": ("t", 3000.0), "other_washed_coal": ("t", 2000.0),
    "briquettes": ("t", 500.0), "coke": ("t", 4000.0), "anthracite": ("t", 1500.0),
    "lignite": ("t", 3000.0), "petroleum_coke": ("t", 800.0), "crude_oil": ("t", 600.0),
    "gasoline": ("t", 40.0), "kerosene": ("t", 20.0), "diesel": ("t", 120.0),
    "fuel_oil": ("t", 300.0), "lpg": ("t", 60.0), "refinery_gas": ("t", 400.0),
    "naphtha": ("t", 200.0), "natural_gas": ("wan_m3", 90.0), "lng": ("t", 150.0),
    "coke_oven_gas": ("wan_m3", 600.0), "blast_furnace_gas": ("wan_m3", 5000.0),
    "oxygen_steel_furnace_gas": ("wan_m3", 800.0), "coal_tar": ("t", 100.0),
    "bitumen": ("t", 80.0), "lubricants": ("t", 10.0), "other_petroleum_products": ("t", 50.0),
}
_POOLS = {
    "power": ["raw_coal", "cleaned_coal", "natural_gas", "diesel", "fuel_oil", "lignite"],
    "heat_supply": ["raw_coal", "natural_gas", "briquettes", "diesel"],
    "steel": ["coke", "coke_oven_gas", "blast_furnace_gas", "oxygen_steel_furnace_gas",
              "natural_gas", "raw_coal", "diesel"],
    "coking": ["cleaned_coal", "coke_oven_gas", "coal_tar", "raw_coal"],
    "petroleum_refining": ["crude_oil", "refinery_gas", "fuel_oil", "naphtha",
                           "petroleum_coke", "natural_gas"],
    "building_materials": ["raw_coal", "petroleum_coke", "natural_gas", "diesel", "anthracite"],
    "nonferrous": ["raw_coal", "natural_gas", "coke", "fuel_oil", "diesel"],
    "chemicals": ["raw_coal", "natural_gas", "anthracite", "lng", "fuel_oil", "naphtha", "lpg"],
}
_GENERAL = ["raw_coal", "natural_gas", "diesel", "gasoline", "lpg", "fuel_oil", "lng",
            "kerosene", "bitumen", "lubricants", "other_petroleum_products", "other_washed_coal"]

#: 50 industries (GB/T 4754-2017 divisions) -> catalog sector.
INDUSTRIES = {
    "D4411": "power", "D4412": "power", "D4430": "heat_supply", "C2511": "petroleum_refining",
    "C2520": "coking", "C3110": "steel", "C3120": "steel", "C3130": "steel",
    "C3216": "nonferrous", "C3211": "nonferrous", "C3011": "building_materials",
    "C3041": "building_materials", "C3012": "building_materials", "C3031": "building_materials",
    "C2611": "chemicals", "C2612": "chemicals", "C2614": "chemicals", "C2621": "chemicals",
    "C2651": "chemicals", "C2661": "chemicals", "C2211": "pulp_paper", "C2221": "pulp_paper",
    "C1311": "food", "C1411": "food", "C1512": "food", "C1711": "textiles", "C1713": "textiles",
    "C1810": "textiles", "C3311": "machinery", "C3411": "machinery", "C3511": "machinery",
    "C3610": "machinery", "C3711": "machinery", "C3811": "machinery", "C3911": "machinery",
    "C2911": "other_industry", "C2922": "other_industry", "C2710": "other_industry",
    "C2010": "other_industry", "C2110": "other_industry", "B0610": "coal_mining",
    "B0710": "oil_gas_extraction", "B0810": "mining_quarrying", "B0910": "mining_quarrying",
    "B1011": "mining_quarrying", "E4710": "construction", "E4811": "construction",
    "F5111": "commercial", "H6110": "commercial", "D4610": "other_industry",
}
_PRODUCTS = {"power": ("electricity", "MWh", 300_000.0), "heat_supply": ("heat", "GJ", 400_000.0),
             "steel": ("crude_steel", "t", 150_000.0), "building_materials": ("clinker", "t",
                                                                              80_000.0),
             "nonferrous": ("aluminium_liquid", "t", 20_000.0), "coking": ("coke", "t",
                                                                           60_000.0),
             "chemicals": ("chemical_products", "t", 100_000.0),
             "petroleum_refining": ("crude_oil_processed", "t", 500_000.0),
             "pulp_paper": ("paper", "t", 50_000.0)}
_PROVINCES = ["gansu", "shaanxi", "ningxia", "qinghai", "xinjiang"]


def _plan(n_facilities: int, rng) -> pd.DataFrame:
    codes = np.array(list(INDUSTRIES))
    weights = np.array([6.0 if INDUSTRIES[c] in _PRODUCTS else 1.0 for c in codes])
    industry = rng.choice(codes, size=n_facilities, p=weights / weights.sum())
    return pd.DataFrame({
        "facility": [f"F{i:06d}" for i in range(n_facilities)],
        "industry": industry,
        "sector": [INDUSTRIES[c] for c in industry],
        "province": rng.choice(_PROVINCES, size=n_facilities),
        "size": rng.lognormal(0.0, 0.6, n_facilities),
    })


def _slots(plan: pd.DataFrame, rng, fuels_per_facility: int) -> list[tuple]:
    slots = []
    for f, sector, size in plan[["facility", "sector", "size"]].itertuples(index=False):
        pool = _POOLS.get(sector, _GENERAL)
        k = min(len(pool), fuels_per_facility)
        for fuel in rng.choice(pool, size=k, replace=False):
            unit, base = FUELS[fuel]
            if unit == "t" and fuel in ("raw_coal", "cleaned_coal") and rng.random() < 0.2:
                unit, base = "wan_t", base / 1e4
            if fuel == "natural_gas" and rng.random() < 0.2:
                unit, base = "m3", base * 1e4
            slots.append((f, "fuel_combustion", fuel, unit, base * size))
        if rng.random() < 0.3:
            slots.append((f, "purchased_energy", "electricity", "kWh", 2.0e6 * size))
        else:
            slots.append((f, "purchased_energy", "electricity", "MWh", 2.0e3 * size))
        if rng.random() < 0.4:
            slots.append((f, "purchased_energy", "heat", "GJ", 5.0e3 * size))
        if sector == "power":
            slots.append((f, "desulfurisation", "limestone", "t", 400.0 * size))
        if sector == "building_materials":
            slots.append((f, "clinker_production", "clinker", "t", 80_000.0 * size / 12))
        if sector == "nonferrous":
            slots.append((f, "aluminium_production", "cwpb", "t", 20_000.0 * size / 12))
        if sector in _PRODUCTS:
            product, unit, base = _PRODUCTS[sector]
            slots.append((f, "production", product, unit, base * size / 12))
    return slots


def facility_rows(n_rows: int, *, seed: int = 42, years=(2022,), fuels_per_facility: int = 6,
                  measured_share: float = 0.0) -> pd.DataFrame:
    """About ``n_rows`` facility x slot x month rows (categorical key columns).

    ``measured_share`` of the power plants' coal rows carry a measured NCV (GJ/t) and carbon
    content (t C/TJ); the rest have neither (``NaN``).

    Examples
    --------
    >>> rows = facility_rows(500, seed=3, years=(2021, 2022))
    >>> sorted(rows["year"].unique().tolist())
    [2021, 2022]
    """
    rng = np.random.default_rng(seed)
    years = list(years)
    per_facility = (fuels_per_facility + 2.5) * 12 * len(years)
    plan = _plan(max(1, int(round(n_rows / per_facility))), rng)
    slots = pd.DataFrame(_slots(plan, rng, fuels_per_facility),
                         columns=["facility", "activity", "item", "unit", "base"])
    slots = slots.merge(plan[["facility", "industry", "sector", "province"]], on="facility")
    n_slots, months = len(slots), 12 * len(years)
    index = np.repeat(np.arange(n_slots), months)
    year = np.tile(np.repeat(np.array(years, dtype=np.int64), 12), n_slots)
    month = np.tile(np.arange(1, 13, dtype=np.int64), n_slots * len(years))
    seasonal = 1.0 + 0.15 * np.cos(2 * np.pi * (month - 1) / 12)
    value = slots["base"].to_numpy()[index] * seasonal * rng.gamma(16.0, 1 / 16.0, len(index))
    frame = pd.DataFrame({"facility": pd.Categorical(slots["facility"].to_numpy()[index]),
                          "year": year, "month": month})
    for column in ("sector", "industry", "province", "activity", "item", "unit"):
        frame[column] = pd.Categorical(slots[column].to_numpy()[index])
    frame["value"] = value
    if measured_share > 0:
        coal = ((frame["sector"] == "power") & frame["item"].isin(["raw_coal", "cleaned_coal"])
                & (frame["unit"] == "t")).to_numpy()
        pick = coal & (rng.random(len(frame)) < measured_share)
        frame["ncv"] = np.where(pick, rng.normal(20.5, 1.5, len(frame)), np.nan)
        frame["carbon_content"] = np.where(pick, rng.normal(26.8, 0.6, len(frame)), np.nan)
    return frame


def write_parquet(frame: pd.DataFrame, path, *, row_group_rows: int = 1 << 20) -> Path:
    """Write ``frame`` as Parquet with dictionary-encoded keys and row groups of that size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, row_group_size=row_group_rows, compression="snappy")
    return path


def province(n_facilities: int = 300, *, seed: int = 7, year: int = 2022) -> dict:
    """A synthetic province: facility rows, plants for benchmarking, power units for allocation.

    Returns ``{"rows": DataFrame, "plants": DataFrame, "units": DataFrame}``.

    Examples
    --------
    >>> p = province(40, seed=2)
    >>> sorted(p)
    ['plants', 'rows', 'units']
    """
    rng = np.random.default_rng(seed)
    per = (6 + 2.5) * 12
    rows = facility_rows(int(n_facilities * per), seed=seed, years=(year,), measured_share=0.5)
    facilities = rows.groupby("facility", observed=True)["sector"].first()
    products = {"steel": ["blast_furnace", "converter", "eaf_50t_plus"],
                "building_materials": ["cement_clinker", "flat_glass_800tpd_plus"],
                "nonferrous": ["electrolytic_aluminium"], "coking": ["coke_top_charged",
                                                                    "coke_stamp_charged"]}
    typical = {"blast_furnace": (395.0, 30.0), "converter": (-20.0, 12.0),
               "eaf_50t_plus": (66.0, 6.0), "cement_clinker": (108.0, 9.0),
               "flat_glass_800tpd_plus": (200.0, 35.0), "electrolytic_aluminium": (13200.0, 180.0),
               "coke_top_charged": (122.0, 14.0), "coke_stamp_charged": (125.0, 14.0)}
    units = {"electrolytic_aluminium": "kWh/t"}
    plants = []
    for facility, sector in facilities.items():
        for product in products.get(sector, []):
            mean, sd = typical[product]
            plants.append({"facility": facility, "product": product,
                           "specific_energy": rng.normal(mean, sd),
                           "unit": units.get(product, "kgce/t"),
                           "capacity": float(rng.lognormal(np.log(1e6), 0.5))})
    power = facilities[facilities == "power"].index
    classes = ["coal_300mw_plus", "coal_300mw_and_below", "gas"]
    unit_rows = pd.DataFrame({
        "facility": power, "unit_class": rng.choice(classes, len(power), p=[0.6, 0.3, 0.1]),
        "power_supplied_mwh": 0.0, "heat_supplied_gj": 0.0,
        "cooling": rng.choice(["water_cooled", "air_cooled"], len(power), p=[0.6, 0.4]),
        "load_factor": rng.uniform(0.65, 0.9, len(power)),
    })
    output = rows[(rows["activity"] == "production")].groupby(
        "facility", observed=True)["value"].sum()
    unit_rows["power_supplied_mwh"] = output.reindex(power).fillna(0.0).to_numpy()
    unit_rows["heat_supplied_gj"] = unit_rows["power_supplied_mwh"] * rng.uniform(
        0.0, 1.5, len(power))
    unit_rows["year"] = year
    return {"rows": rows, "plants": pd.DataFrame(plants), "units": unit_rows}
