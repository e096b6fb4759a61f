"""LULUCF engine: forest stock-difference and gain-loss, afforestation, land conversion,
cropland / grassland soil carbon (IPCC 2006 Vol. 4, Ch. 2, 4, 5, 6).

Removals are negative CO2. Hand-worked numbers cite the IPCC table or equation they use; the
factor values are in factors/ipcc2006/2006/land_*.csv with their provenance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonledger.engines import land
from carbonledger.engines import land_conversion as lc
from carbonledger.errors import ActivityDataError
from carbonledger.factors import load_factors

CO2_PER_C = 44.0 / 12.0


@pytest.fixture(scope="module")
def lib():
    return load_factors()


def _rows(index=None, **columns) -> pd.DataFrame:
    n = max(len(v) for v in columns.values() if isinstance(v, list))
    columns.setdefault("year", [2020] * n)
    return pd.DataFrame(columns, index=index or [f"r{i}" for i in range(n)])


# --------------------------------------------------------------------------- kernels
def test_forest_carbon_equation_2_8():
    """Eq. 2.8: C = V x D x BEF x (1 + R) x CF; 1000 m3 x 0.45 t/m3 x 1.3 x (1 + 0.29) x 0.47
    (CF of Table 4.3) = 354.68 t C."""
    carbon = land.forest_carbon_t(1000.0, bcef_t_per_m3=0.45 * 1.3, root_shoot=0.29,
                                  carbon_fraction=0.47)
    assert float(carbon) == pytest.approx(1000 * 0.45 * 1.3 * 1.29 * 0.47)


def test_stock_difference_sign_and_inverse():
    """Eq. 2.8: a growing stock is a removal (negative CO2), a shrinking one a source, equal
    stocks nothing; spreading the change over 2 years halves the annual flux."""
    assert float(land.stock_difference_co2(100.0, 110.0)) == pytest.approx(-10 * CO2_PER_C)
    assert float(land.stock_difference_co2(110.0, 100.0)) == pytest.approx(10 * CO2_PER_C)
    assert float(land.stock_difference_co2(100.0, 100.0)) == 0.0
    assert float(land.stock_difference_co2(100.0, 110.0, period_years=2)) == pytest.approx(
        -5 * CO2_PER_C)


def test_gain_loss_kernels():
    """Eq. 2.9-2.10 and 2.12: 100 ha x 4 t d.m./ha x (1 + 0.29) x 0.47 = 242.52 t C gain;
    harvest 200 m3 x BCEF 0.75 x 1.29 x 0.47 = 90.95 t C loss; net x 44/12, removal negative."""
    gain = land.biomass_growth_c(100.0, growth_t_dm_per_ha=4.0, root_shoot=0.29,
                                 carbon_fraction=0.47)
    loss = land.wood_loss_c(200.0, bcef_t_per_m3=0.75, root_shoot=0.29, carbon_fraction=0.47)
    assert float(gain) == pytest.approx(242.52)
    assert float(loss) == pytest.approx(200 * 0.75 * 1.29 * 0.47)
    assert float(land.gain_loss_co2(gain, loss)) == pytest.approx(-(242.52 - 90.9450) * CO2_PER_C)


def test_soil_kernels_equation_2_25():
    """Eq. 2.25 with Table 2.3 SOCref 38 t C/ha (warm temperate dry, HAC soil) and Table 5.5
    F_LU 0.80 (long-term cultivated, dry): SOC 30.4 t C/ha; 100 ha lose (38 - 30.4) / 20 =
    0.38 t C/ha/yr = 38 t C per year."""
    soc_crop = lc.soc_stock(38.0, f_lu=0.80)
    assert float(soc_crop) == pytest.approx(30.4)
    assert float(lc.soil_change_c(100.0, soc_before_t_per_ha=38.0,
                                  soc_after_t_per_ha=soc_crop)) == pytest.approx(-38.0)


def test_transition_window_20_years():
    """A converted hectare contributes for 20 years (t-19..t), then drops out."""
    totals = lc.transition_area_sum([10.0, 5.0, 0.0, 0.0], [2000, 2010, 2019, 2020],
                                    [0, 0, 0, 0], window_years=20)
    assert totals.tolist() == [10.0, 15.0, 15.0, 5.0]


def test_gross_net_split():
    """Gross emissions are the positive rows, gross removals the negative ones, net their sum."""
    table = pd.DataFrame({"category": ["3.B.1.a", "3.B.2.b", "3.B.1.a"],
                          "emissions_t": [-100.0, 40.0, -10.0]})
    total = land.gross_net(table).iloc[0]
    assert (total["gross_emissions_t"], total["gross_removals_t"], total["net_t"]) == (
        40.0, -110.0, -70.0)
    by = land.gross_net(table, by="category").set_index("category")
    assert by.loc["3.B.1.a", "gross_removals_t"] == -110.0
    assert by.loc["3.B.2.b", "gross_emissions_t"] == 40.0


# --------------------------------------------------------------------------- forest
def test_forest_stock_consecutive_years(lib):
    """Stock-difference on a temperate pine series (Table 4.5 BCEF_S 0.75 t/m3 for 41-100
    m3/ha, Table 4.4 R 0.29, Table 4.3 CF 0.47): +50 000 m3 in 2020 is
    -(50 000 x 0.75 x 1.29 x 0.47) x 44/12 = -83 366.25 t CO2; the first year is the baseline
    (0); a series in another region is paired only with itself; a 2-year gap is annualised."""
    rows = _rows(
        index=["a2019", "a2020", "a2022", "b2020"],
        year=[2019, 2020, 2022, 2020], region=["a", "a", "a", "b"],
        item=["temperate_pine"] * 4, value=[1.00e6, 1.05e6, 1.07e6, 2.0e5])
    out = land.compute_forest_stock(rows, lib).set_index("row")
    per_m3 = 0.75 * 1.29 * 0.47 * CO2_PER_C
    assert out.loc["a2020", "emissions_t"] == pytest.approx(-50_000 * per_m3)
    assert out.loc["a2020", "emissions_t"] == pytest.approx(-83_366.25)
    assert out.loc["a2022", "emissions_t"] == pytest.approx(-10_000 * per_m3)
    assert out.loc["a2019", "emissions_t"] == 0.0
    assert out.loc["b2020", "emissions_t"] == 0.0
    assert out.loc["a2019", "factor_id"].endswith("stock_difference:baseline")
    assert out["category"].eq("3.B.1.a").all() and out["gas"].eq("CO2").all()


def test_forest_stock_start_column_and_measured_factors(lib):
    """stock_m3_start gives the pair directly; measured D and BEF (BCEF = D x BEF) replace the
    default; a falling stock is a source."""
    rows = _rows(item=["spruce_fir"], value=[9000.0], stock_m3_start=[10000.0],
                 wood_density=[0.342], bef=[1.733], root_shoot=[0.224])
    out = land.compute_forest_stock(rows, lib)
    expected = 1000 * 0.342 * 1.733 * 1.224 * 0.47 * CO2_PER_C
    assert out["emissions_t"].iloc[0] == pytest.approx(expected)
    assert out["emissions_t"].iloc[0] > 0


def test_forest_stock_errors(lib):
    rows = _rows(item=["mystery_forest"], value=[100.0], stock_m3_start=[90.0])
    with pytest.raises(ActivityDataError, match=r"unknown forest type.*temperate_pine"):
        land.compute_forest_stock(rows, lib)
    rows = _rows(item=["temperate_pine", "temperate_pine"], value=[100.0, 120.0])
    with pytest.raises(ActivityDataError, match="same series and year"):
        land.compute_forest_stock(rows, lib)
    rows = _rows(item=["temperate_pine"], value=[-1.0])
    with pytest.raises(ActivityDataError, match="stock volume"):
        land.compute_forest_stock(rows, lib)
    rows = _rows(item=["temperate_pine"], value=[10.0], wood_density=[0.4])
    with pytest.raises(ActivityDataError, match="together"):
        land.compute_forest_stock(rows, lib)


def test_forest_growth_gain_loss(lib):
    """Gain-loss (Eq. 2.7, 2.9-2.12): 1000 ha of temperate hardwood growing 5 m3/ha/yr
    (BCEF 1.4, R 0.23, CF 0.47) minus a 1000 m3 harvest."""
    rows = _rows(item=["temperate_hardwood"], value=[1000.0], increment_m3_per_ha=[5.0],
                 harvest_m3=[1000.0])
    out = land.compute_forest_growth(rows, lib)
    gain = 1000 * 5 * 1.4 * 1.23 * 0.47
    loss = 1000 * 1.4 * 1.23 * 0.47
    assert out["emissions_t"].iloc[0] == pytest.approx(-(gain - loss) * CO2_PER_C)
    doubled = land.compute_forest_growth(rows.assign(value=2000.0, harvest_m3=2000.0), lib)
    assert doubled["emissions_t"].iloc[0] == pytest.approx(2 * out["emissions_t"].iloc[0])


def test_afforestation_is_a_removal(lib):
    """New forest: 10 000 mu = 666.67 ha (the core converts mu) growing 4 t d.m./ha/yr
    (temperate pine R 0.29, CF 0.47) removes 666.67 x 4 x 1.29 x 0.47 x 44/12 t CO2."""
    rows = _rows(item=["temperate_pine"], value=[10_000 / 15], growth_t_dm_per_ha=[4.0])
    out = land.compute_afforestation(rows, lib)
    assert out["category"].iloc[0] == "3.B.1.b"
    assert out["emissions_t"].iloc[0] == pytest.approx(-(10_000 / 15) * 4 * 1.29 * 0.47 * CO2_PER_C)
    assert out["emissions_t"].iloc[0] < 0
    zero = land.compute_afforestation(rows.assign(value=0.0), lib)
    assert zero["emissions_t"].iloc[0] == 0.0
    with pytest.raises(ActivityDataError, match="growth rate"):
        land.compute_afforestation(_rows(item=["temperate_pine"], value=[1.0]), lib)


# --------------------------------------------------------------------------- conversion
def test_forest_to_cropland_is_a_source(lib):
    """100 ha of forest (warm temperate dry) cleared for cropland. Biomass (Eq. 2.16): forest
    120 t d.m./ha (Table 4.7) x (1 + 0.29) (Table 4.4) x 0.47 = 72.756 t C/ha lost, cropland
    5 t C/ha (Table 5.9) gained. Soil (Eq. 2.25): SOCref 38 (Table 2.3) x F_LU 0.80 (Table 5.5)
    -> loss of 7.6 t C/ha over 20 years, 0.38 t C/ha in this year.
    CO2 = -(100 x (5 - 72.756) - 38) x 44/12 = +24 983.2 t."""
    rows = _rows(item=["forest_to_cropland"], value=[100.0], climate_zone=["warm_temperate_dry"])
    out = lc.compute_conversion(rows, lib)
    assert out["category"].iloc[0] == "3.B.2.b"
    assert out["emissions_t"].iloc[0] == pytest.approx(24_983.2)
    assert out["emissions_t"].iloc[0] > 0


def test_conversion_columns_categories_and_grassland(lib):
    """from_class/to_class work like the item; grassland biomass 6.1 t d.m./ha (Table 6.4,
    warm temperate dry) x 0.47 is lost on conversion to settlements (3.B.5.b), whose soil
    change is not estimated."""
    rows = _rows(item=["x", "y"], from_class=["grassland", "cropland"],
                 to_class=["settlements", "grassland"], value=[100.0, 100.0],
                 climate_zone=["warm_temperate_dry"] * 2)
    out = lc.compute_conversion(rows, lib).set_index("row")
    assert out.loc["r0", "category"] == "3.B.5.b"
    assert out.loc["r0", "emissions_t"] == pytest.approx(100 * 6.1 * 0.47 * CO2_PER_C)
    assert "soil:not_estimated" in out.loc["r0", "factor_id"]
    assert out.loc["r1", "category"] == "3.B.3.b"
    soil_gain = 100 * (38 - 30.4) / 20
    biomass = 100 * (6.1 * 0.47 - 5.0)
    assert out.loc["r1", "emissions_t"] == pytest.approx(-(biomass + soil_gain) * CO2_PER_C)


def test_conversion_soil_keeps_contributing_for_20_years(lib):
    """A 2000 conversion of 100 ha forest to cropland still loses 0.38 t C/ha/yr of soil in
    2010 (a zero-area row carries the inventory year) and nothing in 2020."""
    rows = _rows(item=["forest_to_cropland"] * 3, year=[2000, 2010, 2020], value=[100.0, 0.0, 0.0],
                 climate_zone=["warm_temperate_dry"] * 3)
    out = lc.compute_conversion(rows, lib)["emissions_t"].to_numpy()
    assert out[1] == pytest.approx(38.0 * CO2_PER_C)
    assert out[2] == 0.0


def test_conversion_errors(lib):
    rows = _rows(item=["forest_to_moon"], value=[1.0], climate_zone=["warm_temperate_dry"])
    with pytest.raises(ActivityDataError, match=r"unknown conversion 'forest_to_moon'.*forest_to_cropland"):
        lc.compute_conversion(rows, lib)
    rows = _rows(item=["forest_to_cropland"], value=[-5.0], climate_zone=["warm_temperate_dry"])
    with pytest.raises(ActivityDataError, match="non-negative"):
        lc.compute_conversion(rows, lib)
    rows = _rows(item=["forest_to_cropland"], value=[5.0], climate_zone=["lunar"])
    with pytest.raises(ActivityDataError, match="climate_zone"):
        lc.compute_conversion(rows, lib)
    rows = _rows(item=["forest_to_cropland"], value=[5.0], climate_zone=["tropical_moist"])
    with pytest.raises(ActivityDataError, match="biomass_c_before_t_per_ha"):
        lc.compute_conversion(rows, lib)


def test_cropland_management_straw_return_and_manure(lib):
    """Table 5.5 (temperate moist): residue removal (F_I low 0.92) -> straw return (medium 1.00)
    on 1000 ha, SOCref 88 (Table 2.3 warm temperate moist, HAC), F_LU 0.69:
    1000 x 88 x 0.69 x (1.00 - 0.92) / 20 = 242.88 t C/yr = -890.56 t CO2.
    Straw return -> organic fertiliser (high input with manure 1.44) gains more."""
    rows = _rows(item=["cropland", "cropland"], value=[1000.0, 1000.0],
                 from_management=["residue_removed", "straw_return"],
                 to_management=["straw_return", "organic_fertiliser"],
                 climate_zone=["warm_temperate_moist"] * 2)
    out = lc.compute_cropland_management(rows, lib)["emissions_t"].to_numpy()
    assert out[0] == pytest.approx(-1000 * 88 * 0.69 * 0.08 / 20 * CO2_PER_C)
    assert out[0] == pytest.approx(-890.56)
    assert out[1] == pytest.approx(-1000 * 88 * 0.69 * 0.44 / 20 * CO2_PER_C)
    back = lc.compute_cropland_management(
        rows.assign(from_management=["straw_return"] * 2, to_management=["residue_removed"] * 2),
        lib)["emissions_t"].to_numpy()
    assert back[0] == pytest.approx(-out[0])


def test_cropland_management_reduced_tillage_and_errors(lib):
    """Reduced tillage F_MG 1.02 (Table 5.5, temperate dry) on SOCref 38 x F_LU 0.80."""
    rows = _rows(item=["cropland"], value=[100.0], from_management=["straw_return"],
                 to_management=["reduced_tillage"], climate_zone=["cool_temperate_dry"])
    out = lc.compute_cropland_management(rows.assign(climate_zone="warm_temperate_dry"), lib)
    assert out["emissions_t"].iloc[0] == pytest.approx(-100 * 38 * 0.80 * 0.02 / 20 * CO2_PER_C)
    with pytest.raises(ActivityDataError, match=r"unknown to_management 'magic'.*no_till"):
        lc.compute_cropland_management(rows.assign(to_management="magic"), lib)


def test_grassland_degradation_is_a_source(lib):
    """Table 6.2: severely degraded grassland F_MG 0.70; 1000 ha (cool temperate dry, SOCref 50)
    degrading: 1000 x 50 x (0.70 - 1) / 20 = -750 t C/yr -> +2750 t CO2; restoring it removes."""
    rows = _rows(item=["grassland"], value=[1000.0], from_management=["nominally_managed"],
                 to_management=["severely_degraded"], climate_zone=["cool_temperate_dry"])
    out = lc.compute_grassland_management(rows, lib)
    assert out["category"].iloc[0] == "3.B.3.a"
    assert out["emissions_t"].iloc[0] == pytest.approx(2750.0)
    restored = lc.compute_grassland_management(
        rows.assign(from_management="severely_degraded", to_management="nominally_managed"), lib)
    assert restored["emissions_t"].iloc[0] == pytest.approx(-2750.0)


def test_lulucf_kinds_registered():
    from carbonledger.kinds import activity_kinds

    kinds = activity_kinds()
    for name in ("forest_stock", "forest_growth", "afforestation", "land_conversion",
                 "cropland_management", "grassland_management"):
        assert kinds.loc[name, "sector"] == "lulucf"
    assert kinds.loc["forest_stock", "unit"] == "m3"
    assert np.all(kinds.loc[["afforestation", "land_conversion"], "unit"] == "ha")


def test_inventory_end_to_end_sinks_and_sources(lib):
    """Through compute_inventory: stock volume in wan_m3 (100 -> 105 x 10^4 m3 of temperate
    pine, -83 366.25 t CO2 as above), 1 wan_mu of new forest (666.67 ha) and 100 ha of forest
    cleared for cropland (+24 983.2 t CO2); gross_net splits them."""
    from carbonledger.inventory import compute_inventory

    activity = pd.DataFrame([
        dict(year=2020, sector="forestry", activity="forest_stock", item="temperate_pine",
             value=100.0, unit="wan_m3"),
        dict(year=2021, sector="forestry", activity="forest_stock", item="temperate_pine",
             value=105.0, unit="wan_m3"),
        dict(year=2021, sector="forestry", activity="afforestation", item="temperate_pine",
             value=1.0, unit="wan_mu", growth_t_dm_per_ha=4.0),
        dict(year=2021, sector="forestry", activity="land_conversion",
             item="forest_to_cropland", value=100.0, unit="ha",
             climate_zone="warm_temperate_dry"),
    ])
    table = compute_inventory(activity, factors=lib).table
    split = land.gross_net(table[table["year"] == 2021]).iloc[0]
    afforestation = -(10_000 / 15) * 4 * 1.29 * 0.47 * CO2_PER_C
    assert split["gross_emissions_t"] == pytest.approx(24_983.2)
    assert split["gross_removals_t"] == pytest.approx(-83_366.25 + afforestation)
    assert split["net_t"] == pytest.approx(24_983.2 - 83_366.25 + afforestation)


def test_categorical_parameter_columns(lib):
    """The core hands string columns over as pandas categoricals; missing soil_type falls back
    to high-activity clay and the result equals the plain-string one."""
    plain = _rows(item=["forest_to_cropland"] * 2, value=[100.0, 50.0],
                  climate_zone=["warm_temperate_dry"] * 2, soil_type=["high_activity_clay", None])
    categorical = plain.assign(item=pd.Categorical(plain["item"]),
                               climate_zone=pd.Categorical(plain["climate_zone"]),
                               soil_type=pd.Categorical(plain["soil_type"]))
    a = lc.compute_conversion(plain, lib)["emissions_t"].to_numpy()
    b = lc.compute_conversion(categorical, lib)["emissions_t"].to_numpy()
    assert np.allclose(a, b) and a[1] == pytest.approx(a[0] / 2)


def test_conversion_batch_equals_row_by_row(lib):
    """Land classes, soil types and factor ids are resolved per distinct combination (items
    split once per category): every conversion of a mixed batch, each in its own region so no
    soil transition is shared, gets the emissions and factor ids it gets when computed alone,
    with plain or categorical columns."""
    items = ["cropland_to_forest", "forest_to_cropland", "grassland_to_cropland",
             "cropland_to_settlements", "forest_to_grassland", "cropland_to_grassland"]
    zones = ["warm_temperate_dry", "cool_temperate_moist", "warm_temperate_moist"]
    n = 18
    rows = _rows(item=[items[i % 6] for i in range(n)], value=[10.0 + i for i in range(n)],
                 climate_zone=[zones[i % 3] for i in range(n)],
                 region=[f"r{i}" for i in range(n)],
                 soil_type=[("sandy", None, "volcanic")[i % 3] for i in range(n)],
                 soc_after_t_per_ha=[40.0 if i % 4 == 0 else np.nan for i in range(n)])
    categorical = rows.assign(**{c: pd.Categorical(rows[c]) for c in
                                 ("item", "climate_zone", "region", "soil_type")})
    for frame in (rows, categorical):
        batch = lc.compute_conversion(frame, lib).set_index("row")
        for label in frame.index:
            alone = lc.compute_conversion(frame.loc[[label]], lib).iloc[0]
            assert batch.loc[label, "emissions_t"] == pytest.approx(alone["emissions_t"],
                                                                   rel=1e-12)
            assert batch.loc[label, "factor_id"] == alone["factor_id"]
            assert batch.loc[label, "category"] == alone["category"]


def test_forest_stock_row_order_does_not_matter(lib):
    """Series (region, facility, forest type) are paired by codes, not by text per row: the
    stock-difference result of every row is the same when the rows come shuffled."""
    years = list(range(2015, 2021))
    rows = _rows(item=[t for t in ("temperate_pine", "temperate_hardwood") for _ in years * 2],
                 region=[r for _ in range(2) for r in ("a", "b") for _ in years],
                 year=years * 4, value=[1e5 * (1 + 0.01 * i) for i in range(24)])
    ordered = land.compute_forest_stock(rows, lib).set_index("row")["emissions_t"]
    shuffled = rows.sample(frac=1.0, random_state=3)
    other = land.compute_forest_stock(shuffled, lib).set_index("row")["emissions_t"]
    assert (ordered == 0.0).sum() == 4  # one baseline year per series
    assert other[ordered.index].tolist() == pytest.approx(ordered.tolist(), rel=1e-12)
