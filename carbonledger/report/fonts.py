"""Find a font that draws Chinese for the figures, or fall back to English labels.

Figures label their titles and axes in English and Chinese ("Emissions 排放量") when a CJK font
is available. Discovery, in order:

1. the environment variable ``CARBONLEDGER_FONT``: a font file path, a family name, or
   ``none`` (English labels only, no warning);
2. a family known to matplotlib's font cache from :data:`CJK_FAMILIES` (Noto / Source Han Sans
   CJK, WenQuanYi, the usual Windows and macOS fonts);
3. font files installed after matplotlib built its cache (Debian ``fonts-noto-cjk`` or
   ``fonts-wqy-zenhei`` installed later, say), registered with ``fontManager.addfont``.

Without any of them, :func:`bilingual` returns the English label and issues a
:class:`MissingFontWarning` (once per call site, Python's default); nothing fails.

Examples
--------
>>> from carbonledger.report.fonts import bilingual, font_family
>>> label = bilingual("Year", "年份")
>>> label in ("Year 年份", "Year")
True
>>> font_family()[0]
'DejaVu Sans'
"""

from __future__ import annotations

import logging
import os
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

__all__ = ["CJK_FAMILIES", "MissingFontWarning", "cjk_font", "has_cjk", "bilingual",
           "font_family", "font_context", "reset_font_cache"]

#: Families that draw simplified Chinese, in order of preference.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB", "Arial Unicode MS",
    "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback",
)
#: Font file names (lower case, prefix match) that hold a CJK face.
_CJK_FILES = ("notosanscjk", "notoserifcjk", "notosanssc", "sourcehansans", "wqy-zenhei",
              "wqy-microhei", "msyh", "simhei", "pingfang", "droidsansfallback", "uming", "ukai")
_LATIN = "DejaVu Sans"
_ENV = "CARBONLEDGER_FONT"


class MissingFontWarning(UserWarning):
    """No font that draws Chinese was found: figure labels fall back to English."""


class _QuietWeight(logging.Filter):
    """Drop matplotlib's "Failed to find font weight" notes: CJK fonts often ship one weight
    (WenQuanYi Zen Hei is Medium only) and matplotlib then uses it, which is what we want."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("findfont: Failed to find font weight")


logging.getLogger("matplotlib.font_manager").addFilter(_QuietWeight())


def _known_names() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _register(path: Path) -> str | None:
    """Add one font file to matplotlib's manager; its family name, or None if unreadable."""
    try:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    except (OSError, RuntimeError, ValueError):
        return None


def _from_env(value: str) -> str | None:
    if value.lower() == "none":
        return None
    path = Path(value)
    if path.is_file():
        return _register(path)
    return value if value in _known_names() else None


@lru_cache(maxsize=1)
def _discover() -> str | None:
    env = os.environ.get(_ENV, "").strip()
    if env:
        return _from_env(env)
    names = _known_names()
    for family in CJK_FAMILIES:
        if family in names:
            return family
    for file in font_manager.findSystemFonts(fontext="ttf") + font_manager.findSystemFonts(
            fontext="otf"):
        stem = Path(file).name.lower().replace(" ", "")
        if stem.startswith(_CJK_FILES):
            name = _register(Path(file))
            if name:
                return name
    return None


def reset_font_cache() -> None:
    """Forget the discovered font (after installing one, or changing ``CARBONLEDGER_FONT``).

    Examples
    --------
    >>> reset_font_cache()
    """
    _discover.cache_clear()


def cjk_font() -> str | None:
    """Family name of a font that draws Chinese, or None.

    Examples
    --------
    >>> cjk_font() is None or isinstance(cjk_font(), str)
    True
    """
    return _discover()


def has_cjk() -> bool:
    """True when figures can draw Chinese.

    Examples
    --------
    >>> isinstance(has_cjk(), bool)
    True
    """
    return cjk_font() is not None


def font_family() -> list[str]:
    """The family list figures use: DejaVu Sans for Latin text, then the CJK font (matplotlib
    falls back glyph by glyph, so Chinese user text such as a sector name renders too).

    Examples
    --------
    >>> font_family()[0]
    'DejaVu Sans'
    """
    cjk = cjk_font()
    return [_LATIN] if cjk is None else [_LATIN, cjk]


def bilingual(english: str, chinese: str, *, sep: str = " ") -> str:
    """``"english chinese"`` when a CJK font is available, else ``english`` with a
    :class:`MissingFontWarning` (unless ``CARBONLEDGER_FONT=none`` asked for English).

    Examples
    --------
    >>> bilingual("Energy", "能源") in ("Energy 能源", "Energy")
    True
    """
    if has_cjk():
        return f"{english}{sep}{chinese}"
    if os.environ.get(_ENV, "").strip().lower() != "none":
        warnings.warn("no font that draws Chinese was found (install fonts-noto-cjk or "
                      "fonts-wqy-zenhei, or set CARBONLEDGER_FONT to a font file); figure "
                      "labels are in English only", MissingFontWarning, stacklevel=2)
    return english


@contextmanager
def font_context():
    """Matplotlib settings under which figures are built: the family list of
    :func:`font_family` (stored in every text created inside).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with font_context():
    ...     fig, ax = plt.subplots()
    ...     t = ax.set_title("x")
    >>> t.get_fontfamily()[0]
    'DejaVu Sans'
    >>> plt.close(fig)
    """
    with matplotlib.rc_context({"font.family": font_family()}):
        yield
