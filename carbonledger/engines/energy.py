"""Energy accounting: physical quantities to TJ and tce per row, and the totals of Chinese
energy statistics.

Each energy activity kind has a role in the total energy consumption (能源消费总量):

=========================  ====  ==========================================================
activity                   sign  meaning
=========================  ====  ==========================================================
``fuel_combustion``        +1    fuel burned (in power/heat sectors also the transformation input)
``non_energy_use``         +1    feedstock / raw material use (原料用能), deductible
``transformation_input``   +1    fuel into coking, refining, gas works (not burned)
``transformation_output``  -1    coke, coke-oven gas, electricity, heat made inside the boundary
``losses``                 +1    transmission and distribution losses
``energy_consumption``     +1    final use of electricity or heat
``purchased_energy``       +1    electricity or heat bought (enterprise boundary)
``electricity_import``      0    scope 2 only
``electricity_export``      0    scope 2 only (credited)
``renewable_electricity``   0    local non-fossil generation (non-fossil share, 2022 rule)
=========================  ====  ==========================================================

so coal into coking counts once, and the coke made from it is not counted again.

Electricity is valued by the calorific equivalent (当量值, 0.1229 kgce/kWh) in ``tce`` and by the
coal-equivalent method (等价值, the year's coal consumption of thermal power supply) in
``tce_coal_equivalent``; all other energy is the same in both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import CarbonLedgerError
from ..grouping import column_codes, factorize_columns
from ..units import item_scale

__all__ = ["ENERGY_ROLES", "energy_table", "energy_arrays", "energy_balance_totals"]

ENERGY_ROLES = {
    "fuel_combustion": 1.0,
    "non_energy_use": 1.0,
    "transformation_input": 1.0,
    "transformation_output": -1.0,
    "losses": 1.0,
    "energy_consumption": 1.0,
    "purchased_energy": 1.0,
    "electricity_import": 0.0,
    "electricity_export": 0.0,
    "renewable_electricity": 0.0,
}


def _scales(uniques: pd.DataFrame, codes: np.ndarray, index: pd.Index, to_unit: str, lib,
            method: str) -> np.ndarray:
    """One multiplier per distinct (item, unit, year); a failure names the rows concerned."""
    out = np.empty(len(uniques), dtype="float64")
    for position, (item, unit, year) in enumerate(uniques[["item", "unit", "year"]].itertuples(
            index=False)):
        use_year = int(year) if (method == "coal_equivalent" and item == "electricity") else None
        try:
            out[position] = item_scale(str(unit), to_unit, str(item), use_year, method, lib)
        except CarbonLedgerError as exc:
            raise type(exc)(exc.message, rows=index[codes == position].tolist(), fix=exc.fix,
                            **exc.fields) from exc
    return out


def energy_table(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Energy of each row in TJ, tce (calorific) and tce (coal-equivalent electricity).

    Parameters
    ----------
    rows : validated activity rows of energy kinds (``year, activity, item, value, unit``; an
        optional measured ``ncv`` in GJ per unit of ``ncv_unit`` (default ``GJ/t``) replaces the
        default calorific value row by row).
    lib : the factor library.

    Returns
    -------
    DataFrame indexed like ``rows`` with ``energy_tj``, ``tce``, ``tce_coal_equivalent``,
    ``sign`` (the row's role in the total) and ``ncv_source`` (``default`` or ``measured``).

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "activity": pd.Categorical(["fuel_combustion"]),
    ...     "item": pd.Categorical(["raw_coal"]), "value": [1.0], "unit": pd.Categorical(["t"])})
    >>> energy_table(rows, cl.load_factors())[["tce", "sign"]].values.tolist()
    [[0.7143, 1.0]]
    """
    return pd.DataFrame(energy_arrays(rows, lib), index=rows.index)


def energy_arrays(rows: pd.DataFrame, lib) -> dict[str, np.ndarray]:
    """The columns of :func:`energy_table` as arrays (no frame is built).

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "activity": pd.Categorical(["energy_consumption"]),
    ...     "item": pd.Categorical(["electricity"]), "value": [1.0], "unit": pd.Categorical(["MWh"])})
    >>> arrays = energy_arrays(rows, cl.load_factors())
    >>> round(float(arrays["tce"][0]), 4), round(float(arrays["energy_tj"][0]), 4)
    (0.1229, 0.0036)
    """
    codes, uniques = factorize_columns(rows, ["item", "unit", "year"])
    value = rows["value"].to_numpy(dtype="float64")
    energy_tj = value * _scales(uniques, codes, rows.index, "TJ", lib, "calorific")[codes]
    tce = value * _scales(uniques, codes, rows.index, "tce", lib, "calorific")[codes]
    tce_ce = value * _scales(uniques, codes, rows.index, "tce", lib, "coal_equivalent")[codes]
    measured_flag = np.zeros(len(rows), dtype=np.int8)
    if "ncv" in rows.columns:
        measured = rows["ncv"].to_numpy(dtype="float64", na_value=np.nan)
        has = np.isfinite(measured)
        if has.any():
            ncv_units = (rows["ncv_unit"].astype(object).where(rows["ncv_unit"].notna(), "GJ/t")
                         if "ncv_unit" in rows.columns else pd.Series("GJ/t", index=rows.index))
            sub = pd.DataFrame({"ncv_unit": pd.Categorical(ncv_units[has]),
                                "unit": rows["unit"][has]})
            c2, u2 = factorize_columns(sub, ["ncv_unit", "unit"])
            from ..units import parse_unit, ureg

            tj_per = np.array([
                (ureg.Quantity(1.0, parse_unit(str(nu))) * ureg.Quantity(1.0, parse_unit(str(u))))
                .to("TJ").magnitude for nu, u in u2.itertuples(index=False)])
            measured_tj = value[has] * measured[has] * tj_per[c2]
            ratio = np.divide(measured_tj, energy_tj[has], out=np.ones(has.sum()),
                              where=energy_tj[has] != 0)
            energy_tj[has] = measured_tj
            tce[has] *= ratio
            tce_ce[has] *= ratio
            measured_flag[has] = 1
    activity_codes, kinds = column_codes(rows["activity"])
    role = np.array([ENERGY_ROLES.get(str(k), np.nan) for k in kinds] + [np.nan])
    sign = role[activity_codes]  # code -1 takes the last entry, NaN
    return {"energy_tj": energy_tj, "tce": tce, "tce_coal_equivalent": tce_ce, "sign": sign,
            "ncv_source": pd.Categorical.from_codes(measured_flag, ["default", "measured"],
                                                    validate=False)}


def energy_balance_totals(energy: pd.DataFrame, *, by=("year",), method: str = "calorific",
                          renewable_base_year: int | None = 2020) -> pd.DataFrame:
    """Total energy consumption and its deductions, by ``by`` (default per year).

    Parameters
    ----------
    energy : the Inventory's energy table (activity keys plus the columns of
        :func:`energy_table` and ``group``/``fossil`` of the item).
    by : grouping columns (must include ``year`` for the new-renewables deduction).
    method : ``"calorific"`` or ``"coal_equivalent"`` for electricity.
    renewable_base_year : base year of the 2022 rule (new renewable electricity consumed above
        the base year's is not counted in the total under control); ``None`` disables it, and
        so does a table without rows of the base year (nothing to measure "new" against).

    Returns
    -------
    DataFrame with ``total_tce`` (all roles), ``feedstock_tce``, ``new_renewable_tce``,
    ``total_under_control_tce`` (total - feedstock - new renewables), ``coal_tce``,
    ``non_fossil_tce``, ``coal_share`` and ``non_fossil_share`` (of the total).
    """
    column = "tce" if method == "calorific" else "tce_coal_equivalent"
    if method not in ("calorific", "coal_equivalent"):
        raise ValueError("method must be 'calorific' or 'coal_equivalent'")
    by = list(by)
    signed = energy[column].to_numpy() * energy["sign"].to_numpy()
    activity = energy["activity"].astype(object).to_numpy()
    frame = energy[by].copy()
    frame["total_tce"] = signed
    frame["feedstock_tce"] = np.where(activity == "non_energy_use", energy[column], 0.0)
    frame["coal_tce"] = np.where(energy["group"].astype(object).to_numpy() == "coal", signed, 0.0)
    frame["renewable_tce"] = np.where(activity == "renewable_electricity", energy[column], 0.0)
    for name in by:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].cat.remove_unused_categories()
    totals = frame.groupby(by, observed=True, sort=True).sum()
    new = np.zeros(len(totals))
    if renewable_base_year is not None and "year" in by:
        flat = totals.reset_index()
        other = [b for b in by if b != "year"]
        base = flat.loc[flat["year"] == renewable_base_year, [*other, "renewable_tce"]]
        base = base.rename(columns={"renewable_tce": "base_renewable"})
        if other:
            merged = flat.merge(base, on=other, how="left")
        else:
            merged = flat.assign(base_renewable=base["base_renewable"].sum() if len(base)
                                 else np.nan)
        later = (merged["year"].to_numpy() > renewable_base_year) & merged[
            "base_renewable"].notna().to_numpy()
        growth = merged["renewable_tce"].to_numpy() - merged["base_renewable"].fillna(0).to_numpy()
        new = np.where(later, np.maximum(growth, 0.0), 0.0)
    totals["new_renewable_tce"] = new
    totals["non_fossil_tce"] = totals.pop("renewable_tce")
    totals["total_under_control_tce"] = (totals["total_tce"] - totals["feedstock_tce"]
                                         - totals["new_renewable_tce"])
    with np.errstate(divide="ignore", invalid="ignore"):
        totals["coal_share"] = totals["coal_tce"] / totals["total_tce"]
        totals["non_fossil_share"] = totals["non_fossil_tce"] / totals["total_tce"]
    return totals
