"""Safe output: atomic writes (temporary file + rename) and neutralised spreadsheet cells.

An interrupted run leaves the old file or none, never half a file; a user string that starts
with ``=``, ``+``, ``-`` or ``@`` is written as text, never as a live spreadsheet formula.

Examples
--------
>>> import pandas as pd
>>> sanitize_cells(pd.DataFrame({"region": ["=HYPERLINK(1)", "north"]}))["region"].tolist()
["'=HYPERLINK(1)", 'north']
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

__all__ = ["atomic_write", "sanitize_cells", "write_csv", "write_json"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def atomic_write(path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path``.

    The temporary file sits in the target directory (same file system) and is removed if
    ``write`` raises, so ``path`` holds either its old content or the complete new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix or ".tmp",
                                        dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _neutral(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def sanitize_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` whose text cells (and column names) cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series.cat.rename_categories([_neutral(str(c)) if isinstance(c, str)
                                                        else c for c in series.cat.categories])
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(_neutral)
    out.columns = [_neutral(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(path, frame: pd.DataFrame, *, index: bool = False) -> Path:
    """Write ``frame`` as CSV at ``path``: cells neutralised (:func:`sanitize_cells`), the file
    written atomically (:func:`atomic_write`).

    Examples
    --------
    >>> import tempfile
    >>> path = write_csv(Path(tempfile.mkdtemp()) / "t.csv", pd.DataFrame({"a": ["=1+1"]}))
    >>> path.read_text(encoding="utf-8").splitlines()
    ['a', "'=1+1"]
    """
    safe = sanitize_cells(frame)
    return atomic_write(path, lambda p: safe.to_csv(p, index=index))


def write_json(path, data) -> Path:
    """Write ``data`` as indented UTF-8 JSON at ``path``, atomically."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
