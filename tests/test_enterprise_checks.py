"""Data-quality rules of carbonledger.enterprise.check: each rule finds a planted defect, and a
clean dataset gives no finding."""

import numpy as np
import pandas as pd
import pytest

from carbonledger import enterprise
from carbonledger.enterprise.checks import plausible_ranges


def clean_rows(n_facilities: int = 6) -> pd.DataFrame:
    """Six steel plants x 12 months: coke, electricity and crude-steel output, smooth values."""
    records = []
    for f in range(n_facilities):
        for month in range(1, 13):
            scale = 1.0 + 0.02 * f + 0.01 * np.sin(month)
            for activity, item, value, unit in (
                    ("fuel_combustion", "coke", 400.0 * scale, "t"),
                    ("purchased_energy", "electricity", 900.0 * scale, "MWh"),
                    ("production", "crude_steel", 1000.0 * scale, "t")):
                records.append({"facility": f"S{f}", "year": 2022, "month": month,
                                "sector": "steel", "industry": "C3120", "activity": activity,
                                "item": item, "value": value, "unit": unit})
    return pd.DataFrame(records)


def rules_found(rows, **options):
    return set(enterprise.check(rows, **options)["rule"])


def test_clean_dataset_has_no_finding():
    findings = enterprise.check(clean_rows(), annual=enterprise.compute(clean_rows()).table[
        ["facility", "year", "total_co2e_t"]])
    assert findings.empty, findings["message"].tolist()


def test_unaccountable_rows():
    rows = clean_rows()
    rows.loc[0, "item"] = "unobtainium"
    found = enterprise.check(rows)
    hit = found[found["rule"] == "unaccountable"]
    assert hit["rows"].iloc[0] == [0] and hit["severity"].iloc[0] == "error"


def test_duplicate_rows():
    rows = clean_rows()
    rows = pd.concat([rows, rows.iloc[[3]]], ignore_index=True)
    found = enterprise.check(rows)
    hit = found[found["rule"] == "duplicate_rows"]
    assert sorted(hit["rows"].iloc[0]) == [3, len(rows) - 1]


def test_unit_inconsistent_with_the_fuel():
    rows = clean_rows()
    coke = rows.index[(rows["facility"] == "S1") & (rows["item"] == "coke")]
    rows.loc[coke, "unit"] = "GJ"
    rows.loc[coke, "value"] *= 28.435
    assert "unit_inconsistent" in rules_found(rows)


def test_missing_months():
    rows = clean_rows()
    rows = rows.drop(rows.index[(rows["facility"] == "S2") & (rows["month"] == 7)])
    found = enterprise.check(rows)
    messages = found.loc[found["rule"] == "missing_months", "message"].tolist()
    assert any("missing 7" in m for m in messages)


def test_measured_ncv_and_carbon_content_out_of_range():
    """Plausible ranges are the IPCC 2006 95 % ranges (Vol. 2 Table 1.2: coke oven coke NCV
    25.1-30.2 TJ/Gg); 45 GJ/t of coke and 80 t C/TJ are outside."""
    rows = clean_rows()
    rows["ncv"] = np.nan
    rows["carbon_content"] = np.nan
    coke = rows.index[rows["item"] == "coke"]
    rows.loc[coke, "ncv"] = 28.0
    rows.loc[coke[0], "ncv"] = 45.0
    rows.loc[coke[1], "carbon_content"] = 80.0
    found = rules_found(rows)
    assert {"ncv_out_of_range", "carbon_content_range"} <= found
    low, high = plausible_ranges(__import__("carbonledger").load_factors(), "coke")["ncv"]
    assert low < 28.0 < high < 45.0


def test_month_on_month_jump_of_intensity():
    rows = clean_rows()
    jump = rows.index[(rows["facility"] == "S3") & (rows["month"] == 5) & (
        rows["item"] == "coke")]
    rows.loc[jump, "value"] *= 4
    found = enterprise.check(rows)
    messages = found.loc[found["rule"] == "intensity_jump", "message"].tolist()
    assert messages and "2022-05" in messages[0]


def test_robust_outlier_of_intensity():
    rows = clean_rows()
    plant = rows.index[(rows["facility"] == "S4") & (rows["item"] == "coke")]
    rows.loc[plant, "value"] *= 3
    found = enterprise.check(rows)
    assert found.loc[found["rule"] == "intensity_outlier", "facility"].tolist() == ["S4"]


def test_output_missing_where_intensity_needed():
    rows = clean_rows()
    rows = rows[~((rows["facility"] == "S5") & (rows["activity"] == "production"))]
    found = enterprise.check(rows)
    assert found.loc[found["rule"] == "output_missing", "facility"].tolist() == ["S5"]


def test_facility_under_several_sectors():
    rows = clean_rows()
    rows.loc[0, "sector"] = "machinery"
    assert "attribute_inconsistent" in rules_found(rows)


def test_totals_disagreeing_with_an_annual_figure():
    rows = clean_rows()
    reported = enterprise.compute(rows).table[["facility", "year", "total_co2e_t"]].copy()
    reported.loc[0, "total_co2e_t"] *= 1.05
    found = enterprise.check(rows, annual=reported)
    hit = found[found["rule"] == "annual_total_mismatch"]
    assert hit["facility"].tolist() == ["S0"] and hit["severity"].iloc[0] == "error"


@pytest.mark.parametrize("rtol", [0.1])
def test_annual_tolerance(rtol):
    rows = clean_rows()
    reported = enterprise.compute(rows).table[["facility", "year", "total_co2e_t"]].copy()
    reported["total_co2e_t"] *= 1.05
    assert "annual_total_mismatch" not in rules_found(rows, annual=reported, rtol=rtol)
