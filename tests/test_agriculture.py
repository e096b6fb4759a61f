"""Agriculture engine: livestock, rice, managed soils, liming and urea (IPCC 2006 Vol. 4).

Hand-worked numbers cite the IPCC 2006 table or equation they come from; the factor values
themselves are in factors/ipcc2006/*/agriculture_*.csv with their provenance.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from carbonledger.engines import agriculture as ag
from carbonledger.engines import agriculture_rice as rice
from carbonledger.engines import agriculture_soils as soils
from carbonledger.errors import ActivityDataError, FactorFallbackWarning
from carbonledger.factors import load_factors
from carbonledger.kinds import get_kind

N2O_PER_N = 44.0 / 28.0


@pytest.fixture(scope="module")
def lib():
    return load_factors()


def _rows(**columns) -> pd.DataFrame:
    n = max(len(v) for v in columns.values() if isinstance(v, list))
    columns.setdefault("year", [2020] * n)
    return pd.DataFrame(columns, index=[f"r{i}" for i in range(n)])


def _by(result: pd.DataFrame, category: str, gas: str) -> pd.Series:
    sub = result[(result["category"] == category) & (result["gas"] == gas)]
    return sub.set_index("row")["emissions_t"]


# --------------------------------------------------------------------------- kernels
def test_enteric_kernel_dairy_cattle_asia():
    """IPCC 2006 Vol. 4 Table 10.11, Asia dairy cattle 68 kg CH4/head/yr; Eq. 10.19:
    1000 head x 68 kg = 68 t CH4."""
    assert float(ag.enteric_ch4(1000.0, ef_kg_per_head=68.0)) == pytest.approx(68.0)


def test_enteric_tier2_equation_10_21():
    """Eq. 10.21: EF = GE x (Ym/100) x 365 / 55.65; GE 200 MJ/day, Ym 6.5 % (Table 10.12)
    -> 200 x 0.065 x 365 / 55.65 = 85.265 kg CH4/head/yr."""
    ef = float(ag.enteric_ef_tier2(200.0, ym_pct=6.5))
    assert ef == pytest.approx(200 * 0.065 * 365 / 55.65)
    assert ef == pytest.approx(85.265, abs=1e-3)


def test_enteric_kernel_zero_and_doubling():
    """Inverse checks of Eq. 10.19: no animals, no methane; twice the head, twice the CH4."""
    assert float(ag.enteric_ch4(0.0, ef_kg_per_head=47.0)) == 0.0
    one = ag.enteric_ch4(np.array([321.0]), ef_kg_per_head=47.0)
    two = ag.enteric_ch4(np.array([642.0]), ef_kg_per_head=47.0)
    assert two[0] == pytest.approx(2 * one[0])


def test_rice_kernel_single_aeration():
    """Eq. 5.1-5.2 with Table 5.11 EF_c 1.30 kg CH4/ha/day, Table 5.12 SF_w 0.60 (intermittently
    flooded, single aeration), Table 5.13 SF_p 1.00 (non-flooded pre-season <180 d):
    1000 ha x 120 d x 1.30 x 0.60 x 1.00 = 93 600 kg = 93.6 t CH4."""
    ch4 = rice.rice_ch4(1000.0, 120.0, ef_c_kg_per_ha_day=1.30, sf_w=0.60, sf_p=1.00)
    assert float(ch4) == pytest.approx(93.6)


def test_rice_sf_o_equation_5_3():
    """Eq. 5.3: SF_o = (1 + sum ROA x CFOA)^0.59; 6 t/ha straw incorporated >30 days before
    cultivation (Table 5.14 CFOA 0.29) -> (1 + 1.74)^0.59 = 1.8125; no amendment -> 1."""
    sf = rice.rice_sf_o([[6.0, 0.0], [0.0, 0.0]], cfoa=[0.29, 1.0])
    assert sf[0] == pytest.approx(2.74 ** 0.59)
    assert sf[0] == pytest.approx(1.8125, abs=1e-4)
    assert sf[1] == 1.0


def test_n_excretion_equation_10_30():
    """Eq. 10.30 with Table 10.19 (Asia dairy cattle 0.47 kg N/1000 kg/day) and TAM 350 kg:
    0.47 x 350 / 1000 x 365 = 60.0425 kg N/head/yr."""
    assert float(ag.n_excretion(0.47, 350.0)) == pytest.approx(60.0425)


def test_manure_direct_n2o_equation_10_25():
    """Eq. 10.25 with Table 10.21 EF3: 1000 head x 60 kg N x (0.5 solid storage x 0.005 +
    0.5 daily spread x 0) x 44/28 = 235.71 kg N2O."""
    n2o = ag.manure_n2o_direct([1000.0], nex_kg_per_head=60.0, ms_share=[[0.5, 0.5]],
                               ef3=[0.005, 0.0])
    assert n2o[0] == pytest.approx(1000 * 60 * 0.5 * 0.005 * N2O_PER_N / 1e3)


def test_soil_kernels_1000_t_n():
    """Eq. 11.1, 11.9, 11.10 with Table 11.1/11.3 defaults for 1000 t synthetic N:
    direct 1e6 kg x 0.01 x 44/28 = 15.714 t; volatilisation 1e6 x 0.10 x 0.01 x 44/28 = 1.571 t;
    leaching 1e6 x 0.30 x 0.0075 x 44/28 = 3.536 t N2O."""
    assert float(soils.direct_n2o(1e6, ef1=0.01)) == pytest.approx(15.7142857)
    assert float(soils.indirect_n2o_volatilisation(1e6, frac_gas=0.10, ef4=0.01)) == pytest.approx(
        1.5714286)
    assert float(soils.indirect_n2o_leaching(1e6, frac_leach=0.30, ef5=0.0075)) == pytest.approx(
        3.5357143)


def test_managed_soils_eq_11_1_adds_prp_and_organic_soils():
    """Eq. 11.1: (F_SN x EF1 + F_OS x EF2 + F_PRP,CPP x EF3PRP,CPP) x 44/28 with Table 11.1
    defaults 0.01, 8 kg/ha (temperate), 0.02: 1e6 x 0.01 + 100 ha x 8 + 1e5 x 0.02
    = 12 800 kg N2O-N = 20.114 t N2O."""
    n2o = soils.managed_soils_n2o_direct(f_sn_kg=1e6, f_os_ha=100.0, f_prp_cpp_kg=1e5)
    assert float(n2o) == pytest.approx(12_800 * N2O_PER_N / 1e3)


def test_carbonate_kernel_liming_and_urea():
    """Eq. 11.12-11.13: 100 t limestone x 0.12 x 44/12 = 44 t CO2; 100 t dolomite x 0.13 x
    44/12 = 47.667 t; 100 t urea x 0.20 x 44/12 = 73.333 t."""
    assert float(soils.carbonate_co2(100.0, ef_t_c_per_t=0.12)) == pytest.approx(44.0)
    assert float(soils.carbonate_co2(100.0, ef_t_c_per_t=0.13)) == pytest.approx(47.6666667)
    assert float(soils.carbonate_co2(100.0, ef_t_c_per_t=0.20)) == pytest.approx(73.3333333)


# --------------------------------------------------------------------------- computes
def test_compute_enteric_tier1_defaults(lib):
    """Table 10.11 (Asia) and 10.10 (developing): 1000 dairy cattle -> 68 t; 1000 other
    cattle -> 47 t; 1000 sheep -> 5 t; 1000 swine -> 1 t; 100 camels -> 4.6 t CH4."""
    rows = _rows(item=["dairy_cattle", "other_cattle", "sheep", "swine", "camels"],
                 value=[1000.0, 1000.0, 1000.0, 1000.0, 100.0])
    out = ag.compute_enteric(rows, lib)
    assert out["category"].eq("3.A.1").all() and out["gas"].eq("CH4").all()
    assert out["emissions_t"].tolist() == pytest.approx([68.0, 47.0, 5.0, 1.0, 4.6])
    assert out["factor_id"].iloc[0] == "ipcc2006/2006:agriculture_livestock:dairy_cattle|ef_enteric_ch4"


def test_compute_enteric_tier2_and_measured(lib):
    """A measured EF replaces the default (factor id measured:...); GE with the Table 10.12 Ym
    of 6.5 % follows Eq. 10.21."""
    rows = _rows(item=["dairy_cattle", "dairy_cattle"], value=[100.0, 100.0],
                 ef_kg_per_head=[90.0, np.nan], ge_mj_per_day=[np.nan, 200.0])
    out = ag.compute_enteric(rows, lib).set_index("row")
    assert out.loc["r0", "emissions_t"] == pytest.approx(9.0)
    assert out.loc["r0", "factor_id"] == "measured:ef_kg_per_head"
    assert out.loc["r1", "emissions_t"] == pytest.approx(100 * 200 * 0.065 * 365 / 55.65 / 1e3)


def test_compute_enteric_unknown_animal_names_row_and_valid_ids(lib):
    rows = _rows(item=["dairy_cattle", "yak"], value=[10.0, 10.0])
    with pytest.raises(ActivityDataError, match=r"unknown animal 'yak'.*row r1") as info:
        ag.compute_enteric(rows, lib)
    assert info.value.rows == ["r1"]
    assert "dairy_cattle" in str(info.value) and "mules_asses" in str(info.value)


def test_compute_enteric_negative_head(lib):
    rows = _rows(item=["sheep"], value=[-5.0])
    with pytest.raises(ActivityDataError, match="non-negative.*row r0"):
        ag.compute_enteric(rows, lib)


def test_compute_manure_ch4_by_temperature(lib):
    """Table 10.14 (Asia): dairy cattle at 20 degC 18 kg, swine at 25 degC 6 kg; Table 10.15
    (developing): sheep in a cool climate (<15 degC) 0.10 kg CH4/head/yr."""
    rows = _rows(item=["dairy_cattle", "swine", "sheep"], value=[1000.0, 1000.0, 1000.0],
                 avg_temp_c=[20.0, 25.0, 12.0])
    ch4 = _by(ag.compute_manure(rows, lib), "3.A.2", "CH4")
    assert ch4.tolist() == pytest.approx([18.0, 6.0, 0.10])


def test_compute_manure_n2o_hand_worked(lib):
    """1000 dairy cattle (Asia), 60 % solid storage, 40 % daily spread:
    Nex = 0.47 x 350 / 1000 x 365 = 60.0425 kg N (Eq. 10.30, Table 10.19);
    direct = 1000 x 60.0425 x (0.6 x 0.005 + 0.4 x 0) x 44/28 (Eq. 10.25, Table 10.21);
    indirect = 1000 x 60.0425 x (0.6 x 0.30 + 0.4 x 0.07) x 0.01 x 44/28 (Eq. 10.26-10.27,
    Table 10.22 dairy Frac_GasMS, Table 11.3 EF4)."""
    rows = _rows(item=["dairy_cattle"], value=[1000.0], avg_temp_c=[15.0],
                 ms_solid_storage=[0.6], ms_daily_spread=[0.4])
    out = ag.compute_manure(rows, lib)
    nex = 0.47 * 350 / 1000 * 365
    assert _by(out, "3.A.2", "N2O")["r0"] == pytest.approx(1000 * nex * 0.003 * N2O_PER_N / 1e3)
    indirect = 1000 * nex * (0.6 * 0.30 + 0.4 * 0.07) * 0.01 * N2O_PER_N / 1e3
    assert _by(out, "3.C.6", "N2O")["r0"] == pytest.approx(indirect)
    assert _by(out, "3.A.2", "CH4")["r0"] == pytest.approx(13.0)  # Table 10.14 Asia, 15 degC


def test_compute_manure_pasture_goes_to_managed_soils(lib):
    """N on pasture: EF3PRP 0.01 for sheep (Table 11.1) to 3.C.4; Frac_GASM 0.20 x EF4 0.01 +
    Frac_LEACH 0.30 x EF5 0.0075 to 3.C.5. Sheep Nex = 1.17 x 28 / 1000 x 365 (Table 10.19,
    TAM 28 kg)."""
    rows = _rows(item=["sheep"], value=[1000.0], avg_temp_c=[10.0], ms_pasture=[1.0])
    out = ag.compute_manure(rows, lib)
    n_kg = 1000 * 1.17 * 28 / 1000 * 365
    assert _by(out, "3.C.4", "N2O")["r0"] == pytest.approx(n_kg * 0.01 * N2O_PER_N / 1e3)
    assert _by(out, "3.C.5", "N2O")["r0"] == pytest.approx(
        n_kg * (0.20 * 0.01 + 0.30 * 0.0075) * N2O_PER_N / 1e3)
    assert _by(out, "3.A.2", "N2O")["r0"] == 0.0


def test_compute_manure_share_outside_0_1(lib):
    rows = _rows(item=["swine", "swine"], value=[10.0, 10.0], avg_temp_c=[20.0, 20.0],
                 ms_solid_storage=[0.5, 1.2])
    with pytest.raises(ActivityDataError, match=r"ms_solid_storage must lie between 0 and 1.*row r1"):
        ag.compute_manure(rows, lib)


def test_compute_manure_shares_sum_over_one(lib):
    rows = _rows(item=["swine"], value=[10.0], avg_temp_c=[20.0], ms_solid_storage=[0.7],
                 ms_pit_storage=[0.6])
    with pytest.raises(ActivityDataError, match="add up to more than 1"):
        ag.compute_manure(rows, lib)


def test_compute_manure_missing_temperature(lib):
    rows = _rows(item=["swine"], value=[10.0], avg_temp_c=[np.nan])
    with pytest.raises(ActivityDataError, match="avg_temp_c"):
        ag.compute_manure(rows, lib)


def test_compute_manure_no_frac_gas_default_asks_for_column(lib):
    """Table 10.22 has no Frac_GasMS for sheep manure in liquid slurry: the row is named and a
    measured frac_gas_ms fixes it."""
    rows = _rows(item=["sheep"], value=[10.0], avg_temp_c=[20.0], ms_liquid_slurry_crust=[1.0])
    with pytest.raises(ActivityDataError, match="frac_gas_ms"):
        ag.compute_manure(rows, lib)
    out = ag.compute_manure(rows.assign(frac_gas_ms=0.3), lib)
    assert _by(out, "3.C.6", "N2O")["r0"] > 0


def test_compute_rice_single_aeration(lib):
    """Same hand-worked case as the kernel, through the factor library (Tables 5.11-5.13)."""
    rows = _rows(item=["single_aeration"], value=[1000.0], cultivation_days=[120.0])
    out = rice.compute_rice(rows, lib)
    assert out["category"].iloc[0] == "3.C.7"
    assert out["emissions_t"].iloc[0] == pytest.approx(93.6)


def test_compute_rice_preseason_amendment_and_zero(lib):
    """Continuously flooded, flooded pre-season (SF_p 1.90), 2 t/ha compost (CFOA 0.05):
    100 ha x 100 d x 1.30 x 1 x 1.90 x (1 + 0.1)^0.59; zero area gives zero; doubling doubles."""
    rows = _rows(item=["continuously_flooded", "continuously_flooded", "continuously_flooded"],
                 value=[100.0, 0.0, 200.0], cultivation_days=[100.0, 100.0, 100.0],
                 preseason=["flooded_preseason"] * 3, roa_compost_t_per_ha=[2.0, 2.0, 2.0])
    out = rice.compute_rice(rows, lib)["emissions_t"].to_numpy()
    expected = 100 * 100 * 1.30 * 1.90 * 1.1 ** 0.59 / 1e3
    assert out[0] == pytest.approx(expected)
    assert out[1] == 0.0
    assert out[2] == pytest.approx(2 * out[0])


def test_compute_rice_unknown_water_regime_and_negative_area(lib):
    rows = _rows(item=["flooded_forever"], value=[10.0], cultivation_days=[100.0])
    with pytest.raises(ActivityDataError, match=r"unknown water regime.*single_aeration"):
        rice.compute_rice(rows, lib)
    rows = _rows(item=["upland"], value=[-10.0], cultivation_days=[100.0])
    with pytest.raises(ActivityDataError, match="harvested area"):
        rice.compute_rice(rows, lib)


def test_fertiliser_reduction_flows_to_n2o(lib):
    """Seed 002/004 lever 'nitrogen fertiliser -10 %': 1000 t N -> 900 t N lowers direct N2O
    (Eq. 11.1, EF1 0.01) and indirect N2O (Eq. 11.9-11.10) by exactly 10 %."""
    compute = get_kind("synthetic_fertiliser").compute
    base = compute(_rows(item=["n"], value=[1000.0]), lib)
    cut = compute(_rows(item=["n"], value=[900.0]), lib)
    assert _by(base, "3.C.4", "N2O")["r0"] == pytest.approx(1e6 * 0.01 * N2O_PER_N / 1e3)
    assert _by(base, "3.C.5", "N2O")["r0"] == pytest.approx(
        1e6 * (0.10 * 0.01 + 0.30 * 0.0075) * N2O_PER_N / 1e3)
    for category in ("3.C.4", "3.C.5"):
        ratio = _by(cut, category, "N2O")["r0"] / _by(base, category, "N2O")["r0"]
        assert ratio == pytest.approx(0.9)


def test_organic_fertiliser_and_residue_fractions(lib):
    """Organic N volatilises with Frac_GASM 0.20; crop residue N does not volatilise (Eq. 11.9)
    but leaches (Eq. 11.10)."""
    organic = get_kind("organic_fertiliser").compute(_rows(item=["manure"], value=[100.0]), lib)
    residue = get_kind("crop_residue").compute(_rows(item=["straw"], value=[100.0]), lib)
    assert _by(organic, "3.C.5", "N2O")["r0"] == pytest.approx(
        1e5 * (0.20 * 0.01 + 0.30 * 0.0075) * N2O_PER_N / 1e3)
    assert _by(residue, "3.C.5", "N2O")["r0"] == pytest.approx(1e5 * 0.30 * 0.0075 * N2O_PER_N / 1e3)


def test_flooded_rice_share_uses_ef1fr(lib):
    """Table 11.1 EF1FR 0.003: N applied to flooded rice emits 0.3 % instead of 1 %."""
    out = get_kind("synthetic_fertiliser").compute(
        _rows(item=["n"], value=[100.0], share_flooded_rice=[1.0]), lib)
    assert _by(out, "3.C.4", "N2O")["r0"] == pytest.approx(1e5 * 0.003 * N2O_PER_N / 1e3)
    with pytest.raises(ActivityDataError, match="share_flooded_rice"):
        get_kind("synthetic_fertiliser").compute(
            _rows(item=["n"], value=[100.0], share_flooded_rice=[1.5]), lib)


def test_2019_refinement_is_a_separate_labelled_edition():
    """2019R Table 11.1/11.3: EF1 aggregated 0.010, Frac_LEACH 0.24, EF5 0.011 (vs 0.30 and
    0.0075 in 2006); preferring the 2019R edition changes the indirect N2O and every factor id
    says which edition it came from."""
    lib19 = load_factors(prefer=["ipcc2006/2019r"])
    out = get_kind("synthetic_fertiliser").compute(_rows(item=["n"], value=[1000.0]), lib19)
    assert _by(out, "3.C.5", "N2O")["r0"] == pytest.approx(
        1e6 * (0.11 * 0.010 + 0.24 * 0.011) * N2O_PER_N / 1e3)
    assert all("ipcc2006/2019r" in fid and "ipcc2006/2006" not in fid for fid in out["factor_id"])


def test_mixed_editions_warn(lib):
    """Manure needs livestock factors that only the 2006 edition carries; with 2019R preferred
    the EF4 comes from 2019R, and the mix is announced."""
    lib19 = load_factors(prefer=["ipcc2006/2019r"])
    rows = _rows(item=["dairy_cattle"], value=[10.0], avg_temp_c=[20.0], ms_solid_storage=[1.0])
    with pytest.warns(FactorFallbackWarning, match="several sources"):
        ag.compute_manure(rows, lib19)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FactorFallbackWarning)
        ag.compute_manure(rows, lib)


def test_liming_urea_and_organic_soils(lib):
    """Liming 100 t limestone -> 44 t CO2 (3.C.2); urea 100 t -> 73.33 t (3.C.3); 10 ha of
    drained temperate organic soil x EF2 8 kg N2O-N/ha (Table 11.1) -> 0.1257 t N2O."""
    lime = get_kind("liming").compute(_rows(item=["limestone", "dolomite"], value=[100.0, 100.0]), lib)
    assert lime["emissions_t"].tolist() == pytest.approx([44.0, 47.6666667])
    assert lime["category"].eq("3.C.2").all()
    urea = get_kind("urea_application").compute(_rows(item=["urea"], value=[100.0]), lib)
    assert urea["emissions_t"].iloc[0] == pytest.approx(73.3333333)
    assert urea["category"].iloc[0] == "3.C.3"
    histosol = get_kind("organic_soil_cultivation").compute(_rows(item=["histosol"], value=[10.0]), lib)
    assert histosol["emissions_t"].iloc[0] == pytest.approx(10 * 8 * N2O_PER_N / 1e3)
    with pytest.raises(ActivityDataError, match=r"unknown material 'chalk'.*limestone"):
        get_kind("liming").compute(_rows(item=["chalk"], value=[1.0]), lib)


def test_result_columns_and_one_lookup_per_item(lib, monkeypatch):
    """Factors are fetched once per distinct item, not once per row."""
    calls = []
    original = type(lib).get

    def counting(self, parameter, item, **kwargs):
        calls.append((parameter, item))
        return original(self, parameter, item, **kwargs)

    monkeypatch.setattr(type(lib), "get", counting)
    rows = _rows(item=["sheep", "goats"] * 500, value=[1.0] * 1000)
    out = ag.compute_enteric(rows, lib)
    assert list(out.columns) == ["row", "category", "gas", "emissions_t", "factor_id", "scope"]
    assert len(out) == 1000 and out["scope"].eq(1).all()
    assert sorted(calls) == [("ef_enteric_ch4", "goats"), ("ef_enteric_ch4", "sheep")]


def test_inventory_end_to_end_with_chinese_units(lib):
    """Through compute_inventory: rice area in mu (15 000 mu = 1000 ha, Eq. 5.1 case above ->
    93.6 t CH4) and fertiliser in kg N (1e6 kg -> 15.714 t direct N2O, Eq. 11.1)."""
    from carbonledger.inventory import compute_inventory

    activity = pd.DataFrame([
        dict(year=2020, sector="agriculture", activity="rice_cultivation",
             item="single_aeration", value=15_000.0, unit="mu", cultivation_days=120.0),
        dict(year=2020, sector="agriculture", activity="synthetic_fertiliser", item="nitrogen",
             value=1_000_000.0, unit="kg"),
        dict(year=2020, sector="agriculture", activity="enteric_fermentation",
             item="dairy_cattle", value=1000.0, unit="head"),
    ])
    table = compute_inventory(activity, factors=lib).table
    rice_ch4 = table.loc[table["category"] == "3.C.7", "emissions_t"]
    direct = table.loc[table["category"] == "3.C.4", "emissions_t"]
    assert rice_ch4.sum() == pytest.approx(93.6)
    assert direct.sum() == pytest.approx(15.7142857)
    assert table.loc[table["category"] == "3.A.1", "emissions_t"].sum() == pytest.approx(68.0)


def test_categorical_preseason_with_missing_values(lib):
    """A categorical ``preseason`` with a gap uses the Table 5.13 default (<180 d, SF_p 1)."""
    rows = _rows(item=["single_aeration"] * 2, value=[1000.0] * 2, cultivation_days=[120.0] * 2,
                 preseason=pd.Categorical(["non_flooded_long", None]))
    out = rice.compute_rice(rows, lib)["emissions_t"].to_numpy()
    assert out == pytest.approx([93.6 * 0.68, 93.6])


def test_partially_given_override_columns(lib):
    """Override columns given on some rows only (pandas hands float columns out as read-only
    views): row r0 uses its measured Nex of 70 kg N/head, row r1 the Eq. 10.30 default
    0.47 x 350 / 1000 x 365 (Table 10.19); 100 % solid storage, EF3 0.005 (Table 10.21).
    Enteric Tier 2 (Eq. 10.21, GE 200 MJ/day): r0 with its Ym of 6 %, r1 with the Table 10.12
    dairy default of 6.5 %."""
    rows = _rows(item=["dairy_cattle"] * 2, value=[1000.0] * 2, avg_temp_c=[20.0] * 2,
                 ms_solid_storage=[1.0] * 2, nex_kg_per_head=[70.0, np.nan])
    out = ag.compute_manure(rows, lib)
    direct = _by(out, "3.A.2", "N2O")
    nex_default = 0.47 * 350 / 1000 * 365
    assert direct["r0"] == pytest.approx(1000 * 70.0 * 0.005 * N2O_PER_N / 1e3)
    assert direct["r1"] == pytest.approx(1000 * nex_default * 0.005 * N2O_PER_N / 1e3)
    ids = out[(out["category"] == "3.A.2") & (out["gas"] == "N2O")].set_index("row")["factor_id"]
    assert ids["r0"].startswith("measured:nex_kg_per_head+") and "|n_rate+" in ids["r1"]
    enteric = _rows(item=["dairy_cattle"] * 2, value=[100.0] * 2, ge_mj_per_day=[200.0] * 2,
                    ym_pct=[6.0, np.nan])
    ch4 = ag.compute_enteric(enteric, lib)["emissions_t"].to_numpy()
    assert ch4 == pytest.approx([100 * 200 * ym / 100 * 365 / 55.65 / 1e3 for ym in (6.0, 6.5)])


def test_manure_batch_equals_row_by_row(lib):
    """Factor ids are joined once per distinct combination of animal, systems used and
    overrides, not per row: every row of a mixed batch gets exactly the emissions and factor
    ids it gets when computed alone (no row borrows another row's ids)."""
    rng = np.random.default_rng(11)
    animals = ["dairy_cattle", "other_cattle", "swine", "buffalo"]
    systems = ["solid_storage", "daily_spread", "dry_lot", "pit_storage"]
    n = 24
    columns = {f"ms_{s}": np.where(rng.random(n) < 0.5, rng.uniform(0, 0.2, n), np.nan)
               for s in systems}
    rows = _rows(item=[animals[i % 4] for i in range(n)], value=rng.uniform(1, 1e4, n).tolist(),
                 avg_temp_c=rng.uniform(8, 29, n).round(1).tolist(),
                 ms_pasture=np.where(rng.random(n) < 0.5, 0.2, 0.0).tolist(),
                 frac_gas_ms=np.where(np.arange(n) % 5 == 0, 0.3, np.nan).tolist(), **columns)
    allowed = {"dairy_cattle": systems, "other_cattle": ["solid_storage", "dry_lot"],
               "buffalo": ["solid_storage", "dry_lot"], "swine": ["solid_storage", "pit_storage"]}
    for system in systems:  # only pairs with a Table 10.22 Frac_GasMS
        lacking = ~rows["item"].map(lambda a, s=system: s in allowed[a])
        rows.loc[lacking, f"ms_{system}"] = np.nan
    batch = ag.compute_manure(rows, lib)
    assert batch["factor_id"].nunique() > 10
    for label in rows.index:
        alone = ag.compute_manure(rows.loc[[label]], lib)
        mine = batch[batch["row"] == label]
        assert mine["emissions_t"].tolist() == alone["emissions_t"].tolist()
        assert mine["factor_id"].astype(str).tolist() == alone["factor_id"].astype(str).tolist()
        assert mine["category"].astype(str).tolist() == alone["category"].astype(str).tolist()


def test_manure_factor_ids_name_every_factor_used(lib):
    """The hand-worked dairy case above (60 % solid storage, 40 % daily spread): the factor id
    of direct N2O names Nex's two factors (Table 10.19, Eq. 10.30) and the EF3 of both systems
    (Table 10.21), that of indirect N2O the Frac_GasMS of both systems for dairy cattle
    (Table 10.22) and EF4 / EF5 (Table 11.3), systems in MANURE_SYSTEMS order."""
    rows = _rows(item=["dairy_cattle"], value=[1000.0], avg_temp_c=[15.0],
                 ms_solid_storage=[0.6], ms_daily_spread=[0.4])
    out = ag.compute_manure(rows, lib).set_index(["category", "gas"])["factor_id"]
    livestock = "ipcc2006/2006:agriculture_livestock:dairy_cattle"
    systems = "ipcc2006/2006:agriculture_manure_systems"
    nex = f"{livestock}|n_rate+{livestock}|typical_animal_mass"
    assert out[("3.A.2", "CH4")] == f"{livestock}|ef_manure_ch4|15"
    assert out[("3.A.2", "N2O")] == (f"{nex}+{systems}:daily_spread|ef3"
                                     f"+{systems}:solid_storage|ef3")
    assert out[("3.C.6", "N2O")] == (
        f"{nex}+{systems}:daily_spread|frac_gas_ms|dairy_cattle"
        f"+{systems}:solid_storage|frac_gas_ms|dairy_cattle"
        "+ipcc2006/2006:agriculture_soils:managed_soils|ef4"
        "+ipcc2006/2006:agriculture_soils:managed_soils|ef5")
