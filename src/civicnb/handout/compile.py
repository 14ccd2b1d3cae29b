"""Compile Typst source to PDF with the ``typst`` wheel: no TeX, no browser, no network.

Fonts come from PyPI font packages and nothing else (``ignore_system_fonts``), so the same inputs
give the same PDF bytes on every machine. The document date is unset, so no timestamp enters the PDF.
Each compile's root is its own build folder: a Typst path can never reach outside it.
"""
from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

TEMPLATE = Path(__file__).parent / "templates" / "civicnb.typ"
# Every handout is tagged and checked against PDF/UA-1 (ISO 14289-1) by Typst as it compiles: alt text on
# every image, headings in order, table headers, the document's title and language. A handout that
# fails the check does not build.
PDF_STANDARDS = ["ua-1"]


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, ...]:
    import fontpkg_atkinson_hyperlegible as atk
    import fontpkg_noto_sans as noto

    files = sorted((Path(atk.ROOT) / "files").glob("*.ttf")) + sorted((Path(noto.ROOT) / "files").glob("*.ttf"))
    try:  # monochrome Noto Emoji (emoji print in black and white, not as empty boxes), other scripts
        import manimgx_fonts

        here = Path(manimgx_fonts.__file__).parent
        files += sorted(here.glob("NotoEmoji*.ttf"))
        # other scripts (Arabic, Hebrew, Devanagari, Thai…), so a student's name or answer in them prints;
        # Typst falls back to these only for characters the main fonts lack
        files += sorted(p for p in here.glob("NotoSans?*.ttf") if not p.name.startswith(("NotoSans[", "NotoSans-")))
    except ImportError:  # pragma: no cover - optional
        pass
    if not files:  # pragma: no cover
        raise RuntimeError("font packages are installed but hold no fonts")
    return tuple(files)


@lru_cache(maxsize=1)
def cjk_font_files() -> tuple[Path, ...]:
    """Noto Sans CJK (Chinese, Japanese, Korean): a name or answer in them prints, and passes PDF/UA-1,
    which fails on any character no font can show. Large (33 MB) and slow to load (about 0.2 s a
    compile), so a document gets it only when its source holds such characters (:func:`needs_cjk`)."""
    try:
        import manimgx_fonts_cjk
    except ImportError:  # pragma: no cover - a dependency; without it CJK text fails the check
        return ()
    return tuple(sorted(Path(manimgx_fonts_cjk.__file__).parent.glob("NotoSansCJK*")))


_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u9fff\ua960-\ua97f\uac00-\ud7ff"
                  "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


def needs_cjk(source: str) -> bool:
    return _CJK.search(source) is not None


def fonts_dir(build_root: Path, cjk: bool = False) -> Path:
    """A folder holding exactly our fonts (hard links or copies), shared by every build in ``build_root``
    (``cjk``: the CJK fonts' own folder, given to Typst beside the first when a document needs it)."""
    target = build_root / (".fonts-cjk" if cjk else ".fonts")
    target.mkdir(parents=True, exist_ok=True)
    for f in (cjk_font_files() if cjk else font_files()):
        dest = target / f.name
        if not dest.exists() or dest.stat().st_size != f.stat().st_size:
            tmp = dest.with_suffix(".tmp")
            try:
                os.link(f, tmp)
            except OSError:
                shutil.copyfile(f, tmp)
            os.replace(tmp, dest)
    return target


class TypstBuildError(RuntimeError):
    pass


def write_sources(workdir: Path, source: str, assets: dict) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TEMPLATE, workdir / "civicnb.typ")
    for name, blob in assets.items():
        (workdir / name).write_bytes(blob)
    main = workdir / "main.typ"
    main.write_text(source, encoding="utf-8")
    return main


def compile_pdf(workdir: Path, source: str, assets: dict | None = None, fonts: Path | None = None) -> bytes:
    """Write ``main.typ`` (and the template and assets) into ``workdir`` and compile it."""
    import typst

    main = write_sources(workdir, source, assets or {})
    fonts = fonts or fonts_dir(workdir.parent)
    paths = [str(fonts)] + ([str(fonts_dir(fonts.parent, cjk=True))] if needs_cjk(source) else [])
    try:
        return typst.compile(str(main), root=str(workdir), font_paths=paths, ignore_system_fonts=True,
                             pdf_standards=PDF_STANDARDS)
    except Exception as e:  # typst raises its own error type with the Typst diagnostics
        raise TypstBuildError(f"Typst could not build {main}: {e}") from None


def page_count(pdf: bytes) -> int:
    """Pages in a PDF that Typst wrote (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def compile_fitted(workdir: Path, make, sizes, max_pages: int) -> bytes:
    """Compile ``make(size)`` (a Rendered) at each type size in turn, until it fits ``max_pages``
    pages; the last size is kept whatever its length."""
    data = b""
    for size in sizes:
        r = make(size)
        data = compile_pdf(workdir, r.source, r.assets)
        if page_count(data) <= max_pages:
            break
    return data


def question_pages(workdir: Path, source: str, assets: dict | None = None, fonts: Path | None = None) -> dict:
    """{question number: page it starts on} of a compiled edition, read back from the labelled
    metadata each question records (``<civicnb-qp>`` in the template) with a Typst query."""
    import json

    import typst

    main = write_sources(workdir, source, assets or {})
    fonts = fonts or fonts_dir(workdir.parent)
    try:
        raw = typst.query(str(main), "<civicnb-qp>", field="value", root=str(workdir), font_paths=[str(fonts)],
                          ignore_system_fonts=True)
    except Exception as e:
        raise TypstBuildError(f"Typst could not read the question pages of {main}: {e}") from None
    pages: dict = {}
    for v in json.loads(raw):
        if isinstance(v, dict) and isinstance(v.get("q"), int) and isinstance(v.get("page"), int):
            pages.setdefault(v["q"], v["page"])
    return pages
