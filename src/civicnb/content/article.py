"""The article under study, as a teacher-supplied copy.

The package never ships the article's text: it holds a citation, a paragraph map in our own words and
a few short phrases (lessons/article/article.yml). When a teacher supplies their own copy (a plain-text
file at lessons/article/copy.txt, or the path in $CIVICNB_ARTICLE), the notebook shows it with paragraph
and line numbers and the handouts append it as a source packet. The copy's paragraphs are numbered the
way the paragraph map numbers them: headline, subtitle, byline and image captions are set apart.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Block:
    kind: str  # "front", "paragraph", "caption"
    n: int | None  # paragraph number (body paragraphs only)
    line: int  # 1-based line in the supplied file
    text: str


def _norm(s: str) -> str:
    return " ".join(s.split()).strip().lower()


def parse_copy(text: str, article) -> list[Block]:
    front = {_norm(f.get("text", "")) for f in (article or {}).get("front_matter") or []}
    captions = set()
    for img in (article or {}).get("images") or []:
        cap = _norm(img.get("caption", ""))
        captions.add(cap)
        if img.get("credit") and img["credit"] != "none shown":
            captions.add(_norm(f"{img['caption']} ({img['credit']})"))
    blocks, n = [], 0
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        low = _norm(line)
        if (low in front or low.startswith(("written by", "last update", "featured image credit"))
                or (not blocks and n == 0 and len(line.split()) <= 16 and not line.endswith("."))):
            blocks.append(Block("front", None, i, line))
        elif low in captions:
            blocks.append(Block("caption", None, i, line))
        else:
            n += 1
            blocks.append(Block("paragraph", n, i, line))
    return blocks


def copy_matches_map(blocks: list[Block], article) -> tuple[bool, str]:
    body = [b for b in blocks if b.kind == "paragraph"]
    expected = len((article or {}).get("paragraphs") or [])
    if len(body) == expected:
        return True, f"{expected} paragraphs, numbered as in the paragraph map."
    return False, (f"This copy has {len(body)} body paragraphs but the paragraph map has {expected}; "
                   "paragraph numbers may not match the map. Check that it is the same article.")


MAX_COPY_BYTES = 5 * 1024 * 1024


class ArticleCopyError(ValueError):
    """A teacher-supplied copy that cannot be read as text; the message says what to do."""


def read_copy(path) -> str:
    """The text of a teacher-supplied copy. UTF-8 (with or without a byte-order mark) and UTF-16 with a
    byte-order mark are read; anything else (for example a Windows-1252 file) gets a plain message."""
    from pathlib import Path

    from ..work.store import WorkFileError, read_regular

    path = Path(path)
    try:
        raw = read_regular(path, MAX_COPY_BYTES)
    except WorkFileError as e:
        raise ArticleCopyError(f"The article copy {path} cannot be used: {e.reason}.") from None
    except OSError as e:
        raise ArticleCopyError(f"The article copy {path} cannot be read ({e.strerror or e}).") from None
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArticleCopyError(f"The article copy {path} is not UTF-8 text; open it in a text editor and save it "
                               "as UTF-8 (\"Save as\" > Encoding: UTF-8), then try again.") from None
