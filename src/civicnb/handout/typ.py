"""Build Typst source safely.

Every piece of text from a lesson or a student enters Typst only as a *string literal*
(``#"..."``), never as markup or code, so ``#read("/etc/passwd")``, ``$``, ``\\``, ``]``, ``<script>``
or ``@preview`` print as the characters they are. The trailing ``;`` ends the embedded expression, so
a following ``.name(...)`` can never be read as a method call on the string.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def string(text) -> str:
    """A Typst string literal holding ``text`` exactly (for use in code: function arguments)."""
    s = _CONTROL.sub("", str(text))
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n")
    s = s.replace("\n", "\\n").replace("\t", "\\t")
    return f'"{s}"'


def text(value) -> str:
    """Markup that prints ``value`` literally."""
    if value is None or value == "":
        return ""
    return f"#{string(value)};"


_INLINE = re.compile(r"(`(?P<c>[^`]+)`|\*\*(?P<b>.+?)\*\*|\*(?P<i>[^*\s][^*]*?)\*|_(?P<u>[^_\s][^_]*?)_)", re.S)


def inline(value) -> str:
    """Markup for a short content string with light Markdown (``**bold**``, ``*italic*``, `` `code` ``).

    Anything else prints literally.
    """
    if value is None:
        return ""
    s = str(value)
    out, pos = [], 0
    for m in _INLINE.finditer(s):
        out.append(text(s[pos:m.start()]))
        if m.group("c") is not None:
            out.append(f"#raw({string(m.group('c'))})")
        elif m.group("b") is not None:
            out.append(f"#strong[{inline(m.group('b'))}]")
        else:
            out.append(f"#emph[{inline(m.group('i') or m.group('u'))}]")
        pos = m.end()
    out.append(text(s[pos:]))
    return "".join(out)


def paragraphs(value) -> str:
    """Several paragraphs separated by blank lines, each with light Markdown."""
    if not value:
        return ""
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    return "\n\n".join(inline(" ".join(p.split())) for p in parts)


def call(fn: str, *args, **kwargs) -> str:
    """``#name(arg, key: value)`` where each value is already Typst code."""
    parts = list(args) + [f"{k.replace('_', '-')}: {v}" for k, v in kwargs.items()]
    return f"#{fn}({', '.join(parts)})"


def content(markup: str) -> str:
    """Wrap markup as a content block argument."""
    return f"[{markup}]"


def array(items) -> str:
    items = list(items)
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
