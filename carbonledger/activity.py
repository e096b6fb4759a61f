"""Read and validate activity tables (CSV, XLSX, Parquet or a DataFrame).

Activity rows are ``year, sector, activity, item, value, unit`` plus optional ``region``,
``facility``, ``month`` and the parameter columns an activity kind needs. Validation finds every
offending row of each problem (not only the first) and either raises one typed error naming them
or, with ``on_error="collect"``, returns them in a rejected table with the reason, so that every
input row is either accounted or rejected: nothing is dropped silently.

Rows are named by their index. Rows read from a file are named by their line number in the file
(the header is line 1), so an error points at the line a user can open.

Examples
--------
>>> import pandas as pd
>>> from carbonledger.activity import validate_activity
>>> rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity": ["fuel_combustion"],
...                      "item": ["原煤"], "value": [10.0], "unit": ["万吨"]})
>>> valid, rejected = validate_activity(rows)
>>> valid["item"].tolist(), len(rejected)
(['raw_coal'], 0)
"""

from __future__ import annotations

import difflib
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import items as item_table
from .catalog import resolve_items
from .errors import ActivityDataError, UnitConversionError
from .grouping import category_isin, drop_unused_categories, factorize_columns, row_keys
from .kinds import activity_kinds, get_kind
from .units import parse_unit

__all__ = ["read_activity", "validate_activity", "BASE_COLUMNS", "KEY_COLUMNS", "MAX_XLSX_BYTES"]

BASE_COLUMNS = ("year", "sector", "activity", "item", "value", "unit")
#: Columns that identify a row (with the kind's own key columns such as ``technology``).
KEY_COLUMNS = ("year", "region", "facility", "month", "sector", "activity", "item")
#: Largest decompressed XLSX accepted (a zip bomb is refused before parsing).
MAX_XLSX_BYTES = 200 * 1024 * 1024
_MAX_RATIO = 200


def read_activity(source, *, sheet=0, columns=None) -> pd.DataFrame:
    """Read an activity table from a DataFrame, CSV, XLSX or Parquet file (no validation).

    Parameters
    ----------
    source : DataFrame or path (``.csv``, ``.xlsx``, ``.parquet``/``.pq``), or a list of them
        (rows are then named ``<file name>:<line>``).
    sheet : the XLSX sheet (name or position).
    columns : columns to read from Parquet (column selection).

    Returns
    -------
    DataFrame indexed by line number in the file (header is line 1), or the frame as given.

    Raises
    ------
    ActivityDataError
        Unknown file type, a hostile or oversized workbook, or a formula cell without a cached
        value (pandas would silently read NaN).
    """
    if isinstance(source, pd.DataFrame):
        return source
    if isinstance(source, (list, tuple)):
        return _read_many(source, sheet=sheet, columns=columns)
    path = Path(source)
    if not path.is_file():
        raise ActivityDataError(f"activity file {path} does not exist", fix="check the path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
    elif suffix in (".parquet", ".pq"):
        frame = pd.read_parquet(path, columns=columns)
    elif suffix in (".xlsx", ".xlsm"):
        frame = read_xlsx(path, sheet=sheet)
    else:
        raise ActivityDataError(f"cannot read {path.name}: unknown file type {suffix!r}",
                                fix="give a .csv, .xlsx or .parquet file")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="line")
    return frame


def _read_many(sources, *, sheet, columns) -> pd.DataFrame:
    """Several files as one table; rows are named ``<file name>:<line>``."""
    frames = []
    for source in sources:
        frame = read_activity(source, sheet=sheet, columns=columns)
        if not isinstance(source, pd.DataFrame):
            frame.index = [f"{Path(source).name}:{line}" for line in frame.index]
        frames.append(frame)
    combined = pd.concat(frames)
    if not combined.index.is_unique:
        combined.index = pd.RangeIndex(len(combined))
    return combined


def check_xlsx_archive(path: Path) -> None:
    """Refuse a workbook whose decompressed size is absurd (before any XML is parsed)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ActivityDataError(f"{path.name} is not a valid XLSX (zip) file",
                                fix="save the workbook again as .xlsx") from exc
    expanded = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if expanded > MAX_XLSX_BYTES or expanded / packed > _MAX_RATIO:
        raise ActivityDataError(
            f"{path.name} is refused: it decompresses to {expanded:,} bytes "
            f"({expanded / packed:.0f}x its size), which looks like a zip bomb",
            fix=f"split the workbook or export it as CSV (limit {MAX_XLSX_BYTES:,} bytes)",
        )


def read_xlsx(path, *, sheet=0) -> pd.DataFrame:
    """Read one sheet of an XLSX safely: defusedxml on, size checked, formulas need cached values.

    The first row holds the column names.
    """
    import openpyxl

    path = Path(path)
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise ActivityDataError("openpyxl cannot parse XLSX safely: defusedxml is not installed",
                                fix="pip install defusedxml")
    check_xlsx_archive(path)
    try:
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # defusedxml raises its own classes (EntitiesForbidden, ...)
        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(type(cause).__name__)
            cause = cause.__cause__ or cause.__context__
        name = next((n for n in chain if "Forbidden" in n or "DTD" in n or "Entit" in n), "")
        if name:
            raise ActivityDataError(
                f"{path.name} is refused: it declares XML entities ({name}), which can expand "
                "without bound or read local files", fix="save the workbook again from a "
                "spreadsheet program, or export it as CSV") from exc
        raise ActivityDataError(f"cannot read {path.name}: {exc}",
                                fix="save the workbook again as .xlsx") from exc
    try:
        names = values.sheetnames
        sheet_name = names[sheet] if isinstance(sheet, int) else sheet
        if sheet_name not in names:
            raise ActivityDataError(f"{path.name} has no sheet {sheet!r}",
                                    fix=f"use one of {names}")
        value_rows = list(values[sheet_name].iter_rows(values_only=True))
        formula_rows = list(formulas[sheet_name].iter_rows(values_only=True))
    finally:
        formulas.close()
        values.close()
    empty_formulas = [
        f"{_column_letter(c)}{r + 1}"
        for r, (frow, vrow) in enumerate(zip(formula_rows, value_rows, strict=False))
        for c, (fcell, vcell) in enumerate(zip(frow, vrow, strict=False))
        if isinstance(fcell, str) and fcell.startswith("=") and vcell is None
    ]
    if empty_formulas:
        raise ActivityDataError(
            f"{path.name}: formula cells without a cached value would be read as blank "
            f"(cells {', '.join(empty_formulas[:5])}"
            + (f" and {len(empty_formulas) - 5} more" if len(empty_formulas) > 5 else "") + ")",
            fix="open and save the workbook in a spreadsheet program so the values are computed, "
            "or replace the formulas by values",
            cells=empty_formulas,
        )
    if not value_rows:
        return pd.DataFrame()
    header = [str(h).strip() if h is not None else f"column_{i + 1}"
              for i, h in enumerate(value_rows[0])]
    body = [row for row in value_rows[1:] if any(cell is not None for cell in row)]
    return pd.DataFrame(body, columns=header)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Problems:
    """Collects (mask, error) pairs; raises the first or turns them into rejected rows."""

    def __init__(self, frame: pd.DataFrame, on_error: str):
        self.frame = frame
        self.collect = on_error == "collect"
        self.code = np.zeros(len(frame), dtype=np.int32)  # 0: fine, k: messages[k]
        self.messages = [""]

    def add(self, mask, error_cls, message: str, fix: str, **fields):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        mask = mask & (self.code == 0)
        if not mask.any():
            return
        if not self.collect:
            raise error_cls(message, rows=self.frame.index[mask].tolist(), fix=fix, **fields)
        self.code[mask] = len(self.messages)
        self.messages.append(f"{message}. Fix: {fix}")

    @property
    def bad(self) -> np.ndarray:
        return self.code != 0

    @property
    def reason(self) -> np.ndarray:
        return np.asarray(self.messages, dtype=object)[self.code]


def validate_activity(frame: pd.DataFrame, *, on_error: str = "raise",
                      allow_mixed_units: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check an activity table and normalise it (item aliases, categorical keys, float values).

    Parameters
    ----------
    frame : activity rows (see module docstring).
    on_error : ``"raise"`` (default) raises the first problem found, naming every row that has
        it; ``"collect"`` returns offending rows in the rejected table with a ``reason`` column.
    allow_mixed_units : accept one item of one activity kind given in several units.

    Returns
    -------
    (valid, rejected) : two DataFrames whose indexes together are exactly the input's.

    Raises
    ------
    ActivityDataError, UnitConversionError
        Missing column, non-numeric / NaN / inf value, negative quantity, unknown activity kind,
        unknown item, unknown unit, duplicate rows, mixed units in one item.
    """
    if on_error not in ("raise", "collect"):
        raise ValueError("on_error must be 'raise' or 'collect'")
    missing = [c for c in BASE_COLUMNS if c not in frame.columns]
    if missing:
        raise ActivityDataError(
            f"activity table lacks column(s) {missing} (it has {list(frame.columns)})",
            fix=f"give the columns {list(BASE_COLUMNS)}; optional: region, facility, month",
        )
    if not frame.index.is_unique:
        raise ActivityDataError("activity table index has duplicate labels",
                                fix="reset the index (frame.reset_index(drop=True))")
    frame = frame.copy(deep=False)
    problems = _Problems(frame, on_error)

    for column in ("sector", "activity", "item", "unit", "region", "facility"):
        if column in frame.columns and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")
    for column in ("year", "sector", "activity", "item", "unit"):
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            empty = np.array([str(c).strip() == "" for c in series.cat.categories] + [True])
            codes = series.cat.codes.to_numpy()
            blank = empty[np.where(codes >= 0, codes, len(empty) - 1)]
        else:
            blank = np.array(series.isna().to_numpy(), dtype=bool)
        problems.add(blank, ActivityDataError, f"column {column!r} is blank",
                     fix=f"fill {column} on every row", column=column)

    raw_value = frame["value"]
    value = pd.to_numeric(raw_value, errors="coerce") if not pd.api.types.is_float_dtype(
        raw_value) else raw_value
    value = value.to_numpy(dtype="float64", na_value=np.nan)
    problems.add(~np.isfinite(value), ActivityDataError,
                 "column 'value' holds text, NaN or infinity",
                 fix="give a finite number on every row (no thousands separators or notes)",
                 column="value")
    frame["value"] = value

    if frame["year"].dtype.kind in "iu":  # integers need no check
        frame["year"] = frame["year"].to_numpy().astype("int64", copy=False)
    else:
        year = pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype="float64",
                                                                      na_value=np.nan)
        bad_year = ~np.isfinite(year) | (np.mod(np.nan_to_num(year), 1) != 0)
        problems.add(bad_year, ActivityDataError, "column 'year' is not a whole year",
                     fix="give years as integers such as 2020", column="year")
        frame["year"] = np.where(np.isfinite(year), year, 0).astype("int64")

    frame["item"] = resolve_items(frame["item"])

    kinds = activity_kinds()
    known_kinds = set(kinds.index)
    activity = frame["activity"]
    unknown_kind = ~category_isin(activity, known_kinds) & ~activity.isna().to_numpy()
    if unknown_kind.any():
        names = sorted(set(activity[unknown_kind].astype(str)))
        near = {n: difflib.get_close_matches(n, known_kinds, n=1) for n in names}
        hint = "; ".join(f"{n!r} -> {m[0]!r}?" for n, m in near.items() if m)
        problems.add(unknown_kind, ActivityDataError, f"unknown activity kind(s) {names}",
                     fix=(hint + "; " if hint else "") + "see carbonledger.activity_kinds()")

    _check_units(frame, problems)
    _check_items_and_negatives(frame, problems, kinds)
    _check_duplicates(frame, problems)
    if not allow_mixed_units:
        _check_mixed_units(frame, problems)

    bad = problems.bad
    if bad.any():
        rejected = frame.loc[bad].assign(reason=problems.reason[bad])
        valid = frame.loc[~bad]
    else:  # the common case: no copy of a clean table
        rejected = frame.iloc[:0].assign(reason=pd.Series(dtype=object))
        valid = frame
    for column in ("sector", "activity", "item", "unit"):
        valid[column] = drop_unused_categories(valid[column])
    return valid, rejected


def _check_units(frame: pd.DataFrame, problems: _Problems) -> None:
    for unit in frame["unit"].cat.categories:
        try:
            parse_unit(str(unit))
        except UnitConversionError as exc:
            mask = (frame["unit"] == unit).to_numpy()
            problems.add(mask, UnitConversionError, exc.message, fix=exc.fix or "", unit=unit)


def _check_items_and_negatives(frame: pd.DataFrame, problems: _Problems, kinds) -> None:
    fuels = set(item_table().index)
    for name in frame["activity"].cat.categories:
        if name not in kinds.index:
            continue
        kind = get_kind(name)
        mask = (frame["activity"] == name).to_numpy()
        allowed = set(kind.items) if kind.items else (fuels if kind.sector == "energy"
                                                       and kind.extra.get("fuel_items") else None)
        if allowed is not None:
            unknown = (mask & ~category_isin(frame["item"], allowed)
                       & frame["item"].notna().to_numpy())
            if unknown.any():
                names = sorted(set(frame["item"][unknown].astype(str)))
                near = {n: difflib.get_close_matches(n, allowed, n=1) for n in names}
                hint = "; ".join(f"{n!r} -> {m[0]!r}?" for n, m in near.items() if m)
                problems.add(unknown, ActivityDataError,
                             f"unknown item(s) {names} for activity {name!r}",
                             fix=(hint + "; " if hint else "") + "see carbonledger.items() for "
                             "ids and Chinese names", column="item")
        for column in kind.required:
            if column not in frame.columns:
                problems.add(mask, ActivityDataError,
                             f"activity {name!r} needs column {column!r}",
                             fix=f"add a {column} column (see carbonledger.activity_kinds())",
                             column=column)
            else:
                problems.add(mask & frame[column].isna().to_numpy(), ActivityDataError,
                             f"activity {name!r} needs a {column!r} on every row",
                             fix=f"fill {column}", column=column)
        if not kind.allow_negative:
            problems.add(mask & (frame["value"].to_numpy() < 0), ActivityDataError,
                         f"negative quantity for activity {name!r}",
                         fix="quantities are non-negative; report exports and removals with "
                         "their own activity kinds", column="value")


def _key_columns(frame: pd.DataFrame) -> list[str]:
    extra = []
    for name in frame["activity"].cat.categories:
        try:
            extra.extend(get_kind(name).extra.get("key_columns", ()))
        except KeyError:
            continue
    columns = [c for c in KEY_COLUMNS if c in frame.columns]
    return columns + [c for c in dict.fromkeys(extra) if c in frame.columns]


def _check_duplicates(frame: pd.DataFrame, problems: _Problems) -> None:
    key = row_keys(frame, _key_columns(frame))
    ordered = np.sort(key)  # a sort finds whether any key repeats faster than a hash table
    if not (ordered[1:] == ordered[:-1]).any():
        return
    duplicated = pd.Series(key).duplicated(keep=False).to_numpy()
    problems.add(duplicated, ActivityDataError,
                 "duplicate rows: the same " + "/".join(_key_columns(frame)) + " appears twice",
                 fix="sum the duplicates into one row or tell them apart (region, facility, month)")


def _check_mixed_units(frame: pd.DataFrame, problems: _Problems) -> None:
    codes, uniques = factorize_columns(frame, ["activity", "item", "unit"])
    pair, _ = factorize_columns(uniques.astype("category"), ["activity", "item"])
    units_per_pair = np.bincount(pair)
    mixed_combo = units_per_pair[pair] > 1
    if mixed_combo.any():
        mask = mixed_combo[codes]
        pairs = frame.loc[mask, ["item", "unit"]].drop_duplicates().astype(str)
        described = ", ".join(f"{i} in {u}" for i, u in pairs.itertuples(index=False))
        problems.add(mask, ActivityDataError, f"mixed units in one item ({described})",
                     fix="give each item of an activity kind in one unit, or pass "
                     "allow_mixed_units=True")
