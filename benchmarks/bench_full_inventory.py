"""compute_inventory on a synthetic full inventory: every activity kind, 10 years x 100 regions.

Run: ``pytest benchmarks --benchmark-only -s``. Prints the median time of the whole run, the row
count, and a per-kind breakdown (each kind's rows run once through compute_inventory on their
own, outside the benchmark timing), and appends one line to
``benchmarks/results/full_inventory.txt``.

The grid factors of the synthetic years 2014-2020 are not published in the library, so scope 2
falls back to the nearest year with a FactorFallbackWarning; those expected warnings are
silenced here.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from synthetic_full import full_inventory_rows

import carbonledger as cl

YEARS, REGIONS = 10, 100
pytestmark = pytest.mark.filterwarnings("ignore::carbonledger.errors.FactorFallbackWarning")


@pytest.fixture(scope="module")
def full_case():
    lib = cl.load_factors()
    frame = full_inventory_rows(years=YEARS, regions=REGIONS)
    return frame, lib


def _run(frame, lib):
    return cl.compute_inventory(frame, factors=lib)


def _check(frame, lib) -> int:
    """Every kind is present and every row accounted (none rejected); returns result rows."""
    inv = _run(frame, lib)
    kinds = set(cl.activity_kinds().index)
    missing = kinds - set(frame["activity"].astype(str).unique())
    assert not missing, f"synthetic data lacks kinds {sorted(missing)}"
    assert len(inv.rejected) == 0
    assert len(inv.activity) == len(frame)
    accounted = set(inv.column("activity").astype(str).unique())
    energy_only = {"energy_consumption", "losses", "non_energy_use", "renewable_electricity",
                   "transformation_input", "transformation_output"}
    assert kinds - energy_only <= accounted, sorted(kinds - energy_only - accounted)
    assert np.isfinite(inv.results["co2e_t"].to_numpy()).all()
    return len(inv.results)


def _call_overhead_seconds(frame, lib) -> float:
    """Fixed cost of one compute_inventory call (best of 3 on the first row alone)."""
    one = frame.iloc[:1]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        _run(one, lib)
        times.append(time.perf_counter() - start)
    return min(times)


def _per_kind_seconds(frame, lib) -> list[tuple[str, int, float]]:
    """(kind, rows, seconds) of each kind's rows run once on their own, slowest first."""
    out = []
    codes = frame["activity"].cat.codes.to_numpy()
    for code, name in enumerate(frame["activity"].cat.categories):
        mask = codes == code
        if not mask.any():
            continue
        subset = frame.loc[mask]
        start = time.perf_counter()
        _run(subset, lib)
        out.append((str(name), int(mask.sum()), time.perf_counter() - start))
    return sorted(out, key=lambda entry: -entry[2])


def test_full_inventory(benchmark, full_case):
    frame, lib = full_case
    result_rows = _check(frame, lib)
    benchmark.pedantic(_run, args=(frame, lib), rounds=5, warmup_rounds=1)
    stats = benchmark.stats.stats
    breakdown = _per_kind_seconds(frame, lib)
    overhead = _call_overhead_seconds(frame, lib)
    n_kinds = len(breakdown)
    print(f"\nfull inventory: {len(frame):,} activity rows ({n_kinds} kinds, {YEARS} years x "
          f"{REGIONS} regions) -> {result_rows:,} result rows; compute_inventory median "
          f"{stats.median:.3f} s (min {stats.min:.3f}, max {stats.max:.3f})")
    print(f"per kind, each kind's rows run alone (sum {sum(s for _, _, s in breakdown):.3f} s; "
          f"each includes the fixed cost of one call, {overhead:.3f} s on a 1-row frame):")
    print(f"  {'kind':28s} {'rows':>9s} {'seconds':>8s}")
    for name, rows, seconds in breakdown:
        print(f"  {name:28s} {rows:9,d} {seconds:8.3f}")
    slowest = ", ".join(f"{name} {seconds:.3f} s/{rows:,} rows"
                        for name, rows, seconds in breakdown[:5])
    line = (f"{time.strftime('%Y-%m-%d %H:%M')} full inventory rows={len(frame):,} "
            f"kinds={n_kinds} ({YEARS}y x {REGIONS} regions): compute_inventory median "
            f"{stats.median:.3f} s (min {stats.min:.3f}); slowest kinds alone: {slowest}")
    print(line)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    with (out / "full_inventory.txt").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
