"""Feeding the ledger at scale: in-memory frames, Parquet/CSV batches, dask partitions.

* :func:`iter_chunks` yields :class:`~carbonledger.enterprise.ledger.Chunk` batches from a pandas
  frame, a Parquet or CSV file, or a folder of them. Parquet is read in record batches of
  ``chunk_rows`` (``pyarrow.parquet.ParquetFile.iter_batches``) with column selection and string
  columns kept dictionary-encoded, so each batch arrives as integer codes; the next batch is read
  in a background thread while the current one is folded. Memory stays bounded by a few batches
  plus the dense partial sums.
* :func:`partition_cells` / :func:`ingest_cells` run the same ledger on one dask partition and
  merge its partial sums (decoded to plain keys) into the driver's ledger.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"facility": ["F1", "F2"], "year": [2022, 2022], "value": [1.0, 2.0],
...     "sector": ["steel"] * 2, "activity": ["fuel_combustion"] * 2, "item": ["coke"] * 2,
...     "unit": ["t"] * 2})
>>> [c.n for c in iter_chunks(frame, chunk_rows=1)]
[1, 1]
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from .ledger import MEASURED, TEXT_KEYS, Chunk, Ledger
from .rules import kind_parameters

__all__ = ["iter_chunks", "wanted_columns", "partition_cells", "ingest_cells", "export_cells",
           "is_dask"]

_NUMERIC_EXTRA = ("month", "sample_count")  # month: kept for monthly results


def wanted_columns(available, attrs=(), *, monthly: bool = True) -> list[str]:
    """Columns the ledger reads, among ``available`` (``month`` only for monthly results)."""
    from ..kinds import activity_kinds

    wanted = set(TEXT_KEYS) | {"year", "value", "region", "grid_region", "ncv_unit",
                               *MEASURED, *_NUMERIC_EXTRA, *attrs, "carbonate_fraction"}
    if not monthly:
        wanted.discard("month")
    for name in activity_kinds().index:
        wanted.update(kind_parameters(name))
    return [c for c in available if c in wanted]


def is_dask(rows) -> bool:
    """Whether ``rows`` is a dask DataFrame."""
    return type(rows).__module__.startswith("dask")


def _files(path: Path, suffixes) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in suffixes)
        if not files:
            raise ActivityDataError(f"folder {path} holds no {'/'.join(suffixes)} files",
                                    fix="point to a folder of Parquet or CSV files")
        return files
    if not path.is_file():
        raise ActivityDataError(f"activity path {path} does not exist", fix="check the path")
    return [path]


def _from_arrow(batch, columns, labels) -> Chunk:
    import pyarrow as pa
    import pyarrow.compute as pc

    text, numbers = {}, {}
    year = value = None
    for name in columns:
        array = batch.column(name)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        numeric_type = pa.types.is_integer(array.type) or pa.types.is_floating(
            array.type) or pa.types.is_decimal(array.type)
        if name in ("year", "value") or (numeric_type and name not in TEXT_KEYS
                                          and name not in ("region", "grid_region")):
            if name == "year" and pa.types.is_integer(array.type) and array.null_count == 0:
                year = array.cast(pa.int64()).to_numpy(zero_copy_only=False)
                continue
            numeric = array.cast(pa.float64()).to_numpy(zero_copy_only=False)
            if name == "year":
                year = numeric
            elif name == "value":
                value = numeric
            else:
                numbers[name] = numeric
            continue
        if not pa.types.is_dictionary(array.type):
            array = pc.dictionary_encode(array.cast(pa.string()))
        indices = array.indices if array.null_count == 0 else array.indices.fill_null(-1)
        codes = indices.to_numpy(zero_copy_only=False)
        if codes.dtype.itemsize < 4:
            codes = codes.astype(np.int32)
        cats = _dictionary(name, array.dictionary)
        text[name] = (codes, cats)
    return Chunk(text=text, numbers=numbers, year=year, value=value, labels=labels)


_DICTIONARIES: dict = {}


def _dictionary(name: str, dictionary) -> np.ndarray:
    """Object array of a Parquet dictionary, reused (the same object) while batches bring an
    equal dictionary, so per-category work downstream runs once."""
    import pyarrow as pa

    hit = _DICTIONARIES.get(name)
    if hit is not None and len(hit[1]) == len(dictionary) and hit[0].equals(dictionary):
        return hit[1]
    cats = np.asarray(dictionary.cast(pa.string()).to_numpy(zero_copy_only=False), dtype=object)
    _DICTIONARIES[name] = (dictionary, cats)
    return cats


def _file_labels(name: str, offset: int, first_line: int):
    def labels(mask):
        rows = np.flatnonzero(np.asarray(mask)) + offset + first_line
        return [f"{name}:{r}" for r in rows.tolist()]
    return labels


def _parquet_batches(files, attrs, chunk_rows, monthly=True) -> Iterator[tuple]:
    import pyarrow.parquet as pq

    for path in files:
        probe = pq.ParquetFile(path)
        columns = wanted_columns(probe.schema_arrow.names, attrs, monthly=monthly)
        strings = [c for c in columns if c in TEXT_KEYS or c in ("region", "grid_region",
                                                                  "ncv_unit", *attrs)]
        handle = pq.ParquetFile(path, read_dictionary=strings, memory_map=True)
        offset = 0
        for batch in handle.iter_batches(batch_size=chunk_rows, columns=columns,
                                         use_threads=True):
            yield batch, columns, _file_labels(path.name, offset, 0), handle.metadata.num_rows
            offset += batch.num_rows


def _csv_batches(files, attrs, chunk_rows, monthly=True) -> Iterator[tuple]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    for path in files:
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8-sig").strip().split(",")
        columns = wanted_columns(header, attrs, monthly=monthly)
        types = {c: pa.dictionary(pa.int32(), pa.string()) for c in columns if
                 c in TEXT_KEYS or c in ("region", "grid_region", "ncv_unit", *attrs)}
        reader = pcsv.open_csv(path, read_options=pcsv.ReadOptions(
            block_size=max(1 << 20, chunk_rows * 64), encoding="utf-8"),
            convert_options=pcsv.ConvertOptions(include_columns=columns, column_types=types))
        offset = 0
        for batch in reader:
            yield batch, columns, _file_labels(path.name, offset, 2), None
            offset += batch.num_rows


def _prefetch(generator, depth: int = 1):
    """Run ``generator`` one step ahead in a thread (pyarrow decodes without the GIL)."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def work():
        try:
            for item in generator:
                slots.put(item)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            slots.put(exc)
        slots.put(done)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    while True:
        item = slots.get()
        if item is done:
            break
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


def _report(progress, done: int, total) -> None:
    if callable(progress):
        progress(done, total)
    elif progress:
        shown = f"{done:,}" + (f" / {total:,} rows ({100 * done / total:.0f} %)" if total else
                               " rows")
        sys.stderr.write(f"\rcarbonledger enterprise: {shown}")
        sys.stderr.flush()


def iter_chunks(source, *, chunk_rows: int = 1 << 20, attrs=(), progress=False,
                monthly: bool = True) -> Iterator[Chunk]:
    """Chunks of ``source`` (DataFrame, Parquet/CSV file or folder), ``chunk_rows`` at a time.

    ``progress``: ``True`` prints rows done to stderr; a callable gets ``(done, total)``.
    """
    if isinstance(source, pd.DataFrame):
        frame = source[wanted_columns(source.columns, attrs, monthly=monthly)]
        text = [c for c in frame.columns if c in TEXT_KEYS or c in ("region", "grid_region",
                                                                      "ncv_unit", *attrs)]
        converted = {c: frame[c].astype(str).where(frame[c].notna()).astype("category")
                     for c in text if not isinstance(frame[c].dtype, pd.CategoricalDtype)}
        if converted:
            frame = frame.assign(**converted)
        shared = {c: (frame[c].cat.codes.to_numpy(),
                      np.asarray(frame[c].cat.categories, dtype=object)) for c in text}
        total = len(frame)
        for start in range(0, total, chunk_rows):
            chunk = Chunk.from_frame(frame.iloc[start:start + chunk_rows].drop(columns=text))
            chunk.text.update({c: (codes[start:start + chunk_rows], cats)
                               for c, (codes, cats) in shared.items()})
            yield chunk
            _report(progress, min(start + chunk_rows, total), total)
        if progress is True:
            sys.stderr.write("\n")
        return
    path = Path(source)
    parquet = {".parquet", ".pq"}
    if path.is_dir():
        suffixes = {p.suffix.lower() for p in path.iterdir()}
        kind = "parquet" if suffixes & parquet else "csv"
    else:
        kind = "parquet" if path.suffix.lower() in parquet else "csv"
    if kind == "parquet":
        batches = _parquet_batches(_files(path, parquet), attrs, chunk_rows, monthly)
    elif path.suffix.lower() in (".csv", "") or path.is_dir():
        batches = _csv_batches(_files(path, {".csv"}), attrs, chunk_rows, monthly)
    else:
        raise ActivityDataError(f"cannot read {path.name}: give Parquet or CSV",
                                fix="convert the file to .parquet or .csv")
    done = 0
    totals: dict = {}
    for batch, columns, labels, file_total in _prefetch(batches):
        if file_total is not None:
            totals[id(labels)] = file_total
        done += batch.num_rows
        yield _from_arrow(batch, columns, labels)
        _report(progress, done, None)
    if progress is True:
        sys.stderr.write("\n")


# ---------------------------------------------------------------------- partial sums


def export_cells(ledger: Ledger) -> dict:
    """The ledger's partial sums with decoded keys (mergeable into another ledger)."""
    e_cap, y_cap, s_cap = ledger.caps
    cells = np.flatnonzero(ledger.N > 0)
    e, yi, m, s = np.unravel_index(cells, (e_cap, y_cap, ledger.Mcap, s_cap))

    def keys(entity, year_index, month):
        out = {"facility": np.asarray(ledger.facilities.values, dtype=object)[
            ledger.ent_fac[entity]]}
        for a in ledger.attrs:
            out[a] = np.asarray(ledger.attr_reg[a].values, dtype=object)[ledger.ent_attr[a][
                entity]]
        out["year"] = np.asarray(ledger.years, dtype=np.int64)[year_index]
        out["month"] = np.asarray(month, dtype=np.int64)
        return out

    slots = np.asarray(ledger.slots + [("", "", "")], dtype=object)
    frame = pd.DataFrame({**keys(e, yi, m), "activity": slots[s, 0], "item": slots[s, 1],
                          "unit": slots[s, 2], "value": ledger.V[cells], "count": ledger.N[cells]})
    parts = {"cells": frame}
    for name in ("extra", "gap"):
        if getattr(ledger, name):
            part = pd.concat(getattr(ledger, name), ignore_index=True)
            decoded = pd.DataFrame(keys(part["entity"].to_numpy(np.int64),
                                        part["yi"].to_numpy(np.int64), part["m"].to_numpy()))
            if name == "gap":
                slot = part["slot"].to_numpy(np.int64)
                decoded["activity"], decoded["item"], decoded["unit"] = (
                    slots[slot, 0], slots[slot, 1], slots[slot, 2])
            rest = part.drop(columns=[c for c in ("entity", "yi", "m", "slot")
                                      if c in part.columns])
            parts[name] = pd.concat([decoded, rest.reset_index(drop=True)], axis=1)
    parts["rejected"] = (pd.concat(ledger.rejected, ignore_index=True) if ledger.rejected
                         else pd.DataFrame())
    parts["audit"] = (pd.concat(ledger.audit_rows, ignore_index=True) if ledger.audit_rows
                      else pd.DataFrame())
    parts["rows_in"] = ledger.rows_in
    return parts


def _keys_chunk(ledger: Ledger, frame: pd.DataFrame) -> Chunk:
    data = frame.assign(value=0.0)
    if "month" in data.columns:
        data["month"] = data["month"].astype("float64")
    return Chunk.from_frame(data)


def ingest_cells(ledger: Ledger, parts: dict) -> None:
    """Merge the exported partial sums of another ledger into ``ledger``."""
    cells = parts["cells"]
    if len(cells):
        chunk = Chunk.from_frame(cells.drop(columns=["count"]))
        chunk.counts = cells["count"].to_numpy(dtype="float64")
        rows_in = ledger.rows_in
        ledger.add(chunk)
        ledger.rows_in = rows_in
    for name in ("extra", "gap"):
        if name not in parts:
            continue
        part = parts[name]
        chunk = _keys_chunk(ledger, part)
        attr_codes = ledger._attr_codes(chunk)
        fid = ledger.facilities.ids(part["facility"].astype(str).to_numpy())
        entity = ledger._entity(fid, attr_codes)
        for y in part["year"].unique().tolist():
            if int(y) not in ledger.years:
                ledger.years.append(int(y))
        yi = np.array([ledger.years.index(int(y)) for y in part["year"].tolist()], np.int64)
        out = {"entity": entity, "yi": yi, "m": part["month"].to_numpy(np.int64)}
        if name == "gap":
            out["slot"], _ = ledger._slot_codes(chunk)
        keep = [c for c in part.columns if c not in ("facility", "year", "month", "activity",
                                                      "item", "unit", *ledger.attrs)]
        getattr(ledger, name).append(pd.concat([pd.DataFrame(out),
                                                part[keep].reset_index(drop=True)], axis=1))
        ledger._grow(len(ledger.ent_fac), len(ledger.years), len(ledger.slots))
    if len(parts["rejected"]):
        ledger.rejected.append(parts["rejected"])
    if len(parts["audit"]):
        ledger.audit_rows.append(parts["audit"])
    ledger.rows_in += int(parts["rows_in"])


def partition_cells(frame: pd.DataFrame, options: dict) -> dict:
    """Run the ledger on one partition and export its partial sums (runs on a dask worker)."""
    from ..factors import load_factors

    lib = load_factors(prefer=options["prefer"])
    ledger = Ledger(lib, gwp=options["gwp"], purpose=options["purpose"],
                    monthly=options["monthly"], attrs=options["attrs"], audit=options["audit"],
                    on_error=options["on_error"])
    for chunk in iter_chunks(frame, chunk_rows=options["chunk_rows"], attrs=options["attrs"],
                             monthly=options["monthly"]):
        ledger.add(chunk)
    return export_cells(ledger)
