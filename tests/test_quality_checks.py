"""QA/QC checks (IPCC 2006 Vol.1 Ch.6; Vol.2 Ch.6 reference approach): every check plants a
defect and finds it; a clean inventory gives no finding; nothing raises."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.quality import (
    FINDING_COLUMNS,
    check_completeness,
    check_implied_factors,
    check_jumps,
    check_reference_approach,
    check_sector_sums,
    qa_checks,
)


def clean_rows() -> pd.DataFrame:
    """Three years of coal and gas burned by steel and households, growing a few per cent."""
    records = []
    for year, scale in ((2020, 1.0), (2021, 1.04), (2022, 1.07)):
        records += [(year, "steel", "fuel_combustion", "raw_coal", 100.0 * scale, "wan_t"),
                    (year, "residential", "fuel_combustion", "natural_gas", 500.0 * scale,
                     "wan_m3"),
                    (year, "building_materials", "clinker_production", "clinker", 50.0 * scale,
                     "wan_t")]
    return pd.DataFrame(records, columns=["year", "sector", "activity", "item", "value", "unit"])


@pytest.fixture()
def clean():
    return cl.compute_inventory(clean_rows())


def test_clean_inventory_gives_no_finding(clean):
    found = qa_checks(clean)
    assert found.empty and list(found.columns) == FINDING_COLUMNS
    for check in (check_implied_factors, check_jumps, check_completeness, check_sector_sums,
                  check_reference_approach):
        assert check(clean).empty, check.__name__


def test_implied_factor_outside_ipcc_range_is_found():
    """A measured raw-coal carbon content of 35 t C/TJ (x 0.94 oxidation x 44/12 = 120,637 kg
    CO2/TJ) is above the IPCC 2006 range of other bituminous coal, 89,500-99,700 kg/TJ."""
    rows = clean_rows()
    rows["carbon_content"] = np.where((rows["year"] == 2022) & (rows["item"] == "raw_coal"),
                                      35.0, np.nan)
    found = check_implied_factors(cl.compute_inventory(rows))
    assert len(found) == 1
    finding = found.iloc[0]
    assert (finding["category"], finding["year"], finding["severity"]) == ("1.A.2.a", 2022,
                                                                           "warning")
    assert finding["value"] == pytest.approx(35.0 * 0.94 * 44 / 12 * 1000)
    assert "89,500-99,700" in finding["message"] and "measured" in finding["message"]


def test_jump_beyond_threshold_is_found():
    rows = clean_rows()
    rows.loc[(rows["year"] == 2022) & (rows["item"] == "natural_gas"), "value"] *= 2.0
    found = check_jumps(cl.compute_inventory(rows))
    assert set(found["category"]) == {"1.A.4.b"} and set(found["year"]) == {2022}
    co2 = found[found["gas"] == "CO2"].iloc[0]
    assert co2["value"] == pytest.approx(100 * (2 * 1.07 / 1.04 - 1))
    assert check_jumps(cl.compute_inventory(rows), threshold=1.5).empty


def test_missing_year_and_zero_activity_get_notation_keys():
    rows = clean_rows()
    gap = rows[~((rows["year"] == 2021) & (rows["activity"] == "clinker_production"))].copy()
    gap.loc[(gap["year"] == 2022) & (gap["item"] == "natural_gas"), "value"] = 0.0
    found = check_completeness(cl.compute_inventory(gap))
    ne = found[found["notation_key"] == "NE"]
    assert ne[["category", "gas", "year"]].values.tolist() == [["2.A.1", "CO2", 2021]]
    no = found[found["notation_key"] == "NO"]
    assert set(no["category"]) == {"1.A.4.b"} and set(no["year"]) == {2022}
    assert (ne["severity"] == "warning").all() and (no["severity"] == "info").all()


def test_category_booked_to_the_wrong_sector_is_found(clean):
    """2.A.1 (cement) booked under energy: the energy sum no longer equals its categories."""
    results = clean.results.copy()
    sector = results["ipcc_sector"].astype(object)
    sector[(results["category"] == "2.A.1").to_numpy()] = "energy"
    tampered = dataclasses.replace(clean, results=results.assign(
        ipcc_sector=pd.Categorical(sector)))
    found = check_sector_sums(tampered)
    assert set(found["category"]) == {"2.A.1"} and len(found) == 3
    assert (found["severity"] == "error").all() and "booked to energy" in found["message"].iloc[0]


def test_reported_totals_that_disagree_are_found(clean):
    totals = clean.totals()["scope1_co2e_t"]
    assert check_sector_sums(clean, reported_totals=totals).empty
    wrong = totals.copy()
    wrong.loc[2021] *= 1.02
    found = check_sector_sums(clean, reported_totals=wrong)
    assert found["year"].tolist() == [2021]
    assert found["value"].iloc[0] == pytest.approx(-0.02 * totals.loc[2021])
    by_sector = clean.summary(by=["year", "ipcc_sector"], scope=1)["co2e_t"]
    assert check_sector_sums(clean, reported_totals=by_sector).empty


def test_reference_approach_difference_is_found(clean):
    """Apparent consumption of raw coal 20 % above what the sectoral approach burned, other
    fuels as burned: the reference approach exceeds the sectoral CO2 by 20 % x coal's share."""
    burned = {"raw_coal": (107.0, "wan_t"), "natural_gas": (535.0, "wan_m3")}
    supply = pd.DataFrame({"apparent_consumption": [burned["raw_coal"][0] * 1.2,
                                                    burned["natural_gas"][0]],
                           "unit": [burned["raw_coal"][1], burned["natural_gas"][1]]},
                          index=pd.Index(["raw_coal", "natural_gas"], name="item"))
    found = check_reference_approach(clean, supply=supply, year=2022)
    co2 = clean.table[(clean.table["gas"] == "CO2") & (clean.table["year"] == 2022)
                      & (clean.table["activity"] == "fuel_combustion")]
    coal_share = co2[co2["item"] == "raw_coal"]["emissions_t"].sum() / co2["emissions_t"].sum()
    assert found["year"].tolist() == [2022]
    assert found["value"].iloc[0] == pytest.approx(20 * coal_share, rel=1e-6)
    as_supplied = supply.assign(apparent_consumption=[107.0, 535.0])
    assert check_reference_approach(clean, supply=as_supplied, year=2022).empty


def test_transformation_loss_shows_in_the_inventory_reference_approach():
    """Coal into coking without coke out: the carbon enters the reference approach only."""
    rows = pd.concat([clean_rows(), pd.DataFrame({
        "year": [2022], "sector": ["coking"], "activity": ["transformation_input"],
        "item": ["cleaned_coal"], "value": [50.0], "unit": ["wan_t"]})], ignore_index=True)
    found = check_reference_approach(cl.compute_inventory(rows))
    assert found["year"].tolist() == [2022] and found["value"].iloc[0] > 5


def test_qa_checks_never_raises_and_orders_by_severity(clean):
    found = qa_checks(clean, supply=pd.DataFrame({"x": [1.0]}), supply_year=2022,
                      reported_totals=pd.Series({2022: 1.0}), checks=[
                          "sector_sums", "reference_approach", "nonsense"])
    assert (found["severity"] == "error").all()
    assert set(found["check"]) == {"sector_sums", "reference_approach", "nonsense"}
    assert "could not run" in found.loc[found["check"] == "reference_approach",
                                        "message"].iloc[0]
    rows = clean_rows()
    rows.loc[(rows["year"] == 2022) & (rows["item"] == "natural_gas"), "value"] *= 3.0
    mixed = qa_checks(cl.compute_inventory(rows), reported_totals=pd.Series({2022: 1.0}))
    assert mixed["severity"].tolist() == sorted(mixed["severity"].tolist(),
                                                key=["error", "warning", "info"].index)
    assert {"error", "warning"} <= set(mixed["severity"])
