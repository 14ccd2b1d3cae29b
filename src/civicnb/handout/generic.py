"""Print any notebook, not only a lesson: Markdown cells, images with their alt text, and text
outputs, with the code hidden, in the handouts' look.

A teacher's own notebook prints this way from JupyterLab's export menu or ``jupyter nbconvert --to
civicnb_student``. Like the lesson renderer, every piece of text enters Typst as a string literal.
"""
from __future__ import annotations

import base64
import hashlib
import re

from . import typ
from .markdown import to_typst
from .render import EDITION_LABEL, PAPERS, Rendered

_ATTACHED = re.compile(r"!\[([^\]]*)\]\(attachment:([^)\s]+)\)")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_OUTPUT_LINES = 60  # a long printout is cut, with a note, so one cell cannot fill fifty pages


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _title(nb: dict, fallback: str) -> str:
    meta = nb.get("metadata") or {}
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    for cell in nb.get("cells") or []:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            m = re.search(r"^\s*#{1,2}\s+(.+)$", _text(cell.get("source")), re.M)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return fallback


def _cut(text: str) -> str:
    lines = _ANSI.sub("", text).rstrip("\n").split("\n")
    if len(lines) > MAX_OUTPUT_LINES:
        lines = lines[:MAX_OUTPUT_LINES] + [f"… ({len(lines) - MAX_OUTPUT_LINES} more lines not printed)"]
    return "\n".join(lines)


def _alt(cell, output, n: int) -> str:
    """Alt text: the cell's civicnb.alt, the output's own alt metadata, else a plain description."""
    meta = (cell.get("metadata") or {}).get("civicnb") or {}
    if isinstance(meta.get("alt"), str) and meta["alt"].strip():
        return meta["alt"].strip()
    omd = output.get("metadata") or {}
    for mime in ("image/png", "image/svg+xml", "image/jpeg"):
        alt = (omd.get(mime) or {}).get("alt") if isinstance(omd.get(mime), dict) else None
        if isinstance(alt, str) and alt.strip():
            return alt.strip()
    return f"Image output of cell {n} (no description given)"


def render_notebook(nb: dict, edition: str = "student", paper: str = "letter", name: str = "Notebook") -> Rendered:
    """Typst source for any notebook."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("this file is not a Jupyter notebook (it has no list of cells)")
    paper_name = PAPERS.get(str(paper).lower())
    if paper_name is None:
        raise ValueError("paper must be 'letter' or 'a4'")
    label = {"student": "Handout", "teacher": "Teacher copy"}.get(edition, EDITION_LABEL.get(edition, ""))
    title = _title(nb, name)
    assets: dict = {}
    parts = []
    for n, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict):
            continue
        tags = set((cell.get("metadata") or {}).get("tags") or [])
        if tags & {"notebook-only", "remove-cell"}:
            continue
        if cell.get("cell_type") == "markdown":
            src = _text(cell.get("source"))
            figures = []
            for m in list(_ATTACHED.finditer(src)):  # images attached to the cell print, with their alt text
                att = ((cell.get("attachments") or {}).get(m.group(2)) or {})
                for mime, ext in (("image/png", "png"), ("image/jpeg", "jpg"), ("image/svg+xml", "svg")):
                    if mime in att:
                        try:
                            raw = _text(att[mime])
                            blob = raw.encode("utf-8") if ext == "svg" else base64.b64decode(raw)
                        except ValueError:
                            break
                        fname = f"img-{hashlib.sha256(blob).hexdigest()[:16]}.{ext}"
                        assets[fname] = blob
                        alt = m.group(1).strip() or f"Image in cell {n} (no description given)"
                        figures.append(f"#figure(image({typ.string(fname)}, alt: {typ.string(alt)}, width: 85%))")
                        src = src.replace(m.group(0), "")
                        break
            parts.append(to_typst(src))
            parts += figures
        elif cell.get("cell_type") == "code" and "remove-output" not in tags:
            for out in cell.get("outputs") or []:
                if not isinstance(out, dict):
                    continue
                kind = out.get("output_type")
                data = out.get("data") or {}
                if kind == "stream" and out.get("name") == "stdout":
                    parts.append(typ.call("textoutput", typ.string(_cut(_text(out.get("text"))))))
                elif kind == "error":
                    line = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
                    parts.append(typ.call("textoutput", typ.string(_cut(line))))
                elif kind in ("execute_result", "display_data"):
                    for mime, ext in (("image/svg+xml", "svg"), ("image/png", "png"), ("image/jpeg", "jpg")):
                        if mime in data:
                            raw = _text(data[mime])
                            try:
                                blob = raw.encode("utf-8") if ext == "svg" else base64.b64decode(raw)
                            except ValueError:
                                break
                            fname = f"img-{hashlib.sha256(blob).hexdigest()[:16]}.{ext}"
                            assets[fname] = blob
                            parts.append(f"#figure(image({typ.string(fname)}, alt: {typ.string(_alt(cell, out, n))}, "
                                         "width: 85%))")
                            break
                    else:
                        if "text/markdown" in data:
                            parts.append(to_typst(_text(data["text/markdown"])))
                        elif "text/plain" in data:
                            parts.append(typ.call("textoutput", typ.string(_cut(_text(data["text/plain"])))))
    titled = isinstance((nb.get("metadata") or {}).get("title"), str)  # else the first heading is the title
    head = (typ.call("titleblock", typ.content(typ.text(label)), typ.content(typ.text(title))) if titled
            else f"#text(size: 10pt, weight: \"bold\")[{typ.text(label.upper())}]")
    nameline = typ.call("nameline") if edition == "student" else ""
    body = "\n\n".join(p for p in [head, nameline, *parts] if p)
    source = ('#import "civicnb.typ": *\n\n'
              + typ.call("show: handout.with", title=typ.string(title), edition=typ.string(label),
                         paper=typ.string(paper_name), plain="true")
              + "\n\n" + body + "\n")
    return Rendered(source, assets, [])
