"""Tests of the energy-balance reader (carbonledger.balance) and the example city's balance.

Numbers of the example city are synthetic (examples/city/README.md); the checks on them are
consistency checks between two independently written files (activity.csv and the 2020 balance).
Conversion coefficients used for the energy check are the GB/T 2589 (2008-era) reference values
of shared/reference/public_figures.md §5a: raw coal 0.7143 kgce/kg, cleaned coal 0.9000, coke
0.9714, coke-oven gas 0.5714-0.6143 kgce/m3 (midpoint 0.5929 taken), other coking products
(coal tar) 1.1429, gasoline 1.4714, diesel 1.4571, LPG 1.7143, natural gas 1.33 kgce/m3,
electricity 0.1229 kgce/kWh, heat 0.03412 kgce/MJ.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carbonledger.balance import (
    UNIT_LABELS,
    apparent_consumption,
    balance_row_table,
    parse_energy_balance,
    read_energy_balance,
)
from carbonledger.errors import ActivityDataError, DataQualityWarning, UnitConversionError

CITY = Path(__file__).resolve().parents[1] / "examples" / "city"
KEYS = ["activity", "sector", "item", "unit", "region", "technology"]
# tce per physical unit (see module docstring); wan_t -> 1e4 t, yi_m3 -> 1e8 m3, ...
TCE_PER = {
    "raw_coal": 0.7143,
    "cleaned_coal": 0.9,
    "coke": 0.9714,
    "coke_oven_gas": 0.5929e-3,
    "other_coking_products": 1.1429,
    "gasoline": 1.4714,
    "diesel": 1.4571,
    "lpg": 1.7143,
    "natural_gas": 1.33e-3,
    "electricity": 0.1229e-3,
    "heat": 0.03412,
}
UNIT_SCALE = {"wan_t": 1e4, "yi_m3": 1e8, "yi_kWh": 1e8, "GJ": 1.0}
SIGN = {
    "fuel_combustion": 1,
    "non_energy_use": 1,
    "transformation_input": 1,
    "transformation_output": -1,
    "losses": 1,
    "energy_consumption": 1,
}


def total_energy_tce(rows: pd.DataFrame) -> float:
    """Total energy consumption by the activity convention (calorific electricity)."""
    tce = rows["value"] * rows["unit"].map(UNIT_SCALE) * rows["item"].map(TCE_PER)
    return float((tce * rows["activity"].map(SIGN).fillna(0)).sum())


def read(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    kwargs.setdefault("year", 2020)
    return read_energy_balance(frame, **kwargs)


def by_key(rows: pd.DataFrame) -> pd.Series:
    return rows.fillna({"region": "", "technology": ""}).set_index(KEYS)["value"].sort_index()


# --------------------------------------------------------------------------------------------
# the example city's 2020 balance
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def city_rows() -> pd.DataFrame:
    return read_energy_balance(CITY / "energy_balance_2020.csv", year=2020, region="northwest")


def test_csv_and_xlsx_give_identical_rows(city_rows):
    """The CSV (units in the headers) and the XLSX (title row, units row, note row) agree."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        from_xlsx = read_energy_balance(
            CITY / "energy_balance_2020.xlsx", year=2020, region="northwest", sheet="能源平衡表2020"
        )
    pd.testing.assert_frame_equal(city_rows, from_xlsx)


def test_balance_reproduces_activity_rows_of_2020(city_rows):
    """Every 2020 activity row of activity.csv comes back from the balance, value within 1e-6."""
    activity = pd.read_csv(CITY / "activity.csv")
    expected = by_key(activity[activity["year"] == 2020])
    got = by_key(city_rows)
    assert list(got.index) == list(expected.index)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-6)
    assert total_energy_tce(city_rows) == pytest.approx(
        total_energy_tce(activity[activity["year"] == 2020]), rel=1e-6
    )


def test_city_balance_counts_coking_coal_once(city_rows):
    """Coal into coking counted, coke and gas made from it subtracted, coke burned counted.

    Hand check from the balance: cleaned coal 384.25 wan t x 0.9 = 345.825 wan tce in; coke
    290 x 0.9714 = 281.706 and coke-oven gas 12.47e8 m3 x 0.5929 kgce/m3 = 73.935 and other coking
    products 13.05 x 1.1429 = 14.915 wan tce out: net transformation loss -24.731 wan tce.
    """
    coking = city_rows[
        (city_rows["sector"] == "coking")
        & city_rows["activity"].isin(["transformation_input", "transformation_output"])
    ]
    assert total_energy_tce(coking) / 1e4 == pytest.approx(
        345.825 - 281.706 - 73.9346 - 14.9148, abs=1e-3
    )


def test_non_energy_use_carved_out_of_chemicals(city_rows):
    """其中：用作原料、材料 (coke 8.4, coke-oven gas 1.52) leaves chemicals' combustion (1.72 - 1.52)."""
    chem = by_key(city_rows[city_rows["sector"] == "chemicals"])
    assert chem[("non_energy_use", "chemicals", "coke", "wan_t", "", "")] == pytest.approx(8.4)
    assert chem[("non_energy_use", "chemicals", "coke_oven_gas", "yi_m3", "", "")] == (
        pytest.approx(1.52)
    )
    assert chem[("fuel_combustion", "chemicals", "coke_oven_gas", "yi_m3", "", "")] == (
        pytest.approx(0.20)
    )
    assert ("fuel_combustion", "chemicals", "coke", "wan_t", "", "") not in chem.index


def test_apparent_consumption_of_the_city(city_rows):
    """Raw coal: 调入 1112.1836 + stock build -5 = 1107.1836 = 消费量合计; electricity: production
    18.63 + imports 29.1728 - exports 7.6575 = 40.1453 (all from the 2020 balance file)."""
    table = apparent_consumption(CITY / "energy_balance_2020.csv")
    assert table.loc["raw_coal", "apparent_consumption"] == pytest.approx(1107.1836)
    assert table.loc["electricity", "apparent_consumption"] == pytest.approx(40.1453)
    assert table.loc["electricity", "exports"] == pytest.approx(7.6575)
    assert table.loc["raw_coal", "unit"] == "wan_t"
    parsed = parse_energy_balance(CITY / "energy_balance_2020.csv")
    total = parsed[(parsed["row_id"] == "total_consumption") & (parsed["item"] == "raw_coal")]
    assert float(total["value"].iloc[0]) == pytest.approx(
        table.loc["raw_coal", "apparent_consumption"]
    )
    pd.testing.assert_frame_equal(apparent_consumption(parsed), table)


# --------------------------------------------------------------------------------------------
# arithmetic and rules on small hand-made balances
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("exports", [-20.0, 20.0])
def test_apparent_consumption_arithmetic(exports):
    """100 produced + 50 in - 20 out - 5 stock build = 125, whichever sign the exports carry."""
    table = pd.DataFrame(
        {
            "项目": [
                "一次能源生产量",
                "外省(区、市)调入量",
                "本省(区、市)调出量(-)",
                "库存增(-)、减(+)量",
                "火力发电",
            ],
            "原煤(万吨)": [100.0, 50.0, exports, -5.0, -125.0],
        }
    )
    result = apparent_consumption(table)
    assert result.loc["raw_coal", "apparent_consumption"] == 125.0
    assert result.loc["raw_coal", "exports"] == 20.0
    assert result.loc["raw_coal", "stock_change"] == -5.0


def test_transformation_sign_rules():
    table = pd.DataFrame(
        {
            "项目": ["火力发电", "供热", "炼焦", "损失量"],
            "原煤": [-100.0, -10.0, None, None],
            "洗精煤": [None, None, -40.0, None],
            "焦炭": [None, None, 30.0, None],
            "热力": [None, 20.0, None, 1.0],
            "电力": [35.0, None, None, 2.0],
        }
    )
    rows = by_key(read(table, unit="万吨标准煤"))
    assert rows[("fuel_combustion", "power", "raw_coal", "wan_tce", "", "")] == 100.0
    assert rows[("fuel_combustion", "heat_supply", "raw_coal", "wan_tce", "", "")] == 10.0
    assert rows[("transformation_input", "coking", "cleaned_coal", "wan_tce", "", "")] == 40.0
    assert rows[("transformation_output", "coking", "coke", "wan_tce", "", "")] == 30.0
    assert rows[("transformation_output", "power", "electricity", "wan_tce", "", "")] == 35.0
    assert rows[("losses", "heat_supply", "heat", "wan_tce", "", "")] == 1.0
    assert rows[("losses", "power", "electricity", "wan_tce", "", "")] == 2.0
    assert (rows > 0).all()


def test_industry_subsectors_replace_the_total():
    """工业 300 = 290 + 10: the sub-sectors are taken and the total is not added again."""
    table = pd.DataFrame(
        {
            "项目": ["2.工业", "黑色金属冶炼和压延加工业", "有色金属冶炼和压延加工业"],
            "焦炭(万吨)": [300.0, 290.0, 10.0],
            "柴油(万吨)": [4.0, None, None],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        rows = by_key(read(table))
    assert rows.sum() == 304.0
    assert rows[("fuel_combustion", "steel", "coke", "wan_t", "", "")] == 290.0
    # a fuel with no sub-sector values falls back to the total (other_industry)
    assert rows[("fuel_combustion", "other_industry", "diesel", "wan_t", "", "")] == 4.0
    assert ("fuel_combustion", "other_industry", "coke", "wan_t", "", "") not in rows.index


def test_subsectors_short_of_total_warn_and_book_the_remainder():
    table = pd.DataFrame(
        {
            "项目": ["工业", "黑色金属冶炼和压延加工业", "有色金属冶炼和压延加工业"],
            "焦炭(万吨)": [310.0, 290.0, 10.0],
        }
    )
    with pytest.warns(DataQualityWarning, match="工业.*coke.*10"):
        rows = by_key(read(table))
    assert rows.sum() == 310.0
    assert rows[("fuel_combustion", "other_industry", "coke", "wan_t", "", "")] == 10.0


def test_subsectors_above_total_warn_and_keep_subsectors():
    table = pd.DataFrame(
        {"项目": ["工业", "黑色金属冶炼和压延加工业"], "焦炭(万吨)": [280.0, 290.0]}
    )
    with pytest.warns(DataQualityWarning, match="sub-rows are kept"):
        rows = by_key(read(table))
    assert rows.sum() == 290.0


def test_subsectors_within_tolerance_do_not_warn():
    """Rounding in printed yearbooks (0.05 on 300) stays below rtol=1e-3."""
    table = pd.DataFrame(
        {
            "项目": ["工业", "黑色金属冶炼和压延加工业", "有色金属冶炼和压延加工业"],
            "焦炭(万吨)": [300.05, 290.0, 10.0],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        rows = read(table)
    assert rows["value"].sum() == 300.0


def test_non_energy_use_larger_than_industry_use_is_refused():
    table = pd.DataFrame({"项目": ["工业", "其中：用作原料、材料"], "天然气(亿立方米)": [1.0, 2.0]})
    with pytest.raises(ActivityDataError, match="non-energy use of natural_gas"):
        read(table)


def test_electricity_trade_and_renewables():
    table = pd.DataFrame(
        {
            "项目": ["一次能源生产量", "其中：风电", "其中：太阳能发电", "调入量", "调出量(-)"],
            "电力(亿千瓦时)": [10.0, 4.0, 5.0, 7.0, -3.0],
        }
    )
    with pytest.warns(DataQualityWarning, match="sub-rows.*electricity"):
        rows = by_key(read(table, region="northwest"))
    assert rows[("renewable_electricity", "power", "electricity", "yi_kWh", "", "wind")] == 4.0
    assert rows[("renewable_electricity", "power", "electricity", "yi_kWh", "", "pv")] == 5.0
    assert rows[("renewable_electricity", "power", "electricity", "yi_kWh", "", "")] == 1.0
    assert rows[("electricity_import", "power", "electricity", "yi_kWh", "northwest", "")] == 7.0
    assert rows[("electricity_export", "power", "electricity", "yi_kWh", "northwest", "")] == 3.0
    with pytest.warns(DataQualityWarning, match="no grid region"):
        read(table.iloc[3:])


def test_english_labels_and_columns():
    table = pd.DataFrame(
        {
            "Item": ["Thermal Power", "Industry", "Household Consumption"],
            "Raw Coal": [-50.0, 20.0, 1.0],
            "Natural Gas": [None, 0.5, 0.3],
        }
    )
    rows = by_key(read(table, unit="wan_tce"))
    assert rows[("fuel_combustion", "power", "raw_coal", "wan_tce", "", "")] == 50.0
    assert rows[("fuel_combustion", "residential", "natural_gas", "wan_tce", "", "")] == 0.3


def test_label_normalisation():
    """Full-width brackets, enumerators and 其中 prefixes do not hide a known label."""
    table = pd.DataFrame(
        {
            "项目": ["（1）火力发电", "一、损失量", "其中：城镇", " 乡村 "],
            "电力": [5.0, 0.5, 1.0, 2.0],
        }
    )
    rows = by_key(read(table, unit="亿千瓦时"))
    assert rows[("energy_consumption", "residential", "electricity", "yi_kWh", "", "")] == 3.0
    assert rows[("transformation_output", "power", "electricity", "yi_kWh", "", "")] == 5.0


# --------------------------------------------------------------------------------------------
# errors name what they cannot map
# --------------------------------------------------------------------------------------------
def test_unmapped_row_label_is_named_with_the_fix():
    table = pd.DataFrame(
        {
            "项目": ["火力发电", "钢铁联合企业自备电厂", "说明：本行无数据"],
            "原煤(万吨)": [-10.0, -5.0, None],
        }
    )
    with pytest.raises(ActivityDataError, match="钢铁联合企业自备电厂") as err:
        read(table)
    assert "balance_rows.csv" in str(err.value) and "aliases" in str(err.value)
    assert err.value.rows == ["钢铁联合企业自备电厂"]


def test_unmapped_column_is_named_with_the_fix():
    table = pd.DataFrame(
        {"项目": ["工业"], "原煤(万吨)": [1.0], "褐煤块(万吨)": [2.0], "合计(万吨标准煤)": [3.0]}
    )
    with pytest.raises(ActivityDataError, match="褐煤块") as err:
        read(table)
    assert "items.csv" in str(err.value)


def test_column_without_unit_is_refused():
    table = pd.DataFrame({"项目": ["工业"], "原煤": [1.0], "焦炭(万吨)": [1.0]})
    with pytest.raises(UnitConversionError, match="原煤"):
        read(table)


def test_unit_that_does_not_fit_the_fuel_is_refused():
    table = pd.DataFrame({"项目": ["工业"], "电力(万吨)": [1.0]})
    with pytest.raises(UnitConversionError, match=r"电力\(万吨\)"):
        read(table)


def test_non_numeric_cell_is_named():
    table = pd.DataFrame({"项目": ["工业", "建筑业"], "原煤(万吨)": ["1.0", "约2"]})
    with pytest.raises(ActivityDataError, match="建筑业"):
        read(table)


# --------------------------------------------------------------------------------------------
# unit mapping
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "unit", "value"),
    [
        ("原煤(万吨)", "wan_t", 7.0),
        ("天然气(亿立方米)", "yi_m3", 7.0),
        ("天然气(万立方米)", "wan_m3", 7.0),
        ("电力(亿千瓦时)", "yi_kWh", 7.0),
        ("电力(万千瓦时)", "wan_kWh", 7.0),
        ("原煤(万吨标准煤)", "wan_tce", 7.0),
        ("热力(万百万千焦)", "GJ", 70000.0),
        ("热力(百万千焦)", "GJ", 7.0),
        ("焦炭（万吨）", "wan_t", 7.0),
        ("Coke (10^4 t)", "wan_t", 7.0),
        ("电力(10⁸kWh)", "yi_kWh", 7.0),
    ],
)
def test_unit_labels_map_to_unit_strings(column, unit, value):
    rows = read(pd.DataFrame({"项目": ["工业"], column: [7.0]}))
    assert rows["unit"].tolist() == [unit]
    assert rows["value"].tolist() == [value]


def test_units_row_and_unit_keyword():
    grid = pd.DataFrame(
        [
            ["标题：某市能源平衡表", None, None],
            ["项目", "原煤", "电力"],
            ["计量单位", "万吨", "亿千瓦时"],
            ["工业", 3.0, 4.0],
        ]
    )
    rows = read(grid)
    assert dict(zip(rows["item"], rows["unit"], strict=True)) == {
        "raw_coal": "wan_t",
        "electricity": "yi_kWh",
    }
    in_tce = read(
        pd.DataFrame({"项目": ["工业"], "原煤": [3.0], "电力(亿千瓦时)": [4.0]}), unit="万吨标准煤"
    )
    assert dict(zip(in_tce["item"], in_tce["unit"], strict=True)) == {
        "raw_coal": "wan_tce",
        "electricity": "yi_kWh",
    }


def test_unit_strings_parse_in_the_registry():
    """Every unit string the reader emits is known to the package unit registry."""
    units = pytest.importorskip("carbonledger.units")
    for unit in sorted({u for u, _ in UNIT_LABELS.values()}):
        units.ureg.parse_units(unit)


def test_flow_table_is_consistent():
    """balance_rows.csv: unique row ids, known flows, sectors of sectors.csv, parents that exist."""
    table = balance_row_table()
    sectors = set(
        pd.read_csv(Path(__file__).resolve().parents[1] / "carbonledger" / "data" / "sectors.csv")[
            "sector"
        ]
    )
    assert table["row_id"].is_unique
    assert set(table["flow"]) <= {
        "total",
        "production",
        "recovery",
        "import",
        "export",
        "stock_change",
        "transformation",
        "loss",
        "final",
        "non_energy",
    }
    assert set(table["sector"]) - {""} <= sectors
    assert set(table["parent"]) - {""} <= set(table["row_id"])
    assert set(table["technology"]) - {""} <= {"hydro", "wind", "pv"}


# --------------------------------------------------------------------------------------------
# the example city's magnitudes and its real-figure files
# --------------------------------------------------------------------------------------------
def test_example_city_magnitudes():
    """Scope-1 energy CO2 with provincial-guideline-style factors (public_figures.md §5b, R2:
    raw coal 1.9003, coke 2.8604, diesel 3.0959, gasoline 2.9251, LPG 3.1013 kg/kg; natural gas
    2.1622 kg/m3; coke-oven gas 0.857 kg/m3 derived in generate.py) is on the order of the CEADs
    Jiayuguan figure (43.25 Mt in 2015, which also includes process emissions), 30-45 Mt at the
    peak, and peaks in 2021-2023."""
    activity = pd.read_csv(CITY / "activity.csv")
    kg = {
        "raw_coal": 1.9003,
        "coke": 2.8604,
        "diesel": 3.0959,
        "gasoline": 2.9251,
        "lpg": 3.1013,
        "natural_gas": 2.1622,
        "coke_oven_gas": 0.5929 * 29.307e-3 * 13.58 * 0.99 * 44 / 12,
    }
    burn = activity[activity["activity"] == "fuel_combustion"]
    physical = burn["value"] * burn["unit"].map({"wan_t": 1e7, "yi_m3": 1e8})
    co2_mt = (physical * burn["item"].map(kg)).groupby(burn["year"]).sum() / 1e9
    assert set(activity["year"]) == set(range(2015, 2026))
    assert 30.0 <= co2_mt.max() <= 45.0
    assert 2021 <= co2_mt.idxmax() <= 2023
    assert co2_mt[2025] < co2_mt.max()
    assert co2_mt[2016] < co2_mt[2015]  # the 2015-16 steel slump (CEADs 43.25 -> 37.24 Mt)


def test_gdp_file_carries_the_real_figures():
    """Jiayuguan nominal GDP 2015 190.0442, 2020 281.6003, 2021 326.5083 (10^8 yuan, [CSMAR] R1)
    and 2023 382.8 (R2); real growth 2020 4.3 %; census population 2020 31.2663 (10^4)."""
    gdp = pd.read_csv(CITY / "gdp.csv").set_index("year")
    assert gdp.loc[2015, "gdp_nominal_yi_yuan"] == 190.0442
    assert gdp.loc[2020, "gdp_nominal_yi_yuan"] == 281.6003
    assert gdp.loc[2021, "gdp_nominal_yi_yuan"] == 326.5083
    assert gdp.loc[2023, "gdp_nominal_yi_yuan"] == 382.8
    assert gdp.loc[2020, "real_growth_pct"] == 4.3
    assert gdp.loc[2020, "population_resident_wan"] == 31.2663
    assert gdp.loc[2020, "gdp_real_2020prices_yi_yuan"] == 281.6003
    assert gdp.loc[[2022, 2024, 2025], "gdp_source"].str.startswith("assumption").all()
    targets = pd.read_csv(CITY / "targets.csv")
    co2 = targets[targets["indicator"] == "co2_intensity"].iloc[0]
    assert co2["value"] == -18.0 and "national, not Gansu" in co2["note"]
    energy = targets[(targets["indicator"] == "energy_intensity") & (targets["role"] == "default")]
    assert energy["value"].tolist() == [-12.5]


def test_gb18030_csv_reads_like_utf8(tmp_path, city_rows):
    """Statistics offices often publish GBK/GB18030 CSVs; the reader falls back to it."""
    path = tmp_path / "balance_gbk.csv"
    text = (CITY / "energy_balance_2020.csv").read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    rows = read_energy_balance(path, year=2020, region="northwest")
    pd.testing.assert_frame_equal(rows, city_rows)


def test_recovered_energy_is_subtracted_once():
    """回收能 (recovered BF gas) becomes a steel transformation_output: burning 3 and recovering
    3 nets to zero energy, so the gas is not counted on top of the coke it came from."""
    table = pd.DataFrame(
        {"项目": ["回收能", "黑色金属冶炼和压延加工业"], "其他煤气(亿立方米)": [3.0, 3.0]}
    )
    rows = by_key(read(table))
    assert rows[("transformation_output", "steel", "other_gas", "yi_m3", "", "")] == 3.0
    assert rows[("fuel_combustion", "steel", "other_gas", "yi_m3", "", "")] == 3.0


def test_repeated_row_is_refused():
    table = pd.DataFrame({"项目": ["建筑业", "建筑业"], "柴油(万吨)": [1.0, 2.0]})
    with pytest.raises(ActivityDataError, match="appear twice"):
        read(table)
