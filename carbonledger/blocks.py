"""Result blocks: the results of one activity kind, one slot per gas, kept apart until the
long result table is asked for.

An engine that accounts ``n`` rows into ``k`` gases (fuel combustion: CO2, CH4 and N2O) has a
long result of ``k * n`` rows, and building it repeats every row position and category ``k``
times. A :class:`ResultBlock` keeps the ``n`` row positions and IPCC categories once and one
:class:`Slot` (gas, tonnes, factor id, scope, CO2e) per gas. Sums by activity columns and gas
(:meth:`carbonledger.Inventory.summary`) are then bincounts over ``n`` rows per slot
(:func:`block_sums`), and the long table (:func:`blocks_frame`) is built only when a caller
reads ``Inventory.results``.

A kind's ``compute`` may return a long DataFrame (see :mod:`carbonledger.kinds`) or a block;
:meth:`ResultBlock.from_frame` turns the first into the second.

Examples
--------
>>> import numpy as np
>>> block = ResultBlock(rows=np.array([0, 1]), category=pd.Categorical(["1.A.2", "1.A.4"]),
...     slots=(Slot.constant("CO2", np.array([10.0, 20.0]), "ipcc/2006:ef:co2"),
...            Slot.constant("CH4", np.array([0.5, 1.0]), "ipcc/2006:ef:ch4")),
...     ipcc_sector="energy")
>>> frame = block.to_frame()
>>> frame[["row", "gas", "emissions_t"]].values.tolist()
[[0, 'CO2', 10.0], [1, 'CO2', 20.0], [0, 'CH4', 0.5], [1, 'CH4', 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .grouping import (
    column_codes,
    combine_codes,
    compact_categories,
    concat_frames,
    decode_keys,
    union_codes,
)

__all__ = ["Slot", "ResultBlock", "blocks_frame", "block_sums", "empty_result", "result_frame",
           "concat_results", "as_ids", "RESULT_COLUMNS"]

#: Columns of a long result frame returned by a kind's ``compute``.
RESULT_COLUMNS = ("row", "category", "gas", "emissions_t", "factor_id", "scope")


def empty_result() -> pd.DataFrame:
    """A long result frame with the columns of :data:`RESULT_COLUMNS` and no rows.

    Examples
    --------
    >>> empty_result().columns.tolist()
    ['row', 'category', 'gas', 'emissions_t', 'factor_id', 'scope']
    """
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "emissions_t" else object)
                         for c in RESULT_COLUMNS})


def as_ids(values, n: int) -> pd.Categorical:
    """Per-row text (a factor id, a category) as a Categorical of length ``n``: a string is
    broadcast, a Categorical (or categorical Series) is used as it is, anything else is
    factorized once.

    Examples
    --------
    >>> as_ids("ipcc:x", 2).tolist(), as_ids(["a", "b"], 2).categories.tolist()
    (['ipcc:x', 'ipcc:x'], ['a', 'b'])
    """
    if isinstance(values, str):
        return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                         pd.Index([values], dtype=object), validate=False)
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.Categorical):
        return values
    array = np.asarray(values, dtype=object)
    if array.ndim == 0:
        return as_ids(str(array.item()), n)
    codes, uniques = pd.factorize(array, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=object), validate=False)


def result_frame(index: pd.Index, category, gas: str, emissions_t, factor_id, *, scope: int = 1
                 ) -> pd.DataFrame:
    """One result row per input row for one gas (and category); ``category`` and
    ``factor_id`` (strings, arrays or Categoricals) become Categoricals.

    Examples
    --------
    >>> import pandas as pd
    >>> result_frame(pd.Index(["a"]), "3.C.2", "CO2", [1.5], "id").columns.tolist()
    ['row', 'category', 'gas', 'emissions_t', 'factor_id', 'scope']
    """
    n = len(index)
    return pd.DataFrame({
        "row": index.to_numpy(),
        "category": compact_categories(as_ids(category, n)),
        "gas": as_ids(gas, n),
        "emissions_t": np.asarray(emissions_t, dtype="float64"),
        "factor_id": compact_categories(as_ids(factor_id, n)),
        "scope": np.full(n, scope, dtype=np.int64),
    })


def concat_results(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate long result frames (an empty frame with the result columns if none);
    categorical columns are united through their codes, others concatenated as they are.

    Examples
    --------
    >>> concat_results([]).columns.tolist()
    ['row', 'category', 'gas', 'emissions_t', 'factor_id', 'scope']
    >>> both = concat_results([result_frame(pd.Index([0]), "4.B", "CH4", [1.0], "a"),
    ...                        result_frame(pd.Index([0]), "4.B", "N2O", [2.0], "b")])
    >>> both["gas"].tolist(), both["factor_id"].tolist()
    (['CH4', 'N2O'], ['a', 'b'])
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_result()
    columns = {}
    for column in RESULT_COLUMNS:
        parts = [f[column] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            columns[column] = union_codes([p.array for p in parts])
        else:
            columns[column] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(columns, copy=False)


@dataclass(frozen=True)
class Slot:
    """One gas of a block: ``gas``, ``factor_id`` (Categoricals) and ``scope`` (int8) per row,
    ``emissions_t`` (t of the gas) and, once GWPs are applied, ``co2e_t``."""

    gas: pd.Categorical
    emissions_t: np.ndarray
    factor_id: pd.Categorical
    scope: np.ndarray
    co2e_t: np.ndarray | None = None

    @classmethod
    def constant(cls, gas: str, emissions_t, factor_id, scope: int = 1) -> Slot:
        """A slot whose gas and scope are the same on every row (``factor_id`` a label, or
        one per row as for :func:`as_ids`)."""
        emissions_t = np.asarray(emissions_t, dtype="float64")
        n = len(emissions_t)
        return cls(as_ids(gas, n), emissions_t, as_ids(factor_id, n),
                   np.full(n, scope, dtype=np.int8))


@dataclass(frozen=True)
class ResultBlock:
    """The results of one kind: ``rows`` (positions in the activity table) and ``category``
    (IPCC code per row) shared by every slot, and the ``ipcc_sector`` the kind reports to."""

    rows: np.ndarray
    category: pd.Categorical
    slots: tuple[Slot, ...]
    ipcc_sector: str = ""

    def __len__(self) -> int:
        return len(self.rows) * len(self.slots)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, ipcc_sector: str = "") -> ResultBlock:
        """A one-slot block from a long result frame (columns :data:`RESULT_COLUMNS`)."""
        def categorical(column):
            values = frame[column]
            if isinstance(values.dtype, pd.CategoricalDtype):
                return values.array
            return pd.Categorical(values.astype(object))

        slot = Slot(categorical("gas"), frame["emissions_t"].to_numpy(dtype="float64"),
                    categorical("factor_id"), frame["scope"].to_numpy().astype(np.int8))
        return cls(frame["row"].to_numpy().astype(np.int64), categorical("category"), (slot,),
                   ipcc_sector)

    def with_sector(self, ipcc_sector: str) -> ResultBlock:
        return replace(self, ipcc_sector=ipcc_sector)

    def to_frame(self) -> pd.DataFrame:
        """The long result frame: ``row``, ``category``, ``gas``, ``emissions_t``,
        ``factor_id``, ``scope``, ``ipcc_sector`` (and ``co2e_t`` once applied), one row per
        (row, slot), slot after slot."""
        return blocks_frame([self])


def _union(parts: list[pd.Categorical]) -> pd.Categorical:
    return parts[0] if len(parts) == 1 else union_codes(parts)


def blocks_frame(blocks: list[ResultBlock]) -> pd.DataFrame:
    """The long result frame of several blocks, in order (categoricals united by codes)."""
    frames = []
    for block in blocks:
        k = len(block.slots)
        if k == 0 or not len(block.rows):
            continue
        n = len(block.rows)
        columns = {
            "row": np.tile(block.rows.astype(np.int64, copy=False), k),
            "category": pd.Categorical.from_codes(np.tile(np.asarray(block.category.codes), k),
                                                  block.category.categories, validate=False),
            "gas": _union([s.gas for s in block.slots]),
            "emissions_t": np.concatenate([s.emissions_t for s in block.slots]),
            "factor_id": _union([s.factor_id for s in block.slots]),
            "scope": np.concatenate([s.scope for s in block.slots]).astype(np.int8, copy=False),
            "ipcc_sector": as_ids(block.ipcc_sector, n * k),
        }
        if all(s.co2e_t is not None for s in block.slots):
            columns["co2e_t"] = np.concatenate([s.co2e_t for s in block.slots])
        frames.append(pd.DataFrame(columns, copy=False))
    if not frames:
        empty = pd.DataFrame({
            "row": np.zeros(0, dtype=np.int64), "category": pd.Categorical([]),
            "gas": pd.Categorical([]), "emissions_t": np.zeros(0), "factor_id":
            pd.Categorical([]), "scope": np.zeros(0, dtype=np.int8),
            "ipcc_sector": pd.Categorical([]), "co2e_t": np.zeros(0)})
        return empty
    return frames[0] if len(frames) == 1 else concat_frames(frames)


#: Result columns a block answers itself (all others are activity columns, read by row).
_BLOCK_COLUMNS = ("category", "gas", "factor_id", "scope", "ipcc_sector")
#: Largest number of key combinations summed densely (beyond it the caller sums the long table).
DENSE_GROUPS = 1 << 20


def _result_categories(blocks, name: str) -> pd.Index:
    if name == "category":
        parts = [np.asarray(b.category.categories, dtype=object) for b in blocks]
    elif name == "ipcc_sector":
        parts = [np.array([b.ipcc_sector], dtype=object) for b in blocks]
    elif name == "scope":
        return pd.Index(np.unique(np.concatenate([np.unique(s.scope) for b in blocks
                                                  for s in b.slots] + [np.zeros(0, np.int8)])))
    else:
        parts = [np.asarray(getattr(s, name).categories, dtype=object)
                 for b in blocks for s in b.slots]
    return pd.Index(np.concatenate(parts + [np.zeros(0, dtype=object)])).unique()


def _slot_codes(block, slot, name, categories):
    """Codes of ``name`` on the rows of one slot, in the global ``categories`` (a scalar when
    the same on every row)."""
    if name == "ipcc_sector":
        return categories.get_loc(block.ipcc_sector)
    if name == "scope":
        return np.searchsorted(np.asarray(categories), slot.scope)
    values = block.category if name == "category" else getattr(slot, name)
    lookup = np.append(categories.get_indexer(values.categories), -1)  # code -1: missing
    return lookup[np.asarray(values.codes)]


def block_sums(blocks, by, value: str, activity: pd.DataFrame, scope=None
               ) -> pd.DataFrame | None:
    """Sum ``value`` (``co2e_t`` or ``emissions_t``) of every slot by ``by`` (result columns
    of :data:`_BLOCK_COLUMNS` and activity columns read at the block's rows), without building
    the long table. Returns a frame of ``by`` and ``value`` (groups with rows only), or
    ``None`` when the key space is too large to sum densely.

    Examples
    --------
    >>> import numpy as np
    >>> activity = pd.DataFrame({"sector": pd.Categorical(["steel", "cement", "steel"])})
    >>> block = ResultBlock(np.arange(3), pd.Categorical(["1.A.2"] * 3),
    ...     (Slot.constant("CO2", [1.0, 2.0, 4.0], "f"),), "energy")
    >>> block_sums([block], ["sector", "gas"], "emissions_t", activity).values.tolist()
    [['cement', 'CO2', 2.0], ['steel', 'CO2', 5.0]]
    """
    by = list(by)
    # activity columns make the high digits of the key (shared by a block's slots), result
    # columns the low digits (one per slot)
    outer = [name for name in by if name not in _BLOCK_COLUMNS]
    inner = [name for name in by if name in _BLOCK_COLUMNS]
    outer_codes = [column_codes(activity[name]) for name in outer]
    inner_categories = [_result_categories(blocks, name) for name in inner]
    categories = [cats for _, cats in outer_codes] + inner_categories
    sizes = [len(c) + 1 for c in categories]
    total = float(np.prod(np.asarray(sizes, dtype="float64")))
    if total > DENSE_GROUPS:
        return None
    total = int(total)
    inner_size = int(np.prod(sizes[len(outer):], dtype=np.int64))
    sums = np.zeros(total)
    counts = np.zeros(total, dtype=np.int64)
    for block in blocks:
        base = combine_codes([(codes[block.rows], cats) for codes, cats in outer_codes],
                             len(block.rows))
        base *= inner_size
        for slot in block.slots:
            weights = slot.co2e_t if value == "co2e_t" else slot.emissions_t
            if weights is None:
                raise ValueError(f"the blocks carry no {value}")
            low = 0
            for name, cats in zip(inner, inner_categories, strict=True):
                low = low * (len(cats) + 1) + _slot_codes(block, slot, name, cats) + 1
            key = base + low
            if scope is not None:
                keep = np.isin(slot.scope, np.atleast_1d(scope))
                key, weights = key[keep], weights[keep]
            sums += np.bincount(key, weights=weights, minlength=total)
            counts += np.bincount(key, minlength=total)
    present = np.flatnonzero(counts)
    out = decode_keys(present, outer + inner, categories)[by]
    out[value] = sums[present]
    return out
