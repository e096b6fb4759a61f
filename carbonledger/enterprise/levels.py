"""Plants against the national energy-efficiency benchmark (标杆) and baseline (基准) levels.

The levels are factor data (``factors/efficiency_levels/<edition>/``): the 2021 edition
(发改产业〔2021〕1609号) and the 2023 edition (发改产业〔2023〕723号), and the grades of the
mandatory GB energy-limit standards (``gb_limits``) where they differ. Lower specific energy use
is better (the converter levels are negative: energy recovered exceeds energy used).

Policy targets (the editions' own words, paraphrased): by 2025 more than 30 % of capacity at or
better than the benchmark level, and capacity worse than the baseline level upgraded or retired.

Examples
--------
>>> import pandas as pd
>>> plants = pd.DataFrame({"facility": ["A", "B", "C"], "product": ["cement_clinker"] * 3,
...     "specific_energy": [98.0, 110.0, 120.0], "capacity": [1.0, 1.0, 2.0]})
>>> out = benchmark(plants)
>>> out.plants["status"].tolist()
['at_or_better_than_benchmark', 'between', 'worse_than_baseline']
>>> float(out.products.loc["cement_clinker", "share_at_benchmark"])
0.25
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ActivityDataError, MissingFactorError
from ..inventory import _library
from ..units import unit_scale

__all__ = ["benchmark", "BenchmarkResult", "levels", "BENCHMARK_SHARE_TARGET"]

#: Policy target: share of capacity at or better than the benchmark level by 2025.
BENCHMARK_SHARE_TARGET = 0.30
_WEIGHT_BOX_T = 0.05  # 重量箱: 50 kg of 2 mm flat glass


@dataclass(frozen=True)
class BenchmarkResult:
    """Per plant (``plants``) and per product (``products``) benchmarking tables."""

    plants: pd.DataFrame
    products: pd.DataFrame


def levels(*, edition: str = "2023", factors=None) -> pd.DataFrame:
    """The benchmark and baseline levels of an edition: product, benchmark, baseline, unit,
    factor ids (and the GB grades where the library has them).

    Examples
    --------
    >>> lv = levels(edition="2021")
    >>> [float(lv.loc["electrolytic_aluminium", c]) for c in ("benchmark", "baseline")]
    [13000.0, 13350.0]
    """
    lib = _library(factors)
    source = f"efficiency_levels/{edition}"
    table = lib.table("efficiency_levels")
    table = table[table["source"] == source]
    if table.empty:
        raise MissingFactorError(f"no efficiency levels of edition {edition!r}",
                                 fix="use edition '2021' or '2023'")
    rows = []
    for product in pd.unique(table["item"]):
        bench = lib.get("benchmark_level", product, source=source)
        base = lib.get("baseline_level", product, source=source, unit=bench.unit)
        row = {"product": product, "benchmark": bench.value, "baseline": base.value,
               "unit": bench.unit, "factor_id": f"{bench.factor_id}+{base.factor_id}"}
        for grade in ("grade_1", "grade_3"):
            try:
                row[f"gb_{grade}"] = lib.get(grade, product, source="efficiency_levels/gb_limits",
                                             unit=bench.unit).value
            except MissingFactorError:
                row[f"gb_{grade}"] = np.nan
        rows.append(row)
    return pd.DataFrame(rows).set_index("product")


def _scale(unit: str, target: str) -> float:
    if "weight_box" in unit:
        numerator = unit.split("/")[0]
        return unit_scale(numerator, target.split("/")[0]) / _WEIGHT_BOX_T
    return unit_scale(unit, target)


def benchmark(plants: pd.DataFrame, *, edition: str = "2023", factors=None) -> BenchmarkResult:
    """Specific energy use of each plant against the edition's levels.

    Parameters
    ----------
    plants : one row per plant: ``facility``, ``product`` (a product id of :func:`levels`),
        ``capacity`` (any consistent unit), and either ``specific_energy`` (in ``unit``,
        default the level's unit; ``kgce/weight_box`` accepted for flat glass) or
        ``energy_tce`` with ``output_t`` (kgce per t is then computed).
    edition : ``"2021"`` or ``"2023"``.

    Returns
    -------
    BenchmarkResult
        ``plants``: specific energy (level unit), benchmark, baseline, status
        (``at_or_better_than_benchmark``, ``between``, ``worse_than_baseline``), gaps to each
        level (value - level; positive = worse) and the gap in percent of the level's magnitude.
        ``products``: capacity, shares at benchmark and worse than baseline, whether the
        > 30 % benchmark-share target is met, and the capacity to upgrade or retire.

    Raises
    ------
    ActivityDataError
        Missing columns or an unknown product (named).
    """
    table = levels(edition=edition, factors=factors)
    frame = plants.copy()
    for column in ("facility", "product", "capacity"):
        if column not in frame.columns:
            raise ActivityDataError(f"plants table lacks column {column!r}",
                                    fix="give facility, product, capacity and specific_energy")
    unknown = ~frame["product"].isin(table.index)
    if unknown.any():
        raise ActivityDataError(f"unknown product(s) {sorted(frame['product'][unknown].unique())}",
                                rows=frame.index[unknown].tolist(),
                                fix=f"use one of {sorted(table.index)}")
    level = table.loc[frame["product"]]
    if "specific_energy" in frame.columns:
        given = frame["unit"] if "unit" in frame.columns else level["unit"].to_numpy()
        units = pd.Series(np.asarray(given, dtype=object), index=frame.index).fillna(
            pd.Series(level["unit"].to_numpy(), index=frame.index))
        scale = np.array([_scale(u, t) for u, t in zip(units, level["unit"], strict=True)])
        value = frame["specific_energy"].to_numpy(dtype="float64") * scale
    elif {"energy_tce", "output_t"} <= set(frame.columns):
        scale = np.array([unit_scale("kgce/t", t) for t in level["unit"]])
        value = frame["energy_tce"].to_numpy(dtype="float64") * 1000.0 / frame[
            "output_t"].to_numpy(dtype="float64") * scale
    else:
        raise ActivityDataError("plants table needs specific_energy, or energy_tce and output_t",
                                fix="give the specific energy use of each plant")
    bench = level["benchmark"].to_numpy()
    base = level["baseline"].to_numpy()
    status = np.where(value <= bench, "at_or_better_than_benchmark",
                      np.where(value > base, "worse_than_baseline", "between"))
    status = np.where(np.isfinite(value), status, "unknown")
    out = frame.assign(specific_energy=value, level_unit=level["unit"].to_numpy(),
                       benchmark=bench, baseline=base, status=status,
                       gap_to_benchmark=value - bench, gap_to_baseline=value - base,
                       gap_to_benchmark_pct=100 * (value - bench) / np.abs(bench),
                       gap_to_baseline_pct=100 * (value - base) / np.abs(base),
                       edition=edition)
    capacity = out["capacity"].astype(float)
    grouped = out.assign(cap=capacity,
                         cap_bench=np.where(status == "at_or_better_than_benchmark", capacity, 0),
                         cap_worse=np.where(status == "worse_than_baseline", capacity, 0)
                         ).groupby("product")
    products = pd.DataFrame({
        "plants": grouped.size(),
        "capacity": grouped["cap"].sum(),
        "capacity_at_benchmark": grouped["cap_bench"].sum(),
        "capacity_worse_than_baseline": grouped["cap_worse"].sum(),
    })
    products["share_at_benchmark"] = products["capacity_at_benchmark"] / products["capacity"]
    products["share_worse_than_baseline"] = (products["capacity_worse_than_baseline"]
                                             / products["capacity"])
    products["benchmark_target_met"] = products["share_at_benchmark"] > BENCHMARK_SHARE_TARGET
    products["capacity_to_upgrade_or_retire"] = products["capacity_worse_than_baseline"]
    products = products.join(table[["benchmark", "baseline", "unit"]])
    return BenchmarkResult(plants=out.reset_index(drop=True), products=products)
