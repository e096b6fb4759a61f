"""The vocabulary of energy-balance layouts: unit labels (万吨, 亿立方米, ...), flow-row labels
(``carbonledger/data/balance_rows.csv``), fuel-column names, and the text keys they are matched
on. Kept apart from :mod:`carbonledger.balance`, which parses and converts.

Examples
--------
>>> _key(" 工业 (Industry) ") == _key("工业(industry)")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pandas as pd

from carbonledger.errors import ActivityDataError

# carbonledger unit string -> (unit group, labels that mean it, compared without spaces/case)
_UNITS = {
    "wan_t": ("mass", "万吨 10^4t 10kt wan_t"),
    "t": ("mass", "吨 t"),
    "kg": ("mass", "千克 公斤 kg"),
    "Mt": ("mass", "mt"),
    "kilotonne": ("mass", "kilotonne"),
    "yi_m3": ("volume", "亿立方米 10^8m3 yi_m3"),
    "wan_m3": ("volume", "万立方米 10^4m3 wan_m3"),
    "m3": ("volume", "立方米 m3"),
    "Nm3": ("volume", "nm3"),
    "yi_kWh": ("electricity", "亿千瓦时 亿千瓦小时 亿度 10^8kwh yi_kwh"),
    "wan_kWh": ("electricity", "万千瓦时 万千瓦小时 万度 10^4kwh wan_kwh"),
    "kWh": ("electricity", "千瓦时 度 kwh"),
    "MWh": ("electricity", "兆瓦时 mwh"),
    "wan_tce": ("tce", "万吨标准煤 万吨标煤 10^4tce wan_tce"),
    "tce": ("tce", "吨标准煤 吨标煤 tce"),
    "kgce": ("tce", "千克标准煤 kgce"),
    "GJ": ("energy", "百万千焦 吉焦 gj"),
    "TJ": ("energy", "太焦 tj"),
}
#: Unit labels of Chinese statistics -> (carbonledger unit string, multiplier to that unit).
UNIT_LABELS: dict[str, tuple[str, float]] = {
    label: (unit, 1.0) for unit, (_, labels) in _UNITS.items() for label in labels.split()
} | {"万百万千焦": ("GJ", 1e4), "万吉焦": ("GJ", 1e4), "10^10kj": ("GJ", 1e4)}
_UNIT_GROUP = {unit: group for unit, (group, _) in _UNITS.items()}
# item basis (items.csv) -> unit groups a column of that item may be given in
_BASIS_GROUPS = {
    "mass": {"mass", "tce", "energy"},
    "volume": {"volume", "tce", "energy"},
    "electricity": {"electricity", "tce", "energy"},
    "heat": {"energy", "tce"},
}
#: Column headers that are not fuels (totals, label headers) and are skipped.
SKIP_COLUMNS = frozenset(
    "合计 总计 能源合计 煤合计 煤炭合计 油品合计 石油合计 能源消费总量 项目 指标 单位 计量单位 英文 "
    "total coaltotal oiltotal item items flow flows english unit units".split()
)
_UNIT_ROW_KEYS = frozenset(["单位", "计量单位", "实物单位", "unit", "units", "measurementunit"])
LOSS_SECTOR = {
    "electricity": "power",
    "heat": "heat_supply",
    "coke_oven_gas": "coking",
    "other_gas": "steel",
}
_EMPTY = frozenset(["", "-", "--", "—", "–", "…", "...", "nan", "none", "x", "×"])
_ACTIVITY_ORDER = (
    "renewable_electricity fuel_combustion non_energy_use transformation_input "
    "transformation_output losses energy_consumption electricity_import electricity_export"
).split()
_HEADER_SCAN_ROWS = 30

_SIGN_MARK = re.compile(r"\((?:-|\+|−)\)")
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(?[0-9一二三四五六七八九十]+\)|[0-9]+(?:[、]|\.(?![0-9])))\s*"
)
_OF_WHICH = re.compile(r"^(?:其中|of which|incl\.?|including)\s*:?\s*", re.IGNORECASE)
_DROP = re.compile(r"[\s、,.·:;'\"&/_\-()]")
_HEADER_UNIT = re.compile(r"^(?P<name>.+?)\s*\((?P<unit>[^()]+)\)\s*$")


def _key(text: object) -> str:
    """Normalise a row label or column name for lookup (NFKC, no enumerator/punctuation, lower)."""
    norm = unicodedata.normalize("NFKC", str(text)).strip()
    for _ in range(2):
        norm = _OF_WHICH.sub("", _ENUM.sub("", norm).strip()).strip()
    return _DROP.sub("", _SIGN_MARK.sub("", norm)).lower()


def _nfkc(text: object) -> str:
    """NFKC-normalise, keeping powers of ten readable (10⁴ -> 10^4, not 104)."""
    norm = str(text).replace("10⁴", "10^4").replace("10⁸", "10^8").replace("10¹⁰", "10^10")
    return unicodedata.normalize("NFKC", norm).strip()


def _unit_key(text: object) -> str:
    return re.sub(r"\s", "", _nfkc(text)).lower()


def _data_file(name: str) -> pd.DataFrame:
    path = resources.files("carbonledger") / "data" / name
    with resources.as_file(path) as local:
        return pd.read_csv(local, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def balance_row_table() -> pd.DataFrame:
    """Return the flow-label table ``carbonledger/data/balance_rows.csv`` (one row per flow row).

    Columns: ``row_id, label, aliases, flow, sector, parent, technology, note``.

    Examples
    --------
    >>> table = balance_row_table().set_index("row_id")
    >>> table.loc["thermal_power", ["flow", "sector"]].tolist()
    ['transformation', 'power']
    """
    return _data_file("balance_rows.csv")


@lru_cache(maxsize=1)
def _row_lookup() -> dict[str, str]:
    """Normalised label/alias -> row_id; refuses a label that maps to two rows."""
    table = balance_row_table()
    lookup: dict[str, str] = {}
    clash = []
    for row in table.itertuples(index=False):
        for name in [row.label, *[a for a in row.aliases.split("|") if a]]:
            key = _key(name)
            if lookup.setdefault(key, row.row_id) != row.row_id:
                clash.append(name)
    if clash:
        raise ActivityDataError(
            "balance_rows.csv maps a label to several rows: " + ", ".join(clash),
            fix="make every label and alias of balance_rows.csv unique",
        )
    return lookup


@lru_cache(maxsize=1)
def _item_lookup() -> tuple[dict[str, str], dict[str, str]]:
    items = _data_file("items.csv")
    lookup: dict[str, str] = {}
    for column in ("item", "name_zh", "aliases", "description"):
        for item, text in zip(items["item"], items[column], strict=True):
            names = text.split("|") if column == "aliases" else [text]
            if column == "description":
                names = [re.sub(r"\([^)]*\)", "", text)]
            for name in names:
                if name.strip():
                    lookup.setdefault(_key(name), item)
    return lookup, dict(zip(items["item"], items["basis"], strict=True))
