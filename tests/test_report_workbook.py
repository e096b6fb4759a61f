"""The inventory workbook (carbonledger.report.workbook): guideline layout, totals, factors,
formula injection, row limit."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.errors import FactorFallbackWarning
from carbonledger.report.workbook import SHEETS, write_workbook

HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def inv():
    rows = pd.DataFrame({
        "year": [2020] * 6 + [2021] * 6,
        "sector": ["steel", "power", "residential", "steel", "building_materials",
                   "agriculture"] * 2,
        "activity": ["fuel_combustion", "fuel_combustion", "fuel_combustion", "purchased_energy",
                     "clinker_production", "enteric_fermentation"] * 2,
        "item": ["raw_coal", "raw_coal", "natural_gas", "electricity", "clinker", "sheep"] * 2,
        "value": [10.0, 50.0, 1000.0, 1000.0, 20.0, 10000.0,
                  11.0, 48.0, 1100.0, 1200.0, 18.0, 9000.0],
        "unit": ["wan_t", "wan_t", "wan_m3", "MWh", "wan_t", "head"] * 2,
        "region": [HOSTILE, None, None, None, None, None] * 2})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FactorFallbackWarning)
        return cl.compute_inventory(rows)


@pytest.fixture(scope="module")
def book(inv, tmp_path_factory):
    path = write_workbook(inv, tmp_path_factory.mktemp("wb") / "inventory.xlsx")
    return openpyxl.load_workbook(path)


def _table(sheet, header_row: int = 2) -> pd.DataFrame:
    """The first table of a sheet (English header row), down to its first blank row."""
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header, data = rows[0], []
    for row in rows[2:]:
        if all(v is None for v in row):
            break
        data.append(row)
    return pd.DataFrame(data, columns=header)


def test_sheets_in_guideline_order(book):
    assert book.sheetnames == ["Summary 汇总", "Totals 逐年总量", *SHEETS.values(),
                               "Sources 数据来源", "Manifest 元数据"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_summary_totals_equal_inventory_totals(inv, book):
    summary = _table(book["Summary 汇总"])
    totals = inv.totals()
    with_land = summary[summary["Sector"] == "Total including LULUCF 总量（含LULUCF）"].set_index(
        "Year")
    np.testing.assert_allclose(with_land["Total (t CO2e, GWP AR5)"].loc[totals.index],
                               totals["scope1_co2e_t"], rtol=1e-12)
    np.testing.assert_allclose(with_land["CO2 (t)"].loc[totals.index], totals["CO2_t"],
                               rtol=1e-12)
    np.testing.assert_allclose(with_land["Total (10^4 t CO2e)"].loc[totals.index],
                               totals["scope1_co2e_t"] / 1e4, rtol=1e-12)
    memo = summary[summary["Sector"].str.startswith("Memo: scope 2")].set_index("Year")
    np.testing.assert_allclose(memo["Total (t CO2e, GWP AR5)"].loc[totals.index],
                               totals["scope2_co2e_t"], rtol=1e-12)


def test_unit_wan_t_scales_every_emission_column(inv, tmp_path):
    book = openpyxl.load_workbook(write_workbook(inv, tmp_path / "w.xlsx", unit="wan_t"))
    summary = _table(book["Summary 汇总"])
    assert "Total (10^4 t CO2e, GWP AR5)" in summary.columns
    assert "Total (10^4 t CO2e)" not in summary.columns  # no duplicate 10^4 t column
    row = summary[summary["Sector"] == "Total including LULUCF 总量（含LULUCF）"].set_index("Year")
    assert row.loc[2021, "Total (10^4 t CO2e, GWP AR5)"] == pytest.approx(
        inv.totals().loc[2021, "scope1_co2e_t"] / 1e4, rel=1e-12)
    with pytest.raises(ValueError, match="unit must be one of"):
        write_workbook(inv, tmp_path / "bad.xlsx", unit="kt")
    assert not (tmp_path / "bad.xlsx").exists()


def test_headers_bilingual_frozen_and_formatted(book):
    sheet = book["Energy 能源活动"]
    assert sheet.freeze_panes == "A4"
    english = [c.value for c in sheet[2]]
    chinese = [c.value for c in sheet[3]]
    assert english[:3] == ["Year", "Region", "Sector"] and chinese[:3] == ["年份", "地区", "行业"]
    co2e = english.index("Emissions (t CO2e, GWP AR5)") + 1
    assert sheet.cell(row=4, column=co2e).number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= 6
    assert book["Summary 汇总"].freeze_panes == "C4"


def test_natural_gas_factor_and_emissions_joined(book):
    """Residential natural gas, 1000 x 10^4 m3 in 2020: NCV 38 931 kJ/m3 (GB/T 2589-2008,
    Appendix A) gives 389.31 TJ; CH4 factor 5 kg/TJ (IPCC 2006 Vol.2 Ch.2 Table 2.5,
    residential) gives 1.94655 t CH4."""
    table = _table(book["Energy 能源活动"])
    row = table[(table["Sector"] == "residential") & (table["Gas"] == "CH4")
                & (table["Year"] == 2020)].iloc[0]
    assert row["Emission factor (value)"] == 5.0
    assert row["Factor unit"] == "kg/TJ"
    assert row["Factor source id (see below)"] == (
        "ipcc2006/2006:stationary_combustion:natural_gas|ef|CH4|residential_agriculture")
    assert row["Emissions (t of gas)"] == pytest.approx(389.31 * 5 / 1000, rel=1e-9)
    assert row["Implied factor (t of gas per unit of activity)"] == pytest.approx(
        389.31 * 5 / 1000 / 1000, rel=1e-9)
    # composite ids (carbon content x oxidation) leave the single value blank
    co2 = table[(table["Sector"] == "residential") & (table["Gas"] == "CO2")].iloc[0]
    assert pd.isna(co2["Emission factor (value)"]) and "+" in co2["Factor source id (see below)"]


def test_factor_block_lists_every_part_with_source(book):
    sheet = book["Energy 能源活动"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(values) if r[0] and str(r[0]).startswith(
        "Emission factors used"))
    header = values[start + 1]
    block = pd.DataFrame(values[start + 3:], columns=header).dropna(how="all")
    assert header[:3] == ("Factor source id", "Source", "Table")
    parts = set(block["Factor source id"])
    assert "china_provincial_2011/2011:fuel_carbon:raw_coal|carbon_content" in parts
    assert "china_provincial_2011/2011:fuel_carbon:raw_coal|oxidation" in parts
    ch4 = block[block["Factor source id"].str.endswith("natural_gas|ef|CH4|residential_agriculture")]
    assert ch4["Value"].iloc[0] == 5.0 and ch4["Lower (95 %)"].iloc[0] == 1.5


def test_hostile_region_is_text_not_a_formula(book):
    table = _table(book["Energy 能源活动"])
    regions = set(table["Region"].dropna())
    assert regions == {"'" + HOSTILE}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_sources_and_manifest(inv, book):
    sources = _table(book["Sources 数据来源"])
    used = sources[sources["Used"]]
    assert {"ipcc2006/2006", "china_provincial_2011/2011"} <= set(used["Source"])
    assert len(sources) == len(inv.factors.sources)
    manifest = _table(book["Manifest 元数据"])
    assert manifest.set_index("Key").loc["gwp", "Value"] == "AR5"
    ids = manifest.loc[manifest["Key"] == "factor_ids", "Value"].tolist()
    assert ids == inv.manifest()["factor_ids"]


def test_empty_sector_says_not_occurring(book):
    sheet = book["Waste 废弃物处理"]
    texts = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert any(str(t).startswith("NO: no activity") for t in texts)


def test_row_limit_summarises_months_and_keeps_the_sums(tmp_path):
    """24 monthly rows of one fuel: over the row limit they are summed by year, sector, item,
    category, gas and factor (3 gases x 2 years), and the CO2e is unchanged."""
    months = pd.DataFrame({"year": np.repeat([2020, 2021], 12), "month": np.tile(
        np.arange(1, 13), 2), "sector": "residential", "activity": "fuel_combustion",
        "item": "natural_gas", "value": np.linspace(10.0, 33.0, 24), "unit": "wan_m3"})
    inv = cl.compute_inventory(months)
    path = write_workbook(inv, tmp_path / "sum.xlsx", max_rows=20)
    sheet = openpyxl.load_workbook(path)["Energy 能源活动"]
    table = _table(sheet)
    assert "Month" not in table.columns and len(table) == 6
    assert table["Emissions (t CO2e, GWP AR5)"].sum() == pytest.approx(
        inv.results["co2e_t"].sum(), rel=1e-12)
    assert table["Activity data"].sum() == pytest.approx(2 * 3 * months["value"].sum() / 2)
    texts = [str(r[0]) for r in sheet.iter_rows(values_only=True) if r and r[0]]
    assert any("summarised" in t for t in texts)
    full = _table(openpyxl.load_workbook(write_workbook(inv, tmp_path / "full.xlsx"))[
        "Energy 能源活动"])
    assert len(full) == 72 and "Month" in full.columns


def test_row_limit_truncates_with_a_note(inv, tmp_path):
    path = write_workbook(inv, tmp_path / "tiny.xlsx", max_rows=3)
    sheet = openpyxl.load_workbook(path)["Energy 能源活动"]
    assert len(_table(sheet)) == 3
    texts = [str(r[0]) for r in sheet.iter_rows(values_only=True) if r and r[0]]
    assert any(t.startswith("still") for t in texts)
    with pytest.raises(ValueError, match="max_rows"):
        write_workbook(inv, tmp_path / "x.xlsx", max_rows=0)
