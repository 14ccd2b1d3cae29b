"""The worksheet PDF in the browser (the static site): the same template, fonts and Typst source as
``export_worksheet``, compiled by Typst built to WebAssembly instead of the native ``typst`` wheel.

The static site ships, under ``static/typst/``, the npm package ``@myriaddreamin/typst-ts-web-compiler``
(Typst compiled to WebAssembly) and the same font files the native route uses (``fonts.json`` lists
them). This module runs in the Pyodide kernel (a Web Worker): it renders the worksheet's Typst source
with the package's own renderer, loads the compiler and the fonts from the site (once per kernel), and
compiles. Nothing is fetched from another host.
"""
from __future__ import annotations

import json
from pathlib import Path

_COMPILER = None
SITE_TYPST = "static/typst/"


def in_browser() -> bool:
    import sys

    return sys.platform == "emscripten"


def _site_base() -> str:
    """The site's root URL, from the kernel worker's own address (…/extensions/<kernel>/static/…)."""
    import js

    href = str(js.location.href)
    i = href.find("/extensions/")
    if i < 0:
        raise RuntimeError(f"cannot tell the site's address from {href}")
    return href[: i + 1]


async def _bytes(url: str):
    import js

    r = await js.fetch(url)
    if not r.ok:
        raise RuntimeError(f"could not load {url} (HTTP {r.status})")
    return js.Uint8Array.new(await r.arrayBuffer())


async def _compiler():
    global _COMPILER
    if _COMPILER is not None:
        return _COMPILER
    import js
    from pyodide.ffi import to_js

    base = _site_base() + SITE_TYPST
    mod = await js.eval(f"import({json.dumps(base + 'typst_ts_web_compiler.mjs')})")
    wasm = await _bytes(base + "typst_ts_web_compiler_bg.wasm")
    await mod.default(to_js({"module_or_path": wasm}, dict_converter=js.Object.fromEntries))
    builder = mod.TypstCompilerBuilder.new()
    builder.set_dummy_access_model()
    r = await js.fetch(base + "fonts.json")
    for name in json.loads(str(await r.text())):
        await builder.add_raw_font(await _bytes(base + "fonts/" + name))
    _COMPILER = await builder.build()
    return _COMPILER


async def compile_pdf_browser(source: str, assets: dict | None = None) -> bytes:
    """Compile ``source`` (with the package's template as ``civicnb.typ`` and ``assets``) to PDF bytes."""
    from pyodide.ffi import JsException, to_js

    from .compile import TEMPLATE

    c = await _compiler()
    c.reset_shadow()
    c.add_source("/main.typ", source)
    c.add_source("/civicnb.typ", Path(TEMPLATE).read_text(encoding="utf-8"))
    for name, blob in (assets or {}).items():
        c.map_shadow("/" + name, to_js(bytes(blob)))
    try:
        out = c.compile("/main.typ", None, "pdf", 1)
    except JsException as e:
        raise RuntimeError(f"Typst could not build the worksheet: {str(e)[:300]}") from None
    result = out.result if hasattr(out, "result") else out
    return bytes(result.to_py())


async def export_worksheet_browser(project, work_file, paper: str = "letter") -> Path:
    """``export_worksheet`` for the browser: the PDF beside the work file, same name, same content."""
    from ..summary import open_work
    from ..work.store import poll_names_on, slug
    from .render import render
    from .worksheet import _write_new, printable_work

    work_file = Path(work_file)
    work, lesson = open_work(project, work_file)
    nb_file = Path(f"{lesson.name}.ipynb")  # the site serves the lesson notebook as the working folder's file
    if not nb_file.is_file():
        nb_file = lesson.notebook_path
    nb = json.loads(nb_file.read_text(encoding="utf-8"))
    r = render(project, lesson, nb, "worksheet", paper,
               work=printable_work(lesson, work, work_file, poll_names_on()))
    data = await compile_pdf_browser(r.source, r.assets)
    student = work.get("student") or ""
    stem = f"{lesson.name}--{slug(student)}" if slug(student) else work_file.stem
    return _write_new(work_file.parent, f"{stem}-worksheet.pdf", data)[0]
