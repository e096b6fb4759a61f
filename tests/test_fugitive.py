"""Fugitive emissions: coal mining CH4 and oil & gas systems (IPCC 2006 Vol. 2 Ch. 4).

Expected numbers are worked by hand from the cited equations: Tier 1 underground 18 m3/t and
post-mining 2.5 m3/t, surface 1.2 and 0.1 m3/t, CH4 density 0.67 kg/m3 at 20 degC and 1 atm
(Eqs. 4.1.3-4.1.8), and Table 4.2.5 factors per m3 of throughput. The factor files
``factors/ipcc2006/2006/fugitive_*.csv`` carry these values with their provenance tags.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from carbonledger.engines import fugitive
from carbonledger.engines.fugitive import coal_mine_ch4, flared_ch4_co2, oil_gas_emissions
from carbonledger.errors import ActivityDataError
from tests.conftest import gas_t, run_kind

run = functools.partial(run_kind, sector="coal_mining")
gas = gas_t


# --------------------------------------------------------------------------- kernels


def test_underground_tier1_one_megatonne():
    """Eq. 4.1.3 + 4.1.4: 1,000,000 t x (18 + 2.5) m3/t x 0.67 kg/m3 = 13,735 t CH4."""
    assert float(coal_mine_ch4(1_000_000.0)) == pytest.approx(13_735.0)


def test_surface_tier1_one_megatonne():
    """Eq. 4.1.7 + 4.1.8: 1,000,000 t x (1.2 + 0.1) m3/t x 0.67 kg/m3 = 871 t CH4."""
    got = coal_mine_ch4(1_000_000.0, ef_m3_per_t=1.2, post_mining_ef_m3_per_t=0.1)
    assert float(got) == pytest.approx(871.0)


def test_utilised_and_flared_are_deducted_and_flare_gives_co2():
    """5e6 m3 CH4 utilised and 1e6 m3 flared: (20.5e6 - 6e6) m3 x 0.67 = 9,715 t CH4; the flare
    burns 1e6 x 0.67 kg = 670 t CH4 into 670 x 44/16 = 1,842.5 t CO2."""
    got = coal_mine_ch4(1_000_000.0, utilised_m3=5e6, flared_m3=1e6)
    assert float(got) == pytest.approx(9_715.0)
    assert float(flared_ch4_co2(1e6)) == pytest.approx(1_842.5)


def test_oil_gas_kernel():
    """Table 4.2.5 factors are Gg per 10^6 m3 = kg/m3: 10^8 m3 x 1.8E-03 kg/m3 = 180 t."""
    assert float(oil_gas_emissions(1e8, ef_t_per_m3=1.8e-6)) == pytest.approx(180.0)


@pytest.mark.parametrize(
    "kernel",
    [
        lambda x: coal_mine_ch4(x),
        lambda x: coal_mine_ch4(x, ef_m3_per_t=1.2, post_mining_ef_m3_per_t=0.1),
        lambda x: flared_ch4_co2(x),
        lambda x: oil_gas_emissions(x, ef_t_per_m3=2.5e-6),
    ],
)
def test_zero_gives_zero_and_doubling_doubles(kernel):
    out = np.asarray(kernel(np.array([0.0, 5000.0, 10000.0])))
    assert out[0] == 0.0 and out[1] > 0
    assert out[2] == pytest.approx(2 * out[1])


def test_kernel_errors():
    with pytest.raises(ActivityDataError, match=r"coal_t must be a finite number >= 0 \(row 1\)"):
        coal_mine_ch4([1.0, -1.0])
    with pytest.raises(ActivityDataError, match="exceeds the CH4 liberated by mining"):
        coal_mine_ch4(100.0, utilised_m3=2000.0)


# --------------------------------------------------------------------------- compute


def test_coal_compute_library_defaults(lib):
    """Underground and surface 1 Mt each: 13,735 t and 871 t CH4, categories 1.B.1.a.i/ii."""
    out = run("coal_mining", ["underground", "surface"], [1e6, 1e6], lib)
    assert gas(out, "CH4").tolist() == pytest.approx([13_735.0, 871.0])
    assert out["category"].tolist() == ["1.B.1.a.i", "1.B.1.a.ii"]
    assert not (out["gas"] == "CO2").any()


def test_coal_compute_recovery_rate_flaring_and_measured(lib):
    """Row 0: recovered 4e6 m3 at utilisation 0.5 and 1e6 m3 flared -> (20.5e6 - 3e6) x 0.67 =
    11,725 t CH4 and 1,842.5 t CO2. Row 1: measured 10e6 m3 liberated replaces 18 m3/t:
    (10e6 + 2.5e6) x 0.67 = 8,375 t."""
    out = run(
        "coal_mining",
        ["underground", "underground"],
        [1e6, 1e6],
        lib,
        recovered_m3=[4e6, np.nan],
        utilisation_rate=[0.5, np.nan],
        flared_m3=[1e6, np.nan],
        measured_ch4_m3=[np.nan, 10e6],
    )
    assert gas(out, "CH4").tolist() == pytest.approx([11_725.0, 8_375.0])
    assert gas(out, "CO2").tolist() == pytest.approx([1_842.5])
    ids = out.loc[out["gas"] == "CH4", "factor_id"].tolist()
    assert "measured:recovered_m3 + measured:utilisation_rate" in ids[0]
    assert ids[1].startswith("measured:measured_ch4_m3")


def test_coal_compute_errors_name_rows(lib):
    with pytest.raises(ActivityDataError, match=r"unknown item 'abandoned'.*row 3"):
        run("coal_mining", ["underground", "abandoned"], [1.0, 1.0], lib, index=[2, 3])
    with pytest.raises(
        ActivityDataError, match=r"utilisation_rate must lie between 0 and 1 \(row 9\)"
    ):
        run(
            "coal_mining",
            ["underground"],
            [1.0],
            lib,
            index=[9],
            recovered_m3=[1.0],
            utilisation_rate=[1.5],
        )
    with pytest.raises(ActivityDataError, match=r"exceeds the CH4 liberated.*row 0"):
        run("coal_mining", ["surface"], [1000.0], lib, flared_m3=[5000.0])
    with pytest.raises(ActivityDataError, match=r"not both"):
        run("coal_mining", ["underground"], [1e6], lib, recovered_m3=[1.0], utilised_m3=[1.0])
    with pytest.raises(ActivityDataError, match=r"value must be a finite number >= 0 \(row 0\)"):
        run("coal_mining", ["underground"], [-5.0], lib)


def test_oil_gas_compute_sums_releases(lib):
    """Each stage's factor is the sum of its releases in fugitive_oil_gas; gas stages report
    to 1.B.2.b, oil stages to 1.B.2.a; a CH4 override (kg/m3) replaces the stage total."""
    table = lib.table("fugitive_oil_gas")
    oil_ch4 = table[(table["item"] == "oil_production") & (table["gas"] == "CH4")]["value"].sum()
    out = run(
        "oil_gas_system",
        ["oil_production", "gas_distribution", "gas_distribution"],
        [1000.0, 1e8, 1e8],
        lib,
        unit="m3",
        ch4_kg_per_m3=[np.nan, np.nan, 1e-3],
    )
    ch4 = gas(out, "CH4")
    assert ch4[0] == pytest.approx(1000.0 * oil_ch4)  # t/m3 x m3
    assert ch4[2] == pytest.approx(100.0)  # 1e8 m3 x 1e-3 kg/m3
    assert out.loc[out["gas"] == "CH4", "category"].tolist() == ["1.B.2.a", "1.B.2.b", "1.B.2.b"]
    assert gas(out, "N2O").size == 1  # only oil production flares here


def test_oil_gas_unknown_stage(lib):
    with pytest.raises(ActivityDataError, match=r"unknown item 'lng_terminal'"):
        run("oil_gas_system", ["lng_terminal"], [1.0], lib, unit="m3")


def test_fugitive_tables_are_2006_edition(lib):
    sources = lib.sources
    mine = sources[sources["table"].str.startswith("fugitive_")]
    assert set(mine["source"]) == {"ipcc2006/2006"}
    assert set(mine["tag"]) == {"M"}


# --------------------------------------------------------------------------- gassiness, abandoned


def test_coal_gassiness_classes_select_tier1_factors(lib):
    """Eqs. 4.1.3-4.1.4 Tier 1 low/high (values M: recalled): 1 Mt underground high:
    (25 + 4.0) m3/t x 0.67 kg/m3 = 19,430 t CH4; low: (10 + 0.9) x 0.67 = 7,303 t; blank and
    ``average`` both give (18 + 2.5) x 0.67 = 13,735 t. Surface high (Eqs. 4.1.7-4.1.8):
    (2.0 + 0.2) x 0.67 = 1,474 t. Measured CH4 still wins over the class."""
    out = run(
        "coal_mining",
        ["underground"] * 5 + ["surface"],
        [1e6] * 6,
        lib,
        gassiness=["high", "low", None, "average", "High", "high"],
        measured_ch4_m3=[np.nan] * 4 + [10e6, np.nan],
    )
    ch4 = gas(out, "CH4")
    assert ch4.tolist() == pytest.approx([19_430.0, 7_303.0, 13_735.0, 13_735.0, 9_380.0, 1_474.0])
    ids = out["factor_id"].tolist()
    assert "gassiness" not in ids[2] and "high" in ids[0]
    assert ids[4].startswith("measured:measured_ch4_m3")  # (10e6 + 4.0e6) x 0.67 = 9,380 t
    # inverse: back out the summed factor from the high row
    assert ch4[0] / 0.67 * 1000 / 1e6 == pytest.approx(29.0)


def test_coal_unknown_gassiness_names_rows(lib):
    with pytest.raises(
        ActivityDataError, match=r"unknown gassiness 'extreme'.*rows? 7.*low, average, high"
    ):
        run(
            "coal_mining",
            ["underground", "underground"],
            [1.0, 1.0],
            lib,
            index=[6, 7],
            gassiness=["low", "extreme"],
        )


def test_abandoned_mines_hand_worked(lib):
    """Eq. 4.1.10 Tier 1 with user-given factors (no default shipped): 40 mines closed
    1976-2000, 50 % gassy, EF 0.5 x 10^6 m3 CH4 per mine per year:
    40 x 0.5 x 0.5e6 m3 = 10e6 m3 x 0.67 kg/m3 = 6,700 t CH4; less 1e6 m3 recovered: 9e6 m3 x 0.67 = 6,030 t.
    Zero mines give zero."""
    out = run(
        "abandoned_coal_mines",
        ["1976_2000", "1976_2000", "2001_present"],
        [40.0, 40.0, 0.0],
        lib,
        unit="1",
        gassy_fraction=[0.5, 0.5, 0.3],
        ef_mm3_per_mine=[0.5, 0.5, 1.0],
        recovered_m3=[np.nan, 1e6, np.nan],
    )
    assert gas(out, "CH4").tolist() == pytest.approx([6_700.0, 6_030.0, 0.0])
    assert set(out["category"]) == {"1.B.1.a.i.3"}
    assert "measured:recovered_m3" in out["factor_id"].iloc[1]
    assert float(fugitive.abandoned_mine_ch4(40.0, gassy_fraction=0.5, ef_mm3_per_mine=0.5)) == (
        pytest.approx(6_700.0)
    )


def test_abandoned_mines_errors_name_rows(lib):
    ok = {"gassy_fraction": [0.5], "ef_mm3_per_mine": [0.5]}
    with pytest.raises(ActivityDataError, match=r"value must be a finite number >= 0 \(row 4\)"):
        run("abandoned_coal_mines", ["1951_1975"], [-3.0], lib, index=[4], unit="1", **ok)
    with pytest.raises(ActivityDataError, match=r"ef_mm3_per_mine is required.*row 5"):
        run("abandoned_coal_mines", ["1951_1975"], [3.0], lib, index=[5], unit="1",
            gassy_fraction=[0.5])
    with pytest.raises(ActivityDataError, match=r"gassy_fraction must lie between 0 and 1"):
        run("abandoned_coal_mines", ["1951_1975"], [3.0], lib, unit="1",
            gassy_fraction=[1.5], ef_mm3_per_mine=[0.5])
    with pytest.raises(ActivityDataError, match=r"unknown item '1800_1900'"):
        run("abandoned_coal_mines", ["1800_1900"], [3.0], lib, unit="1", **ok)
    with pytest.raises(ActivityDataError, match=r"recovered exceeds"):
        run("abandoned_coal_mines", ["1951_1975"], [1.0], lib, unit="1",
            recovered_m3=[1e9], **ok)
