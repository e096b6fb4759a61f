"""Scenario runner: vectorized Monte Carlo against a straightforward Python-loop implementation
of the same model, in the same run; and the example city's ``peak_before_2030`` at 10,000 draws.

Run: ``pytest benchmarks/bench_scenario.py --benchmark-only -s``. Printed (and written to
``benchmarks/results/scenario.txt``):

* the per-draw time of the vectorized runner (10,000 draws x 41 years x 20 demand sectors plus
  the power module) and of the Python loop (1,000 draws of the same model, checked equal to the
  vectorized result draw by draw), and their ratio (goal: >= 100x);
* the time of a 10,000-draw run of ``scenarios/peak_before_2030.toml`` (goal: about 1 s, for
  interactive use; the base inventory is computed once per process and excluded);
* the peak traced memory (tracemalloc) of both 10,000-draw runs (goal: < 0.5 GiB).
"""

from __future__ import annotations

import math
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carbonledger.scenario.projection import Resolver, compile_model, evaluate
from carbonledger.scenario.runner import _draw_values, run_scenario
from carbonledger.scenario.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
RESULTS: dict = {}
SECTORS = ("steel", "nonferrous", "chemicals", "pulp_paper", "food", "building_materials",
           "machinery", "mining_quarrying", "textiles", "construction", "other_industry",
           "heat_supply", "coking", "transport", "oil_gas_extraction", "commercial",
           "residential", "agriculture", "petroleum_refining", "coal_mining")
YEARS = 41
START, SHIFT_YEAR = 2024, 2032
#: the fuel each sector's share shift moves to natural gas (transport has no coal factors)
FROM = {s: ("gasoline" if s == "transport" else "raw_coal") for s in SECTORS}


def synthetic_rows(seed: int = 20240601) -> pd.DataFrame:
    """Base-year rows: 20 sectors x (coal, gas, diesel, electricity) and a power sector."""
    rng = np.random.default_rng(seed)
    rows = []
    for sector in SECTORS:
        for activity, item, unit, scale in (("fuel_combustion", FROM[sector], "wan_t", 20.0),
                                            ("fuel_combustion", "natural_gas", "yi_m3", 0.5),
                                            ("fuel_combustion", "diesel", "wan_t", 2.0),
                                            ("energy_consumption", "electricity", "yi_kWh", 8.0)):
            rows.append((2020, sector, activity, item, scale * rng.uniform(0.2, 1.8), unit, "",
                         ""))
    demand = sum(r[4] for r in rows if r[3] == "electricity")
    pv, wind, imports = 10.0, 6.0, 20.0
    exports = 5.0
    losses = 0.03 * demand
    thermal = (demand + losses + exports - pv - wind - imports) / (1 - 0.06)
    rows += [(2020, "power", "fuel_combustion", "raw_coal", thermal * 3.1, "wan_t", "", ""),
             (2020, "power", "transformation_output", "electricity", thermal, "yi_kWh", "", ""),
             (2020, "power", "energy_consumption", "electricity", 0.06 * thermal, "yi_kWh", "",
              ""),
             (2020, "power", "losses", "electricity", losses, "yi_kWh", "", ""),
             (2020, "power", "electricity_import", "electricity", imports, "yi_kWh",
              "northwest", ""),
             (2020, "power", "electricity_export", "electricity", exports, "yi_kWh",
              "northwest", ""),
             (2020, "power", "renewable_electricity", "electricity", pv, "yi_kWh", "", "pv"),
             (2020, "power", "renewable_electricity", "electricity", wind, "yi_kWh", "",
              "wind")]
    return pd.DataFrame(rows, columns=["year", "sector", "activity", "item", "value", "unit",
                                       "region", "technology"])


def synthetic_spec(rows: pd.DataFrame) -> dict:
    """20 sectors driven by GDP with uncertain elasticities and efficiency rates, a coal-to-gas
    share shift in each, PV additions and an uncertain export share: 64 drawn numbers."""
    sectors = {s: {"activity": {"driver": "gdp", "elasticity": {
        "dist": "uniform", "low": 0.2, "high": 1.2}},
        "intensity": {"growth": {"dist": "normal", "mean": -0.02, "sd": 0.01}}}
        for s in SECTORS}
    levers = [{"name": f"gas_{s}", "kind": "share_shift", "sector": s, "from": FROM[s],
               "to": "natural_gas", "share": {"dist": "uniform", "low": 0.1, "high": 0.6},
               "start": START, "year": SHIFT_YEAR, "ratio": 0.9} for s in SECTORS]
    levers.append({"name": "pv", "kind": "additions", "path": "power.tech.pv.capacity",
                   "schedule": {"2026": {"dist": "uniform", "low": 100.0, "high": 900.0},
                                "2030": {"dist": "uniform", "low": 100.0, "high": 900.0}}})
    return {"name": "synthetic_20_sectors", "inventory": {"activity": rows, "base_year": 2020},
            "years": {"start": 2020, "end": 2020 + YEARS - 1},
            "macro": {"gdp": {"base": 100.0, "growth": {"dist": "normal", "mean": 0.05,
                                                         "sd": 0.01}}},
            "sectors": sectors,
            "power": {"export_share_of_new_renewables": {"dist": "uniform", "low": 0.0,
                                                          "high": 0.5},
                      "tech": {"pv": {"capacity": {"base": 1000.0}}}},
            "levers": levers}


def loop_projection(model, values: dict, n: int) -> np.ndarray:
    """The same model, written the straightforward way: Python loops over draws, years,
    sectors and rows with scalar arithmetic. Returns CO2 (scope 1 + scope 2, t), draws x
    years. Supports exactly the features the synthetic spec uses."""
    rows = model.ledger.rows
    w = model.weights
    co2_w = w[:, 0]
    s2_w = w[:, 3]
    sector_of = rows["sector"].tolist()
    item_of = rows["item"].tolist()
    kind_of = rows["activity"].tolist()
    tj = rows["energy_tj"].tolist()
    tce = rows["tce"].tolist()
    pm = model.power
    out = np.zeros((n, YEARS))
    for d in range(n):
        g = values["macro.gdp.growth"][d]
        share = values["power.export_share_of_new_renewables"][d]
        add26 = values["levers.pv.schedule.2026"][d]
        add30 = values["levers.pv.schedule.2030"][d]
        for t in range(YEARS):
            year = 2020 + t
            gdp_ratio = (1.0 + g) ** t
            total = 0.0
            demand = 0.0
            for sector in SECTORS:
                e = values[f"sectors.{sector}.activity.elasticity"][d]
                r = values[f"sectors.{sector}.intensity.growth"][d]
                x_max = values[f"levers.gas_{sector}.share"][d]
                activity = gdp_ratio ** e
                intensity = (1.0 + r) ** t
                x = x_max * min(max((year - START) / (SHIFT_YEAR - START), 0.0), 1.0)
                coal0 = gas0 = 0.0
                for i in range(len(rows)):
                    if sector_of[i] == sector and item_of[i] == FROM[sector]:
                        coal0 += abs(tce[i])
                    if sector_of[i] == sector and item_of[i] == "natural_gas":
                        gas0 += abs(tce[i])
                for i in range(len(rows)):
                    if sector_of[i] != sector:
                        continue
                    m = activity * intensity
                    if item_of[i] == FROM[sector]:
                        m *= 1.0 - x
                    elif item_of[i] == "natural_gas":
                        m *= 1.0 + 0.9 * x * coal0 / gas0
                    total += co2_w[i] * m
                    if item_of[i] == "electricity":
                        demand += tj[i] * m
            cap_ratio = (1000.0 + (add26 if year >= 2026 else 0.0)
                         + (add30 if year >= 2030 else 0.0)) / 1000.0
            g_re = pm.tech_g0_tj["pv"] * cap_ratio + pm.tech_g0_tj["wind"]
            g_re0 = pm.tech_g0_tj["pv"] + pm.tech_g0_tj["wind"]
            exports = max(pm.export0_tj + share * (g_re - g_re0), 0.0)
            loss_rate = pm.loss0_tj / pm.d0_tj
            need = (demand * (1 + loss_rate) + exports - g_re - pm.import0_tj
                    - pm.stat_diff_tj) / (1 - pm.own_rate)
            thermal = max(need, 0.0)
            imports = pm.import0_tj
            exports += max(-need, 0.0) * (1 - pm.own_rate)
            for i in range(len(rows)):
                if sector_of[i] != "power":
                    continue
                if kind_of[i] == "fuel_combustion":
                    total += co2_w[i] * thermal / pm.g_th0_tj
                elif kind_of[i] == "electricity_import":
                    total += s2_w[i] * imports / pm.import0_tj
                elif kind_of[i] == "electricity_export":
                    total += s2_w[i] * exports / pm.export0_tj
            out[d, t] = total
    return out


@pytest.fixture(scope="module")
def synthetic():
    spec = load_spec(synthetic_spec(synthetic_rows()))
    model = compile_model(spec)          # the base inventory, once (not timed)
    return spec, model


def _peak_mib(function) -> float:
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def test_vectorized_10000_draws(benchmark, synthetic):
    spec, model = synthetic
    assert len(model.distributions) == 64
    result = benchmark.pedantic(run_scenario, args=(spec,), kwargs={"draws": 10_000, "seed": 1},
                                rounds=3, iterations=1)
    assert result.samples.shape == (10_000, YEARS, 11)
    RESULTS["vectorized_s"] = benchmark.stats.stats.median
    RESULTS["vectorized_mib"] = _peak_mib(lambda: run_scenario(spec, draws=10_000, seed=1))


def test_python_loop_1000_draws(benchmark, synthetic):
    spec, model = synthetic
    n = 1_000
    values = _draw_values(model, n, 1)
    vectorized = evaluate(model, Resolver(values, n))["outputs"]
    expected = vectorized[..., 0] + vectorized[..., 3]
    check = loop_projection(model, values, 20)
    np.testing.assert_allclose(check, expected[:20], rtol=1e-9)   # the same model
    started = time.perf_counter()
    benchmark.pedantic(loop_projection, args=(model, values, n), rounds=1, iterations=1)
    RESULTS["loop_s"] = time.perf_counter() - started


def test_peak_before_2030_10000_draws(benchmark):
    path = ROOT / "scenarios" / "peak_before_2030.toml"
    run_scenario(path)                   # base inventory, once (not timed)
    result = benchmark.pedantic(run_scenario, args=(path,), kwargs={"draws": 10_000, "seed": 1},
                                rounds=3, iterations=1)
    RESULTS["city_s"] = benchmark.stats.stats.median
    RESULTS["city_mib"] = _peak_mib(lambda: run_scenario(path, draws=10_000, seed=1))
    RESULTS["city_p_peak_by_2030"] = result.p_peak_by(2030)
    RESULTS["city_parameters"] = len(result.parameters.columns)
    if all(k in RESULTS for k in ("vectorized_s", "loop_s")):
        _report()


def _report():
    per_vec = RESULTS["vectorized_s"] / 10_000
    per_loop = RESULTS["loop_s"] / 1_000
    ratio = per_loop / per_vec
    lines = [
        "scenario runner benchmark (20 sectors + power, 41 years)",
        f"vectorized: 10,000 draws in {RESULTS['vectorized_s']:.3f} s "
        f"({per_vec * 1e6:.1f} us/draw), peak traced memory {RESULTS['vectorized_mib']:.0f} MiB",
        f"python loop: 1,000 draws in {RESULTS['loop_s']:.2f} s ({per_loop * 1e3:.2f} ms/draw)",
        f"per-draw ratio: {ratio:,.0f}x (goal >= 100x)",
        f"peak_before_2030 (example city, {RESULTS['city_parameters']} drawn numbers): 10,000 "
        f"draws in {RESULTS['city_s']:.3f} s, peak traced memory {RESULTS['city_mib']:.0f} MiB, "
        f"P(peak <= 2030) = {RESULTS['city_p_peak_by_2030']:.3f}",
    ]
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "scenario.txt").write_text(text + "\n", encoding="utf-8")
    assert ratio >= 100
    assert RESULTS["vectorized_mib"] < 512 and RESULTS["city_mib"] < 512
    assert math.isfinite(RESULTS["city_s"])
