"""Notebook Markdown to Typst markup, through mistune's syntax tree.

Text nodes go through :func:`typ.text`, so whatever a cell says prints literally; only the Markdown
structure (headings, emphasis, lists, links, quotes, tables) becomes Typst. Raw HTML is printed as
text, never interpreted. Images in Markdown cells are not embedded (their alt text is printed), so a
cell cannot make the build read a file.
"""
from __future__ import annotations

from functools import lru_cache

from . import typ


@lru_cache(maxsize=1)
def _parser():
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])


def to_typst(markdown: str, heading_offset: int = 0) -> str:
    tokens = _parser()(markdown or "")
    return _blocks(tokens, heading_offset).strip()


def _children(tok):
    return tok.get("children") or []


def _inline(tokens) -> str:
    out = []
    for t in tokens:
        kind = t["type"]
        if kind == "text":
            out.append(typ.text(t.get("raw", "")))
        elif kind == "emphasis":
            out.append(f"#emph[{_inline(_children(t))}]")
        elif kind == "strong":
            out.append(f"#strong[{_inline(_children(t))}]")
        elif kind == "strikethrough":
            out.append(f"#strike[{_inline(_children(t))}]")
        elif kind == "codespan":
            out.append(f"#raw({typ.string(t.get('raw', ''))})")
        elif kind == "link":
            url = (t.get("attrs") or {}).get("url", "")
            label = _inline(_children(t))
            if url.startswith(("http://", "https://", "mailto:")):
                out.append(f"#link({typ.string(url)})[{label}]")
            else:  # relative links (other notebooks) mean nothing on paper
                out.append(label)
        elif kind == "image":
            alt = _plain(_children(t)) or "image"
            out.append(typ.text(f"[Image: {alt}]"))
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "linebreak":
            out.append(" \\\n")
        elif kind in ("inline_html", "block_html"):
            out.append(typ.text(t.get("raw", "")))
        else:
            out.append(_inline(_children(t)) if _children(t) else typ.text(t.get("raw", "")))
    return "".join(out)


def _plain(tokens) -> str:
    return "".join(t.get("raw", "") if t["type"] == "text" else _plain(_children(t)) for t in tokens)


def _blocks(tokens, off: int, depth: int = 0) -> str:
    out = []
    for t in tokens:
        kind = t["type"]
        if kind == "heading":
            level = min(6, t["attrs"]["level"] + off)
            out.append(f"#heading(level: {level})[{_inline(_children(t))}]")
        elif kind == "paragraph":
            out.append(_inline(_children(t)))
        elif kind == "block_text":
            out.append(_inline(_children(t)))
        elif kind == "list":
            ordered = t["attrs"].get("ordered")
            start = t["attrs"].get("start") or 1
            items = []
            for n, item in enumerate(_children(t)):
                body = _blocks(_children(item), off, depth + 1).replace("\n", "\n  ")
                items.append(f"+ {body}" if ordered else f"- {body}")
            block = "\n".join(items)
            if ordered and start != 1:
                block = f"#set enum(start: {int(start)})\n" + block
            out.append(block)
        elif kind == "block_quote":
            out.append(f"#quote(block: true)[{_blocks(_children(t), off, depth)}]")
        elif kind == "block_code":
            out.append(f"#raw(block: true, {typ.string(t.get('raw', ''))})")
        elif kind == "thematic_break":
            out.append("#line(length: 100%, stroke: 0.5pt)")
        elif kind == "table":
            out.append(_table(t))
        elif kind == "blank_line":
            continue
        elif kind == "block_html":
            out.append(typ.text(t.get("raw", "")))
        else:
            out.append(_inline(_children(t)) if _children(t) else typ.text(t.get("raw", "")))
    return "\n\n".join(o for o in out if o)


def _table(t) -> str:
    head = next((c for c in _children(t) if c["type"] == "table_head"), None)
    body = next((c for c in _children(t) if c["type"] == "table_body"), None)
    head_cells = _children(head) if head else []
    ncols = max(1, len(head_cells))
    cells = [f"table.header({', '.join('[#strong[' + _inline(_children(c)) + ']]' for c in head_cells)})"]
    for row in _children(body) if body else []:
        cells += [f"[{_inline(_children(c))}]" for c in _children(row)]
    return f"#table(columns: {ncols}, {', '.join(cells)})"
