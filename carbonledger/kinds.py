"""Activity kinds: what each kind of activity row needs and which engine accounts it.

Every engine module (``carbonledger/engines/*.py``) declares the kinds it accounts in a
module-level list ``ACTIVITY_KINDS``; :func:`activity_kinds` collects them. Adding a sector is
adding a module to ``ENGINE_MODULES`` — the reader, validation and inventory assembly are shared.

A kind's ``compute`` receives the validated rows of that kind (a DataFrame whose index holds the
original row labels, with ``value`` already converted to ``kind.unit``) and the factor library,
and returns a DataFrame with one row per (input row, gas):

====================  ==========================================================
column                meaning
====================  ==========================================================
``row``               the input row label (the index of the rows it received)
``category``          IPCC 2006 category code, e.g. ``1.A.2.a``
``gas``               ``CO2``, ``CH4``, ``N2O``, ``CF4``, ``C2F6``, ``SF6``, ``HFC-23``...
``emissions_t``       tonnes of that gas (removals negative)
``factor_id``         ``source/edition:table:key`` of the factor(s) used
``scope``             1 (direct) or 2 (purchased electricity/heat)
====================  ==========================================================

A kind that accounts every row into the same few gases may instead return a
:class:`~carbonledger.blocks.ResultBlock` (row positions and categories once, one slot per gas;
fuel combustion does): the inventory then sums it without building the long table.

Examples
--------
>>> from carbonledger.kinds import activity_kinds
>>> kinds = activity_kinds()
>>> kinds.loc["fuel_combustion", "engine"]
'carbonledger.engines.combustion'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ActivityKind", "activity_kinds", "get_kind", "ENGINE_MODULES"]

ENGINE_MODULES = (
    "carbonledger.engines.combustion",
    "carbonledger.engines.processes",
    "carbonledger.engines.fugitive",
    "carbonledger.engines.agriculture",
    "carbonledger.engines.land",
    "carbonledger.engines.waste",
)


@dataclass(frozen=True)
class ActivityKind:
    """One kind of activity row.

    Parameters
    ----------
    name : the ``activity`` value, e.g. ``"fuel_combustion"``.
    sector : IPCC sector the kind reports to: ``energy``, ``ippu``, ``agriculture``, ``lulucf``, ``waste``.
    unit : the unit ``value`` is converted to before ``compute`` (``None``: keep as given,
        the engine converts item-aware itself, e.g. fuels to TJ).
    compute : ``compute(rows, lib) -> DataFrame`` as described in the module docstring.
    required : parameter columns each row of this kind must have (besides the base columns).
    optional : parameter columns the kind reads when present (Tier 2 overrides).
    items : allowed ``item`` values (empty: any item the engine accepts).
    allow_negative : whether ``value`` may be negative.
    description : one line for ``activity_kinds()``.
    """

    name: str
    sector: str
    unit: str | None
    compute: Callable
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    allow_negative: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)


def _registry() -> dict[str, tuple[ActivityKind, str]]:
    found: dict[str, tuple[ActivityKind, str]] = {}
    for module_name in ENGINE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        for kind in getattr(module, "ACTIVITY_KINDS", ()):
            found[kind.name] = (kind, module_name)
    return found


def get_kind(name: str) -> ActivityKind:
    """Return the :class:`ActivityKind` called ``name`` (``KeyError`` if unknown)."""
    return _registry()[name][0]


def activity_kinds() -> pd.DataFrame:
    """List every activity kind with its sector, unit, required columns and engine."""
    records = []
    for name, (kind, module_name) in sorted(_registry().items()):
        records.append(
            {
                "activity": name,
                "sector": kind.sector,
                "unit": kind.unit or "item-dependent",
                "required": ", ".join(kind.required),
                "optional": ", ".join(kind.optional),
                "engine": module_name,
                "description": kind.description,
            }
        )
    return pd.DataFrame.from_records(records).set_index("activity")
