"""Units of Chinese statistics and fuel-aware conversions, checked against published values."""

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.errors import UnitConversionError


def test_kgce_is_29_3076_megajoule():
    """GB/T 2589-2020: 1 kgce = 29,307.6 kJ (7,000 kcal_IT)."""
    assert cl.Q_(1, "kgce").to("MJ").magnitude == pytest.approx(29.3076, rel=1e-12)
    assert cl.Q_(1, "wan_tce").to("GJ").magnitude == pytest.approx(293076.0, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        (1, "wan_t", "t", 1e4),
        (1, "kilotonne", "t", 1e3),
        (1, "Mt", "wan_t", 100.0),
        (1, "yi_kWh", "wan_kWh", 1e4),
        (1, "yi_kWh", "GWh", 100.0),
        (1, "yi_m3", "wan_m3", 1e4),
        (15, "mu", "ha", 1.0),  # 1 mu = 1/15 ha (市亩)
        (1, "wan_mu", "ha", 10000 / 15),
        (1, "yi_yuan", "wan_yuan", 1e4),
        (1, "万吨标准煤", "tce", 1e4),
        (1, "亿千瓦时", "kWh", 1e8),
    ],
)
def test_statistical_units(value, unit, target, expected):
    assert cl.convert(value, unit, target) == pytest.approx(expected, rel=1e-12)


def test_kt_is_refused_with_a_hint():
    with pytest.raises(UnitConversionError, match="kilotonne"):
        cl.Q_(1, "kt")
    with pytest.raises(UnitConversionError, match="knot"):
        cl.convert(1.0, "kt", "t")


def test_unknown_unit_suggests_near_matches():
    with pytest.raises(UnitConversionError, match="did you mean 'tce'"):
        cl.convert(1.0, "tcee", "t")


def test_raw_coal_to_tce_uses_the_published_table_value():
    """GB/T 2589 table: raw coal 0.7143 kgce/kg (5,000/7,000 kcal), not 20,908/29,307.6."""
    assert cl.convert(1.0, "t", "tce", item="raw_coal") == pytest.approx(0.7143, abs=1e-12)
    assert cl.convert(1.0, "万吨", "万吨标准煤", item="原煤") == pytest.approx(0.7143, abs=1e-12)


def test_raw_coal_to_energy_uses_its_calorific_value():
    """GB/T 2589 table: raw coal average low heating value 20,908 kJ/kg."""
    assert cl.convert(1.0, "t", "GJ", item="raw_coal") == pytest.approx(20.908, rel=1e-12)


def test_electricity_calorific_equivalent():
    """GB/T 2589: electricity (calorific equivalent, 当量值) 0.1229 kgce/kWh."""
    assert cl.convert(1.0, "kWh", "kgce", item="electricity") == pytest.approx(0.1229)
    assert cl.convert(1.0, "yi_kWh", "wan_tce", item="electricity") == pytest.approx(1.229)


def test_electricity_coal_equivalent_method_follows_the_year(lib):
    """等价值: the year's average coal consumption of thermal power supply (gce/kWh)."""
    expected = lib.get("coal_equivalent", "electricity", unit="gce/kWh", year=2020).value
    assert 280 < expected < 320
    got = cl.convert(1.0, "kWh", "gce", item="electricity", year=2020, method="coal_equivalent")
    assert got == pytest.approx(expected)
    years = np.array([2015, 2020])
    both = cl.convert(np.ones(2), "kWh", "gce", item="electricity", year=years,
                      method="coal_equivalent")
    assert both[0] > both[1]  # thermal efficiency improved


def test_coal_equivalent_method_needs_a_year():
    with pytest.raises(UnitConversionError, match="needs the year"):
        cl.convert(1.0, "kWh", "tce", item="electricity", method="coal_equivalent")


def test_coal_in_cubic_metres_is_refused_naming_what_is_missing():
    with pytest.raises(UnitConversionError, match=r"raw_coal.*'m3'.*density") as info:
        cl.convert(1.0, "m3", "GJ", item="raw_coal")
    assert info.value.item == "raw_coal"


def test_vectorized_over_series_and_unit_arrays():
    values = pd.Series([1.0, 2.0, 3.0], index=[10, 11, 12])
    out = cl.convert(values, pd.Series(["t", "wan_t", "kg"], index=values.index), "t")
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == [10, 11, 12]
    assert out.tolist() == pytest.approx([1.0, 2e4, 3e-3])


def test_natural_gas_volume_to_tce():
    """NBS yearbook / GB/T 2589: natural gas 1.33 kgce/m3 (13.3 tce per 10^4 m3)."""
    assert cl.convert(1.0, "wan_m3", "tce", item="natural_gas") == pytest.approx(13.3)
