"""Real figures of the example city's economy and the targets it is measured against.

Jiayuguan GDP, real growth and population come from shared/reference/public_figures.md §1a
(each value tagged R1/R2 there); values for years without a published figure are marked
``assumption: ...`` in the source columns. Targets come from §4d. Used by generate.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS = np.arange(2015, 2026)

CSMAR = (
    "CSMAR China Regional Economy CRE_Gdpct.csv (city yearbooks) via public_figures.md §1a [CSMAR]"
)


def gdp_table() -> pd.DataFrame:
    """Real Jiayuguan GDP 2015-2021 (R1) and 2023 (R2); assumption-marked 2022, 2024, 2025."""
    nominal = {
        2015: 190.0442,
        2016: 153.4088,
        2017: 209.8721,
        2018: 299.6200,
        2019: 283.4099,
        2020: 281.6003,
        2021: 326.5083,
    }
    growth = {2015: 9.0, 2016: 7.3, 2017: 3.7, 2018: 7.4, 2019: 6.5, 2020: 4.3, 2021: 5.1}
    records = []
    for y in YEARS:
        y = int(y)
        if y in nominal:
            rec = dict(
                gdp_nominal_yi_yuan=nominal[y],
                real_growth_pct=growth[y],
                gdp_source=f"{CSMAR}; tag R1",
                growth_source=f"{CSMAR} GDPYoY; tag R1",
            )
        elif y == 2023:
            rec = dict(
                gdp_nominal_yi_yuan=382.8,
                real_growth_pct=6.6,
                gdp_source="huibangqyh.cn thread tid=38969 via public_figures.md §1a; tag R2",
                growth_source="assumption: Gansu provincial real growth 2023 (6.6 %, R2, "
                "reportify.cn) applied to the city",
            )
        elif y == 2022:
            rec = dict(
                gdp_nominal_yi_yuan=round((326.5083 * 382.8) ** 0.5, 4),
                real_growth_pct=4.6,
                gdp_source="assumption: geometric mean of 2021 (R1) and 2023 (R2)",
                growth_source="assumption: Gansu provincial real growth 2022 (4.6 %, R2, "
                "reportify.cn) applied to the city",
            )
        else:
            prev = records[-1]["gdp_nominal_yi_yuan"]
            rec = dict(
                gdp_nominal_yi_yuan=round(prev * 1.058 * 1.01, 4),
                real_growth_pct=5.8,
                gdp_source="assumption: previous year x (1 + 5.8 % real) x 1.01 deflator",
                growth_source="assumption: Gansu provincial real growth (5.8 %, R2, "
                "reportify.cn) applied to the city",
            )
        records.append({"year": y, **rec})
    gdp = pd.DataFrame.from_records(records)
    index = np.cumprod(1 + gdp["real_growth_pct"].to_numpy() / 100)
    base = index[list(YEARS).index(2020)]
    gdp["gdp_real_2020prices_yi_yuan"] = np.round(281.6003 * index / base, 4)
    # resident population: census 2020 (R1), 2022 (R2); other years interpolated (assumption)
    census_2010, census_2020 = 23.1853, 31.2663
    rate = (census_2020 / census_2010) ** 0.1
    resident = {y: round(census_2010 * rate ** (y - 2010), 4) for y in range(2015, 2020)}
    resident |= {2020: census_2020, 2021: 31.38, 2022: 31.5, 2023: 31.6, 2024: 31.7, 2025: 31.8}
    gdp["population_resident_wan"] = gdp["year"].map(resident)
    gdp["population_source"] = gdp["year"].map(
        lambda y: (
            "7th census 2020 (CSMAR Eect01; cctv-company.video), tag R1"
            if y == 2020
            else "huibangqyh.cn, tag R2"
            if y == 2022
            else "assumption: geometric interpolation between the 2010 (231,853, R2) and 2020 (R1) "
            "censuses"
            if y < 2020
            else "assumption: +0.1 wan per year after the 2022 figure"
            if y > 2022
            else "assumption: between 2020 (R1) and 2022 (R2)"
        )
    )
    registered = {2015: 20.2544, 2016: 20.5262, 2017: 20.6170, 2018: 20.8295, 2019: 20.9562}
    gdp["population_registered_wan"] = gdp["year"].map(registered)
    gdp["note"] = (
        "real growth in %; GDP in 10^8 yuan; population in 10^4 persons; "
        "real-price column derived from real growth (D)"
    )
    order = [
        "year",
        "gdp_nominal_yi_yuan",
        "real_growth_pct",
        "gdp_real_2020prices_yi_yuan",
        "population_resident_wan",
        "population_registered_wan",
        "gdp_source",
        "growth_source",
        "population_source",
        "note",
    ]
    return gdp[order]


def targets_table() -> pd.DataFrame:
    rows = [
        (
            "energy_intensity",
            "change_vs_base",
            2020,
            2025,
            -12.5,
            "%",
            "gansu",
            "default",
            "《甘肃省“十四五”节能减排综合工作方案》甘政发〔2022〕41号 (2022-06-24); read at "
            "zixun.ygbid.com/detail.jsp?newsId=1422944",
            "R1",
            "Gansu provincial target applied to the example city",
        ),
        (
            "energy_intensity",
            "change_vs_base",
            2020,
            2025,
            -13.0,
            "%",
            "gansu",
            "alternative",
            "《甘肃省“十四五”生态环境保护规划》 press briefing; sdyjmm.com/htmlnews/2021/12/471456.shtm",
            "R2",
            "conflicting figure kept as an alternative",
        ),
        (
            "co2_intensity",
            "change_vs_base",
            2020,
            2025,
            -18.0,
            "%",
            "china",
            "placeholder",
            "national 14th FYP target",
            "R1",
            "national, not Gansu: Gansu texts say only 确保完成国家下达目标 (no number found)",
        ),
        (
            "non_fossil_share_of_energy",
            "level",
            None,
            2025,
            30.0,
            "%",
            "gansu",
            "default",
            "《甘肃省碳达峰实施方案》 (2023-05-11); cspplaza.com/article-23139-1.html",
            "R1",
            "provincial level target; a city value is not given",
        ),
    ]
    columns = [
        "indicator",
        "kind",
        "base_year",
        "target_year",
        "value",
        "unit",
        "region",
        "role",
        "source",
        "tag",
        "note",
    ]
    out = pd.DataFrame.from_records(rows, columns=columns)
    out["base_year"] = out["base_year"].astype("Int64")
    return out
