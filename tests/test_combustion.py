"""Fuel combustion and scope 2 against hand-worked cases from the guidelines."""

import numpy as np
import pytest

import carbonledger as cl
from carbonledger.engines.combustion import combustion_co2_t
from carbonledger.errors import ActivityDataError
from tests.conftest import rows


def _gas(inv, gas):
    table = inv.table
    return table.loc[table["gas"] == gas, "emissions_t"].to_numpy()


def test_raw_coal_tier2_matches_the_guideline_table():
    """1 t raw coal: 20.908 GJ/t (GB/T 2589) x 26.37 t C/TJ x 0.94 x 44/12 = 1.9003 t CO2,
    the 'EF kgCO2/unit 1.9003' column of the combined reference table (public_figures.md §5b)."""
    inv = cl.compute_inventory(rows((2022, "steel", "fuel_combustion", "raw_coal", 1.0, "t")))
    assert _gas(inv, "CO2")[0] == pytest.approx(20.908e-3 * 26.37 * 0.94 * 44 / 12, rel=1e-12)
    assert _gas(inv, "CO2")[0] == pytest.approx(1.9003, abs=5e-5)


def test_natural_gas_tier2_per_cubic_metre():
    """Natural gas: 38,931 kJ/m3 x 15.3 t C/TJ x 0.99 x 44/12 = 2.1622 kg CO2/m3 (same table)."""
    inv = cl.compute_inventory(rows((2022, "chemicals", "fuel_combustion", "natural_gas", 1.0,
                                     "wan_m3")))
    assert _gas(inv, "CO2")[0] == pytest.approx(21.622, abs=5e-4)


def test_sector_reaches_the_methane_factor():
    """IPCC 2006 Vol.2 Tables 2.2/2.3/2.5: coal CH4 1 kg/TJ in energy industries, 10 in
    manufacturing, 300 in residential; N2O 1.5 kg/TJ in all three."""
    frame = rows((2022, "power", "fuel_combustion", "raw_coal", 1000.0, "t"),
                 (2022, "steel", "fuel_combustion", "raw_coal", 1000.0, "t"),
                 (2022, "residential", "fuel_combustion", "raw_coal", 1000.0, "t"))
    inv = cl.compute_inventory(frame)
    tj = 1000 * 20.908e-3
    np.testing.assert_allclose(_gas(inv, "CH4"), [tj * 1e-3, tj * 10e-3, tj * 300e-3])
    np.testing.assert_allclose(_gas(inv, "N2O"), [tj * 1.5e-3] * 3)


def test_tier1_when_no_carbon_content_is_known():
    """IPCC sources preferred: sub-bituminous coal 96,100 kg CO2/TJ (IPCC 2006 Vol.2 Table 1.4)
    is used as a Tier-1 factor."""
    inv = cl.compute_inventory(rows((2022, "steel", "fuel_combustion", "sub_bituminous_coal",
                                     10.0, "TJ")), factors=cl.load_factors(prefer=["ipcc2006"]))
    assert _gas(inv, "CO2")[0] == pytest.approx(10 * 96.1)


def test_measured_parameters_override_defaults_row_by_row():
    """ETS practice: measured carbon content and oxidation replace the defaults of that row."""
    frame = rows((2022, "power", "fuel_combustion", "raw_coal", 100.0, "t"),
                 (2022, "steel", "fuel_combustion", "raw_coal", 100.0, "t"),
                 carbon_content=[27.0, np.nan], oxidation=[0.99, np.nan])
    inv = cl.compute_inventory(frame)
    co2 = _gas(inv, "CO2")
    tj = 100 * 20.908e-3
    assert co2[0] == pytest.approx(tj * 27.0 * 0.99 * 44 / 12)
    assert co2[1] == pytest.approx(tj * 26.37 * 0.94 * 44 / 12)
    ids = inv.table.loc[inv.table["gas"] == "CO2", "factor_id"].tolist()
    assert ids[0] == "measured:carbon_content+oxidation"
    assert ids[1].startswith("china_provincial_2011/")


def test_measured_ncv_replaces_the_default_calorific_value():
    frame = rows((2022, "power", "fuel_combustion", "raw_coal", 100.0, "t"), ncv=[18.0])
    inv = cl.compute_inventory(frame)
    assert inv.energy["energy_tj"].iloc[0] == pytest.approx(1.8)
    assert _gas(inv, "CO2")[0] == pytest.approx(1.8 * 26.37 * 0.94 * 44 / 12)


def test_oxidation_in_percent_is_refused():
    frame = rows((2022, "power", "fuel_combustion", "raw_coal", 100.0, "t"), oxidation=[98.0])
    with pytest.raises(ActivityDataError, match="oxidation outside 0..1") as info:
        cl.compute_inventory(frame)
    assert info.value.rows == [0]


def test_unknown_sector_needs_a_group():
    frame = rows((2022, "bakery", "fuel_combustion", "raw_coal", 1.0, "t"))
    with pytest.raises(ActivityDataError, match="bakery"):
        cl.compute_inventory(frame)
    frame["sector_group"] = "manufacturing_construction"
    frame["category"] = "1.A.2.e"
    assert cl.compute_inventory(frame).table["category"].iloc[0] == "1.A.2.e"


def test_road_diesel_uses_mobile_factors():
    """IPCC 2006 Vol.2 Table 3.2.2: diesel CH4 3.9 kg/TJ, N2O 3.9 kg/TJ (road transport)."""
    inv = cl.compute_inventory(rows((2022, "road_transport", "fuel_combustion", "diesel",
                                     1.0, "TJ")))
    assert _gas(inv, "CH4")[0] == pytest.approx(3.9e-3)
    assert _gas(inv, "N2O")[0] == pytest.approx(3.9e-3)


def test_regional_grid_factor():
    """MEE/NBS 2022 northwest grid average (published Dec 2024): 0.5857 t CO2/MWh."""
    frame = rows((2022, "steel", "purchased_energy", "electricity", 1.0, "wan_kWh"),
                 grid_region=["northwest"])
    inv = cl.compute_inventory(frame)
    assert inv.totals().loc[2022, "scope2_co2e_t"] == pytest.approx(10 * 0.5857)


def test_missing_grid_year_falls_back_with_a_warning():
    frame = rows((2016, "steel", "purchased_energy", "electricity", 1.0, "MWh"))
    with pytest.warns(cl.FactorFallbackWarning, match="using 2021"):
        cl.compute_inventory(frame)


def test_kernel_is_linear():
    base = combustion_co2_t(np.array([1.0, 2.0]), carbon_t_per_tj=26.37, oxidation=0.94)
    assert base[1] == pytest.approx(2 * base[0])
    assert combustion_co2_t(0.0, carbon_t_per_tj=26.37, oxidation=0.94) == 0.0


def test_zero_activity_gives_zero():
    inv = cl.compute_inventory(rows((2022, "steel", "fuel_combustion", "coke", 0.0, "t")))
    assert (inv.table["emissions_t"] == 0).all()
