"""Enterprise ledger at scale: Parquet -> per-facility-year results, against pandas, DuckDB and
polars doing the same join + arithmetic + group-by on the same file.

Run with ``pytest benchmarks/bench_enterprise.py --benchmark-only -s``. The seeded synthetic
province (carbonledger.enterprise.synthetic: ~50 industries, ~25 fuels, 7 units, 3 years) is
written once per size to ``$CARBONLEDGER_BENCH_DIR`` (default: a folder in the system temp
dir). The per-unit coefficient table the other engines join is taken from carbonledger's own
proto table and prepared outside the timing. Every engine runs in a fresh subprocess for its
peak resident memory; the times are medians of ``REPEATS`` runs in that process after one
warm-up run. Ratios and memory are printed and appended to benchmarks/results/enterprise.txt.
DuckDB and polars are optional (``pip install duckdb polars``); missing ones are skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

SIZES = (1_000_000, 10_000_000)
REPEATS = 3
HERE = Path(__file__).parent
KEYS = ["year", "sector", "activity", "item", "unit"]


def bench_dir() -> Path:
    path = Path(os.environ.get("CARBONLEDGER_BENCH_DIR",
                               Path(tempfile.gettempdir()) / "carbonledger_bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def dataset(n_rows: int) -> Path:
    """Folder holding the Parquet file of ``n_rows`` rows and the coefficient table."""
    folder = bench_dir() / f"rows_{n_rows}"
    if not (folder / "coef.parquet").exists():
        _run(f"""
import warnings; warnings.simplefilter("ignore")
from pathlib import Path
from carbonledger import enterprise
from carbonledger.enterprise import synthetic
folder = Path({str(folder)!r}); (folder / "data").mkdir(parents=True, exist_ok=True)
rows = synthetic.facility_rows({n_rows}, seed=2024, years=(2021, 2022, 2023))
synthetic.write_parquet(rows, folder / "data" / "part-0.parquet", row_group_rows=1 << 20)
coef = enterprise.compute(rows.head(2_000_000)).factors
coef = coef[coef["valid"]].drop(columns=["region", "source", "rule", "factor_id", "valid",
                                         "reason"])
coef.to_parquet(folder / "coef.parquet")
print("RESULT:{{}}")
""")
    return folder


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one ``RESULT:`` JSON line."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=HERE.parent)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT:")]
    return json.loads(lines[-1].removeprefix("RESULT:"))


_TIMER = """
import json, resource, statistics, time, warnings
warnings.simplefilter("ignore")
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def timed(fn, repeats):
    first = time.perf_counter(); result = fn(); first = time.perf_counter() - first
    runs = []
    for _ in range(repeats):
        start = time.perf_counter(); fn(); runs.append(time.perf_counter() - start)
    return result, first, statistics.median(runs)
"""

ENGINES = {
    "carbonledger": """
import carbonledger
from carbonledger import enterprise
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
fn = lambda: enterprise.compute(DATA).table
""",
    "pandas": """
import pandas as pd
coef = pd.read_parquet(COEF)
cols = [c for c in coef.columns if c.endswith("_per_unit")]
def fn():
    df = pd.read_parquet(DATA, columns=["facility", *KEYS, "value"])
    for k in ("sector", "activity", "item", "unit"):
        df[k] = df[k].astype(str)
    m = df.merge(coef, on=KEYS, how="left")
    out = pd.DataFrame({"facility": m["facility"], "year": m["year"]})
    for c in cols:
        out[c[:-9]] = m["value"] * m[c]
    return out.groupby(["facility", "year"], observed=True).sum().reset_index()
""",
    "duckdb": """
import duckdb, pandas as pd
coef = pd.read_parquet(COEF)
cols = [c for c in coef.columns if c.endswith("_per_unit")]
con = duckdb.connect(); con.register("coef", coef)
con.execute("SET enable_progress_bar = false")
sums = ", ".join(f"SUM(r.value * c.{c}) AS {c[:-9]}" for c in cols)
query = (f"SELECT r.facility, r.year, {sums} FROM read_parquet('{DATA}') r JOIN coef c "
         "USING (year, sector, activity, item, unit) GROUP BY r.facility, r.year")
fn = lambda: con.execute(query).df()
""",
    "polars": """
import polars as pl, pandas as pd
coef = pl.from_pandas(pd.read_parquet(COEF))
cols = [c for c in coef.columns if c.endswith("_per_unit")]
coef = coef.with_columns([pl.col(k).cast(pl.String) for k in ("sector", "activity", "item",
                                                                "unit")])
def fn():
    rows = pl.scan_parquet(DATA).select(["facility", *KEYS, "value"]).with_columns(
        [pl.col(k).cast(pl.String) for k in ("sector", "activity", "item", "unit")])
    return (rows.join(coef.lazy(), on=KEYS, how="left")
            .group_by(["facility", "year"])
            .agg([(pl.col("value") * pl.col(c)).sum().alias(c[:-9]) for c in cols])
            .collect())
""",
}


def measure(engine: str, folder: Path) -> dict:
    data = folder / "data" / "part-0.parquet"
    code = (_TIMER + f"DATA = {str(data)!r}; COEF = {str(folder / 'coef.parquet')!r}; "
            f"KEYS = {KEYS!r}\n" + ENGINES[engine] + f"""
result, first, median = timed(fn, {REPEATS})
total = float(result["total_co2e_t"].sum()) if "total_co2e_t" in result.columns else float(
    (result["direct_co2e_t"] + result["indirect_co2e_t"]).sum())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT:" + json.dumps({{"first_s": first, "median_s": median, "peak_mib": peak,
                   "base_mib": base_rss, "groups": len(result), "total_co2e_t": total}}))
""")
    return _run(code)


def available(engine: str) -> bool:
    module = {"duckdb": "duckdb", "polars": "polars"}.get(engine)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("n_rows", SIZES)
def test_enterprise_parquet_vs_engines(benchmark, n_rows):
    folder = dataset(n_rows)
    results = {}
    for engine in ENGINES:
        if available(engine):
            results[engine] = measure(engine, folder)
    ours = results["carbonledger"]
    # pytest-benchmark records the in-process (warm) carbonledger run as well
    from carbonledger import enterprise

    data = folder / "data" / "part-0.parquet"
    enterprise.compute(data)
    benchmark.pedantic(enterprise.compute, args=(data,), rounds=REPEATS, iterations=1)
    for engine, res in results.items():
        assert res["groups"] == ours["groups"], engine
        assert abs(res["total_co2e_t"] - ours["total_co2e_t"]) <= 1e-9 * ours["total_co2e_t"]
    stamp = time.strftime("%Y-%m-%d %H:%M")
    parts = [f"{engine} {r['median_s']:.3f} s (first {r['first_s']:.2f} s, peak "
             f"{r['peak_mib']:.0f} MiB, import {r['base_mib']:.0f} MiB)"
             for engine, r in results.items()]
    ratios = [f"ours/{engine} = {ours['median_s'] / r['median_s']:.2f}"
              for engine, r in results.items() if engine != "carbonledger"]
    line = f"{stamp} rows={n_rows:,}: " + "; ".join(parts) + "; ratios " + ", ".join(ratios)
    print("\n" + line)
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "enterprise.txt").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
