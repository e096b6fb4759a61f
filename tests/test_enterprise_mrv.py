"""Facility accounting (carbonledger.enterprise.compute): hand-worked cases from the national
ETS power-generation guideline's formulas, and equality with the inventory machinery."""

import warnings

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger import enterprise
from carbonledger.errors import ActivityDataError, UnitConversionError

C_TO_CO2 = 44.0 / 12.0


def rows(**columns):
    base = {"facility": "P1", "year": 2022, "sector": "power", "activity": "fuel_combustion",
            "item": "raw_coal", "value": 1000.0, "unit": "t"}
    n = max(len(v) for v in columns.values() if isinstance(v, list)) if any(
        isinstance(v, list) for v in columns.values()) else 1
    data = {k: (v if isinstance(v, list) else [v] * n) for k, v in {**base, **columns}.items()}
    return pd.DataFrame(data)


def test_power_coal_without_measured_carbon_takes_the_conservative_default():
    """Power guideline (环办气候函〔2022〕485号): E = FC x NCV x CC x OF x 44/12 with the high
    default CC 0.03085 tC/GJ where the coal's element carbon is not measured, OF 99 %.
    1000 t raw coal x 20.908 GJ/t (GB/T 2589 NCV) = 20.908 TJ -> 20.908 x 30.85 x 0.99 x 44/12
    = 2341.39 t CO2, flagged conservative_default."""
    res = enterprise.compute(rows(), audit=True)
    row = res.table.iloc[0]
    assert row["combustion_co2_t"] == pytest.approx(20.908 * 30.85 * 0.99 * C_TO_CO2, rel=1e-9)
    assert row["rows_conservative_default"] == 1
    assert row["audit"] == "conservative_default:1"
    assert res.audit["rule"].tolist() == ["conservative_default"]
    assert "carbon_content_high_default" in res.audit["factor_id"].iloc[0]
    # the same rows outside the ETS purpose use the inventory default (no flag, lower CO2)
    plain = enterprise.compute(rows(), grid_purpose="mee_nbs_average").table.iloc[0]
    assert plain["rows_conservative_default"] == 0
    assert plain["combustion_co2_t"] < row["combustion_co2_t"]


def test_measured_ncv_and_carbon_content_use_the_kernel():
    """Guideline formula with measured values: 1000 t x 22 GJ/t x 27 tC/TJ x 0.99 (default
    oxidation of the guideline) x 44/12 = 2156.22 t CO2; rule 'measured'."""
    res = enterprise.compute(rows(ncv=22.0, carbon_content=27.0), audit=True)
    row = res.table.iloc[0]
    assert row["combustion_co2_t"] == pytest.approx(22.0 * 27.0 * 0.99 * C_TO_CO2, rel=1e-12)
    assert row["rows_measured"] == 1 and row["rows_conservative_default"] == 0
    assert res.audit["rule"].tolist() == ["measured"]
    # measured NCV without carbon content: conservative carbon, measured energy
    half = enterprise.compute(rows(ncv=22.0, carbon_content=np.nan)).table.iloc[0]
    assert half["combustion_co2_t"] == pytest.approx(22.0 * 30.85 * 0.99 * C_TO_CO2, rel=1e-12)
    assert half["rows_conservative_default"] == 1


def test_desulfurisation_and_purchased_electricity_are_kept_apart():
    """Desulfurisation E = B x I x EF = 100 t limestone x 90 % x 0.440 = 39.6 t CO2 (direct);
    purchased electricity 1000 MWh x 0.5703 t/MWh (MEE ETS factor for 2022) = 570.3 t
    (indirect)."""
    frame = rows(activity=["desulfurisation", "purchased_energy"], item=["limestone",
                 "electricity"], value=[100.0, 1000.0], unit=["t", "MWh"])
    row = enterprise.compute(frame).table.iloc[0]
    assert row["desulfurisation_co2_t"] == pytest.approx(39.6, rel=1e-12)
    assert row["direct_co2e_t"] == pytest.approx(39.6, rel=1e-12)
    assert row["indirect_co2e_t"] == pytest.approx(570.3, rel=1e-12)
    assert row["total_co2e_t"] == pytest.approx(609.9, rel=1e-12)
    # a measured carbonate content goes through the inventory's carbonate kind
    measured = rows(activity="desulfurisation", item="limestone", value=100.0,
                    carbonate_fraction=0.8)
    assert enterprise.compute(measured).table.iloc[0]["desulfurisation_co2_t"] == pytest.approx(
        35.2, rel=1e-12)


def test_same_numbers_as_the_inventory():
    """Without the ETS rules, every linear and measured row gives exactly what
    compute_inventory gives for the same rows (same factors, units, combustion kernel)."""
    data = enterprise.synthetic.facility_rows(6000, seed=5, years=(2021, 2022),
                                              measured_share=0.5)
    data = data[~data["activity"].isin(["desulfurisation", "production"])]
    data = data[data["sector"] != "power"].reset_index(drop=True)
    data["ncv"] = data["ncv"].where(data["item"] != "raw_coal", 20.0) if "ncv" in data else 20.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        ours = enterprise.compute(data, grid_purpose="mee_nbs_average", chunk_rows=700).table
        inv = cl.compute_inventory(data.assign(region=data["facility"].astype(str)),
                                   grid_purpose="mee_nbs_average", allow_mixed_units=True)
    theirs = inv.summary(by=["region", "year"]).reset_index()
    merged = ours.merge(theirs, left_on=["facility", "year"], right_on=["region", "year"])
    assert len(merged) == len(ours) > 20
    np.testing.assert_allclose(merged["total_co2e_t"], merged["co2e_t"], rtol=1e-12)
    energy = inv.energy_totals(by=["region", "year"]).reset_index()
    merged = ours.merge(energy, left_on=["facility", "year"], right_on=["region", "year"])
    np.testing.assert_allclose(merged["energy_tce"], merged["total_tce"], rtol=1e-12)


def test_gap_filled_month_takes_the_measured_mean_ncv():
    """A month without a measured NCV in a facility-fuel-year measured in its other months takes
    the consumption-weighted mean measured NCV (rule gap_filled), not the default."""
    frame = rows(month=list(range(1, 13)), value=[100.0] * 12, sector="steel", item="coke",
                 ncv=[22.0] * 11 + [np.nan])
    res = enterprise.compute(frame)
    row = res.table.iloc[0]
    assert row["rows_gap_filled"] == 1 and row["rows_measured"] == 11
    lib = cl.load_factors()
    cc = lib.get("carbon_content", "coke", unit="t/TJ").value
    ox = lib.get("oxidation", "coke", sector_group="manufacturing_construction").value
    assert row["combustion_co2_t"] == pytest.approx(1.2 * 22.0 * cc * ox * C_TO_CO2, rel=1e-12)


def test_unaccountable_rows_are_named_or_collected():
    frame = rows(item=["raw_coal", "unobtainium", "raw_coal"], value=[1.0, 2.0, 3.0],
                 unit=["t", "t", "m3"], month=[1, 2, 3])
    with pytest.raises(ActivityDataError, match="unobtainium") as info:
        enterprise.compute(frame.drop(index=2))
    assert info.value.rows == [1]
    with pytest.raises(UnitConversionError, match="m3") as info:
        enterprise.compute(frame.drop(index=1))
    assert info.value.rows == [2]
    res = enterprise.compute(frame, on_error="collect")
    assert sorted(res.rejected["row"].tolist()) == [1, 2]
    assert res.table["rows"].sum() == 1  # nothing dropped silently: 1 accounted + 2 rejected
    bad_value = rows(value=[-1.0])
    with pytest.raises(ActivityDataError, match="negative"):
        enterprise.compute(bad_value)


def test_monthly_grouping_and_attributes():
    frame = rows(month=list(range(1, 13)), value=[10.0] * 12, sector="steel", item="coke",
                 province="gansu")
    frame = pd.concat([frame, frame.assign(facility="P2", province="ningxia")])
    monthly = enterprise.compute(frame, monthly=True).table
    assert len(monthly) == 24 and set(monthly["month"]) == set(range(1, 13))
    by_province = enterprise.compute(frame, by=("province", "year")).table
    annual = enterprise.compute(frame).table
    assert by_province["total_co2e_t"].sum() == pytest.approx(annual["total_co2e_t"].sum())
    assert sorted(by_province["province"]) == ["gansu", "ningxia"]


def test_output_and_intensity():
    frame = rows(activity=["fuel_combustion", "production"], item=["natural_gas", "clinker"],
                 value=[100.0, 5.0], unit=["wan_m3", "wan_t"], sector="building_materials")
    row = enterprise.compute(frame).table.iloc[0]
    assert row["output"] == 50_000.0 and row["output_unit"] == "t"
    assert row["intensity_co2e_t_per_unit"] == pytest.approx(row["total_co2e_t"] / 50_000.0)


def test_result_files_and_manifest(tmp_path):
    res = enterprise.compute(rows(activity=["fuel_combustion", "purchased_energy"],
                                  item=["raw_coal", "electricity"], value=[1.0, 2.0],
                                  unit=["t", "MWh"]), audit=True)
    res.to_csv(tmp_path)
    for name in ("table.csv", "rejected.csv", "factors.csv", "audit.csv", "manifest.json"):
        assert (tmp_path / name).stat().st_size > 0
    manifest = res.manifest()
    assert manifest["input_rows"] == 2 and manifest["rejected_rows"] == 0
    assert any(fid.startswith("ets_guidelines/2022:power_generation") for fid in
               manifest["factor_ids"])
