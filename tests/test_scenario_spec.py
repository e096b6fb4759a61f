"""Scenario specs: loading, inheritance and the ScenarioSpecError of each malformed file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from carbonledger.errors import ScenarioSpecError
from carbonledger.scenario import load_spec, run_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
ROWS = pd.DataFrame({"year": [2020, 2020], "sector": ["steel", "residential"],
                     "activity": ["fuel_combustion"] * 2, "item": ["coke", "raw_coal"],
                     "value": [10.0, 1.0], "unit": ["wan_t", "wan_t"]})


def small(**extra) -> dict:
    spec = {"inventory": {"activity": ROWS, "base_year": 2020},
            "years": {"start": 2020, "end": 2030}}
    spec.update(extra)
    return spec


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_scenario_loads_and_inherits_the_baseline():
    names = sorted(p.stem for p in SCENARIOS.glob("*.toml"))
    assert names == ["baseline", "buildings", "coal_substitution", "industrial_restructuring",
                     "peak_before_2030", "renewables", "sinks", "transport"]
    base = load_spec(SCENARIOS / "baseline.toml")
    assert base.levers == ()
    for name in names:
        spec = load_spec(SCENARIOS / f"{name}.toml")
        assert spec.name == name
        assert str(SCENARIOS / "baseline.toml") == spec.chain[0]
        # only levers are added: every table equals the baseline's (names aside)
        same = {k: v for k, v in spec.data.items() if k not in ("name", "title", "description")}
        ref = {k: v for k, v in base.data.items() if k not in ("name", "title", "description")}
        assert same == ref, name
    combined = load_spec(SCENARIOS / "peak_before_2030.toml")
    parts = set()
    for name in ("industrial_restructuring", "renewables", "coal_substitution", "transport",
                 "buildings", "sinks"):
        parts |= {lv.name for lv in load_spec(SCENARIOS / f"{name}.toml").levers}
    assert {lv.name for lv in combined.levers} == parts


def test_unknown_key_names_file_key_and_fix(tmp_path):
    path = write(tmp_path, "typo.toml", '[years]\nstart = 2020\nend = 2030\n'
                 '[sectors.steel.activty]\ngrowth = 0.01\n')
    with pytest.raises(ScenarioSpecError, match="unknown key 'activty'") as err:
        load_spec(path)
    assert err.value.key == "sectors.steel.activty"
    assert err.value.file == str(path.resolve())
    assert "did you mean 'activity'" in err.value.fix


def test_share_outside_0_1(tmp_path):
    path = write(tmp_path, "share.toml", '[[levers]]\nname = "nev"\nkind = "share_shift"\n'
                 'sector = "transport"\nfrom = "gasoline"\nto = "electricity"\nshare = 1.4\n'
                 'year = 2030\n')
    with pytest.raises(ScenarioSpecError, match="share 1.4 is outside 0..1") as err:
        load_spec(path)
    assert err.value.key == "levers.nev.share"
    assert "typo.toml" not in str(err.value) and "share.toml" in str(err.value)


def test_share_distribution_must_stay_within_0_1():
    spec = small(levers=[{"name": "x", "kind": "stock_shift", "sector": "steel", "ratio": 0.5,
                          "year": 2030, "share": {"dist": "normal", "mean": 0.5, "sd": 0.2}}])
    with pytest.raises(ScenarioSpecError, match="bounded within 0..1"):
        load_spec(spec)


def test_lever_on_a_path_that_does_not_exist():
    spec = small(levers=[{"name": "cut", "kind": "rate", "path": "sectors.stel.activity",
                          "rate": -0.01}])
    with pytest.raises(ScenarioSpecError, match="does not exist") as err:
        run_scenario(spec)
    assert err.value.key == "levers.cut.path"
    assert "sectors.steel.activity" in err.value.fix


def test_share_shift_to_an_item_the_sector_does_not_use():
    spec = small(levers=[{"name": "x", "kind": "share_shift", "sector": "steel",
                          "from": "coke", "to": "electricity", "share": 0.2, "year": 2030}])
    with pytest.raises(ScenarioSpecError, match="no base-year rows of 'electricity'") as err:
        run_scenario(spec)
    assert err.value.key == "levers.x.to"


def test_sector_without_base_rows():
    with pytest.raises(ScenarioSpecError, match="'cement' has no base-year rows") as err:
        run_scenario(small(sectors={"cement": {"activity": {"growth": 0.01}}}))
    assert err.value.key == "sectors.cement"


def test_years_out_of_order(tmp_path):
    path = write(tmp_path, "years.toml", "[years]\nstart = 2020\nend = 2010\n")
    with pytest.raises(ScenarioSpecError, match="end 2010 is not after start 2020") as err:
        load_spec(path)
    assert err.value.key == "years.end"
    bad = small(sectors={"steel": {"activity": {"values": {"2030": 1.0, "2025": 2.0}}}})
    with pytest.raises(ScenarioSpecError, match="out of order"):
        load_spec(bad)
    lever = small(levers=[{"name": "t", "kind": "target", "path": "sectors.steel.activity",
                           "start": 2030, "year": 2025, "value": 1.0}])
    with pytest.raises(ScenarioSpecError, match="before start"):
        load_spec(lever)


def test_bad_lever_kind_and_missing_keys():
    with pytest.raises(ScenarioSpecError, match="unknown lever kind 'ramp'"):
        load_spec(small(levers=[{"name": "a", "kind": "ramp", "path": "x"}]))
    with pytest.raises(ScenarioSpecError, match="needs 'rate'") as err:
        load_spec(small(levers=[{"name": "a", "kind": "rate", "path": "macro.gdp"}]))
    assert err.value.key == "levers.a.rate"
    with pytest.raises(ScenarioSpecError, match="has no meaning for a rate lever"):
        load_spec(small(levers=[{"name": "a", "kind": "rate", "path": "macro.gdp",
                                 "rate": 0.1, "share": 0.2}]))


def test_bad_distribution_names_the_address():
    spec = small(sectors={"steel": {"activity": {"growth": {"dist": "normal", "mean": 0.0}}}})
    with pytest.raises(ScenarioSpecError, match="bad distribution") as err:
        load_spec(spec)
    assert err.value.key == "sectors.steel.activity.growth"


def test_correlation_of_an_unknown_parameter(tmp_path):
    path = write(tmp_path, "corr.toml", '[macro.gdp]\nbase = 1.0\n'
                 'growth = {dist = "uniform", low = 0.0, high = 0.1}\n'
                 '[correlations]\n"macro.gdp.growth" = {"macro.gdp.base" = 0.5}\n')
    with pytest.raises(ScenarioSpecError, match="not a drawn number"):
        load_spec(path)


def test_inheritance_overrides_levers_by_name_and_detects_loops(tmp_path):
    write(tmp_path, "parent.toml", '[years]\nstart = 2020\nend = 2030\n[[levers]]\n'
          'name = "a"\nkind = "rate"\npath = "macro.gdp"\nrate = 0.01\n')
    child = write(tmp_path, "child.toml", 'base = "parent.toml"\n[years]\nend = 2040\n'
                  '[[levers]]\nname = "a"\nrate = 0.02\n[[levers]]\nname = "b"\n'
                  'kind = "rate"\npath = "macro.gdp"\nrate = 0.03\n')
    spec = load_spec(child)
    assert spec.data["years"] == {"start": 2020, "end": 2040}
    assert [(lv.name, lv.get("rate")) for lv in spec.levers] == [("a", 0.02), ("b", 0.03)]
    assert spec.levers[0].file == str(child.resolve())
    write(tmp_path, "loop_a.toml", 'base = "loop_b.toml"\n')
    write(tmp_path, "loop_b.toml", 'base = "loop_a.toml"\n')
    with pytest.raises(ScenarioSpecError, match="inheritance loops"):
        load_spec(tmp_path / "loop_a.toml")


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "broken.toml", "[years\nstart = 2020\n")
    with pytest.raises(ScenarioSpecError, match="not valid TOML") as err:
        load_spec(path)
    assert "broken.toml" in str(err.value)


def test_missing_scenario_file():
    with pytest.raises(ScenarioSpecError, match="does not exist"):
        run_scenario("no/such/scenario.toml")
