"""Tables in the IAMC format (model, scenario, region, variable, unit, year, value), the format
pyam and the IPCC scenario databases read, without depending on pyam.

:func:`to_iamc` turns a table by year (one column per quantity) into the long format with the
variable names and units you choose; :func:`from_iamc` turns it back; :func:`iamc_wide` gives
the file layout with one column per year (``Model, Scenario, Region, Variable, Unit, 2020,
...``) and :func:`write_iamc` writes either to CSV or XLSX. ``pyam.IamDataFrame(frame)`` loads
the long frame as it is, and ``pyam.IamDataFrame("file.csv")`` the written wide file.
:meth:`carbonledger.scenario.ScenarioResult.to_iamc` gives a scenario's own variables.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"co2_t": [3.0e7, 3.1e7], "energy_tce": [1.2e7, 1.25e7]},
...                      index=pd.Index([2020, 2021], name="year"))
>>> long = to_iamc(table, scenario="baseline", region="example city", variable_map={
...     "co2_t": ("Emissions|CO2", "Mt CO2/yr", 1e-6),
...     "energy_tce": ("Final Energy", "Mtce/yr", 1e-6)})
>>> long.columns.tolist()
['model', 'scenario', 'region', 'variable', 'unit', 'year', 'value']
>>> long[["variable", "year", "value"]].values.tolist()[0]
['Emissions|CO2', 2020, 30.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from ..output import atomic_write, sanitize_cells

__all__ = ["IAMC_COLUMNS", "to_iamc", "from_iamc", "iamc_wide", "write_iamc"]

#: Column order of the IAMC long format.
IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]


def _spec(column, spec) -> tuple[str, str, float]:
    if isinstance(spec, str) or not 2 <= len(spec) <= 3:
        raise ActivityDataError(
            f"variable_map[{column!r}] must be (variable, unit) or (variable, unit, factor)",
            fix='e.g. {"co2_t": ("Emissions|CO2", "Mt CO2/yr", 1e-6)}')
    variable, unit = str(spec[0]).strip(), str(spec[1]).strip()
    factor = float(spec[2]) if len(spec) == 3 else 1.0
    if not variable or not np.isfinite(factor):
        raise ActivityDataError(f"variable_map[{column!r}] has an empty variable or a bad factor",
                                fix="give a variable name such as 'Emissions|CO2'")
    return variable, unit, factor


def _by_year(frame: pd.DataFrame) -> pd.DataFrame:
    if "year" in frame.columns:
        frame = frame.set_index("year")
    years = pd.to_numeric(pd.Series(frame.index), errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(years) | (years != np.round(years))
    if bad.any():
        raise ActivityDataError("the years of the table are not whole numbers",
                                rows=list(frame.index[bad]), fix="index the table by year")
    if pd.Index(years).has_duplicates:
        dup = pd.Index(years)[pd.Index(years).duplicated()].astype(int).tolist()
        raise ActivityDataError("a year appears more than once", rows=dup,
                                fix="give one row per year (one table per scenario and region)")
    out = frame.copy()
    out.index = pd.Index(years.astype(np.int64), name="year")
    return out


def to_iamc(frame: pd.DataFrame, *, model: str = "carbonledger", scenario: str, region: str,
            variable_map: Mapping) -> pd.DataFrame:
    """A table by year in the IAMC long format.

    Parameters
    ----------
    frame : DataFrame indexed by year (or with a ``year`` column), one column per quantity.
    model, scenario, region : the IAMC identifiers of every row.
    variable_map : column -> ``(variable, unit)`` or ``(variable, unit, factor)``; the value
        written is the column times ``factor`` (1e-6 for t -> Mt). Only mapped columns are
        exported, in the order of the map.

    Returns
    -------
    DataFrame with columns ``model, scenario, region, variable, unit, year, value`` (year int,
    value float); missing values are left out, as pyam does.

    Raises
    ------
    ActivityDataError
        A mapped column is missing, a year is not a whole number or repeats, two columns map to
        one variable, or a value is not numeric.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"year": [2030], "gdp": [500.0]})
    >>> to_iamc(t, scenario="s", region="r", variable_map={"gdp": ("GDP|PPP", "billion CNY")}
    ...         ).values.tolist()
    [['carbonledger', 's', 'r', 'GDP|PPP', 'billion CNY', 2030, 500.0]]
    """
    table = _by_year(pd.DataFrame(frame))
    missing = [c for c in variable_map if c not in table.columns]
    if missing:
        raise ActivityDataError(f"columns {missing} of variable_map are not in the table",
                                rows=missing, fix=f"map some of {list(table.columns)[:10]}")
    specs = {column: _spec(column, spec) for column, spec in variable_map.items()}
    names = [v for v, _, _ in specs.values()]
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ActivityDataError(f"variables {twice} are mapped from more than one column",
                                rows=twice, fix="give each column its own variable name")
    years = table.index.to_numpy()
    parts = []
    for column, (variable, unit, factor) in specs.items():
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype="float64")
        bad = table[column].notna().to_numpy() & np.isnan(values)
        if bad.any():
            raise ActivityDataError(f"column {column!r} has values that are not numbers",
                                    rows=years[bad].tolist(), fix="give numbers")
        keep = ~np.isnan(values)
        parts.append(pd.DataFrame({"model": str(model), "scenario": str(scenario),
                                   "region": str(region), "variable": variable, "unit": unit,
                                   "year": years[keep], "value": values[keep] * factor}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "year" else "float64" if
                                          c == "value" else object) for c in IAMC_COLUMNS})
    out = pd.concat(parts, ignore_index=True)[IAMC_COLUMNS]
    return out.astype({"year": "int64", "value": "float64"})


def from_iamc(long: pd.DataFrame, *, variable_map: Mapping | None = None) -> pd.DataFrame:
    """The IAMC long format back to a table by year.

    With one model, scenario and region the columns are the variables (or, given the
    ``variable_map`` used by :func:`to_iamc`, the original columns with the factor undone);
    otherwise the columns are (model, scenario, region, variable).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"co2_t": [3e7, 3.1e7]}, index=pd.Index([2020, 2021], name="year"))
    >>> vmap = {"co2_t": ("Emissions|CO2", "Mt CO2/yr", 1e-6)}
    >>> back = from_iamc(to_iamc(t, scenario="s", region="r", variable_map=vmap),
    ...                  variable_map=vmap)
    >>> bool((back - t).abs().max().max() < 1e-6)
    True
    """
    missing = [c for c in IAMC_COLUMNS if c not in long.columns]
    if missing:
        raise ActivityDataError(f"not an IAMC long table: columns {missing} missing",
                                rows=missing, fix=f"give the columns {IAMC_COLUMNS}")
    keys = ["model", "scenario", "region"]
    single = len(long[keys].drop_duplicates()) <= 1
    columns = ["variable"] if single else [*keys, "variable"]
    wide = long.pivot_table(index="year", columns=columns, values="value", aggfunc="first")
    if single:
        wide.columns.name = None
    if single and variable_map is not None:
        specs = {column: _spec(column, spec) for column, spec in variable_map.items()}
        wide = pd.DataFrame({column: wide[v] / f for column, (v, _, f) in specs.items()
                             if v in wide.columns})
    wide.index = wide.index.astype(np.int64)
    wide.index.name = "year"
    return wide


def iamc_wide(long: pd.DataFrame) -> pd.DataFrame:
    """The IAMC file layout: ``Model, Scenario, Region, Variable, Unit`` then one column per
    year.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index([2020, 2025], name="year"))
    >>> iamc_wide(to_iamc(t, scenario="s", region="r", variable_map={"x": ("X", "t")})
    ...           ).columns.tolist()
    ['Model', 'Scenario', 'Region', 'Variable', 'Unit', 2020, 2025]
    """
    keys = ["model", "scenario", "region", "variable", "unit"]
    wide = long.pivot_table(index=keys, columns="year", values="value", aggfunc="first",
                            sort=False).reset_index()
    wide.columns = [c.capitalize() if isinstance(c, str) else int(c) for c in wide.columns]
    wide.columns.name = None
    return wide


def write_iamc(long: pd.DataFrame, path, *, wide: bool = True) -> Path:
    """Write an IAMC table atomically to ``.csv`` or ``.xlsx`` (sheet ``data``, as pyam
    writes), in the wide file layout or (``wide=False``) the long one; text cells cannot start
    a formula.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> t = pd.DataFrame({"x": [1.0]}, index=pd.Index([2020], name="year"))
    >>> p = write_iamc(to_iamc(t, scenario="s", region="r", variable_map={"x": ("X", "t")}),
    ...                pathlib.Path(tempfile.mkdtemp()) / "out.csv")
    >>> p.read_text().splitlines()[0]
    'Model,Scenario,Region,Variable,Unit,2020'
    """
    path = Path(path)
    table = sanitize_cells(iamc_wide(long) if wide else long[IAMC_COLUMNS])
    if path.suffix.lower() == ".xlsx":
        return atomic_write(path, lambda p: table.to_excel(p, sheet_name="data", index=False,
                                                           engine="openpyxl"))
    if path.suffix.lower() != ".csv":
        raise ValueError(f"write_iamc writes .csv or .xlsx, not {path.suffix!r}")
    return atomic_write(path, lambda p: table.to_csv(p, index=False))
