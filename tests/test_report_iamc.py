"""IAMC long-format export (carbonledger.report.iamc): columns, round trip, file layouts."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from carbonledger.errors import ActivityDataError
from carbonledger.report.iamc import IAMC_COLUMNS, from_iamc, iamc_wide, to_iamc, write_iamc

VMAP = {"co2_t": ("Emissions|CO2", "Mt CO2/yr", 1e-6),
        "energy_tce": ("Final Energy", "Mtce/yr", 1e-6),
        "gdp_yi_yuan": ("GDP|MER", "billion CNY_2020/yr", 0.1)}


@pytest.fixture()
def table() -> pd.DataFrame:
    return pd.DataFrame({"co2_t": [3.0e7, 3.1e7, np.nan], "energy_tce": [1.2e7, 1.25e7, 1.3e7],
                         "gdp_yi_yuan": [281.6, 296.0, 309.6], "note": ["a", "b", "c"]},
                        index=pd.Index([2020, 2021, 2022], name="year"))


def test_columns_types_and_values(table):
    long = to_iamc(table, scenario="baseline", region="example city", variable_map=VMAP)
    assert long.columns.tolist() == IAMC_COLUMNS
    assert long["year"].dtype == np.int64 and long["value"].dtype == np.float64
    assert set(long["model"]) == {"carbonledger"}
    assert long["variable"].unique().tolist() == ["Emissions|CO2", "Final Energy", "GDP|MER"]
    assert len(long) == 8                                   # the NaN CO2 of 2022 left out
    row = long[(long["variable"] == "GDP|MER") & (long["year"] == 2020)].iloc[0]
    assert row["value"] == pytest.approx(28.16) and row["unit"] == "billion CNY_2020/yr"
    assert not long.duplicated(["model", "scenario", "region", "variable", "year"]).any()


def test_round_trip(table):
    long = to_iamc(table, scenario="s", region="r", variable_map=VMAP)
    back = from_iamc(long, variable_map=VMAP)
    pd.testing.assert_frame_equal(back, table[list(VMAP)], check_exact=False, rtol=1e-12)
    plain = from_iamc(long)
    assert plain.loc[2021, "Emissions|CO2"] == pytest.approx(31.0)


def test_year_column_and_several_scenarios(table):
    flat = table.reset_index()
    a = to_iamc(flat, scenario="a", region="r", variable_map={"co2_t": VMAP["co2_t"]})
    b = to_iamc(flat.assign(co2_t=flat["co2_t"] * 0.9), scenario="b", region="r",
                variable_map={"co2_t": VMAP["co2_t"]})
    wide = from_iamc(pd.concat([a, b], ignore_index=True))
    assert wide.columns.nlevels == 4
    assert wide.loc[2020, ("carbonledger", "b", "r", "Emissions|CO2")] == pytest.approx(27.0)


def test_errors_name_the_problem(table):
    with pytest.raises(ActivityDataError, match=r"\['missing'\]"):
        to_iamc(table, scenario="s", region="r", variable_map={"missing": ("X", "t")})
    with pytest.raises(ActivityDataError, match="more than one column"):
        to_iamc(table, scenario="s", region="r",
                variable_map={"co2_t": ("X", "t"), "energy_tce": ("X", "t")})
    with pytest.raises(ActivityDataError, match="more than once"):
        to_iamc(pd.concat([table, table]), scenario="s", region="r",
                variable_map={"co2_t": ("X", "t")})
    with pytest.raises(ActivityDataError, match="not numbers"):
        to_iamc(table, scenario="s", region="r", variable_map={"note": ("Note", "-")})
    with pytest.raises(ActivityDataError, match="variable_map"):
        to_iamc(table, scenario="s", region="r", variable_map={"co2_t": "Emissions|CO2"})
    with pytest.raises(ActivityDataError, match="whole numbers"):
        to_iamc(table.set_axis([2020.5, 2021, 2022]), scenario="s", region="r",
                variable_map={"co2_t": ("X", "t")})


def test_written_files_load_back(table, tmp_path):
    long = to_iamc(table, scenario="baseline", region="=cmd|' /C calc'!A0", variable_map=VMAP)
    csv = write_iamc(long, tmp_path / "scenarios.csv")
    read = pd.read_csv(csv)
    assert read.columns.tolist()[:5] == ["Model", "Scenario", "Region", "Variable", "Unit"]
    assert read.columns.tolist()[5:] == ["2020", "2021", "2022"]
    assert read["Region"].iloc[0].startswith("'=")          # no live formula
    assert read.set_index("Variable").loc["Final Energy", "2022"] == pytest.approx(13.0)
    assert iamc_wide(long).shape == (3, 8)
    xlsx = write_iamc(long, tmp_path / "scenarios.xlsx", wide=False)
    sheet = openpyxl.load_workbook(xlsx)["data"]
    assert [c.value for c in sheet[1]] == IAMC_COLUMNS
    with pytest.raises(ValueError, match=".csv or .xlsx"):
        write_iamc(long, tmp_path / "scenarios.json")
