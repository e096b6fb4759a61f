"""Provincial summary, methane inventory and sinks on a small inventory of every sector."""

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.summaries import category_names


@pytest.fixture(scope="module")
def inv():
    frame = pd.DataFrame([
        (2020, "steel", "fuel_combustion", "raw_coal", 100.0, "wan_t"),
        (2020, "power", "electricity_import", "electricity", 1.0, "yi_kWh"),
        (2020, "building_materials", "clinker_production", "clinker", 1e6, "t"),
        (2020, "agriculture", "enteric_fermentation", "dairy_cattle", 1000.0, "head"),
    ], columns=["year", "sector", "activity", "item", "value", "unit"])
    return cl.compute_inventory(frame)


def test_rows_and_columns_follow_the_guideline_layout(inv):
    table = inv.provincial_summary(year=2020)
    rows = table.loc[2020].index.tolist()
    assert rows[:5] == ["Energy 能源活动", "Industrial processes 工业生产过程", "Agriculture 农业",
                        "LULUCF 土地利用、土地利用变化和林业", "Waste 废弃物处理"]
    assert list(table.columns) == ["CO2", "CH4", "N2O", "HFCs_co2e", "PFCs_co2e", "SF6_co2e",
                                   "NF3_co2e", "total_co2e"]


def test_totals_agree_with_inventory_totals(inv):
    table = inv.provincial_summary(year=2020).loc[2020]
    total = table.loc["Total including LULUCF 总量（含LULUCF）", "total_co2e"]
    assert total == pytest.approx(inv.totals().loc[2020, "scope1_co2e_t"])
    memo = table.loc["Memo: scope 2 (net imported electricity and heat) 调入电力热力间接排放",
                     "CO2"]
    assert memo == pytest.approx(inv.totals().loc[2020, "scope2_co2e_t"])


def test_clinker_and_enteric_land_in_their_sectors(inv):
    """IPCC 2006 Vol.3 Eq. 2.2: clinker EF 0.51 t CO2/t x CKD correction 1.02 (the Tier-1
    0.52 is this product rounded); Vol.4 Table 10.11: dairy cattle in Asia 68 kg CH4/head/yr."""
    table = inv.provincial_summary(year=2020).loc[2020]
    assert table.loc["Industrial processes 工业生产过程", "CO2"] == pytest.approx(1e6 * 0.51 * 1.02)
    assert table.loc["Agriculture 农业", "CH4"] == pytest.approx(68.0)


def test_methane_shares_sum_to_one(inv):
    methane = inv.methane(year=2020)
    assert methane["share"].sum() == pytest.approx(1.0)
    sources = methane.index.get_level_values("source").tolist()
    # coal in steel: 10^6 t x 20.908 GJ/t x 10 kg CH4/TJ = 209 t > 68 t from 1000 dairy cattle
    assert sources == ["Fuel combustion", "Enteric fermentation"]
    assert methane["ch4_t"].iloc[1] == pytest.approx(68.0)


def test_sinks_split_gross_and_net():
    frame = pd.DataFrame([
        (2020, "forestry", "land_conversion", "forest_to_cropland", 100.0, "ha",
         "warm_temperate_dry"),
    ], columns=["year", "sector", "activity", "item", "value", "unit", "climate_zone"])
    inv = cl.compute_inventory(frame)
    sinks = inv.sinks(year=2020)
    total = sinks.xs("3.B (total)", level="category")
    assert np.allclose(total["net_t_co2e"], total["emissions_t_co2e"] + total["removals_t_co2e"])
    assert (total["net_t_co2e"] > 0).all()  # forest cleared for cropland: a source


def test_category_names_by_longest_prefix():
    names = category_names(["2.C.3", "3.C.7", "1.A.1.a.i"])
    assert names["name_zh"].tolist() == ["电解铝生产", "水稻种植", "能源工业"]
