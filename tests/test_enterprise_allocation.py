"""Allowances: power-sector benchmark method and the intensity method."""

import pandas as pd
import pytest

from carbonledger import enterprise
from carbonledger.enterprise.allocation import load_correction
from carbonledger.errors import MissingFactorError


def test_power_benchmark_method_hand_worked():
    """2021-2022 plan: allowance = supply benchmark x power supplied x F_cool x F_heat x F_load
    + heat benchmark x heat supplied. 300MW+ coal unit 2022: 0.8177 t/MWh; air-cooled 1.05;
    heat ratio 0.2 -> 1 - 0.22 x 0.2 = 0.956; load factor 0.78 -> 1.007 + 0.0016 x 2 = 1.0102;
    heat benchmark 0.1105 t/GJ (values: see the factor sidecars)."""
    units = pd.DataFrame({"facility": ["P1"], "unit_class": ["coal_300mw_plus"],
                          "power_supplied_mwh": [1.0e6], "heat_supplied_gj": [2.0e6],
                          "cooling": ["air_cooled"], "heat_supply_ratio": [0.2],
                          "load_factor": [0.78]})
    out = enterprise.allocate(units, year=2022, emissions=pd.DataFrame(
        {"facility": ["P1"], "year": [2022], "total_co2e_t": [1.0e6]}))
    expected = 0.8177 * 1.0e6 * 1.05 * 0.956 * 1.0102 + 0.1105 * 2.0e6
    row = out.iloc[0]
    assert row["allowance_t"] == pytest.approx(expected, rel=1e-12)
    assert row["surplus_t"] == pytest.approx(expected - 1.0e6, rel=1e-12)
    assert row["position"] == "surplus"
    assert "coal_300mw_plus|supply_benchmark|2022" in row["factor_id"]


def test_load_correction_is_continuous_at_the_band_edges():
    assert load_correction([0.85, 0.8, 0.75]).tolist() == pytest.approx([1.0, 1.007, 1.015])


def test_intensity_method_and_verified_from_compute():
    rows = pd.DataFrame({"facility": ["C1"] * 2, "year": [2024] * 2,
                         "sector": ["building_materials"] * 2,
                         "activity": ["clinker_production", "production"],
                         "item": ["clinker"] * 2, "value": [1.0e6, 1.0e6], "unit": ["t"] * 2})
    result = enterprise.compute(rows)
    plants = pd.DataFrame({"facility": ["C1"], "product": ["cement_clinker"],
                           "output_t": [1.0e6], "base_intensity": [0.50]})
    row = enterprise.allocate(plants, year=2024, emissions=result).iloc[0]
    assert row["allowance_t"] == pytest.approx(500_000.0)
    assert row["verified_co2_t"] == pytest.approx(result.table["total_co2e_t"].iloc[0])
    assert row["position"] == "deficit"  # 0.5202 t/t process CO2 > 0.50 t/t


def test_unshipped_benchmark_is_named():
    units = pd.DataFrame({"facility": ["P1"], "unit_class": ["coal_300mw_plus"],
                          "power_supplied_mwh": [1.0], "heat_supplied_gj": [1.0]})
    with pytest.raises(MissingFactorError, match="heat_benchmark"):
        enterprise.allocate(units, year=2024)
    with pytest.raises(MissingFactorError, match="2031"):
        enterprise.allocate(units, year=2031)


def test_demo_section_writes_tables(tmp_path):
    out = enterprise.demo_section(tmp_path, n_facilities=40)
    for path in out["paths"].values():
        assert path.exists() and path.stat().st_size > 0
    assert "Enterprise ledger" in out["summary"]
    assert out["numbers"]["facilities"] == 40
