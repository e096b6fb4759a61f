"""The chunk kernel of the enterprise ledger: categorical codes in, dense partial sums out.

A :class:`Chunk` holds one batch of facility rows as integer codes (+ their categories), the
values and the optional measured columns. :class:`Ledger` folds chunks into dense arrays indexed
by ``(entity, year, month, slot)`` where an *entity* is a facility with its sector, grid region
and grouping attributes and a *slot* is one ``(activity, item, unit)``. Linear rows only add
their value there (one ``bincount`` per chunk); the per-unit coefficients of each proto
(:mod:`~carbonledger.enterprise.protos`) are applied once at the end. Rows with measured NCV,
carbon content or oxidation go through the inventory's own energy table and fuel-combustion kind
(the combustion kernel), rows of other kinds with their own parameters through
:func:`carbonledger.compute_inventory`; both are summed per entity-year directly. Bad rows are
refused with a typed error naming them or collected (``on_error="collect"``).

Examples
--------
>>> import numpy as np, carbonledger as cl
>>> chunk = Chunk.from_frame(__import__("pandas").DataFrame({"facility": ["F1"], "year": [2022],
...     "sector": ["steel"], "activity": ["fuel_combustion"], "item": ["natural_gas"],
...     "value": [10.0], "unit": ["wan_m3"]}))
>>> ledger = Ledger(cl.load_factors(), gwp="AR5", purpose="ets")
>>> ledger.add(chunk)
>>> float(ledger.N.sum())
1.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..catalog import resolve_items
from ..errors import ActivityDataError, CarbonLedgerError
from ..gwp import gwp_values
from ..kinds import get_kind
from . import rules
from .kernels import inventory_path, kernel_path
from .protos import shared_protos

__all__ = ["Chunk", "Ledger", "TEXT_KEYS", "MEASURED"]

TEXT_KEYS = ("facility", "sector", "activity", "item", "unit")
MEASURED = ("ncv", "carbon_content", "oxidation")
_FUEL, _PRODUCTION, _OTHER = 0, 1, 2
_TEXT_ALWAYS = (*TEXT_KEYS, "region", "grid_region", "ncv_unit")


@dataclass
class Chunk:
    """One batch of rows as codes.

    ``text`` maps a column to ``(codes, categories)`` (code -1 = missing); ``numbers`` maps a
    numeric column to a float array; ``labels(mask)`` names the rows of a boolean mask.
    """

    text: dict
    numbers: dict
    year: np.ndarray
    value: np.ndarray
    labels: Callable
    counts: np.ndarray | None = None
    n: int = field(init=False)

    def __post_init__(self):
        self.n = len(self.value)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, label_prefix: str = "") -> Chunk:
        """A chunk from a pandas frame (categoricals are used through their codes)."""
        text, numbers = {}, {}
        for name in frame.columns:
            series = frame[name]
            if name in ("year", "value"):
                continue
            if isinstance(series.dtype, pd.CategoricalDtype):
                text[name] = (series.cat.codes.to_numpy(np.int64),
                              np.asarray(series.cat.categories, dtype=object))
            elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
                    series) and name not in _TEXT_ALWAYS:
                numbers[name] = series.to_numpy(dtype="float64", na_value=np.nan)
            else:
                codes, cats = pd.factorize(series, use_na_sentinel=True)
                text[name] = (codes.astype(np.int64),
                              np.asarray([str(c) for c in cats], dtype=object))
        year_series = frame["year"]
        if pd.api.types.is_integer_dtype(year_series) and not year_series.hasnans:
            year = year_series.to_numpy(np.int64)
        else:
            year = pd.to_numeric(year_series, errors="coerce").to_numpy("float64",
                                                                        na_value=np.nan)
        value = pd.to_numeric(frame["value"], errors="coerce").to_numpy("float64",
                                                                         na_value=np.nan)
        index = frame.index

        def labels(mask):
            picked = index[np.asarray(mask)]
            return [f"{label_prefix}{v}" for v in picked] if label_prefix else picked.tolist()

        return cls(text=text, numbers=numbers, year=year, value=value, labels=labels)

    def strings(self, name: str, rows=None) -> np.ndarray:
        """The values of a text column as an object array (``""`` when missing)."""
        if name not in self.text:
            return np.full(self.n if rows is None else len(rows), "", dtype=object)
        codes, cats = self.text[name]
        codes = codes if rows is None else codes[rows]
        table = np.append(np.asarray(cats, dtype=object), "")
        return table[np.where(codes >= 0, codes, len(table) - 1)]


class _Registry:
    """Values -> dense ids, growing (a dict; categories are few per chunk)."""

    def __init__(self):
        self.values: list = []
        self.lookup: dict = {}

    def ids(self, values) -> np.ndarray:
        lookup = self.lookup
        out = np.empty(len(values), dtype=np.int64)
        for position, value in enumerate(values.tolist() if hasattr(values, "tolist")
                                         else values):
            code = lookup.get(value)
            if code is None:
                code = lookup[value] = len(self.values)
                self.values.append(value)
            out[position] = code
        return out


class Ledger:
    """Dense partial sums of the enterprise ledger (see the module docstring).

    Parameters
    ----------
    lib : factor library; gwp : GWP set; purpose : grid factor purpose (``"ets"`` applies the
    ETS rules); monthly : keep months apart; attrs : extra entity attributes (grouping
    columns such as ``province``); audit : keep one audit row per input row; on_error :
    ``"raise"`` or ``"collect"``.
    """

    def __init__(self, lib, *, gwp: str = "AR5", purpose: str = "ets", monthly: bool = False,
                 attrs=(), audit: bool = False, on_error: str = "raise"):
        if on_error not in ("raise", "collect"):
            raise ValueError("on_error must be 'raise' or 'collect'")
        self.lib, self.gwp, self.purpose = lib, gwp, purpose
        self.gwps = gwp_values(gwp, lib)
        self.monthly, self.audit, self.on_error = monthly, audit, on_error
        self.attrs = ["sector", "region", *[a for a in attrs if a not in ("sector", "region")]]
        self.protos = shared_protos(lib, gwp=gwp, purpose=purpose)
        self.facilities = _Registry()
        self.attr_reg = {a: _Registry() for a in self.attrs}
        self.ent_fac = np.empty(0, np.int64)
        self.ent_attr = {a: np.empty(0, np.int64) for a in self.attrs}
        self.ent_of_fac = np.empty(0, np.int64)
        self.compound: dict[tuple, int] = {}
        self.years: list[int] = []
        self.slots: list[tuple] = []
        self.slot_ids: dict[tuple, int] = {}
        self.Mcap = 13 if monthly else 1
        self.caps = (0, 0, 0)
        self.V = np.zeros(0)
        self.N = np.zeros(0, dtype=np.float32)  # row counts per cell (<= 12 a year)
        self.extra: list[pd.DataFrame] = []
        self.gap: list[pd.DataFrame] = []
        self.rejected: list[pd.DataFrame] = []
        self.audit_rows: list[pd.DataFrame] = []
        self.rows_in = 0
        self._memo: dict = {}

    # ------------------------------------------------------------------ registries

    def _cached(self, key: str, cats, compute):
        """``compute()`` once per categories object (chunks of one frame or one Parquet
        dictionary share it), so per-category work is not repeated for every chunk."""
        hit = self._memo.get(key)
        if hit is not None and hit[0] is cats:
            return hit[1]
        value = compute()
        self._memo[key] = (cats, value)
        return value

    def _grow(self, entities: int, years: int, slots: int) -> None:
        e0, y0, s0 = self.caps
        if entities <= e0 and years <= y0 and slots <= s0:
            return
        caps = (max(entities, 2 * e0 if entities > e0 else e0, 64),
                max(years, y0 + 1 if years > y0 else y0, 1),
                max(slots, s0 + 16 if slots > s0 else s0, 16))
        shape_old = (e0, y0, self.Mcap, s0)
        shape_new = (caps[0], caps[1], self.Mcap, caps[2])
        for name, dtype in (("V", np.float64), ("N", np.float32)):
            grown = np.zeros(shape_new, dtype=dtype)
            if self.V.size:
                grown[:e0, :y0, :, :s0] = getattr(self, name).reshape(shape_old)
            setattr(self, name, grown.reshape(-1))
        self.caps = caps

    def _entity(self, facility_ids: np.ndarray, attr_codes: dict) -> np.ndarray:
        """Entity id per row: the facility's primary entity, or a compound one when the row's
        sector/region/attributes differ from the facility's first."""
        if len(self.ent_of_fac) < len(self.facilities.values):
            self.ent_of_fac = np.append(
                self.ent_of_fac, np.full(len(self.facilities.values) - len(self.ent_of_fac), -1))
        entity = self.ent_of_fac[facility_ids]
        fresh = entity < 0
        if fresh.any():
            last = np.full(len(self.facilities.values), -1, dtype=np.int64)
            rows = np.flatnonzero(fresh)
            last[facility_ids[rows]] = rows
            new_facilities = np.flatnonzero(last >= 0)
            start = len(self.ent_fac)
            self.ent_fac = np.append(self.ent_fac, new_facilities)
            for a in self.attrs:
                self.ent_attr[a] = np.append(self.ent_attr[a], attr_codes[a][last[new_facilities]])
            self.ent_of_fac[new_facilities] = start + np.arange(len(new_facilities))
            entity = self.ent_of_fac[facility_ids]
        mismatch = np.zeros(len(entity), dtype=bool)
        for a in self.attrs:
            if len(self.attr_reg[a].values) > 1:
                mismatch |= self.ent_attr[a][entity] != attr_codes[a]
        if mismatch.any():
            rows = np.flatnonzero(mismatch)
            stacked = np.column_stack([facility_ids[rows]] + [attr_codes[a][rows]
                                                              for a in self.attrs])
            uniques, inverse = np.unique(stacked, axis=0, return_inverse=True)
            ids = np.empty(len(uniques), dtype=np.int64)
            for position, key in enumerate(map(tuple, uniques.tolist())):
                primary = int(self.ent_of_fac[key[0]])
                if all(int(self.ent_attr[a][primary]) == code for a, code in
                       zip(self.attrs, key[1:], strict=True)):
                    ids[position] = primary
                    continue
                if key not in self.compound:
                    self.compound[key] = len(self.ent_fac)
                    self.ent_fac = np.append(self.ent_fac, key[0])
                    for a, code in zip(self.attrs, key[1:], strict=True):
                        self.ent_attr[a] = np.append(self.ent_attr[a], code)
                ids[position] = self.compound[key]
            entity[rows] = ids[inverse.ravel()]
        return entity

    def _attr_codes(self, chunk: Chunk) -> dict:
        out = {}
        for a in self.attrs:
            name = a
            if a == "region":
                name = "grid_region" if "grid_region" in chunk.text else "region"
            if name in chunk.text:
                codes, cats = chunk.text[name]
                lut = self._cached(f"attr:{a}", cats, lambda c=cats, r=self.attr_reg[a]: np.append(
                    r.ids([str(v) for v in c]), r.ids([""])))
                out[a] = lut[np.where(codes >= 0, codes, len(lut) - 1)]
            else:
                out[a] = np.full(chunk.n, self.attr_reg[a].ids([""])[0], dtype=np.int64)
        return out

    def _slot_codes(self, chunk: Chunk) -> tuple[np.ndarray, np.ndarray | None]:
        """Global slot id per row and a mask of rows with a blank activity/item/unit (``None``
        when there is none)."""
        parts = []
        for name in ("activity", "item", "unit"):
            codes, cats = chunk.text[name]
            parts.append((codes, self._cached(f"slot:{name}", cats,
                                              lambda c=cats, n=name: _clean(c, n))))
        blank = None
        for codes, cats in parts:
            empty = cats == ""
            if empty.any() or (len(codes) and codes.min() < 0):
                lookup = np.append(empty, True)
                more = lookup[np.where(codes >= 0, codes, len(lookup) - 1)]
                blank = more if blank is None else blank | more
        sizes = [len(c) + 1 for _, c in parts]
        key = np.zeros(len(parts[0][0]), dtype=np.int64)
        for (codes, _), size in zip(parts, sizes, strict=True):  # built in place
            key *= size
            key += codes if blank is None else np.where(codes >= 0, codes, size - 1)
        total = int(np.prod(sizes))
        # slot id of every (activity, item, unit) combination of these dictionaries, -1 until
        # seen; kept while the dictionaries are the same objects (chunks of one file share them)
        dictionaries = tuple(c for _, c in parts)
        memo = self._memo.get("slot:lut")
        if memo is None or not all(m is c for m, c in zip(memo[0], dictionaries, strict=True)):
            memo = (dictionaries, np.full(total, -1, dtype=np.int64))
            self._memo["slot:lut"] = memo
        lut = memo[1]
        slot = lut[key]
        unseen = slot < 0 if blank is None else (slot < 0) & ~blank
        if unseen.any():
            for flat in np.flatnonzero(np.bincount(key[unseen], minlength=total)).tolist():
                a, rest = divmod(flat, sizes[1] * sizes[2])
                i, u = divmod(rest, sizes[2])
                combo = (parts[0][1][a], parts[1][1][i], parts[2][1][u])
                if combo not in self.slot_ids:
                    self.slot_ids[combo] = len(self.slots)
                    self.slots.append(combo)
                lut[flat] = self.slot_ids[combo]
            slot = lut[key]
        if blank is not None:
            slot = np.where(blank, 0, slot)
        return slot, blank

    # ------------------------------------------------------------------ chunks

    def _refuse(self, chunk: Chunk, mask: np.ndarray, reason: str, error=ActivityDataError,
                fix: str = "") -> None:
        if not mask.any():
            return
        labels = chunk.labels(mask)
        if self.on_error == "raise":
            raise error(reason, rows=labels, fix=fix or None)
        rows = np.flatnonzero(mask)
        self.rejected.append(pd.DataFrame({
            "row": labels, "facility": chunk.strings("facility", rows),
            "year": chunk.year[rows], "activity": chunk.strings("activity", rows),
            "item": chunk.strings("item", rows), "unit": chunk.strings("unit", rows),
            "value": chunk.value[rows], "reason": reason}))

    def _screen(self, chunk: Chunk, slot: np.ndarray, blank: np.ndarray | None):
        """Refuse rows with blank keys, bad years/months or bad values; return the bad mask
        (``None`` when every row is fine, found with cheap reductions first)."""
        n = chunk.n
        year, value = chunk.year, chunk.value
        month = chunk.numbers.get("month") if self.monthly else None
        quick = blank is None and np.isfinite(year.sum()) and year.min() >= 1900 and (
            year.max() <= 2200) and np.isfinite(value.sum()) and value.min() >= 0
        if quick and month is not None:
            quick = np.isfinite(month.sum()) and month.min() >= 1 and month.max() <= 12
        if quick and (year.dtype.kind in "iu" or (np.mod(year, 1) == 0).all()):
            return None
        bad = np.zeros(n, dtype=bool) if blank is None else blank.copy()
        self._refuse(chunk, bad, "facility, sector, activity, item or unit is blank",
                     fix="fill every key column")
        bad_year = ~np.isfinite(year) | (year < 1900) | (year > 2200) | (
            np.mod(np.nan_to_num(year), 1) != 0)
        self._refuse(chunk, bad_year & ~bad, "year is not a whole year between 1900 and 2200",
                     fix="give years as integers such as 2022")
        bad |= bad_year
        if self.monthly:
            raw = month if month is not None else np.full(n, np.nan)
            bad_month = ~np.isfinite(raw) | (raw < 1) | (raw > 12)
            self._refuse(chunk, bad_month & ~bad, "month is missing or not 1..12",
                         fix="give month 1..12 on every row for monthly results")
            bad |= bad_month
        neg_ok = np.array([_allows_negative(s[0]) for s in self.slots] + [False])
        bad_value = ~np.isfinite(value) | ((value < 0) & ~neg_ok[np.where(bad, -1, slot)])
        self._refuse(chunk, bad_value & ~bad, "value is missing, not finite or negative",
                     fix="give a finite non-negative number (exports and removals have kinds "
                     "of their own)")
        return bad | bad_value

    def _year_index(self, year: np.ndarray, bad) -> tuple[np.ndarray, int]:
        year_int = (year if year.dtype == np.int64 else year.astype(np.int64)) if bad is None \
            else np.where(bad, 0, year).astype(np.int64)
        valid = year_int if bad is None else year_int[~bad]
        if not len(valid):
            return np.zeros(len(year), np.int64), 0
        ymin, ymax = int(valid.min()), int(valid.max())
        present = np.flatnonzero(np.bincount(valid - ymin, minlength=ymax - ymin + 1))
        for y in (present + ymin).tolist():
            if y not in self.years:
                self.years.append(y)
        span = np.zeros(ymax - ymin + 1, dtype=np.int64)
        span[present] = [self.years.index(y) for y in (present + ymin).tolist()]
        offset = year_int - ymin
        if bad is not None:
            offset = np.where(bad, 0, np.clip(offset, 0, len(span) - 1))
        return span[offset], ymin

    def add(self, chunk: Chunk) -> None:
        """Fold one chunk into the partial sums."""
        n = chunk.n
        if n == 0:
            return
        self.rows_in += n if chunk.counts is None else int(chunk.counts.sum())
        missing = [c for c in TEXT_KEYS if c not in chunk.text]
        if missing:
            raise ActivityDataError(f"facility rows lack column(s) {missing}",
                                    fix="give facility, year, sector, activity, item, value, "
                                    "unit (and month for monthly results)")
        slot, blank = self._slot_codes(chunk)
        for name in ("facility", "sector"):
            codes, cats = chunk.text[name]
            empty = self._cached(f"blank:{name}", cats, lambda c=cats: np.asarray(
                pd.Index(c).astype(str).str.strip() == "", dtype=bool))
            if empty.any() or (len(codes) and codes.min() < 0):
                lookup = np.append(empty, True)
                more = lookup[np.where(codes >= 0, codes, len(lookup) - 1)]
                blank = more if blank is None else blank | more
        bad = self._screen(chunk, slot, blank)
        y_index, _ = self._year_index(chunk.year, bad)
        month = np.zeros(n, dtype=np.int64)
        if self.monthly:
            raw = chunk.numbers.get("month", np.ones(n))
            month = (raw if bad is None else np.where(bad, 1, raw)).astype(np.int64)
        attr_codes = self._attr_codes(chunk)
        fac_codes, fac_cats = chunk.text["facility"]
        fid = self._cached("facility", fac_cats, lambda: np.append(
            self.facilities.ids(fac_cats), 0))[fac_codes]
        if bad is not None:
            good = ~bad
            entity = np.zeros(n, dtype=np.int64)
            if good.any():
                entity[good] = self._entity(fid[good], {a: c[good] for a, c in
                                                        attr_codes.items()})
        else:
            entity = self._entity(fid, attr_codes)
        self._grow(len(self.ent_fac), len(self.years), len(self.slots))
        special = None
        if set(chunk.numbers) - {"month"} or set(chunk.text) - {*TEXT_KEYS, "region",
                                                               "grid_region", *self.attrs}:
            special = self._special_rows(chunk, slot, bad)
        e_cap, y_cap, s_cap = self.caps
        fine = ((entity * y_cap + y_index) * self.Mcap + month) * s_cap + slot
        linear = None
        if bad is not None or special is not None:
            linear = np.ones(n, dtype=bool)
            for mask in (bad, None if special is None else special[0] | special[1]):
                if mask is not None:
                    linear &= ~mask
        cells, cell_proto = self._fold(chunk, fine, linear)
        if cells is None:
            return
        keys = (entity, y_index, month, slot)
        if special is not None:
            rows_proto = None
            if special[0].any():
                rows_proto = self._row_protos(chunk, entity, y_index, slot, special[0])
                kernel_path(self, chunk, np.flatnonzero(special[0]), keys, rows_proto)
            if special[1].any():
                inventory_path(self, chunk, np.flatnonzero(special[1]), keys)
        if self.audit:
            self._audit(chunk, linear, fine, cells, cell_proto, keys)

    def _fold(self, chunk, fine, linear):
        """bincount the linear rows into the dense sums after checking their protos; rows of
        an invalid proto are refused and the chunk folded again without them."""
        weights = chunk.value if linear is None else np.where(linear, chunk.value, 0.0)
        counts = (chunk.counts if linear is None else np.where(linear, chunk.counts, 0.0)) if (
            chunk.counts is not None) else linear
        use = fine if linear is None else np.where(linear, fine, fine[0] if len(fine) else 0)
        lo, hi = int(use.min()), int(use.max())
        local = use - lo
        number = np.bincount(local, weights=counts, minlength=hi - lo + 1)
        if number.dtype != np.float64:
            number = number.astype(np.float64)
        cells = np.flatnonzero(number) + lo
        cell_proto = self._cell_protos(cells)
        valid = np.array([r["valid"] for r in self.protos.records], dtype=bool)
        invalid_cells = ~valid[cell_proto] if len(cells) else np.zeros(0, bool)
        if invalid_cells.any():
            flag = np.zeros(hi - lo + 1, dtype=bool)
            flag[cells[invalid_cells] - lo] = True
            row_bad = flag[local] if linear is None else flag[local] & linear
            row_proto = np.zeros(len(fine), dtype=np.int64)
            position = np.searchsorted(cells, fine[row_bad])
            row_proto[row_bad] = cell_proto[position]
            for pid in np.unique(row_proto[row_bad]).tolist():
                rec = self.protos.record(pid)
                self._refuse(chunk, row_bad & (row_proto == pid), rec["reason"],
                             rec["error"] or ActivityDataError)
            keep = ~row_bad if linear is None else linear & ~row_bad
            return self._fold(chunk, fine, keep)
        total = np.bincount(local, weights=weights, minlength=hi - lo + 1)
        self.V[lo:hi + 1] += total
        self.N[lo:hi + 1] += number
        return cells, cell_proto

    def _cell_protos(self, cells: np.ndarray) -> np.ndarray:
        """Proto id of each dense cell (entity's sector/region, year, slot)."""
        if not len(cells):
            return np.zeros(0, dtype=np.int64)
        e_cap, y_cap, s_cap = self.caps
        e, yi, _, s = np.unravel_index(cells, (e_cap, y_cap, self.Mcap, s_cap))
        sectors = self.attr_reg["sector"].values
        regions = self.attr_reg["region"].values
        sizes = (len(self.years), len(sectors), len(regions), max(len(self.slots), 1))
        return proto_lookup(self, (yi, self.ent_attr["sector"][e], self.ent_attr["region"][e], s),
                            sizes)

    def _row_protos(self, chunk, entity, y_index, slot, mask) -> np.ndarray:
        """Proto id per row (computed for the rows of ``mask``; 0 elsewhere)."""
        rows = np.flatnonzero(mask)
        e_cap, y_cap, s_cap = self.caps
        cells = np.ravel_multi_index((entity[rows], y_index[rows], np.zeros(len(rows), np.int64),
                                      slot[rows]), (e_cap, y_cap, self.Mcap, s_cap))
        out = np.zeros(chunk.n, dtype=np.int64)
        out[rows] = self._cell_protos(cells)
        return out

    def _special_rows(self, chunk, slot, bad):
        """(kernel rows: fuel rows with a measured parameter, parameter rows: other kinds with a
        parameter of their own); ``None`` parts are all-False masks."""
        n = chunk.n
        slot_class = np.array([_slot_class(s[0]) for s in self.slots] + [_OTHER])
        cls = slot_class[slot if bad is None else np.where(bad, -1, slot)]
        kernel = np.zeros(n, dtype=bool)
        for name in MEASURED:
            if name in chunk.numbers:
                kernel |= np.isfinite(chunk.numbers[name])
        kernel &= cls == _FUEL
        if bad is not None:
            kernel &= ~bad
        params = self._parameter_rows(chunk, slot, cls, np.zeros(n, bool) if bad is None
                                      else bad)
        return kernel, params

    def _parameter_rows(self, chunk, slot, cls, bad) -> np.ndarray:
        """Rows of non-fuel kinds that carry a parameter of their own (inventory path)."""
        mask = np.zeros(chunk.n, dtype=bool)
        present = set(chunk.numbers) | set(chunk.text)
        for s, (activity, _, _) in enumerate(self.slots):
            if _slot_class(activity) != _OTHER:
                continue
            params = [p for p in rules.kind_parameters(activity) if p in present]
            if not params:
                continue
            rows = (slot == s) & ~bad & (cls == _OTHER)
            for p in params:
                if p in chunk.numbers:
                    mask |= rows & np.isfinite(chunk.numbers[p])
                else:
                    mask |= rows & (chunk.text[p][0] >= 0)
        return mask

    def _audit(self, chunk, linear, fine, cells, cell_proto, keys) -> None:
        mask = np.ones(chunk.n, dtype=bool) if linear is None else linear
        rows = np.flatnonzero(mask)
        proto = cell_proto[np.searchsorted(cells, fine[rows])]
        recs = self.protos.records
        rule = np.array([r["rule"] for r in recs], dtype=object)
        fid = np.array([r["factor_id"] for r in recs], dtype=object)
        self.audit_rows.append(pd.DataFrame({
            "row": chunk.labels(mask), "facility": chunk.strings("facility", rows),
            "year": chunk.year[rows].astype(np.int64), "activity": chunk.strings("activity", rows),
            "item": chunk.strings("item", rows),
            "rule": pd.Categorical(rule[proto]), "factor_id": pd.Categorical(fid[proto])}))

    def merge_frame(self, name: str, frame: pd.DataFrame) -> None:
        """Append a partial frame (``extra``/``gap``) keyed by entity ids of this ledger."""
        getattr(self, name).append(frame)


def proto_lookup(ledger, parts, sizes) -> np.ndarray:
    """Proto ids of (year index, sector code, region code, slot) tuples, found through a dense
    presence table (no sort) when the key space is small."""
    key = np.ravel_multi_index(parts, sizes)
    total = int(np.prod(sizes, dtype=np.float64))
    if total <= (1 << 22):
        uniques = np.flatnonzero(np.bincount(key, minlength=total))
        inverse = None
    else:
        uniques, inverse = np.unique(key, return_inverse=True)
    sectors = ledger.attr_reg["sector"].values
    regions = ledger.attr_reg["region"].values
    keys = [(ledger.years[y], sectors[sc], regions[r], *ledger.slots[sl])
            for y, sc, r, sl in zip(*np.unravel_index(uniques, sizes), strict=True)]
    ids = ledger.protos.ensure(keys)
    if inverse is not None:
        return ids[inverse.ravel()]
    lut = np.zeros(total, dtype=np.int64)
    lut[uniques] = ids
    return lut[key]


def _clean(cats, name: str) -> np.ndarray:
    if name == "item":
        cats = np.asarray(resolve_items(pd.Series(cats, dtype=object)).astype(str), dtype=object)
    return np.array([str(c).strip() for c in cats], dtype=object)


def _slot_class(activity: str) -> int:
    if activity == "fuel_combustion":
        return _FUEL
    if activity == "production":
        return _PRODUCTION
    return _OTHER


def _allows_negative(activity: str) -> bool:
    try:
        return bool(get_kind(activity).allow_negative)
    except KeyError:
        return False


def reraise_rows(exc: CarbonLedgerError, labels) -> CarbonLedgerError:
    """The same typed error with positions replaced by caller row labels."""
    named = [labels[int(r)] for r in exc.rows]
    return type(exc)(exc.message, rows=named, fix=exc.fix, **exc.fields)
