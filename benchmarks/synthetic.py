"""Seeded synthetic facility x fuel x month activity rows for benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

FUELS = {
    "raw_coal": "t", "cleaned_coal": "t", "other_washed_coal": "t", "coke": "t",
    "coke_oven_gas": "wan_m3", "crude_oil": "t", "gasoline": "t", "kerosene": "t",
    "diesel": "t", "fuel_oil": "t", "lpg": "t", "refinery_gas": "t", "natural_gas": "wan_m3",
    "briquettes": "t", "other_petroleum_products": "t",
}
SECTORS = ["power", "heat_supply", "coking", "steel", "nonferrous", "chemicals",
           "building_materials", "pulp_paper", "food", "machinery", "textiles",
           "other_industry", "construction", "commercial"]
FUELS_PER_FACILITY = 10


def facility_rows(n_rows: int, *, seed: int = 42, year: int = 2022) -> pd.DataFrame:
    """About ``n_rows`` fuel_combustion rows: facilities x 10 fuels x 12 months, one year."""
    rng = np.random.default_rng(seed)
    per_facility = FUELS_PER_FACILITY * 12
    n_facilities = max(1, n_rows // per_facility)
    fuel_names = np.array(list(FUELS))
    choice = np.argsort(rng.random((n_facilities, len(fuel_names))), axis=1)[:, :FUELS_PER_FACILITY]
    fuel_idx = np.repeat(choice, 12, axis=1).ravel()
    facility = np.repeat(np.arange(n_facilities), per_facility)
    month = np.tile(np.arange(1, 13), n_facilities * FUELS_PER_FACILITY)
    sector_idx = rng.integers(0, len(SECTORS), n_facilities)[facility]
    unit_names = sorted(set(FUELS.values()))
    unit_of_fuel = np.array([unit_names.index(FUELS[f]) for f in fuel_names])
    value = rng.gamma(2.0, 500.0, facility.shape[0])
    return pd.DataFrame({
        "year": np.full(facility.shape[0], year, dtype=np.int64),
        "facility": pd.Categorical.from_codes(facility, [f"F{i:06d}" for i in range(n_facilities)]),
        "month": month.astype(np.int64),
        "sector": pd.Categorical.from_codes(sector_idx, SECTORS),
        "activity": pd.Categorical.from_codes(np.zeros(facility.shape[0], dtype=np.int64),
                                              ["fuel_combustion"]),
        "item": pd.Categorical.from_codes(fuel_idx, list(fuel_names)),
        "value": value,
        "unit": pd.Categorical.from_codes(unit_of_fuel[fuel_idx], unit_names),
    })
