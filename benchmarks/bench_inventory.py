"""compute_inventory on seeded facility x fuel x month rows against a plain pandas
merge + groupby doing the same arithmetic, in the same run.

Run: ``pytest benchmarks --benchmark-only -s``. The ratio (pandas median / ours median) and the
peak traced memory of both are printed and written to ``benchmarks/results/inventory.txt``.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from baseline import factor_tables, pandas_inventory
from synthetic import facility_rows

import carbonledger as cl

RESULTS: dict = {}


@pytest.fixture(scope="module", params=[10**5, 10**6], ids=["1e5", "1e6"])
def case(request):
    lib = cl.load_factors()
    frame = facility_rows(request.param)
    pairs, wide, gwp = factor_tables(frame, lib)
    return request.param, frame, lib, (pairs, wide, gwp)


def _ours(frame, lib):
    return cl.compute_inventory(frame, factors=lib).summary(by=["sector", "gas"])


def _ours_long(frame, lib):
    """The same, and the long result table (3 rows per fuel row) built as well: what a caller
    who reads ``inv.results`` or ``inv.table`` pays on top of the summary."""
    inv = cl.compute_inventory(frame, factors=lib)
    assert len(inv.results) == 3 * len(frame)
    return inv.summary(by=["sector", "gas"])


def _peak_mib(function) -> float:
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _check_same_numbers(frame, lib, tables):
    """Both pipelines give the same sector x gas sums (to 1e-9) before either is timed."""
    ours = _ours(frame, lib)["co2e_t"]
    base = pandas_inventory(frame, *tables)
    base.index = base.index.set_levels([lvl.astype(str) for lvl in base.index.levels])
    joined = ours.to_frame("ours").join(base.rename("pandas"), how="outer")
    np.testing.assert_allclose(joined["ours"], joined["pandas"], rtol=1e-9)


def test_compute_inventory(benchmark, case):
    n, frame, lib, tables = case
    _check_same_numbers(frame, lib, tables)
    benchmark.pedantic(_ours, args=(frame, lib), rounds=5, warmup_rounds=1)
    RESULTS.setdefault(n, {})["ours"] = benchmark.stats.stats.median
    RESULTS[n]["ours_peak_mib"] = _peak_mib(lambda: _ours(frame, lib))


def test_compute_inventory_with_long_table(benchmark, case):
    n, frame, lib, _ = case
    benchmark.pedantic(_ours_long, args=(frame, lib), rounds=5, warmup_rounds=1)
    RESULTS.setdefault(n, {})["ours_long"] = benchmark.stats.stats.median


def test_pandas_baseline(benchmark, case):
    n, frame, _, tables = case
    benchmark.pedantic(pandas_inventory, args=(frame, *tables), rounds=5, warmup_rounds=1)
    RESULTS.setdefault(n, {})["pandas"] = benchmark.stats.stats.median
    RESULTS[n]["pandas_peak_mib"] = _peak_mib(lambda: pandas_inventory(frame, *tables))
    _report(n)


def _report(n: int) -> None:
    result = RESULTS[n]
    if "ours" not in result:
        return
    ratio = result["pandas"] / result["ours"]
    long = result.get("ours_long")
    with_long = (f"; with the long result table built too {long:.3f} s, ratio "
                 f"{result['pandas'] / long:.2f}x" if long else "")
    line = (f"{time.strftime('%Y-%m-%d %H:%M')} rows={n:,}: compute_inventory "
            f"{result['ours']:.3f} s (peak {result['ours_peak_mib']:.0f} MiB), pandas merge+"
            f"groupby {result['pandas']:.3f} s (peak {result['pandas_peak_mib']:.0f} MiB); "
            f"speed ratio pandas/ours = {ratio:.2f}x{with_long}")
    print("\n" + line)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    with (out / "inventory.txt").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
