"""The unit's teacher products, built from the lesson data: the unit guide, the answer-key packet,
the rubrics and the letter to parents and guardians.

``handouts/unit-guide.pdf`` (and ``docs/unit-guide.md``), ``handouts/answer-keys.pdf``,
``handouts/rubrics.pdf`` and ``handouts/parent-letter.pdf`` (``-a4`` with ``--paper a4``).

This module is on the build's fast path: it reads and hashes files only (no YAML, no Typst).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

PRODUCTS = ("unit-guide", "answer-keys", "rubrics", "parent-letter")
GUIDE_FILE = "unit-guide.yml"      # in lessons/: blueprint, pacing, care, differentiation, updates
STANDARDS_FILE = "standards.yml"   # in lessons/: the verified standards codes
RUBRICS_FILE = "rubrics.yml"       # in lessons/
LETTER_FILE = "parent-letter.md"   # in lessons/: the editable letter
GUIDE_MARKDOWN = Path("docs") / "unit-guide.md"  # the guide, readable in the repository


def enabled(project) -> bool:
    """A package builds the unit products when it has a unit guide file (test fixtures do not)."""
    return (project.lessons_dir / GUIDE_FILE).is_file()


def output_name(product: str, paper: str) -> str:
    return f"{product}{'' if paper == 'letter' else '-' + paper}.pdf"


def input_hash(project, product: str, paper: str, code_files) -> str:
    """Every lesson file (a unit product draws on all of them), the notebooks (question numbers and
    student pages), and the package's code. Files are read and hashed, never parsed."""
    h = hashlib.sha256(f"unit|{product}|{paper}".encode())
    root = project.root
    files = [p for p in project.lessons_dir.rglob("*") if p.is_file() and p.name != "copy.txt"]
    files += list((root / "notebooks").glob("*.ipynb")) if product == "answer-keys" else []
    for p in sorted(files) + list(code_files):
        h.update(str(p.relative_to(root) if p.is_relative_to(root) else p.name).encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def build_product(project, product: str, paper: str, pdf: Path, build_root: Path) -> None:
    """Render and compile one unit product into ``pdf`` (written atomically). The unit guide also
    refreshes docs/unit-guide.md when its text changed."""
    from ..handout.compile import compile_pdf
    from . import products

    if product == "unit-guide":
        from .guide import guide_markdown, guide_typst

        md = guide_markdown(project)
        target = project.root / GUIDE_MARKDOWN
        if target.parent.is_dir() and (not target.exists() or target.read_text(encoding="utf-8") != md):
            tmp = target.with_suffix(".md.tmp")
            tmp.write_text(md, encoding="utf-8")
            tmp.replace(target)
        source, assets = guide_typst(project, paper), {}
    elif product == "answer-keys":
        source, assets = products.answer_keys(project, paper, build_root)
    elif product == "rubrics":
        source, assets = products.rubrics(project, paper), {}
    elif product == "parent-letter":
        source, assets = products.parent_letter(project, paper), {}
    else:  # pragma: no cover
        raise ValueError(f"unknown unit product {product!r}")
    data = compile_pdf(build_root / f"unit-{product}-{paper}", source, assets)
    tmp = pdf.with_suffix(".pdf.tmp")
    tmp.write_bytes(data)
    tmp.replace(pdf)
