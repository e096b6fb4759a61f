"""Key category analysis, IPCC 2006 Vol.1 Ch.4 (Eq. 4.1-4.5), on a hand-computed inventory."""

from __future__ import annotations

import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.quality import key_categories
from tests.test_quality_uncertainty import make_inventory

#: (category, gas, sector, base 2015, latest 2022, factor 95 % range as a fraction)
CATEGORIES = [
    ("1.A.1", "CO2", "energy", 500.0, 600.0, 0.05),
    ("1.A.3", "CO2", "energy", 100.0, 200.0, 0.05),
    ("2.A.1", "CO2", "ippu", 150.0, 100.0, 0.12),
    ("3.A.1", "CH4", "agriculture", 50.0, 50.0, 0.50),
    ("3.B.1", "CO2", "lulucf", -200.0, -300.0, 0.30),
    ("4.A.1", "CH4", "waste", 0.0, 30.0, 0.80),
]


@pytest.fixture()
def inventory():
    records, factors = [], {}
    for category, gas, sector, base, latest, u in CATEGORIES:
        fid = f"test/1:t:{category}|ef"
        factors[fid] = (1.0, 1.0 - u, 1.0 + u)
        for year, value in ((2015, base), (2022, latest)):
            if value:
                records.append((year, category, gas, value, fid, sector, 0.0))
    return make_inventory(records, factors)


def _keys(table, column="key"):
    return sorted(c for (c, _), on in table[column].items() if on)


def test_level_assessment_approach1_matches_hand_computation(inventory):
    """Eq. 4.1 with absolute values: sum |E_2022| = 600+200+100+50+300+30 = 1280.
    Shares: 1.A.1 0.46875, 3.B.1 0.234375, 1.A.3 0.15625, 2.A.1 0.078125, 3.A.1 0.0390625,
    4.A.1 0.0234375; cumulative before 3.A.1 = 0.9375 < 95 % (key), before 4.A.1 = 0.9766."""
    table = key_categories(inventory, year=2022)
    assert [c for c, _ in table.index] == ["1.A.1", "3.B.1", "1.A.3", "2.A.1", "3.A.1", "4.A.1"]
    assert table["level_share"].tolist() == pytest.approx(
        [0.46875, 0.234375, 0.15625, 0.078125, 0.0390625, 0.0234375])
    assert _keys(table, "level_key") == ["1.A.1", "1.A.3", "2.A.1", "3.A.1", "3.B.1"]
    assert table["trend_assessment"].isna().all()


def test_trend_assessment_approach1_matches_hand_computation(inventory):
    """Eq. 4.2/4.3: sum E_2015 = 600, sum |E_2015| = 1000, sum E_2022 = 680, trend = 2/15.
    T x 3000: 1.A.1 100, 1.A.3 260, 2.A.1 210, 3.A.1 20, 3.B.1 380, 4.A.1 90 (Eq. 4.3:
    30/1000); sum 1060. Shares 3.B.1 19/53, 1.A.3 13/53, 2.A.1 10.5/53, 1.A.1 5/53,
    4.A.1 4.5/53, 3.A.1 1/53; cumulative before 3.A.1 = 52/53 > 95 %: not key by trend."""
    table = key_categories(inventory, year=2022, base_year=2015)
    trend = table["trend_assessment"].droplevel("gas")
    assert trend.to_dict() == pytest.approx({"1.A.1": 100 / 3000, "1.A.3": 260 / 3000,
                                             "2.A.1": 210 / 3000, "3.A.1": 20 / 3000,
                                             "3.B.1": 380 / 3000, "4.A.1": 90 / 3000})
    assert table.loc[("3.B.1", "CO2"), "trend_share"] == pytest.approx(19 / 53)
    assert _keys(table, "trend_key") == ["1.A.1", "1.A.3", "2.A.1", "3.B.1", "4.A.1"]
    assert table.loc[("4.A.1", "CH4"), "criteria"] == "T1"
    assert table.loc[("3.A.1", "CH4"), "criteria"] == "L1"
    assert table.loc[("1.A.1", "CO2"), "criteria"] == "L1, T1"
    assert bool(table["key"].all())


def test_without_lulucf_and_both(inventory):
    """Without LULUCF: sum |E| = 980; cumulative before 3.A.1 = 900/980 = 0.918 (key),
    before 4.A.1 = 950/980 = 0.969 (not key by level)."""
    table = key_categories(inventory, year=2022, include_lulucf=False)
    assert "3.B.1" not in table.index.get_level_values("category")
    assert table.loc[("1.A.1", "CO2"), "level_share"] == pytest.approx(600 / 980)
    assert _keys(table) == ["1.A.1", "1.A.3", "2.A.1", "3.A.1"]
    both = key_categories(inventory, year=2022, include_lulucf="both")
    assert both.loc[("3.B.1", "CO2"), "key_either"]
    assert not both.loc[("3.B.1", "CO2"), "key_without_lulucf"]


def test_approach2_weights_by_uncertainty_with_90_percent(inventory):
    """Eq. 4.4: L x U: 1.A.1 0.0234375, 3.B.1 0.0703125, 1.A.3 0.0078125, 2.A.1 0.009375,
    3.A.1 0.01953125, 4.A.1 0.01875 (sum 0.14921875); ranked 3.B.1, 1.A.1, 3.A.1, 4.A.1,
    2.A.1, 1.A.3 with cumulative before 1.A.3 = 0.9476 > 90 %: 1.A.3 is not key by level.
    Eq. 4.5: T x U x 3000: 5, 13, 25.2, 10, 114, 72 (sum 239.2); cumulative before 3.A.1 =
    (114+72+25.2+13)/239.2 = 0.9373 > 90 %; 1.A.1 is last."""
    table = key_categories(inventory, year=2022, base_year=2015, approach=2)
    assert table.loc[("2.A.1", "CO2"), "uncertainty_pct"] == pytest.approx(12.0)
    assert [c for c, _ in table.index] == ["3.B.1", "1.A.1", "3.A.1", "4.A.1", "2.A.1", "1.A.3"]
    assert table.loc[("3.B.1", "CO2"), "level_share"] == pytest.approx(0.0703125 / 0.14921875)
    assert _keys(table, "level_key") == ["1.A.1", "2.A.1", "3.A.1", "3.B.1", "4.A.1"]
    assert table.loc[("4.A.1", "CH4"), "trend_share"] == pytest.approx(72 / 239.2)
    assert _keys(table, "trend_key") == ["1.A.3", "2.A.1", "3.B.1", "4.A.1"]
    assert table.loc[("1.A.3", "CO2"), "criteria"] == "T2"


def test_bad_arguments_are_refused(inventory):
    with pytest.raises(ValueError, match="approach"):
        key_categories(inventory, year=2022, approach=3)
    with pytest.raises(ValueError, match="2030"):
        key_categories(inventory, year=2030)


def test_real_inventory_ranks_coal_first():
    """A steel city: coal combustion CO2 dominates the level; natural gas of a new residential
    category appears by trend only."""
    rows = pd.DataFrame({"year": [2020, 2022, 2022], "sector": ["steel", "steel", "residential"],
                         "activity": ["fuel_combustion"] * 3,
                         "item": ["raw_coal", "raw_coal", "natural_gas"],
                         "value": [100.0, 60.0, 2000.0], "unit": ["wan_t", "wan_t", "wan_m3"]})
    table = key_categories(cl.compute_inventory(rows), year=2022, base_year=2020)
    assert table.index[0] == ("1.A.2.a", "CO2")
    assert table.loc[("1.A.4.b", "CO2"), "criteria"] == "T1"
