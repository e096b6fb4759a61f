"""A griffe extension for carbonledger's docstrings (used by mkdocstrings at build time only).

The package writes NumPy-style docstrings, but many parameter lines put the *description* after
the colon (``year : the balance year written into every row.``) where NumPy puts the *type*.
Rendered as NumPy, that prose would land in the "Type" column. This extension rewrites such
lines before parsing: when the text after ``name :`` does not look like a type expression, it
becomes the first line of the description. Type-like text (``DataFrame``, ``int, optional``,
``str or pathlib.Path or None``, ``{"additive", "multiplicative"}``) is left as the type.
Sphinx roles (``:func:`~carbonledger.x.peak` ``) become code spans, since the pages are
Markdown. The package's source is not changed.
"""

from __future__ import annotations

import re

from griffe import Extension

_SECTIONS = {"parameters", "other parameters", "attributes", "returns", "yields", "raises"}
_ENTRY = re.compile(r"^(?P<indent>[ ]*)(?P<name>\*{0,2}[A-Za-z_][\w, *]*?) : (?P<rest>.+)$")
_TOKEN = re.compile(r"\"[^\"]*\"|'[^']*'|[{}\[\](),|]|[^\s{}\[\](),|\"']+")
_TYPE_WORDS = {
    "int", "float", "str", "bool", "dict", "list", "tuple", "set", "bytes", "object", "none",
    "sequence", "mapping", "callable", "iterable", "array", "array-like", "number", "or", "of",
    "optional", "true", "false", "default", "scalar",
}
_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc|py:\w+):`~?([^`]+)`")


def type_like(text: str) -> bool:
    """True when ``text`` reads as a NumPy type expression rather than a description."""
    text = text.strip()
    if not text or text.endswith(".") or "``" in text or ":" in text:
        return False
    for token in _TOKEN.findall(text):
        if token[0] in "\"'{}[](),|":
            continue
        word = token.lower()
        if word in _TYPE_WORDS or "." in token or token.endswith("-like"):
            continue
        if token[0].isupper() and token.isidentifier():
            continue
        return False
    return True


def _roles(text: str) -> str:
    def replace(match: re.Match) -> str:
        target = match.group(1)
        shown = target.rsplit(".", 1)[-1] if match.group(0).split("`")[1].startswith("~") else (
            target)
        return f"`{shown}`"

    return _ROLE.sub(replace, text)


def _is_heading(line: str, following: str) -> bool:
    underline = following.strip()
    return bool(line.strip()) and bool(underline) and set(underline) == {"-"} and (
        len(underline) >= len(line.strip()) - 1)


def _entries(body: list[str]) -> list[str]:
    """Entry lines ``name : prose`` -> ``name`` + the prose as the description's first line."""
    out = []
    for line in body:
        match = _ENTRY.match(line)
        if match and not type_like(match["rest"]):
            out.append(f"{match['indent']}{match['name']}")
            out.append(f"{match['indent']}    {match['rest']}")
        else:
            out.append(line)
    return out


def _prose_result(body: list[str]) -> list[str]:
    """A Returns section written as prose, as plain paragraphs (rendered as an admonition)."""
    out = [line.strip() for line in body]
    if out and out[-1]:
        out.append("")
    return out


def rewrite(docstring: str) -> str:
    """The docstring with prose after ``name :`` moved into the description (see module)."""
    lines = docstring.split("\n")
    out: list[str] = []
    position = 0
    while position < len(lines):
        line = lines[position]
        following = lines[position + 1] if position + 1 < len(lines) else ""
        if not _is_heading(line, following):
            out.append(line)
            position += 1
            continue
        end = position + 2
        while end < len(lines) and not _is_heading(
                lines[end], lines[end + 1] if end + 1 < len(lines) else ""):
            end += 1
        body = lines[position + 2:end]
        title = line.strip().lower()
        first = next((b for b in body if b.strip()), "")
        if title in ("returns", "yields") and first and not _ENTRY.match(first) and (
                not type_like(first)):
            out += ["Returned", "--------", *_prose_result(body)]
        elif title in _SECTIONS:
            out += [line, following, *_entries(body)]
        else:
            out += [line, following, *body]
        position = end
    return _roles("\n".join(out))


class ProseDocstrings(Extension):
    """Rewrite prose-after-colon parameter lines before griffe parses the docstring."""

    def on_instance(self, *, obj, **kwargs) -> None:  # noqa: D102 - griffe hook
        if obj.docstring is not None and obj.docstring.value:
            obj.docstring.value = rewrite(obj.docstring.value)
