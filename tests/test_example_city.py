"""The example city as a full inventory: activity.csv (energy) + activity_sectors.csv (IPPU,
fugitive, agriculture, LULUCF, waste).

The activity numbers are synthetic (examples/city/README.md, "Non-energy sectors"). What is
checked here: the two files account together with no rejected row, every IPCC sector and the
gases CO2, CH4, N2O, CF4, C2F6 and SF6 appear, land use is a net sink in every year, the CSV is
what ``generate_sectors.py`` writes, and four results equal a hand calculation with the IPCC
2006 defaults cited in each test.
"""

from __future__ import annotations

import dataclasses
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl

CITY = Path(__file__).resolve().parents[1] / "examples" / "city"
YEAR = 2020


@pytest.fixture(scope="module")
def sector_rows() -> pd.DataFrame:
    return pd.read_csv(CITY / "activity_sectors.csv")


@pytest.fixture(scope="module")
def inv(sector_rows):
    rows = pd.concat([pd.read_csv(CITY / "activity.csv"), sector_rows], ignore_index=True)
    with warnings.catch_warnings():  # grid / coal-equivalent year fallbacks of the energy rows
        warnings.simplefilter("ignore")
        return cl.compute_inventory(rows, gwp="AR5", on_error="collect")


def _one(inv, activity: str, gas: str, *, item: str | None = None, year: int = YEAR) -> float:
    table = inv.table
    mask = (table["activity"] == activity) & (table["gas"] == gas) & (table["year"] == year)
    if item is not None:
        mask &= table["item"] == item
    assert mask.sum() == 1, f"expected one {activity}/{gas} row, found {int(mask.sum())}"
    return float(table.loc[mask, "emissions_t"].iloc[0])


def _value(rows: pd.DataFrame, activity: str, *, year: int = YEAR) -> pd.Series:
    found = rows[(rows["activity"] == activity) & (rows["year"] == year)]
    assert len(found) == 1
    return found.iloc[0]


def test_combined_example_accounts_without_rejections(inv, sector_rows):
    assert len(inv.rejected) == 0
    assert inv.input_rows == len(sector_rows) + len(pd.read_csv(CITY / "activity.csv"))
    accounted = set(inv.table["activity"].astype(str))
    assert set(sector_rows["activity"]) <= accounted


def test_every_ipcc_sector_and_gas_is_present(inv):
    table = inv.table[inv.table["year"] == YEAR]
    sectors = set(table["ipcc_sector"].astype(str))
    assert sectors == {"energy", "ippu", "agriculture", "lulucf", "waste"}
    gases = set(table.loc[table["emissions_t"] != 0, "gas"].astype(str))
    assert {"CO2", "CH4", "N2O", "CF4", "C2F6", "SF6"} <= gases
    ch4 = table[table["gas"] == "CH4"].groupby("ipcc_sector", observed=True)["emissions_t"].sum()
    assert (ch4[["energy", "agriculture", "waste"]] > 0).all()


def test_lulucf_is_a_net_sink_with_sources_and_removals(inv):
    lulucf = inv.table[inv.table["ipcc_sector"] == "lulucf"]
    assert (lulucf["emissions_t"] < 0).any() and (lulucf["emissions_t"] > 0).any()
    net = lulucf.groupby("year")["emissions_t"].sum()
    assert list(net.index) == list(range(2015, 2026))
    assert (net < 0).all()
    sources = lulucf.loc[lulucf["emissions_t"] > 0, "item"].astype(str)
    assert set(sources) == {"grassland_to_cropland", "cropland_to_settlements"}


def test_clinker_co2_is_the_ipcc_tier1_factor(inv, sector_rows):
    """IPCC 2006 Vol.3 Ch.2 Eq. 2.4 (Tier 1): EF_clc = 0.51 t CO2/t clinker x CKD correction
    1.02, i.e. the guideline's "0.52" (0.5202 unrounded)."""
    row = _value(sector_rows, "clinker_production")
    assert row["unit"] == "wan_t"
    clinker_t = row["value"] * 1e4
    assert _one(inv, "clinker_production", "CO2") == pytest.approx(
        clinker_t * 0.51 * 1.02, rel=1e-9)
    assert 1.5e6 < clinker_t < 2.5e6


def test_aluminium_anode_co2_and_pfc_slope_method(inv, sector_rows):
    """IPCC 2006 Vol.3 Ch.4: prebake anode CO2 1.6 t/t Al (Table 4.10); Tier 2 slope method
    (Eq. 4.26/4.27, Table 4.16 CWPB): CF4 = 0.143 kg/t Al per anode-effect minute per cell-day,
    C2F6 = 0.121 x CF4."""
    row = _value(sector_rows, "aluminium_production")
    aluminium_t = row["value"] * 1e4
    cf4_t = 0.143 * row["anode_effect_minutes"] * aluminium_t / 1e3
    assert _one(inv, "aluminium_production", "CO2") == pytest.approx(aluminium_t * 1.6,
                                                                     rel=1e-9)
    assert _one(inv, "aluminium_production", "CF4") == pytest.approx(cf4_t, rel=1e-9)
    assert _one(inv, "aluminium_production", "C2F6") == pytest.approx(cf4_t * 0.121, rel=1e-9)
    assert 1.0e6 <= aluminium_t <= 1.7e6


def test_urea_and_gas_distribution_match_hand_calculation(inv, sector_rows):
    """Urea: IPCC 2006 Vol.4 Ch.11 Eq. 11.13, 0.20 t C per t urea x 44/12. Gas distribution:
    Vol.2 Ch.4 Table 4.2.5 (developing countries), fugitive CH4 1.8e-3 Gg per 10^6 m3 of
    utility sales (midpoint of 1.1e-3 to 2.5e-3 as carried in the factor library)."""
    urea_t = _value(sector_rows, "urea_application")["value"]
    assert _one(inv, "urea_application", "CO2") == pytest.approx(urea_t * 0.20 * 44 / 12,
                                                                 rel=1e-9)
    gas = _value(sector_rows, "oil_gas_system")
    assert gas["unit"] == "yi_m3"
    assert _one(inv, "oil_gas_system", "CH4") == pytest.approx(gas["value"] * 1e8 * 1.8e-3 / 1e3,
                                                               rel=1e-9)


def test_gas_distribution_equals_the_city_natural_gas_use(sector_rows):
    energy = pd.read_csv(CITY / "activity.csv")
    burned = energy[(energy["activity"] == "fuel_combustion")
                    & (energy["item"] == "natural_gas")].groupby("year")["value"].sum()
    gas = sector_rows[sector_rows["activity"] == "oil_gas_system"].set_index("year")["value"]
    np.testing.assert_allclose(gas.sort_index().to_numpy(), burned.sort_index().to_numpy(),
                               rtol=0, atol=1e-4)


def test_no_steel_tier1_row_double_counts_the_coke(sector_rows):
    """The blast-furnace coke is fuel_combustion of steel in activity.csv (README); only the
    carbonate fluxes and the lime kilns of the steelworks are IPPU rows."""
    steel = sector_rows[sector_rows["sector"] == "steel"]
    assert "steel_production" not in set(sector_rows["activity"])
    assert set(steel["activity"]) == {"carbonate_use", "lime_production"}


def test_csv_is_what_the_generator_writes(sector_rows, monkeypatch):
    monkeypatch.syspath_prepend(str(CITY))
    names = ("generate_sectors", "generate", "real_figures")
    try:
        import generate_sectors

        fresh = generate_sectors.sector_rows()
    finally:
        for name in names:
            sys.modules.pop(name, None)
    written = sector_rows
    assert list(fresh.columns) == list(written.columns)
    pd.testing.assert_frame_equal(fresh.reset_index(drop=True), written, check_dtype=False,
                                  check_exact=False, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("by, value, scope", [
    (["year", "sector", "gas"], "co2e_t", None),
    (["ipcc_sector", "category", "gas"], "emissions_t", None),
    (["year", "region", "item", "gas", "scope"], "emissions_t", None),
    (["year", "factor_id"], "co2e_t", 1),
    (["activity", "ipcc_sector"], "co2e_t", [1, 2]),
])
def test_summary_of_blocks_equals_summary_of_the_long_table(inv, by, value, scope):
    """Inventory.summary sums the per-kind result blocks without building the long table; the
    same inventory given its long table (which drops the blocks) must sum to the same groups
    and numbers, for activity and result columns, either value and a scope filter."""
    assert inv.blocks, "compute_inventory keeps result blocks"
    long = dataclasses.replace(inv, results=inv.results)
    assert not long.blocks
    fast = inv.summary(by=by, value=value, scope=scope, unit="kilotonne")
    slow = long.summary(by=by, value=value, scope=scope, unit="kilotonne")
    assert fast.index.equals(slow.index)
    np.testing.assert_allclose(fast[value].to_numpy(), slow[value].to_numpy(), rtol=1e-12)


def test_results_built_from_blocks_are_conserved(inv, sector_rows):
    """The long table built from the blocks has one row per (accounted row, gas) of each kind:
    fuel combustion three (CO2 or biogenic CO2, CH4, N2O); energy-only kinds none."""
    results = inv.results
    assert results["row"].between(0, len(inv.activity) - 1).all()
    combustion = (inv.activity["activity"] == "fuel_combustion").to_numpy()
    rows_of = results["row"].to_numpy()
    assert np.bincount(rows_of, minlength=len(inv.activity))[combustion].tolist() == [3] * int(
        combustion.sum())
    assert np.isclose(results["co2e_t"].sum(), inv.summary(by=["gas"])["co2e_t"].sum(),
                      rtol=1e-12)
