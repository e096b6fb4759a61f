"""Typed errors and warnings of carbonledger.

Every message says what is wrong, which rows (the first five and a count) and how to fix it.
Errors carry structured fields so that callers can act on them without parsing text.

Examples
--------
>>> from carbonledger.errors import ActivityDataError
>>> err = ActivityDataError("value is not a number", rows=[3, 7], fix="give a number")
>>> err.rows
[3, 7]
>>> "rows 3, 7" in str(err)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "CarbonLedgerError",
    "ActivityDataError",
    "MissingFactorError",
    "UnitConversionError",
    "FactorFileError",
    "ScenarioSpecError",
    "FactorFallbackWarning",
    "DataQualityWarning",
    "format_rows",
]


def format_rows(rows: Iterable, *, limit: int = 5) -> str:
    """Describe row labels as 'rows a, b, c, d, e (and N more; 12 in all)'.

    Examples
    --------
    >>> format_rows([1, 2])
    'rows 1, 2'
    >>> format_rows(range(8))
    'rows 0, 1, 2, 3, 4 (and 3 more; 8 in all)'
    """
    rows = list(rows)
    shown = ", ".join(str(r) for r in rows[:limit])
    word = "row" if len(rows) == 1 else "rows"
    if len(rows) > limit:
        return f"{word} {shown} (and {len(rows) - limit} more; {len(rows)} in all)"
    return f"{word} {shown}"


class CarbonLedgerError(Exception):
    """Base class of every carbonledger error.

    Parameters
    ----------
    message : what is wrong.
    rows : the offending row labels (activity-table index, or file line numbers), if any.
    fix : how to fix it.
    """

    def __init__(self, message: str, *, rows: Sequence | None = None, fix: str | None = None, **fields):
        self.message = message
        self.rows = list(rows) if rows is not None else []
        self.fix = fix
        self.fields = fields
        for key, value in fields.items():
            setattr(self, key, value)
        text = message
        if self.rows:
            text += f" ({format_rows(self.rows)})"
        if fix:
            text += f". Fix: {fix}"
        super().__init__(text)


class ActivityDataError(CarbonLedgerError, ValueError):
    """Activity data that cannot be accounted: missing column, bad number, unknown item, ..."""


class MissingFactorError(CarbonLedgerError, LookupError):
    """A factor was asked for and none of the searched sources has it."""


class UnitConversionError(CarbonLedgerError, ValueError):
    """A unit is unknown, or a conversion needs a property the factor library lacks."""


class FactorFileError(CarbonLedgerError, ValueError):
    """A factor file or its sidecar is malformed, edited (sha256 mismatch) or outside factors/."""


class ScenarioSpecError(CarbonLedgerError, ValueError):
    """A scenario specification is malformed."""


class FactorFallbackWarning(UserWarning):
    """A factor came from a lower-preference source than the user asked for."""


class DataQualityWarning(UserWarning):
    """Input that can be accounted but looks suspicious."""
