"""The factor library: versioned factor tables with provenance, checked before use.

Tables live in ``factors/<source>/<edition>/<table>.csv`` with a ``<table>.meta.toml`` sidecar
(see ``factors/README.md``). :func:`load_factors` reads every table once, checks each file's
sha256 against its sidecar, each unit string once, and the uniqueness of each row's key, and
returns a :class:`FactorLibrary`. Lookups search sources in preference order (China-specific
first, then IPCC 2006, then the 2019 Refinement) and return the most specific matching row.

Examples
--------
>>> import carbonledger as cl
>>> lib = cl.load_factors()
>>> f = lib.get("tce_coefficient", "raw_coal", unit="kgce/kg")
>>> f.value
0.7143
>>> f.factor_id.startswith("gbt2589/")
True
"""

from __future__ import annotations

import hashlib
import io
import sys
import tomllib
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FactorFallbackWarning, FactorFileError, MissingFactorError, format_rows
from .grouping import factorize_columns
from .units import parse_unit, unit_scale

__all__ = ["Factor", "FactorLibrary", "load_factors", "factors_root", "DEFAULT_PREFERENCE"]

#: Default order of sources: China-specific first, then IPCC 2006, then the 2019 Refinement.
DEFAULT_PREFERENCE = (
    "gbt2589",
    "china_provincial_2011",
    "ndrc_enterprise",
    "nbs_yearbook",
    "mee_grid",
    "cec_power",
    "ipcc2006/2006",
    "ipcc2006/2019r",
)
_VALUE_COLUMNS = ("item", "parameter", "value", "unit", "lower", "upper", "note")
_META_REQUIRED = ("title", "publisher", "year", "edition", "license", "sha256")


@dataclass(frozen=True)
class Factor:
    """One factor value with its provenance (values in ``unit``)."""

    value: float
    unit: str
    lower: float
    upper: float
    factor_id: str
    source: str


def factors_root() -> Path:
    """The bundled factor directory: inside the installed wheel, else the repository's."""
    packaged = Path(str(resources.files("carbonledger"))) / "factors"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "factors"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_table(csv_path: Path, root: Path) -> tuple[pd.DataFrame, dict]:
    relative = csv_path.relative_to(root)
    if len(relative.parts) != 3:
        raise FactorFileError(
            f"factor file {relative} is not at factors/<source>/<edition>/<table>.csv",
            fix="move it to a <source>/<edition>/ directory", file=str(csv_path),
        )
    meta_path = csv_path.with_name(csv_path.stem + ".meta.toml")
    if not meta_path.is_file():
        raise FactorFileError(f"{relative}: sidecar {meta_path.name} is missing",
                              fix="add the metadata sidecar (factors/README.md)", file=str(csv_path))
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FactorFileError(f"{meta_path.relative_to(root)}: {exc}", fix="fix the TOML syntax",
                              file=str(meta_path)) from exc
    missing = [key for key in _META_REQUIRED if key not in meta]
    if missing:
        raise FactorFileError(f"{meta_path.relative_to(root)}: missing keys {missing}",
                              fix="add them (factors/README.md)", file=str(meta_path))
    data = csv_path.read_bytes()
    digest = _sha256(data)
    if digest != str(meta["sha256"]).lower():
        raise FactorFileError(
            f"{relative}: sha256 {digest[:12]}... does not match its sidecar "
            f"({str(meta['sha256'])[:12]}...); the file was edited or truncated",
            fix="restore the published file; a correction is a new edition directory "
            "(in development: python -m carbonledger.factors rehash FILE)",
            file=str(csv_path),
        )
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise FactorFileError(f"{relative}: {exc}", fix="fix the CSV", file=str(csv_path)) from exc
    for column in ("item", "parameter", "value", "unit"):
        if column not in frame.columns:
            raise FactorFileError(f"{relative}: line 1: column {column!r} is missing",
                                  fix="use the long layout of factors/README.md",
                                  file=str(csv_path), line=1, column=column)
    for column in ("value", "lower", "upper"):
        if column not in frame.columns:
            frame[column] = ""
        text = frame[column].str.strip()
        numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = (numbers.isna() & (text != "")) | (~np.isfinite(numbers.fillna(0.0)))
        if column == "value":
            bad |= numbers.isna()
        if bad.any():
            lines = (np.flatnonzero(bad.to_numpy()) + 2).tolist()
            raise FactorFileError(
                f"{relative}: column {column!r} holds a non-number at line {lines[0]} "
                f"({format_rows(lines).replace('rows', 'lines').replace('row', 'line')})",
                fix="give a finite number (blank allowed only for lower/upper)",
                file=str(csv_path), line=lines[0], column=column,
            )
        frame[column] = numbers.astype("float64")
    for unit in frame["unit"].unique():
        try:
            parse_unit(unit)
        except Exception as exc:  # noqa: BLE001 - re-raised as a file error with the line
            line = int(np.flatnonzero((frame["unit"] == unit).to_numpy())[0]) + 2
            raise FactorFileError(f"{relative}: line {line}: column 'unit': {exc}",
                                  fix="use a unit string the registry parses",
                                  file=str(csv_path), line=line, column="unit") from exc
    key_columns = [c for c in frame.columns if c not in _VALUE_COLUMNS]
    for column in key_columns:
        frame[column] = frame[column].str.strip()
    dup = frame.duplicated(["item", "parameter", *key_columns], keep=False)
    if dup.any():
        lines = (np.flatnonzero(dup.to_numpy()) + 2).tolist()
        raise FactorFileError(f"{relative}: duplicate item/parameter/key at lines {lines[:5]}",
                              fix="make each row's key unique", file=str(csv_path),
                              line=lines[0], column="item")
    source = f"{relative.parts[0]}/{relative.parts[1]}"
    table = csv_path.stem
    keys = frame[["item", "parameter", *key_columns]].astype(str)
    joined = keys.apply(lambda row: "|".join(v for v in row if v), axis=1) if len(frame) else []
    frame["factor_id"] = [f"{source}:{table}:{key}" for key in joined]
    frame["source"] = source
    frame["table"] = table
    meta = dict(meta, source=source, table=table, file=relative.as_posix(), sha256=digest)
    return frame, meta


def _rank(source: str, prefer: tuple[str, ...]) -> int:
    for position, prefix in enumerate(prefer):
        if source == prefix or source.startswith(prefix.rstrip("/") + "/"):
            return position
    return len(prefer)


class FactorLibrary:
    """Factor tables from every source, searched in preference order.

    Use :func:`load_factors` to get one. ``rows`` is the long table of every value;
    ``sources`` lists provenance (title, edition, publisher, year, document, license, sha256).
    """

    def __init__(self, rows: pd.DataFrame, metas: list[dict], prefer: tuple[str, ...], root: Path):
        self.root = root
        self.prefer = prefer
        rows = rows.copy()
        rows["rank"] = [_rank(s, prefer) for s in rows["source"]]
        rows = rows.sort_values(["rank", "source", "table"], kind="stable").reset_index(drop=True)
        for column in rows.columns:  # plain object arrays: lookups compare a few rows at a time
            if not pd.api.types.is_numeric_dtype(rows[column]):
                rows[column] = rows[column].astype(object)
        self.rows = rows
        self.key_columns = [c for c in rows.columns if c not in (
            *_VALUE_COLUMNS, "factor_id", "source", "table", "rank")]
        self._index: dict[tuple[str, str], np.ndarray] = {
            key: np.asarray(positions) for key, positions in
            rows.groupby(["parameter", "item"], sort=False).indices.items()
        }
        self._records = rows.to_dict("records")
        self._metas = {m["file"]: m for m in metas}
        self._cache: dict = {}
        self._tables: dict = {}

    @property
    def sources(self) -> pd.DataFrame:
        """One row per table file: source id, table, title, edition, publisher, year,
        document, url, license, tag, sha256, file."""
        columns = ["source", "table", "title", "edition", "publisher", "year", "document", "url",
                   "license", "tag", "sha256", "file"]
        frame = pd.DataFrame([{c: m.get(c, "") for c in columns} for m in self._metas.values()])
        return frame.sort_values(["source", "table"]).reset_index(drop=True)

    def table(self, name: str) -> pd.DataFrame:
        """All rows of table ``name`` across sources (in preference order; a copy)."""
        cached = self._tables.get(name)
        if cached is None:
            frame = self.rows[self.rows["table"] == name]
            keep = [c for c in frame.columns if c != "rank" and not (frame[c] == "").all()
                    and not frame[c].isna().all()]
            cached = self._tables[name] = frame[keep].reset_index(drop=True)
        return cached.copy()

    def candidates(self, parameter: str, item: str) -> list[tuple[float, str]]:
        """(value, unit) of every row for ``parameter`` and ``item``, in preference order,
        rows without key values first."""
        positions = self._index.get((parameter, item))
        if positions is None:
            return []
        sub = self.rows.iloc[positions]
        blank = (sub[self.key_columns] == "").sum(axis=1) if self.key_columns else 0
        sub = sub.assign(_blank=blank).sort_values(["rank", "_blank"], ascending=[True, False],
                                                    kind="stable")
        return list(zip(sub["value"].tolist(), sub["unit"].tolist(), strict=True))

    def get(self, parameter: str, item: str, *, unit: str | None = None, table: str | None = None,
            source: str | None = None, **keys) -> Factor:
        """The best factor for ``parameter`` of ``item`` scoped by ``keys``.

        A row matches when each requested key equals the row's value or the row's value is blank;
        among matches the first source in preference order wins, then the row matching most
        requested keys exactly, then the row with fewest unrequested key values. A tie is
        ambiguous and raises, naming the key to add.

        Examples
        --------
        >>> lib = load_factors()
        >>> round(lib.get("ncv", "natural_gas", unit="TJ/Gg", source="ipcc2006").value, 1)
        48.0
        """
        cache_key = (parameter, item, unit, table, source, tuple(sorted(keys.items())))
        hit = self._cache.get(cache_key)
        if hit is None:
            try:
                hit = self._get(parameter, item, unit=unit, table=table, source=source, keys=keys)
            except MissingFactorError as exc:
                hit = exc
            self._cache[cache_key] = hit
        if isinstance(hit, MissingFactorError):
            raise MissingFactorError(hit.message, fix=hit.fix, **hit.fields)
        return hit

    def _searched(self, source: str | None) -> list[str]:
        sources = list(dict.fromkeys(self.rows["source"]))
        if source:
            sources = [s for s in sources if _rank(s, (source,)) == 0]
        return sources

    def _get(self, parameter, item, *, unit, table, source, keys) -> Factor:
        """Match on plain records (a few candidate rows per parameter and item)."""
        positions = self._index.get((parameter, item))
        candidates = [self._records[p] for p in positions] if positions is not None else []
        wanted = {k: str(v) for k, v in keys.items() if v is not None and k in self.key_columns}
        unrequested = [c for c in self.key_columns if c not in keys]
        scored = []
        for record in candidates:
            if table is not None and record["table"] != table:
                continue
            if source is not None and _rank(record["source"], (source,)) != 0:
                continue
            exact, ok = 0, True
            for key, value in wanted.items():
                have = record.get(key, "")
                if have == value:
                    exact += 1
                elif have != "":
                    ok = False
                    break
            if ok:
                extra = sum(1 for c in unrequested if record.get(c, "") != "")
                scored.append(((record["rank"], -exact, extra), record))
        if not scored:
            scope = ", ".join(f"{k}={v}" for k, v in keys.items() if v is not None)
            raise MissingFactorError(
                f"no factor {parameter!r} for {item!r}" + (f" ({scope})" if scope else "")
                + f"; sources searched: {', '.join(self._searched(source)) or 'none'}",
                fix="add the factor to a factor table, give it as a measured column, or pick "
                "another source with load_factors(prefer=[...])",
                parameter=parameter, item=item, keys=keys,
            )
        scored.sort(key=lambda pair: pair[0])
        (score, row) = scored[0]
        if len(scored) > 1 and scored[1][0] == score:
            other = scored[1][1]
            differing = [c for c in unrequested if row.get(c, "") != other.get(c, "")]
            raise MissingFactorError(
                f"factor {parameter!r} for {item!r} is ambiguous: "
                f"{row['factor_id']} and {other['factor_id']}",
                fix=f"pass {' or '.join(differing) or 'a key'}= to choose",
                parameter=parameter, item=item, keys=keys,
            )
        scale = 1.0 if unit is None else unit_scale(row["unit"], unit)
        lower, upper = row["lower"], row["upper"]
        return Factor(
            value=float(row["value"]) * scale,
            unit=unit or row["unit"],
            lower=float(lower) * scale if pd.notna(lower) else float("nan"),
            upper=float(upper) * scale if pd.notna(upper) else float("nan"),
            factor_id=row["factor_id"],
            source=row["source"],
        )

    def get_nearest_year(self, parameter: str, item: str, *, year: int, unit: str | None = None,
                         **keys) -> Factor:
        """:meth:`get` for ``year``, else the nearest year published (the earlier one on a tie)
        with a :class:`~carbonledger.errors.FactorFallbackWarning` naming both years.

        Examples
        --------
        >>> import warnings
        >>> lib = load_factors()
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     f = lib.get_nearest_year("coal_equivalent", "electricity", year=2099)
        >>> "2099" in str(caught[0].message)
        True
        """
        cache_key = ("nearest", parameter, item, unit, int(year), tuple(sorted(keys.items())))
        hit = self._cache.get(cache_key)
        if hit is None:
            try:
                hit = (self._nearest_year(parameter, item, int(year), unit, keys), None)
            except MissingFactorError as exc:
                hit = (None, exc)
            self._cache[cache_key] = hit
        result, error = hit
        if error is not None:
            raise MissingFactorError(error.message, fix=error.fix, **error.fields)
        factor, message = result
        if message:
            warnings.warn(message, FactorFallbackWarning, stacklevel=2)
        return factor

    def _nearest_year(self, parameter, item, year, unit, keys) -> tuple[Factor, str | None]:
        try:
            return self.get(parameter, item, unit=unit, year=year, **keys), None
        except MissingFactorError:
            positions = self._index.get((parameter, item))
            if positions is None or "year" not in self.key_columns:
                raise
            records = [self._records[p] for p in positions]
            for key, wanted in keys.items():
                if wanted is not None:
                    records = [r for r in records if r.get(key, "") in (str(wanted), "")]
            years = sorted({int(r["year"]) for r in records if str(r.get("year", "")).isdigit()})
            if not years:
                raise
            nearest = min(years, key=lambda y: (abs(y - year) * 2 + (y > year)))
            factor = self.get(parameter, item, unit=unit, year=nearest, **keys)
            scope = (f"({', '.join(f'{k}={v}' for k, v in keys.items())}) " if keys else "")
            return factor, (f"no {parameter} of {item} for {year} {scope}in the factor library; "
                            f"using {nearest} ({factor.factor_id})")

    def lookup(self, parameter: str, keys: pd.DataFrame, *, unit: str | None = None,
               source: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Vectorized :meth:`get`: one factor per row of ``keys`` (an ``item`` column plus key
        columns), looked up once per distinct combination.

        Returns ``(values, factor_ids)`` arrays. A miss raises :class:`MissingFactorError`
        listing every row label that needs the factor.
        """
        codes, uniques = factorize_columns(keys, list(keys.columns))
        values = np.empty(len(uniques), dtype="float64")
        ids = np.empty(len(uniques), dtype=object)
        missing: list[tuple[int, MissingFactorError]] = []
        for position, combo in enumerate(uniques.to_dict("records")):
            item = combo.pop("item")
            scoped = {k: (None if (isinstance(v, float) and np.isnan(v)) else v)
                      for k, v in combo.items()}
            try:
                factor = self.get(parameter, item, unit=unit, source=source, **scoped)
            except MissingFactorError as exc:
                missing.append((position, exc))
                continue
            values[position] = factor.value
            ids[position] = factor.factor_id
        if missing:
            position, first = missing[0]
            bad = np.isin(codes, [p for p, _ in missing])
            raise MissingFactorError(first.message, rows=keys.index[bad].tolist(), fix=first.fix,
                                     parameter=parameter)
        return values[codes], ids[codes]

    def file_hashes(self, factor_ids) -> pd.DataFrame:
        """source, table, file and sha256 of the tables the given factor ids come from."""
        tables = {fid.split(":")[0] + ":" + fid.split(":")[1] for fid in factor_ids
                  if isinstance(fid, str) and fid.count(":") >= 2}
        records = [
            {"source": m["source"], "table": m["table"], "file": m["file"], "sha256": m["sha256"]}
            for m in self._metas.values() if f"{m['source']}:{m['table']}" in tables
        ]
        return pd.DataFrame(records, columns=["source", "table", "file", "sha256"])


@lru_cache(maxsize=16)
def _load(root: str, prefer: tuple[str, ...]) -> FactorLibrary:
    root_path = Path(root).resolve()
    frames, metas = [], []
    for csv_path in sorted(root_path.rglob("*.csv")):
        resolved = csv_path.resolve()
        if root_path not in resolved.parents:
            raise FactorFileError(f"{csv_path} leaves the factor directory {root_path}",
                                  fix="keep factor files inside factors/", file=str(csv_path))
        frame, meta = _read_table(resolved, root_path)
        frames.append(frame)
        metas.append(meta)
    if not frames:
        raise FactorFileError(f"no factor tables under {root_path}",
                              fix="point root= at a factors/ directory")
    rows = pd.concat(frames, ignore_index=True)
    for column in rows.columns:
        if rows[column].dtype == object or str(rows[column].dtype).startswith("str"):
            rows[column] = rows[column].fillna("")
    return FactorLibrary(rows, metas, prefer, root_path)


def load_factors(prefer=None, *, root=None) -> FactorLibrary:
    """Load the factor library (cached; files are checked against their sha256 once).

    Parameters
    ----------
    prefer : ordered list of source ids or prefixes (``"ipcc2006/2019r"``, ``"gbt2589"``);
        first match wins. Unlisted sources follow in the default order (China-specific first,
        then IPCC 2006, then the 2019 Refinement).
    root : a factors directory (default: the bundled one).

    Examples
    --------
    >>> lib = load_factors(prefer=["ipcc2006/2006"])
    >>> lib.prefer[0]
    'ipcc2006/2006'
    """
    listed = tuple(prefer or ())
    for entry in listed:
        if ".." in entry.split("/") or entry.startswith("/"):
            raise FactorFileError(f"source id {entry!r} tries to leave factors/",
                                  fix="name a source such as 'ipcc2006/2006'")
    order = listed + tuple(p for p in DEFAULT_PREFERENCE if p not in listed)
    return _load(str(root or factors_root()), order)


def _rehash(paths: list[str]) -> None:
    for path in paths:
        csv_path = Path(path)
        meta_path = csv_path.with_name(csv_path.stem + ".meta.toml")
        digest = _sha256(csv_path.read_bytes())
        lines = meta_path.read_text(encoding="utf-8").splitlines()
        lines = [f'sha256 = "{digest}"' if line.startswith("sha256") else line for line in lines]
        meta_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{meta_path}: sha256 = {digest}")


if __name__ == "__main__":  # python -m carbonledger.factors rehash FILE...
    if len(sys.argv) >= 3 and sys.argv[1] == "rehash":
        _rehash(sys.argv[2:])
    else:
        print("usage: python -m carbonledger.factors rehash factors/<source>/<edition>/<table>.csv")
