"""Waste engines: first-order decay landfill CH4, incineration, open burning, biological
treatment and wastewater (IPCC 2006 Vol.5, 2019 Refinement Ch.6).

Expected numbers are worked by hand from the cited equations and table values; the table
values themselves are those of the factor files (see their sidecars for where each was read).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from carbonledger.engines import waste
from carbonledger.engines.waste import (
    landfill_methane,
    landfill_methane_horizon,
)
from carbonledger.engines.waste_water import (
    compute_domestic_wastewater,
    compute_domestic_wastewater_n2o,
    compute_industrial_wastewater,
)
from carbonledger.errors import ActivityDataError, MissingFactorError
from carbonledger.factors import load_factors

CH4_C = 16.0 / 12.0


@pytest.fixture(scope="module")
def lib():
    return load_factors()


@pytest.fixture(scope="module")
def lib19():
    return load_factors(prefer=["ipcc2006/2019r"])


def potential_t(w_t, doc=0.15, docf=0.5, mcf=1.0, f=0.5):
    """Vol.5 Eq. 3.2 and 3.6 summed over all time: W x DOC x DOCf x MCF x F x 16/12."""
    return w_t * doc * docf * mcf * f * CH4_C


# ------------------------------------------------------------------------------ FOD kernel
@pytest.mark.parametrize("delay", [0, 6, 9])
@pytest.mark.parametrize("k", [0.05, 0.185, 0.7])
def test_single_deposit_total_over_infinite_horizon(k, delay):
    """Everything decomposable is emitted once: sum = W DOC DOCf MCF F 16/12 (Eq. 3.2-3.6)."""
    years, ch4 = landfill_methane_horizon([1000.0], [2000], until_year=2800, doc=0.15, k=k,
                                          delay_months=delay)
    assert years[0] == 2000 and years[-1] == 2800 and ch4.size == 801
    assert ch4.sum() == pytest.approx(potential_t(1000.0), rel=1e-6)
    # the per-year-k path gives the same series
    _, ch4_varying = landfill_methane_horizon([1000.0], [2000], until_year=2800, doc=0.15,
                                              k=np.full(801, k), delay_months=delay)
    np.testing.assert_allclose(ch4_varying, ch4, rtol=1e-9, atol=1e-15)


def test_steady_deposits_converge_to_steady_state():
    """A constant stream W/yr: generation tends to W DOC DOCf MCF F 16/12 per year."""
    years = np.arange(1700, 2001)
    ch4 = landfill_methane(np.full(years.size, 500.0), years, doc=0.2, mcf=0.8, k=0.09)
    assert ch4[-1] == pytest.approx(potential_t(500.0, doc=0.2, mcf=0.8), rel=1e-6)
    assert np.all(np.diff(ch4[1:]) > 0)


def test_no_decay_and_zero_deposits_and_doubling():
    years = np.arange(2000, 2030)
    deposits = np.linspace(100.0, 400.0, years.size)
    assert np.all(landfill_methane(deposits, years, doc=0.15, k=0.0) == 0.0)
    assert landfill_methane(deposits, years, doc=0.15, k=1e-12).max() < 1e-7
    assert np.all(landfill_methane(np.zeros(years.size), years, doc=0.15, k=0.185) == 0.0)
    single = landfill_methane(deposits, years, doc=0.15, k=0.185)
    np.testing.assert_allclose(landfill_methane(2 * deposits, years, doc=0.15, k=0.185),
                               2 * single, rtol=1e-12)


def test_rising_series_against_hand_computation():
    """Vol.5 Eq. 3.4-3.6 by hand, default 6-month delay (decay from 1 January of T+1).

    W = 100, 200, 300, 400 t (2001-2004), DOC 0.15, DOCf 0.5, MCF 1, F 0.5, k 0.185
    (Table 3.3 food, boreal/temperate wet). DDOCm = 7.5, 15, 22.5, 30; a = e^-0.185.
    2002: 7.5(1-a); 2003: (15 + 7.5a)(1-a); 2004: (22.5 + 15a + 7.5a^2)(1-a); x F x 16/12.
    """
    a = math.exp(-0.185)
    expected = np.array([0.0, 7.5 * (1 - a), (15 + 7.5 * a) * (1 - a),
                         (22.5 + 15 * a + 7.5 * a * a) * (1 - a)]) * 0.5 * CH4_C
    np.testing.assert_allclose(expected, [0.0, 0.844479, 2.390807, 4.520446], atol=2e-6)
    got = landfill_methane([100.0, 200.0, 300.0, 400.0], [2001, 2002, 2003, 2004], doc=0.15,
                           k=0.185)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # processing the history in reverse gives a different (wrong) answer for a rising series
    reversed_order = landfill_methane([400.0, 300.0, 200.0, 100.0], [2001, 2002, 2003, 2004],
                                      doc=0.15, k=0.185)
    assert abs(reversed_order[-1] - expected[-1]) > 1.0


def test_no_delay_decays_half_a_year_in_the_deposit_year():
    """delay 0 (Waste Model M = 7): the deposit year decays for 6 of 12 months."""
    k = 0.185
    got = landfill_methane([100.0, 0.0], [2001, 2002], doc=0.15, k=k, delay_months=0)
    ddoc = 100 * 0.15 * 0.5
    expected = [ddoc * (1 - math.exp(-k / 2)),
                ddoc * math.exp(-k / 2) * (1 - math.exp(-k))]
    np.testing.assert_allclose(got, np.array(expected) * 0.5 * CH4_C, rtol=1e-12)


def test_year_varying_k_and_doc():
    """k is the rate in force in each year; doc and mcf scale their own deposit year."""
    got = landfill_methane([100.0, 0.0, 0.0], [2001, 2002, 2003], doc=[0.15, 0.9, 0.9],
                           mcf=[1.0, 0.1, 0.1], k=[0.1, 0.2, 0.3])
    ddoc = 100 * 0.15 * 0.5
    expected = [0.0, ddoc * (1 - math.exp(-0.2)),
                ddoc * math.exp(-0.2) * (1 - math.exp(-0.3))]
    np.testing.assert_allclose(got, np.array(expected) * 0.5 * CH4_C, rtol=1e-12)


def test_recovery_then_oxidation():
    """Eq. 3.1: (generated - R) x (1 - OX), not generated x (1 - OX) - R."""
    years = [2001, 2002, 2003]
    generated = landfill_methane([1000.0, 1000.0, 1000.0], years, doc=0.15, k=0.09)
    emitted = landfill_methane([1000.0, 1000.0, 1000.0], years, doc=0.15, k=0.09,
                               recovered_t=[0.0, 1.0, 2.0], ox=0.1)
    np.testing.assert_allclose(emitted, (generated - [0.0, 1.0, 2.0]) * 0.9, rtol=1e-12)
    assert emitted[2] != pytest.approx(generated[2] * 0.9 - 2.0)


def test_long_horizon_fast_decay_stays_finite():
    years, ch4 = landfill_methane_horizon(np.full(50, 10.0), np.arange(1950, 2000),
                                          until_year=4000, doc=0.2, k=np.full(2051, 0.7))
    assert np.all(np.isfinite(ch4))
    assert ch4.sum() == pytest.approx(potential_t(500.0, doc=0.2), rel=1e-9)


@pytest.mark.parametrize("kwargs, match", [
    (dict(deposited_t=[1.0, 1.0], years=[2001, 2003]), "consecutive"),
    (dict(deposited_t=[1.0, 1.0], years=[2002, 2001]), "consecutive"),
    (dict(deposited_t=[1.0, -1.0], years=[2001, 2002]), "deposited_t"),
    (dict(deposited_t=[1.0, 1.0], years=[2001, 2002], doc=1.5), "doc"),
    (dict(deposited_t=[1.0, 1.0], years=[2001, 2002], k=-0.1), "k"),
    (dict(deposited_t=[1.0, 1.0], years=[2001, 2002], recovered_t=5.0), "recovered_t"),
    (dict(deposited_t=[1.0, 1.0, 1.0], years=[2001, 2002]), "equal-length"),
])
def test_kernel_refuses_bad_input(kwargs, match):
    args = dict(doc=0.15, k=0.1) | kwargs
    with pytest.raises(ActivityDataError, match=match):
        landfill_methane(args.pop("deposited_t"), args.pop("years"), **args)


# ------------------------------------------------------------------- landfill_disposal kind
def _rows(records, **columns):
    frame = pd.DataFrame(records)
    for name, value in columns.items():
        frame[name] = value
    frame.index = [f"r{i}" for i in range(len(frame))]
    return frame


def _landfill_rows():
    return _rows([
        {"year": y, "sector": "waste", "activity": "landfill_disposal", "item": "food",
         "value": w, "unit": "t", "site_type": "managed_anaerobic",
         "climate_zone": "boreal_temperate_dry"}
        for y, w in zip([2004, 2001, 2003, 2002], [400.0, 100.0, 300.0, 200.0], strict=True)])


def test_landfill_compute_matches_hand_computation(lib):
    """Food (Table 2.4 DOC 0.15), managed anaerobic (MCF 1.0), boreal/temperate dry
    (Table 3.3 k 0.06), DOCf 0.5, F 0.5; rows given out of year order."""
    out = waste.compute_landfill(_landfill_rows(), lib)
    a = math.exp(-0.06)
    by_row = dict(zip(out["row"], out["emissions_t"], strict=True))
    assert by_row["r1"] == 0.0
    assert by_row["r3"] == pytest.approx(7.5 * (1 - a) * 0.5 * CH4_C, rel=1e-12)
    assert by_row["r0"] == pytest.approx((22.5 + 15 * a + 7.5 * a * a) * (1 - a) * 0.5 * CH4_C,
                                         rel=1e-12)
    assert set(out["category"]) == {"4.A.1"} and set(out["gas"]) == {"CH4"}
    fid = out["factor_id"].iloc[0]
    assert "ipcc2006/2006:waste_composition:food|doc" in fid
    assert "waste_landfill:food|k|boreal_temperate_dry" in fid


def test_landfill_sites_items_recovery_and_overrides(lib):
    rows = _landfill_rows()
    other = rows.assign(item="paper", site_type="unmanaged_deep", doc=0.4)
    other.index = [f"p{i}" for i in range(len(other))]
    both = pd.concat([rows, other])
    out = waste.compute_landfill(both, lib).set_index("row")["emissions_t"]
    alone = waste.compute_landfill(other, lib).set_index("row")["emissions_t"]
    pd.testing.assert_series_equal(out[alone.index], alone)  # sites do not mix
    paper = landfill_methane([100.0, 200.0, 300.0, 400.0], [2001, 2002, 2003, 2004], doc=0.4,
                             mcf=0.8, k=0.04)
    assert alone["p0"] == pytest.approx(paper[-1], rel=1e-12)
    # recovery at the site-year is shared by its items in proportion to generation
    two_items = pd.concat([rows, rows.assign(item="garden").rename(index=lambda r: "g" + r)])
    base = waste.compute_landfill(two_items, lib).set_index("row")["emissions_t"]
    recovered = two_items.assign(recovered_t=np.where(two_items.index == "r0", 1.0, 0.0))
    covered = recovered.assign(oxidising_cover="yes")
    got = waste.compute_landfill(covered, lib).set_index("row")["emissions_t"]
    total = base["r0"] + base["gr0"]
    assert got["r0"] + got["gr0"] == pytest.approx((total - 1.0) * 0.9, rel=1e-12)
    assert got["r0"] / got["gr0"] == pytest.approx(base["r0"] / base["gr0"], rel=1e-12)
    measured = waste.compute_landfill(rows.assign(k=0.185), lib)
    assert measured["factor_id"].str.contains("measured:k").all()


def test_landfill_bad_rows_are_named(lib):
    rows = _landfill_rows()
    with pytest.raises(ActivityDataError, match="site_type") as err:
        waste.compute_landfill(rows.assign(site_type=["managed_anaerobic", "landfill", "x",
                                                       "managed_anaerobic"]), lib)
    assert err.value.rows == ["r1", "r2"]
    with pytest.raises(ActivityDataError, match="missing year") as err:
        waste.compute_landfill(rows.drop(index="r3"), lib)
    assert sorted(err.value.rows) == ["r0", "r1", "r2"]
    with pytest.raises(ActivityDataError, match="climate_zone") as err:
        waste.compute_landfill(rows.assign(climate_zone=[None, "boreal_temperate_dry",
                                                         "boreal_temperate_dry",
                                                         "boreal_temperate_dry"]), lib)
    assert err.value.rows == ["r0"]
    with pytest.raises(ActivityDataError, match="between 0 and 1") as err:
        waste.compute_landfill(rows.assign(doc=[0.1, 0.1, 1.2, 0.1]), lib)
    assert err.value.rows == ["r2"]
    with pytest.raises(ActivityDataError, match="non-negative"):
        waste.compute_landfill(rows.assign(value=[1.0, -1.0, 1.0, 1.0]), lib)
    with pytest.raises(MissingFactorError, match="doc"):
        waste.compute_landfill(rows.assign(item="msw"), lib)
    with pytest.raises(ActivityDataError, match="managed sites only"):
        waste.compute_landfill(rows.assign(site_type="unmanaged_shallow", oxidising_cover="yes"),
                               lib)
    with pytest.raises(ActivityDataError, match="exceeds"):
        waste.compute_landfill(rows.assign(recovered_t=100.0), lib)


# ----------------------------------------------------------- incineration and open burning
def _thermal_rows(activity, items, values, **columns):
    return _rows([{"year": 2020, "sector": "waste", "activity": activity, "item": i,
                   "value": v, "unit": "t"} for i, v in zip(items, values, strict=True)],
                 **columns)


def test_incineration_by_component(lib):
    """Eq. 5.1 with Table 2.4: plastics 100 t x 1.0 x 0.75 x 1.0 x OF 1.0 x 44/12 = 275 t;
    paper 100 t x 0.9 x 0.46 x 0.01 x 44/12 = 1.518 t. CH4 continuous stoker 0.2 g/t,
    N2O 50 g/t wet."""
    rows = _thermal_rows("incineration", ["plastics", "paper"], [100.0, 100.0],
                         technology="continuous_stoker")
    out = waste.compute_incineration(rows, lib).set_index(["row", "gas"])["emissions_t"]
    assert out["r0", "CO2"] == pytest.approx(275.0, rel=1e-12)
    assert out["r1", "CO2"] == pytest.approx(1.518, rel=1e-12)
    assert out["r0", "CH4"] == pytest.approx(2e-5, rel=1e-12)
    assert out["r0", "N2O"] == pytest.approx(0.005, rel=1e-12)
    # inverse: the carbon chain gives back the mass burned
    assert out["r1", "CO2"] / (0.9 * 0.46 * 0.01 * 44 / 12) == pytest.approx(100.0)


def test_open_burning(lib):
    """Eq. 5.2, OF 0.58: plastics 10 t -> 10 x 0.75 x 0.58 x 44/12 = 15.95 t CO2;
    N2O 150 g per t dry matter; CH4 6500 g per t wet."""
    out = waste.compute_open_burning(_thermal_rows("open_burning", ["plastics", "food"],
                                                   [10.0, 10.0]), lib)
    out = out.set_index(["row", "gas"])["emissions_t"]
    assert out["r0", "CO2"] == pytest.approx(15.95, rel=1e-12)
    assert out["r1", "CO2"] == 0.0
    assert out["r1", "N2O"] == pytest.approx(10 * 0.4 * 150e-6, rel=1e-12)
    assert out["r1", "CH4"] == pytest.approx(0.065, rel=1e-12)
    assert set(waste.compute_open_burning(_thermal_rows("open_burning", ["food"], [1.0]),
                                          lib)["category"]) == {"4.C.2"}


def test_thermal_bad_input(lib):
    rows = _thermal_rows("incineration", ["plastics", "paper"], [100.0, 100.0],
                         technology=["continuous_stoker", "rotary_kiln"])
    with pytest.raises(ActivityDataError, match="technology") as err:
        waste.compute_incineration(rows, lib)
    assert err.value.rows == ["r1"]
    with pytest.raises(MissingFactorError, match="dry_matter"):
        waste.compute_incineration(rows.assign(item="msw", technology="batch_stoker"), lib)
    bulk = rows.assign(item="msw", technology="batch_stoker", dm=0.6, cf=0.4, fcf=0.3)
    out = waste.compute_incineration(bulk, lib)
    co2 = out.loc[out["gas"] == "CO2", "emissions_t"]
    np.testing.assert_allclose(co2, 100 * 0.6 * 0.4 * 0.3 * 44 / 12)
    with pytest.raises(ActivityDataError, match="fcf"):
        waste.compute_incineration(bulk.assign(fcf=1.3), lib)
    with pytest.raises(ActivityDataError, match="unknown item"):
        waste.compute_open_burning(_thermal_rows("open_burning", ["glass"], [1.0]), lib)


# ------------------------------------------------------------------- biological treatment
def test_composting_and_digestion(lib):
    """Table 4.1: composting 4 g CH4 and 0.3 g N2O per kg wet (10 and 0.6 per kg dry);
    anaerobic digestion 0.8 g CH4 per kg wet; Eq. 4.1 subtracts recovered CH4."""
    rows = _thermal_rows("composting", ["biowaste", "biowaste"], [1000.0, 1000.0],
                         basis=["wet", "dry"])
    out = waste.compute_composting(rows, lib).set_index(["row", "gas"])["emissions_t"]
    assert out["r0", "CH4"] == pytest.approx(4.0) and out["r0", "N2O"] == pytest.approx(0.3)
    assert out["r1", "CH4"] == pytest.approx(10.0) and out["r1", "N2O"] == pytest.approx(0.6)
    digested = waste.compute_anaerobic_digestion(
        _thermal_rows("anaerobic_digestion", ["food"], [1000.0], recovered_t=0.5), lib)
    assert digested["emissions_t"].tolist() == pytest.approx([0.3])
    assert digested["gas"].tolist() == ["CH4"] and digested["category"].tolist() == ["4.B"]
    with pytest.raises(ActivityDataError, match="basis"):
        waste.compute_composting(rows.assign(basis="moist"), lib)
    with pytest.raises(ActivityDataError, match="exceeds"):
        waste.compute_anaerobic_digestion(
            _thermal_rows("anaerobic_digestion", ["food"], [10.0], recovered_t=1.0), lib)


# ------------------------------------------------------------------------------ wastewater
def _ww_rows(activity, items, values, units, **columns):
    return _rows([{"year": 2020, "sector": "waste", "activity": activity, "item": i,
                   "value": v, "unit": u} for i, v, u in zip(items, values, units, strict=True)],
                 **columns)


def test_domestic_wastewater_population_and_cod(lib):
    """Eq. 6.1-6.3: Jiayuguan 2020 census population 312,663 (public_figures 1a, R1) x
    40 g BOD/person/day (Table 6.4 China) x 365 x I 1.25 = 5,706.1 t BOD; overloaded
    aerobic plant MCF 0.3, Bo 0.6 -> 1,027.1 t CH4. A COD load of 1,000 t in an anaerobic
    reactor: 1000 x 0.25 x 0.8 = 200 t (COD-based Bo; no BOD/COD ratio)."""
    rows = _ww_rows("domestic_wastewater", ["population", "cod"], [31.2663, 1000.0],
                    ["wan_person", "t"],
                    treatment_system=["centralised_aerobic_overloaded", "anaerobic_reactor"])
    res = compute_domestic_wastewater(rows, lib).set_index("row")["emissions_t"]
    tow = 312663 * 40 * 365 * 1.25 * 1e-6
    assert tow == pytest.approx(5706.1, abs=0.05)
    assert res["r0"] == pytest.approx(tow * 0.6 * 0.3, rel=1e-12)
    assert res["r1"] == pytest.approx(200.0, rel=1e-12)
    # inverse: emissions / (Bo x MCF) gives the organics back
    assert res["r1"] / (0.25 * 0.8) == pytest.approx(1000.0)
    # share splits the population between systems; sludge and recovery are subtracted
    split = rows.assign(share=[0.5, 1.0], sludge_removed_t=[0.0, 100.0], recovered_t=[0.0, 10.0])
    res2 = compute_domestic_wastewater(split, lib).set_index("row")["emissions_t"]
    assert res2["r0"] == pytest.approx(res["r0"] / 2, rel=1e-12)
    assert res2["r1"] == pytest.approx(900 * 0.25 * 0.8 - 10.0, rel=1e-12)


def test_domestic_wastewater_edition_is_consistent(lib, lib19):
    """2006 Table 6.3: well-managed aerobic plant MCF 0; 2019R Table 6.3: 0.03. 1,000 t BOD
    -> 0 t (2006) vs 1000 x 0.6 x 0.03 = 18 t (2019R); every factor of a row from one edition."""
    rows = _ww_rows("domestic_wastewater", ["bod"], [1000.0], ["t"],
                    treatment_system="centralised_aerobic_well_managed")
    old = compute_domestic_wastewater(rows, lib)
    new = compute_domestic_wastewater(rows, lib19)
    assert old["emissions_t"].tolist() == [0.0]
    assert new["emissions_t"].tolist() == pytest.approx([18.0])
    ids = new["factor_id"].iloc[0].split("; ")
    assert all(i.startswith("ipcc2006/2019r:") for i in ids)
    assert all(i.startswith("ipcc2006/2006:") for i in old["factor_id"].iloc[0].split("; "))


def test_domestic_wastewater_bad_input(lib):
    rows = _ww_rows("domestic_wastewater", ["bod", "bod"], [10.0, 10.0], ["t", "t"],
                    treatment_system=["septic_system", "cesspit"])
    with pytest.raises(ActivityDataError, match="treatment_system") as err:
        compute_domestic_wastewater(rows, lib)
    assert err.value.rows == ["r1"]
    ok = rows.assign(treatment_system="septic_system")
    with pytest.raises(ActivityDataError, match="share") as err:
        compute_domestic_wastewater(ok.assign(share=[0.5, 1.5]), lib)
    assert err.value.rows == ["r1"]
    with pytest.raises(ActivityDataError, match="non-negative"):
        compute_domestic_wastewater(ok.assign(value=[-1.0, 1.0]), lib)
    with pytest.raises(ActivityDataError, match="sludge"):
        compute_domestic_wastewater(ok.assign(sludge_removed_t=20.0), lib)
    with pytest.raises(ActivityDataError, match="unit"):
        compute_domestic_wastewater(ok.assign(item="population"), lib)


def test_domestic_wastewater_n2o(lib, lib19):
    """Eq. 6.7-6.8: N = P x protein x 0.16 x F_NON-CON 1.1 x F_IND-COM 1.25; N2O = N x 0.005
    x 44/28. Protein 36.5 kg/person/yr is an illustrative input (assumption, not a default).
    2019R adds plants: N x 0.016 x 44/28 for a centralised aerobic plant (Table 6.8A)."""
    rows = _ww_rows("domestic_wastewater_n2o", ["population"], [312663.0], ["person"],
                    protein_kg_per_person_yr=36.5,
                    treatment_system="centralised_aerobic_well_managed")
    n_t = 312663 * 36.5 * 0.16 * 1.1 * 1.25 * 1e-3
    old = compute_domestic_wastewater_n2o(rows, lib)
    assert old["emissions_t"].iloc[0] == pytest.approx(n_t * 0.005 * 44 / 28, rel=1e-12)
    assert old["gas"].tolist() == ["N2O"] and old["category"].tolist() == ["4.D.1"]
    new = compute_domestic_wastewater_n2o(rows, lib19)
    assert new["emissions_t"].iloc[0] == pytest.approx(n_t * (0.005 + 0.016) * 44 / 28,
                                                       rel=1e-12)
    assert "n2o_ef_plant" in new["factor_id"].iloc[0]
    with pytest.raises(ActivityDataError, match="garbage_disposal"):
        compute_domestic_wastewater_n2o(rows.assign(garbage_disposal="maybe"), lib)


def test_industrial_wastewater(lib):
    """Eq. 6.4-6.6 with Table 6.9: pulp and paper 1,000 t x 162 m3/t x 9 kg COD/m3 = 1,458 t
    COD; deep anaerobic lagoon MCF 0.8, Bo 0.25 -> 291.6 t CH4. 500 t COD to a river
    (MCF 0.1) -> 12.5 t."""
    rows = _ww_rows("industrial_wastewater", ["pulp_paper", "beer_malt"], [1000.0, 500.0],
                    ["t", "t"], treatment_system=["anaerobic_deep_lagoon",
                                                  "sea_river_lake_discharge"],
                    value_is=["production", "cod"])
    out = compute_industrial_wastewater(rows, lib).set_index("row")
    assert out.loc["r0", "emissions_t"] == pytest.approx(291.6, rel=1e-12)
    assert out.loc["r1", "emissions_t"] == pytest.approx(12.5, rel=1e-12)
    assert "pulp_paper|wastewater_generation" in out.loc["r0", "factor_id"]
    assert set(out["category"]) == {"4.D.2"}
    with pytest.raises(ActivityDataError, match="treatment_system") as err:
        compute_industrial_wastewater(rows.assign(treatment_system=["septic_system",
                                                                    "anaerobic_reactor"]), lib)
    assert err.value.rows == ["r0"]
    with pytest.raises(MissingFactorError, match="wastewater_generation"):
        compute_industrial_wastewater(rows.assign(item="coffee"), lib)


def test_waste_kinds_are_declared():
    """The registry imports carbonledger.engines.waste, whose list includes the wastewater
    kinds; each kind names its sector and a compute function."""
    from carbonledger.kinds import ENGINE_MODULES
    assert "carbonledger.engines.waste" in ENGINE_MODULES
    names = {kind.name for kind in waste.ACTIVITY_KINDS}
    assert names == {"landfill_disposal", "incineration", "open_burning", "composting",
                     "anaerobic_digestion", "domestic_wastewater", "domestic_wastewater_n2o",
                     "industrial_wastewater"}
    assert {kind.sector for kind in waste.ACTIVITY_KINDS} == {"waste"}


def test_waste_rows_through_compute_inventory():
    """End to end: units converted by the inventory (0.01 wan_t = 100 t), landfill emissions
    reported on the deposit-year rows, CO2e with AR5 (CH4 28)."""
    from carbonledger.inventory import compute_inventory
    rows = pd.DataFrame({
        "year": [2001, 2002, 2003, 2004, 2020], "sector": "waste",
        "activity": ["landfill_disposal"] * 4 + ["domestic_wastewater"],
        "item": ["food"] * 4 + ["cod"], "value": [0.01, 0.02, 0.03, 0.04, 0.1],
        "unit": ["wan_t"] * 4 + ["wan_t"],
        "site_type": ["managed_anaerobic"] * 4 + [None],
        "climate_zone": ["boreal_temperate_dry"] * 4 + [None],
        "treatment_system": [None] * 4 + ["anaerobic_reactor"]})
    table = compute_inventory(rows, gwp="AR5").table
    landfill = table[table["activity"] == "landfill_disposal"].sort_values("year")
    expected = landfill_methane([100.0, 200.0, 300.0, 400.0], [2001, 2002, 2003, 2004],
                                doc=0.15, k=0.06)
    np.testing.assert_allclose(landfill["emissions_t"], expected, rtol=1e-12)
    sewage = table[table["activity"] == "domestic_wastewater"]
    assert sewage["emissions_t"].tolist() == pytest.approx([1000 * 0.25 * 0.8])
    assert sewage["co2e_t"].tolist() == pytest.approx([200.0 * 28])
