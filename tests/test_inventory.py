"""Inventory assembly, totals, energy totals and outputs."""

import json

import openpyxl
import pandas as pd
import pytest

import carbonledger as cl
from tests.conftest import rows


@pytest.fixture()
def city():
    return rows(
        (2022, "power", "fuel_combustion", "raw_coal", 100.0, "wan_t"),
        (2022, "steel", "fuel_combustion", "coke", 50.0, "wan_t"),
        (2022, "steel", "non_energy_use", "coke", 5.0, "wan_t"),
        (2022, "coking", "transformation_input", "cleaned_coal", 80.0, "wan_t"),
        (2022, "coking", "transformation_output", "coke", 60.0, "wan_t"),
        (2022, "power", "transformation_output", "electricity", 20.0, "yi_kWh"),
        (2022, "steel", "energy_consumption", "electricity", 25.0, "yi_kWh"),
        (2022, "grid", "electricity_import", "electricity", 5.0, "yi_kWh"),
        (2022, "power", "renewable_electricity", "electricity", 8.0, "yi_kWh"),
        (2020, "power", "renewable_electricity", "electricity", 3.0, "yi_kWh"),
        (2020, "steel", "fuel_combustion", "coke", 40.0, "wan_t"),
        region=["=HYPERLINK(\"http://x\")"] + ["city"] * 10,
    )


def test_energy_total_counts_transformation_once(city):
    """Total = burned + feedstock + transformation input - output + final electricity, valued
    with GB/T 2589 coefficients (raw coal 0.7143, coke 0.9714, cleaned coal 0.9000,
    electricity 0.1229 kgce/kWh)."""
    inv = cl.compute_inventory(city)
    totals = inv.energy_totals()
    expected = (100 * 0.7143 + 50 * 0.9714 + 5 * 0.9714 + 80 * 0.9 - 60 * 0.9714
                - 20 * 1.229 + 25 * 1.229) * 1e4
    assert totals.loc[2022, "total_tce"] == pytest.approx(expected, rel=1e-12)
    assert totals.loc[2022, "feedstock_tce"] == pytest.approx(5 * 0.9714e4)
    assert totals.loc[2022, "new_renewable_tce"] == pytest.approx((8 - 3) * 1.229e4)
    assert totals.loc[2022, "total_under_control_tce"] == pytest.approx(
        expected - 5 * 0.9714e4 - 5 * 1.229e4)


def test_coal_equivalent_method_values_electricity_higher(city):
    inv = cl.compute_inventory(city)
    calorific = inv.energy_totals().loc[2022, "total_tce"]
    equivalent = inv.energy_totals(method="coal_equivalent").loc[2022, "total_tce"]
    assert equivalent > calorific


def test_scope_2_of_imports_at_the_grid_factor(city, lib):
    """Net imports x the MEE/NBS 2022 national average factor 0.5366 t CO2/MWh."""
    inv = cl.compute_inventory(city)
    assert inv.totals().loc[2022, "scope2_co2e_t"] == pytest.approx(5e5 * 0.5366)


def test_export_is_credited():
    frame = rows((2022, "power", "electricity_export", "electricity", 1000.0, "MWh"))
    inv = cl.compute_inventory(frame)
    assert inv.totals().loc[2022, "scope2_co2e_t"] == pytest.approx(-536.6)


def test_ets_purpose_uses_the_ets_factor():
    """ETS 2022 enterprise reporting factor 0.5703 t CO2/MWh (环办气候函〔2023〕43号)."""
    frame = rows((2022, "steel", "purchased_energy", "electricity", 1000.0, "MWh"))
    inv = cl.compute_inventory(frame, grid_purpose="ets")
    assert inv.totals().loc[2022, "scope2_co2e_t"] == pytest.approx(570.3)


def test_scope_totals_add_up(city):
    inv = cl.compute_inventory(city)
    totals = inv.totals()
    assert (totals["scope12_co2e_t"] == totals["scope1_co2e_t"] + totals["scope2_co2e_t"]).all()
    assert inv.summary(by=["year"], scope=1)["co2e_t"].to_numpy() == pytest.approx(
        totals["scope1_co2e_t"].to_numpy())


def test_table_has_result_columns(city):
    table = cl.compute_inventory(city).table
    for column in ("year", "sector", "activity", "item", "category", "gas", "emissions_t",
                   "co2e_t", "factor_id", "scope"):
        assert column in table.columns
    assert isinstance(table["gas"].dtype, pd.CategoricalDtype)
    assert table.loc[table["sector"] == "power", "category"].iloc[0] == "1.A.1.a.i"


def test_excel_workbook_totals_match(city, tmp_path):
    inv = cl.compute_inventory(city)
    path = inv.to_excel(tmp_path / "inv.xlsx")
    book = openpyxl.load_workbook(path)
    assert {"Summary 汇总", "Totals 逐年总量", "Energy 能源活动"} <= set(book.sheetnames)
    totals = pd.read_excel(path, sheet_name="Totals 逐年总量", header=1, skiprows=[2])
    totals = totals.set_index(totals.columns[0])
    assert totals.loc[2022, "Scope 1 + 2 (t CO2e)"] == pytest.approx(
        inv.totals().loc[2022, "scope12_co2e_t"])
    cells = [c.value for row in book["Energy 能源活动"].iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in cells)


def test_to_csv_writes_tables_and_manifest(city, tmp_path):
    inv = cl.compute_inventory(city)
    inv.to_csv(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_rows"] == 11
    assert manifest["gwp"] == "AR5"
    assert all(len(f["sha256"]) == 64 for f in manifest["factor_files"])
    assert len(pd.read_csv(tmp_path / "table.csv")) == len(inv.table)


def test_interrupted_write_keeps_the_old_file(tmp_path):
    from carbonledger.output import atomic_write

    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def broken(path):
        path.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_ar6_uses_fossil_methane_for_energy():
    """AR6 WG1 Table 7.15: fossil CH4 29.8."""
    frame = rows((2022, "residential", "fuel_combustion", "raw_coal", 1.0, "wan_t"))
    inv = cl.compute_inventory(frame, gwp="AR6")
    ch4 = inv.table[inv.table["gas"] == "CH4"]
    assert (ch4["co2e_t"] / ch4["emissions_t"]).iloc[0] == pytest.approx(29.8)


def test_inventory_without_energy_rows_has_empty_energy_totals():
    """Every row rejected (on_error="collect"): totals and energy totals are empty tables with
    their columns, not a KeyError."""
    bad = rows((2022, "steel", "fuel_combustion", "coke", -1.0, "t"),
               (2022, "steel", "purchased_energy", "electricity", -3.0, "MWh"))
    inv = cl.compute_inventory(bad, on_error="collect")
    assert len(inv.rejected) == 2 and len(inv.activity) == 0
    energy = inv.energy_totals()
    assert energy.empty and {"total_tce", "coal_share"} <= set(energy.columns)
    assert inv.totals().empty
    assert inv.summary().empty
