"""The enterprise section of the demo: a synthetic province run end to end.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = demo_section(tmp, n_facilities=40)
>>> sorted(out["paths"])[:3]
['allocation', 'benchmark_plants', 'benchmark_products']
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from ..errors import FactorFallbackWarning
from ..output import write_csv
from .allocation import allocate
from .checks import check
from .levels import benchmark
from .mrv import compute
from .synthetic import province

__all__ = ["demo_section"]


def demo_section(out_dir, *, n_facilities: int = 300, seed: int = 7, year: int = 2022) -> dict:
    """Generate a synthetic province, run compute, check, benchmark and allocate, write CSVs.

    Returns ``{"paths": {name: Path}, "summary": str, "numbers": dict}``; ``summary`` is a short
    printable text for the demo's console output.
    """
    out_dir = Path(out_dir)
    data = province(n_facilities, seed=seed, year=year)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FactorFallbackWarning)
        result = compute(data["rows"], by=("facility", "year", "industry"))
        findings = check(data["rows"].head(20_000))
    bench = benchmark(data["plants"], edition="2023")
    units = data["units"]
    alloc = allocate(units, year=year, emissions=result)
    paths = {
        "facility_emissions": write_csv(out_dir / "enterprise_facility_emissions.csv", result.table),
        "quality_findings": write_csv(out_dir / "enterprise_quality_findings.csv",
                                   findings.assign(rows=findings["rows"].map(len))),
        "benchmark_plants": write_csv(out_dir / "enterprise_benchmark_plants.csv", bench.plants),
        "benchmark_products": write_csv(out_dir / "enterprise_benchmark_products.csv",
                                     bench.products.reset_index()),
        "allocation": write_csv(out_dir / "enterprise_allocation.csv", alloc),
    }
    table = result.table
    numbers = {
        "facilities": int(table["facility"].nunique()),
        "rows": int(result.input_rows),
        "total_co2e_mt": float(table["total_co2e_t"].sum() / 1e6),
        "direct_co2e_mt": float(table["direct_co2e_t"].sum() / 1e6),
        "indirect_co2e_mt": float(table["indirect_co2e_t"].sum() / 1e6),
        "conservative_rows": int(table["rows_conservative_default"].sum()),
        "findings": int(len(findings)),
        "plants_worse_than_baseline": int((bench.plants["status"] == "worse_than_baseline").sum()),
        "power_units": int(len(alloc)),
        "allowance_deficit_mt": float(-alloc.loc[alloc["surplus_t"] < 0, "surplus_t"].sum() / 1e6),
    }
    shares = bench.products["share_at_benchmark"]
    lines = [
        f"Enterprise ledger: synthetic province, {numbers['facilities']} facilities, "
        f"{numbers['rows']:,} facility x fuel x month rows ({year})",
        f"  emissions {numbers['total_co2e_mt']:.2f} Mt CO2e (direct {numbers['direct_co2e_mt']:.2f}"
        f", indirect {numbers['indirect_co2e_mt']:.2f}); {numbers['conservative_rows']} coal rows "
        "at the conservative high default",
        f"  data quality: {numbers['findings']} findings on the first 20,000 rows",
        f"  benchmarking (2023 levels): {numbers['plants_worse_than_baseline']} plants worse than "
        f"baseline; capacity share at benchmark {np.nanmin(shares):.0%}..{np.nanmax(shares):.0%}"
        " by product (target > 30 %)",
        f"  allowances: {numbers['power_units']} power facilities, deficit "
        f"{numbers['allowance_deficit_mt']:.2f} Mt",
    ]
    return {"paths": paths, "summary": "\n".join(lines), "numbers": numbers}
