"""The national ETS accounting rules the enterprise ledger applies on top of the inventory engines.

Everything numeric here comes from the factor library (``factors/ets_guidelines/<edition>``):

* **conservative high default** -- for a fuel the power-generation guideline requires to be
  measured (coal burned in a power facility) whose carbon content per unit calorific value is
  not measured, the guideline's high default (0.03085 tC/GJ, stored as 30.85 t/TJ) replaces the
  ordinary default and the rows are flagged ``conservative_default``;
* the guideline's default **coal oxidation rate** for such rows where none is measured;
* **desulfurisation** (power): ``E = B x I x EF`` -- sorbent consumed (t) x carbonate content
  (fraction, measured or the guideline default) x carbonate emission factor (t CO2/t); it is
  accounted by the process engine's ``carbonate_use`` kind with the guideline's factor.

Two activity kinds exist only in the enterprise ledger: ``desulfurisation`` (item: the sorbent,
``limestone``/``石灰石`` = ``calcite``, ``dolomite``, ``magnesite``, ``sodium_carbonate``) and
``production`` (item: the product; value: the output, used for intensities).

Examples
--------
>>> import carbonledger as cl
>>> lib = cl.load_factors()
>>> high_default(lib, "raw_coal", "power")
(30.85, 'ets_guidelines/2022:power_generation:raw_coal|carbon_content_high_default|power')
>>> high_default(lib, "natural_gas", "power") is None
True
>>> resolve_sorbent("石灰石")
'calcite'
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import MissingFactorError
from ..kinds import activity_kinds, get_kind

__all__ = ["ENTERPRISE_KINDS", "SORBENTS", "high_default", "ets_oxidation", "sorbent_factors",
           "resolve_sorbent", "source_of", "kind_parameters", "is_known_activity"]

#: Activity kinds of the enterprise ledger that the inventory does not have.
ENTERPRISE_KINDS = ("desulfurisation", "production")

#: Accepted sorbent names -> carbonate item of the process engine.
SORBENTS = {
    "limestone": "calcite", "石灰石": "calcite", "caco3": "calcite", "calcite": "calcite",
    "碳酸钙": "calcite", "dolomite": "dolomite", "白云石": "dolomite", "magnesite": "magnesite",
    "碳酸镁": "magnesite", "mgco3": "magnesite", "sodium_carbonate": "sodium_carbonate",
    "碳酸钠": "sodium_carbonate", "na2co3": "sodium_carbonate",
}

_ENERGY_SOURCES = {"fuel_combustion": "combustion", "purchased_energy": "purchased",
                   "electricity_import": "purchased", "electricity_export": "purchased"}


def high_default(lib, item: str, sector: str):
    """(t C/TJ, factor id) of the guideline's conservative default for ``item`` burned in
    ``sector``, or ``None`` when the guideline does not require the fuel to be measured."""
    try:
        factor = lib.get("carbon_content_high_default", item, unit="t/TJ", sector=sector)
    except MissingFactorError:
        return None
    return factor.value, factor.factor_id


def ets_oxidation(lib, item: str, sector: str):
    """(fraction, factor id) of the guideline's default oxidation rate, or ``None``."""
    try:
        factor = lib.get("oxidation_ets_default", item, unit="1", sector=sector)
    except MissingFactorError:
        return None
    return factor.value, factor.factor_id


def resolve_sorbent(name: str) -> str:
    """The carbonate item of a sorbent name (unknown names pass through)."""
    text = str(name).strip()
    return SORBENTS.get(text.lower(), SORBENTS.get(text, text))


def sorbent_factors(lib, item: str) -> tuple[float, float, str]:
    """(t CO2 per t carbonate, default carbonate fraction, factor ids) of a sorbent."""
    carbonate = resolve_sorbent(item)
    ef = lib.get("carbonate_ef", carbonate, unit="t/t")
    fraction = lib.get("carbonate_fraction_default", carbonate, unit="1")
    return ef.value, fraction.value, f"{ef.factor_id}+{fraction.factor_id}"


def source_of(activity: str, item: str) -> str:
    """The emission source a row reports to: combustion, electricity, heat, desulfurisation,
    process, fugitive, output (production rows) or the kind's IPCC sector."""
    if activity == "desulfurisation":
        return "desulfurisation"
    if activity == "production":
        return "output"
    if activity in _ENERGY_SOURCES:
        if _ENERGY_SOURCES[activity] == "purchased":
            return "heat" if item == "heat" else "electricity"
        return "combustion"
    kind = get_kind(activity)
    if kind.sector == "ippu":
        return "process"
    if kind.sector == "energy":
        return "fugitive" if kind.unit is not None else "energy"
    return kind.sector


@lru_cache(maxsize=1)
def _kind_parameters() -> dict[str, tuple[str, ...]]:
    table = activity_kinds()
    out = {}
    for name in table.index:
        kind = get_kind(name)
        out[name] = tuple(kind.required) + tuple(kind.optional)
    out["desulfurisation"] = ("carbonate_fraction", "ef_t_per_t")
    out["production"] = ()
    return out


def kind_parameters(activity: str) -> tuple[str, ...]:
    """Parameter columns (required + optional) of an activity kind."""
    return _kind_parameters().get(activity, ())


def is_known_activity(activity: str) -> bool:
    """Whether ``activity`` is an inventory kind or an enterprise kind."""
    return activity in _kind_parameters()
