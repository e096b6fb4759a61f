"""Property tests: unit invariance, sums equal totals, conservation of rows."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carbonledger as cl

FUELS = {"raw_coal": "t", "coke": "t", "natural_gas": "wan_m3", "diesel": "t", "lpg": "t"}
SECTORS = ["power", "steel", "building_materials", "residential", "commercial"]

row_strategy = st.tuples(
    st.sampled_from(list(FUELS)),
    st.sampled_from(SECTORS),
    st.integers(min_value=2018, max_value=2023),
    st.floats(min_value=0.0, max_value=1e7, allow_nan=False, allow_infinity=False),
)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _frame(records):
    frame = pd.DataFrame(records, columns=["item", "sector", "year", "value"])
    frame = frame.drop_duplicates(["item", "sector", "year"]).reset_index(drop=True)
    frame["activity"] = "fuel_combustion"
    frame["unit"] = frame["item"].map(FUELS)
    return frame


@SETTINGS
@given(st.lists(row_strategy, min_size=1, max_size=30), st.sampled_from(["GJ", "tce", "TJ"]))
def test_same_inventory_in_physical_or_energy_units(records, energy_unit):
    physical = _frame(records)
    energy = physical.copy()
    # the same physical energy: to GJ by each fuel's calorific value, then a pure unit change
    gigajoules = cl.convert(physical["value"], physical["unit"].to_numpy(), "GJ",
                            item=physical["item"].to_numpy())
    energy["value"] = cl.convert(gigajoules, "GJ", energy_unit)
    energy["unit"] = energy_unit
    a = cl.compute_inventory(physical).table["emissions_t"].to_numpy()
    b = cl.compute_inventory(energy).table["emissions_t"].to_numpy()
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(st.lists(row_strategy, min_size=1, max_size=40))
def test_sector_sums_equal_totals(records):
    inv = cl.compute_inventory(_frame(records))
    by_sector = inv.summary(by=["year", "sector"]).groupby(level="year")["co2e_t"].sum()
    totals = inv.totals()["scope12_co2e_t"]
    np.testing.assert_allclose(by_sector.reindex(totals.index).to_numpy(), totals.to_numpy(),
                               rtol=1e-12, atol=1e-6)


@SETTINGS
@given(st.lists(row_strategy, min_size=1, max_size=30),
       st.lists(st.sampled_from(["nan", "neg", "unit", "item"]), min_size=0, max_size=8))
def test_every_row_is_accounted_or_rejected(records, defects):
    frame = _frame(records)
    frame["value"] = frame["value"].astype(object)
    for position, defect in enumerate(defects):
        index = position % len(frame)
        if defect == "nan":
            frame.loc[index, "value"] = "n/a"
        elif defect == "neg":
            frame.loc[index, "value"] = -1.0
        elif defect == "unit":
            frame.loc[index, "unit"] = "furlong"
        else:
            frame.loc[index, "item"] = "unobtainium"
    inv = cl.compute_inventory(frame, on_error="collect")
    accounted = set(inv.activity.index) | set(inv.rejected.index)
    assert accounted == set(frame.index)
    assert not set(inv.activity.index) & set(inv.rejected.index)
    assert set(inv.table["row"]) == set(inv.activity.index)
