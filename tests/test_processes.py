"""Industrial process engines (IPCC 2006 Vol. 3 Ch. 2-4 and 8).

Expected numbers are worked by hand from the cited equations and table values. The table values
are those of the factor files ``factors/ipcc2006/2006/ippu_*.csv`` (their sidecars say where each
was read and how sure it is).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from carbonledger.engines import processes
from carbonledger.engines.processes import (
    adipic_acid_n2o,
    aluminium_anode_co2,
    aluminium_pfc_slope,
    aluminium_pfc_tier1,
    ammonia_co2,
    carbide_emissions,
    carbon_balance_co2,
    carbonate_co2,
    cement_co2,
    clinker_ef_from_cao,
    glass_co2,
    hfc23_from_hcfc22,
    lime_co2,
    nitric_acid_n2o,
    production_emissions,
    sf6_bank_leakage,
    sf6_mass_balance,
    soda_ash_co2,
)
from carbonledger.errors import ActivityDataError
from tests.conftest import gas_t, run_kind

KINDS = {kind.name: kind for kind in processes.ACTIVITY_KINDS}
run = functools.partial(run_kind, sector="industry")
gas = gas_t


# --------------------------------------------------------------------------- hand-worked cases


def test_cement_one_megatonne_clinker():
    """Vol. 3 Ch. 2 Eq. 2.4: EF_clc = 0.51 x 1.02 (CKD) = 0.52 t CO2/t clinker.

    1,000,000 t x 0.51 x 1.02 = 520,200 t CO2; the rounded Tier 1 0.52 without a second CKD
    factor gives 520,000 t. (0.52 x 1.02 = 530,400 would count the kiln dust twice.)
    """
    assert float(cement_co2(1_000_000.0)) == pytest.approx(520_200.0)
    assert float(cement_co2(1_000_000.0, ef_t_per_t=0.52, ckd_correction=1.0)) == pytest.approx(
        520_000.0
    )


def test_cement_carbide_slag_share_is_excluded():
    """Clinker CaO from carbide slag (Ca(OH)2) releases no calcination CO2: a 40 % share
    leaves 60 % of 520,200 t = 312,120 t."""
    assert float(cement_co2(1_000_000.0, carbide_slag_fraction=0.4)) == pytest.approx(312_120.0)


def test_clinker_ef_from_cao_reproduces_065():
    """Table 2.4 ratio 0.785 t CO2/t CaO x 65 % CaO = 0.510 t CO2/t clinker (the Eq. 2.4 base)."""
    assert float(clinker_ef_from_cao(0.65)) == pytest.approx(0.51025)


def test_lime_table_2_4():
    """Table 2.4: 1,000 t dolomitic lime x 0.77 = 770 t; high-calcium 0.785 x 0.95 CaO = 0.746
    (printed 0.75)."""
    assert float(lime_co2(1000.0, ef_t_per_t=0.77)) == pytest.approx(770.0)
    assert float(clinker_ef_from_cao(0.95)) == pytest.approx(0.75, abs=0.005)


def test_glass_tier1():
    """Eq. 2.10: 50,000 t glass x 0.20 x (1 - 0.50 cullet) = 5,000 t CO2."""
    assert float(glass_co2(50_000.0)) == pytest.approx(5_000.0)


def test_carbonate_calcite():
    """Table 2.1: 1,000 t CaCO3 x 0.43971 = 439.71 t CO2 at full calcination."""
    assert float(carbonate_co2(1000.0, ef_t_per_t=0.43971)) == pytest.approx(439.71)


@pytest.mark.parametrize(
    ("fuel_gj_per_t", "carbon_kg_per_gj", "table_ef"),
    [(30.2, 15.3, 1.694), (29.7, 15.3, 1.666), (36.0, 21.0, 2.772), (42.5, 21.0, 3.273)],
)
def test_ammonia_reproduces_table_3_1(fuel_gj_per_t, carbon_kg_per_gj, table_ef):
    """Eq. 3.1: FR x CC x 44/12 reproduces the Table 3.1 t CO2/t NH3 to the printed digits."""
    got = float(
        ammonia_co2(1.0, fuel_gj_per_t=fuel_gj_per_t, carbon_content_kg_per_gj=carbon_kg_per_gj)
    )
    assert got == pytest.approx(table_ef, abs=6e-4)  # printed to 3 decimals


def test_ammonia_urea_recovery():
    """Eq. 3.1 less R_urea: 100,000 t NH3 x 1.6942 t/t - 50,000 t urea x 0.733 = 132,768 t."""
    got = float(
        ammonia_co2(
            100_000.0,
            fuel_gj_per_t=30.2,
            carbon_content_kg_per_gj=15.3,
            co2_recovered_t=50_000.0 * 0.733,
        )
    )
    assert got == pytest.approx(169_422.0 - 36_650.0, rel=1e-4)


def test_nitric_acid_high_pressure_with_abatement():
    """Table 3.3 high pressure 9 kg N2O/t: 100,000 t -> 900 t; Eq. 3.6 with DF 0.8 and ASUF 0.5
    -> 900 x (1 - 0.4) = 540 t."""
    assert float(nitric_acid_n2o(100_000.0, ef_kg_per_t=9.0)) == pytest.approx(900.0)
    got = nitric_acid_n2o(
        100_000.0, ef_kg_per_t=9.0, destruction_fraction=0.8, abatement_utilisation=0.5
    )
    assert float(got) == pytest.approx(540.0)


def test_adipic_acid_catalytic_destruction():
    """Table 3.4: 300 kg N2O/t, catalytic DF 0.925 x ASUF 0.89: 1,000 t -> 300 x 0.17675 =
    53.025 t N2O."""
    got = adipic_acid_n2o(1000.0, destruction_fraction=0.925, abatement_utilisation=0.89)
    assert float(got) == pytest.approx(53.025)


def test_calcium_carbide_and_soda_ash():
    """Table 3.8: 10,000 t CaC2 x 1.090 = 10,900 t CO2; trona 0.097 t CO2/t (2 trona -> 3 Na2CO3
    + CO2): 10,000 t -> 970 t."""
    assert float(carbide_emissions(10_000.0, ef_t_per_t=1.090)) == pytest.approx(10_900.0)
    assert float(soda_ash_co2(10_000.0, ef_t_per_t=0.097)) == pytest.approx(970.0)


def test_steel_routes_table_4_1():
    """Table 4.1: 1 Mt BF-BOF steel x 1.46 = 1.46 Mt; 1 Mt EAF x 0.08 = 0.08 Mt; 1 Mt OHF x 1.72."""
    got = production_emissions([1e6, 1e6, 1e6], ef_t_per_t=[1.46, 0.08, 1.72])
    assert got.tolist() == pytest.approx([1.46e6, 0.08e6, 1.72e6])


def test_steel_carbon_balance_eq_4_9():
    """Eq. 4.9 with Table 4.3-style carbon contents: 0.45 t coke (0.83 C) + 1 t pig iron (0.04 C)
    in, 1 t steel (0.01 C) out -> (0.3735 + 0.04 - 0.01) x 44/12 = 1.4795 t CO2."""
    got = carbon_balance_co2([0.45, 1.0], [0.83, 0.04], [1.0], [0.01])
    assert float(got) == pytest.approx(0.4035 * 44 / 12)


def test_aluminium_tier1_cwpb():
    """Table 4.10 prebake 1.6 t CO2/t Al and Table 4.15 CWPB 0.4 kg CF4 / 0.04 kg C2F6 per t Al:
    100,000 t Al -> 160,000 t CO2, 40 t CF4, 4 t C2F6."""
    assert float(aluminium_anode_co2(100_000.0, ef_t_per_t=1.6)) == pytest.approx(160_000.0)
    cf4_t, c2f6_t = aluminium_pfc_tier1(100_000.0, cf4_kg_per_t=0.4, c2f6_kg_per_t=0.04)
    assert (float(cf4_t), float(c2f6_t)) == pytest.approx((40.0, 4.0))


def test_aluminium_slope_method():
    """Eq. 4.26/4.27, Table 4.16 CWPB slope 0.143 and C2F6/CF4 0.121: 100,000 t Al at 0.5
    AE-min/cell-day -> CF4 0.143 x 0.5 x 100,000 kg = 7.15 t; C2F6 7.15 x 0.121 = 0.86515 t."""
    cf4_t, c2f6_t = aluminium_pfc_slope(
        100_000.0, 0.5, slope_cf4_kg_per_t=0.143, c2f6_cf4_ratio=0.121
    )
    assert (float(cf4_t), float(c2f6_t)) == pytest.approx((7.15, 0.86515))


def test_hfc23_and_sf6():
    """Eq. 3.30 Tier 1 0.04 kg HFC-23/kg HCFC-22: 10,000 t -> 400 t. SF6 mass balance (Vol. 3
    Ch. 8): 0.5 decrease + 2.0 bought - 0.3 returned - 1.0 new capacity = 1.2 t."""
    assert float(hfc23_from_hcfc22(10_000.0)) == pytest.approx(400.0)
    got = sf6_mass_balance(2.0, inventory_decrease_t=0.5, disbursed_t=0.3, capacity_increase_t=1.0)
    assert float(got) == pytest.approx(1.2)
    assert float(sf6_bank_leakage(10.0, leak_rate=0.01)) == pytest.approx(0.1)


# --------------------------------------------------------------------------- inverse checks

KERNELS = [
    lambda x: cement_co2(x),
    lambda x: lime_co2(x, ef_t_per_t=0.75),
    lambda x: glass_co2(x),
    lambda x: carbonate_co2(x, ef_t_per_t=0.47732),
    lambda x: ammonia_co2(x, fuel_gj_per_t=30.2, carbon_content_kg_per_gj=15.3),
    lambda x: nitric_acid_n2o(x, ef_kg_per_t=7.0),
    lambda x: adipic_acid_n2o(x),
    lambda x: carbide_emissions(x, ef_t_per_t=2.62),
    lambda x: production_emissions(x, ef_t_per_t=1.46),
    lambda x: aluminium_pfc_tier1(x, cf4_kg_per_t=1.6, c2f6_kg_per_t=0.4)[0],
    lambda x: aluminium_pfc_slope(x, 0.7, slope_cf4_kg_per_t=0.143, c2f6_cf4_ratio=0.121)[1],
    lambda x: hfc23_from_hcfc22(x),
]


@pytest.mark.parametrize("kernel", KERNELS)
def test_zero_gives_zero_and_doubling_doubles(kernel):
    production_t = np.array([0.0, 1234.5, 2469.0])
    out = np.asarray(kernel(production_t))
    assert out[0] == 0.0
    assert out[1] > 0
    assert out[2] == pytest.approx(2 * out[1])


# --------------------------------------------------------------------------- kernel errors


def test_negative_production_names_the_element():
    with pytest.raises(ActivityDataError, match=r"clinker_t .*row 1\b"):
        cement_co2([10.0, -1.0])


@pytest.mark.parametrize("share", [-0.1, 1.2, np.nan])
def test_fraction_outside_0_1_is_refused(share):
    with pytest.raises(ActivityDataError, match="carbide_slag_fraction must lie between 0 and 1"):
        cement_co2(10.0, carbide_slag_fraction=share)


def test_recovery_larger_than_generation_is_refused():
    with pytest.raises(ActivityDataError, match="exceeds the CO2 generated"):
        ammonia_co2(1.0, fuel_gj_per_t=30.2, carbon_content_kg_per_gj=15.3, co2_recovered_t=5.0)


# --------------------------------------------------------------------------- compute with factors


def test_clinker_compute_uses_library_default(lib):
    """The library default reproduces Eq. 2.4: 1 Mt clinker -> 520,200 t CO2, category 2.A.1."""
    out = run("clinker_production", ["clinker"], [1e6], lib)
    assert out["emissions_t"].tolist() == pytest.approx([520_200.0])
    assert out["category"].tolist() == ["2.A.1"]
    assert out["factor_id"].iloc[0] == (
        "ipcc2006/2006:ippu_minerals:clinker|ef + ipcc2006/2006:ippu_minerals:clinker|ckd_correction"
    )


def test_clinker_overrides(lib):
    """cao_content 0.60 x 0.785 x 1.02 x (1 - 0.25) = 0.36032 t/t; ef_t_per_t wins over it."""
    out = run(
        "clinker_production",
        ["clinker", "clinker"],
        [1000.0, 1000.0],
        lib,
        cao_content=[0.60, 0.60],
        carbide_slag_fraction=[0.25, np.nan],
        ef_t_per_t=[np.nan, 0.50],
    )
    assert out["emissions_t"].tolist() == pytest.approx([360.315, 510.0])
    assert out["factor_id"].iloc[0].startswith("measured:cao_content")
    assert out["factor_id"].iloc[1].startswith("measured:ef_t_per_t")


def test_steel_compute_routes_and_ch4(lib):
    """Table 4.1/4.2: 1 Mt each of BF-BOF, EAF, sinter -> CO2 1.46, 0.08, 0.20 Mt; sinter CH4
    0.07 kg/t -> 70 t."""
    out = run("steel_production", ["bf_bof", "eaf", "sinter"], [1e6, 1e6, 1e6], lib)
    assert gas(out, "CO2").tolist() == pytest.approx([1.46e6, 0.08e6, 0.20e6])
    assert gas(out, "CH4").tolist() == pytest.approx([70.0])
    assert set(out["category"]) == {"2.C.1"}


def test_aluminium_compute_tier1_and_slope(lib):
    """CWPB Tier 1 (Table 4.15) and CWPB slope (Table 4.16) for 100,000 t each."""
    out = run(
        "aluminium_production",
        ["cwpb", "cwpb"],
        [1e5, 1e5],
        lib,
        anode_effect_minutes=[np.nan, 0.5],
    )
    assert gas(out, "CO2").tolist() == pytest.approx([160_000.0, 160_000.0])
    assert gas(out, "CF4").tolist() == pytest.approx([40.0, 7.15])
    assert gas(out, "C2F6").tolist() == pytest.approx([4.0, 0.86515])


def test_chemicals_compute(lib):
    """Nitric (Table 3.3 medium pressure 7 kg/t), adipic thermal (300 x (1 - 0.985 x 0.97)),
    ammonia with urea (1.6942 - 0.733 t/t)."""
    nitric = run("nitric_acid_production", ["medium_pressure"], [1000.0], lib)
    assert gas(nitric, "N2O").tolist() == pytest.approx([7.0])
    adipic = run(
        "adipic_acid_production", ["thermal_destruction", "unabated"], [1000.0, 1000.0], lib
    )
    assert gas(adipic, "N2O").tolist() == pytest.approx([13.365, 300.0])
    ammonia = run("ammonia_production", ["ng_conventional"], [1000.0], lib, urea_t=[1000.0])
    assert gas(ammonia, "CO2").tolist() == pytest.approx([961.22], rel=1e-4)


def test_defaults_fetched_once_per_item(lib):
    """2,000 rows of two technologies cost one library call per (parameter, item, gas)."""
    calls = []

    class Counting:
        def get(self, *args, **kwargs):
            calls.append((args, tuple(sorted(kwargs.items()))))
            return lib.get(*args, **kwargs)

    items = ["cwpb", "vss"] * 1000
    run("aluminium_production", items, np.ones(2000), Counting())
    assert len(calls) == len(set(calls)) == 6  # CO2 x 2 anode classes, CF4 x 2, C2F6 x 2


def test_compute_names_offending_rows(lib):
    with pytest.raises(ActivityDataError, match=r"unknown item 'pfpx'.*row 12"):
        run("aluminium_production", ["cwpb", "pfpx"], [1.0, 1.0], lib, index=[11, 12])
    with pytest.raises(ActivityDataError, match=r"cullet_ratio must lie between 0 and 1 \(row 5\)"):
        run(
            "glass_production",
            ["glass", "glass"],
            [1.0, 1.0],
            lib,
            index=[4, 5],
            cullet_ratio=[0.3, 1.5],
        )
    with pytest.raises(ActivityDataError, match=r"value must be a finite number >= 0 \(row 8\)"):
        run("lime_production", ["hydraulic", "hydraulic"], [1.0, -1.0], lib, index=[7, 8])


def test_compute_refuses_inconsistent_inputs(lib):
    with pytest.raises(ActivityDataError, match=r"already include abatement.*row 0"):
        run("nitric_acid_production", ["nscr"], [1.0], lib, destruction_fraction=[0.9])
    with pytest.raises(ActivityDataError, match=r"primary magnesium needs a plant CO2 factor"):
        run("magnesium_production", ["primary"], [1.0], lib)
    with pytest.raises(ActivityDataError, match=r"both carbon_in_t and carbon_out_t"):
        run("steel_production", ["eaf"], [1.0], lib, carbon_in_t=[5.0])
    with pytest.raises(ActivityDataError, match=r"exceeds the CO2 generated \(row 0\)"):
        run("ammonia_production", ["ng_conventional"], [1.0], lib, urea_t=[100.0])
    with pytest.raises(ActivityDataError, match=r"leak_rate"):
        run("sf6_equipment", ["installed_bank"], [1.0], lib)


def test_every_kind_is_declared_with_sector_and_category(lib):
    names = set(KINDS)
    assert {
        "clinker_production",
        "lime_production",
        "glass_production",
        "steel_production",
        "ferroalloy_production",
        "aluminium_production",
        "magnesium_production",
        "ammonia_production",
        "carbide_production",
        "soda_ash_production",
        "nitric_acid_production",
        "adipic_acid_production",
        "hcfc22_production",
        "sf6_equipment",
    } <= names
    assert {kind.sector for kind in processes.ACTIVITY_KINDS} == {"ippu"}


def test_factor_tables_carry_edition_and_tag(lib):
    """Process tables live in the 2006 edition only, each with a provenance tag."""
    sources = lib.sources
    mine = sources[sources["table"].str.startswith("ippu_")]
    assert set(mine["source"]) == {"ipcc2006/2006"}
    assert mine["tag"].isin(["R1", "R2", "M", "D"]).all()
