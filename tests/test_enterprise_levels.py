"""Benchmarking plants against the national benchmark (标杆) and baseline (基准) levels."""

import numpy as np
import pandas as pd
import pytest

from carbonledger import enterprise
from carbonledger.errors import ActivityDataError, MissingFactorError


@pytest.mark.parametrize("edition", ["2021", "2023"])
def test_shipped_levels(edition):
    """发改产业〔2021〕1609号 / 〔2023〕723号: electrolytic aluminium AC power 13000/13350 kWh/t,
    cement clinker 100/117 kgce/t, blast furnace 361/435, converter -30/-10, coke (top-charged)
    110/135 and (stamp-charged) 110/140 kgce/t, flat glass 8/12 kgce per weight box (50 kg)."""
    lv = enterprise.levels(edition=edition)
    expected = {"electrolytic_aluminium": (13000, 13350, "kWh/t"),
                "cement_clinker": (100, 117, "kgce/t"), "blast_furnace": (361, 435, "kgce/t"),
                "converter": (-30, -10, "kgce/t"), "coke_top_charged": (110, 135, "kgce/t"),
                "coke_stamp_charged": (110, 140, "kgce/t"),
                "flat_glass_800tpd_plus": (8 / 0.05, 12 / 0.05, "kgce/t")}
    for product, (bench, base, unit) in expected.items():
        assert lv.loc[product, ["benchmark", "baseline", "unit"]].tolist() == [bench, base, unit]
    assert (lv["benchmark"] < lv["baseline"]).all()
    # GB grades where they differ from the policy levels (stamp-charged coke grade 1 = 115)
    assert lv.loc["coke_stamp_charged", "gb_grade_1"] == 115
    with pytest.raises(MissingFactorError, match="1999"):
        enterprise.levels(edition="1999")


def test_status_gaps_and_capacity_shares():
    plants = pd.DataFrame({
        "facility": ["A", "B", "C", "D", "E"],
        "product": ["electrolytic_aluminium"] * 3 + ["converter"] * 2,
        "specific_energy": [12980.0, 13200.0, 13400.0, -31.0, -5.0],
        "capacity": [50.0, 30.0, 20.0, 1.0, 1.0]})
    out = enterprise.benchmark(plants, edition="2023")
    assert out.plants["status"].tolist() == ["at_or_better_than_benchmark", "between",
                                             "worse_than_baseline",
                                             "at_or_better_than_benchmark", "worse_than_baseline"]
    np.testing.assert_allclose(out.plants["gap_to_benchmark"], [-20, 200, 400, -1, 25])
    np.testing.assert_allclose(out.plants["gap_to_baseline"], [-370, -150, 50, -21, 5])
    al = out.products.loc["electrolytic_aluminium"]
    assert al["share_at_benchmark"] == pytest.approx(0.5)
    assert al["share_worse_than_baseline"] == pytest.approx(0.2)
    assert bool(al["benchmark_target_met"]) is True  # > 30 % of capacity at benchmark
    assert al["capacity_to_upgrade_or_retire"] == 20.0


def test_units_and_energy_inputs():
    glass = pd.DataFrame({"facility": ["G"], "product": ["flat_glass_800tpd_plus"],
                          "specific_energy": [13.0], "unit": ["kgce/weight_box"],
                          "capacity": [1.0]})
    row = enterprise.benchmark(glass).plants.iloc[0]
    assert row["specific_energy"] == pytest.approx(260.0) and row["status"] == (
        "worse_than_baseline")
    clinker = pd.DataFrame({"facility": ["K"], "product": ["cement_clinker"],
                            "energy_tce": [105_000.0], "output_t": [1.0e6], "capacity": [1.0]})
    assert enterprise.benchmark(clinker).plants["specific_energy"].iloc[0] == pytest.approx(105)
    bad = clinker.assign(product="widgets")
    with pytest.raises(ActivityDataError, match="widgets"):
        enterprise.benchmark(bad)
