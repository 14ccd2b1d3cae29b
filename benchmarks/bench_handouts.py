"""Benchmark: our Typst handouts against nbconvert's PDF routes, on the same executed lesson notebooks.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_handouts.py [--runs N]`). It prints
times (median of N runs, interleaved so that load on the machine hits every tool alike) and ratios,
and says so where a peer tool is not installed. Nothing here is a test: the numbers depend on the
machine.

Measured:
  A. In one warm process, as JupyterLab's export menu runs it: our exporter against nbconvert's
     PDFExporter (TeX) and WebPDFExporter (Chromium). Targets: ours at least 30x / 20x faster.
  B. As whole processes: `civicnb build` of every edition of every lesson from the executed notebooks,
     against `jupyter nbconvert --to pdf --no-input` over the same notebooks. Target: at least 10x.
  C. Our own targets: a clean build of everything, notebook execution included, < 15 s; a rebuild with
     nothing changed < 0.5 s; 200 students' worksheets exported < 20 s; `import civicnb` < 0.3 s.

Peers need extra system packages: TeX (`apt-get install texlive-xetex texlive-fonts-recommended
texlive-plain-generic pandoc`) and Chromium (`apt-get install chromium`; Playwright's own browser
download is not used: a small subclass points WebPDFExporter at /usr/bin/chromium).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def median_ms(samples):
    return statistics.median(samples) * 1000


def fmt(ms):
    return f"{ms / 1000:7.2f} s" if ms >= 1000 else f"{ms:7.1f} ms"


def run(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def execute_notebooks(project_dir: Path) -> list[Path]:
    """Execute every lesson notebook once (widgets and all) and save the executed copies."""
    import nbformat
    from nbclient import NotebookClient

    out = []
    for nb_path in sorted((project_dir / "notebooks").glob("[0-9]*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(nb_path.parent)}}).execute()
        nbformat.write(nb, nb_path)
        out.append(nb_path)
    return out


def peer_exporters():
    """nbconvert's PDF exporters that can run here, with a reason for the ones that cannot."""
    peers, missing = {}, {}
    from nbconvert.exporters import PDFExporter

    if shutil.which("xelatex"):
        peers["nbconvert PDFExporter (TeX)"] = PDFExporter(config=_no_input())
    else:
        missing["nbconvert PDFExporter (TeX)"] = "xelatex not installed (apt-get install texlive-xetex ...)"
    try:
        import playwright  # noqa: F401
        from nbconvert.exporters import WebPDFExporter

        if os.path.exists(CHROMIUM):
            peers["nbconvert WebPDFExporter (Chromium)"] = _system_chromium_webpdf()(config=_no_input())
        else:
            missing["nbconvert WebPDFExporter (Chromium)"] = "Debian chromium not installed (apt-get install chromium)"
    except ImportError:
        missing["nbconvert WebPDFExporter (Chromium)"] = "playwright not installed (pip install playwright)"
    return peers, missing


def _no_input():
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    return c


def _system_chromium_webpdf():
    """WebPDFExporter has no executable-path setting; launch Debian's Chromium instead of Playwright's."""
    from nbconvert.exporters import WebPDFExporter
    from playwright.async_api import BrowserType

    original = BrowserType.launch

    async def launch(self, *a, **kw):
        kw.setdefault("executable_path", CHROMIUM)
        kw["args"] = list(kw.get("args") or []) + ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                     "--disable-component-update", "--no-first-run"]
        return await original(self, *a, **kw)

    BrowserType.launch = launch

    class SystemChromiumWebPDF(WebPDFExporter):
        pass

    return SystemChromiumWebPDF


def bench_warm(notebooks, runs):
    import nbformat

    from civicnb.handout.exporter import StudentHandoutExporter

    ours = StudentHandoutExporter()
    peers, missing = peer_exporters()
    tools = {"civicnb StudentHandoutExporter (Typst)": ours, **peers}
    nodes = [nbformat.read(p, as_version=4) for p in notebooks]
    samples = {name: [] for name in tools}
    for name, exp in tools.items():  # warm-up: imports, font loading, browser start
        for nb, p in zip(nodes, notebooks):
            exp.from_notebook_node(nb, resources={"metadata": {"path": str(p.parent)}})
    for _ in range(runs):
        for name, exp in tools.items():
            t = time.perf_counter()
            for nb, p in zip(nodes, notebooks):
                exp.from_notebook_node(nb, resources={"metadata": {"path": str(p.parent)}})
            samples[name].append(time.perf_counter() - t)
    print(f"\nA. Warm process, one student handout per lesson ({len(notebooks)} notebook(s)), median of {runs}:")
    base = median_ms(samples["civicnb StudentHandoutExporter (Typst)"])
    for name, s in samples.items():
        m = median_ms(s)
        ratio = "" if name.startswith("civicnb") else f"   ours is {m / base:5.1f}x faster"
        print(f"  {name:42s} {fmt(m)}{ratio}")
    for name, why in missing.items():
        print(f"  {name:42s} not measured: {why}")


def bench_processes(project_dir, notebooks, runs):
    ours = [str(BIN / "civicnb"), "--root", str(project_dir), "build", "--force", "--quiet",
            "--out", str(project_dir / "out-ours")]
    peer = [str(BIN / "jupyter"), "nbconvert", "--to", "pdf", "--no-input", "--output-dir",
            str(project_dir / "out-peer"), *map(str, notebooks)]
    have_tex = bool(shutil.which("xelatex"))
    s_ours, s_peer = [], []
    run(ours)
    if have_tex:
        run(peer)
    for _ in range(runs):
        s_ours.append(run(ours))
        if have_tex:
            s_peer.append(run(peer))
    print(f"\nB. Whole processes, median of {runs}:")
    print(f"  civicnb build (student + teacher of {len(notebooks)} lesson(s)) {fmt(median_ms(s_ours))}")
    if have_tex:
        m = median_ms(s_peer)
        print(f"  jupyter nbconvert --to pdf --no-input ({len(notebooks)} notebook(s)) {fmt(m)}"
              f"   ours is {m / median_ms(s_ours):5.1f}x faster (and builds twice as many PDFs)")
    else:
        print("  jupyter nbconvert --to pdf --no-input: not measured: xelatex not installed")


def bench_targets(runs):
    print(f"\nC. Our targets, median of {runs}:")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clean = []
        for i in range(runs):
            proj = tmp / f"clean{i}"
            copy_project(proj)
            t = time.perf_counter()
            execute_notebooks(proj)
            subprocess.run([str(BIN / "civicnb"), "--root", str(proj), "build", "--quiet"], check=True)
            clean.append(time.perf_counter() - t)
        proj = tmp / "clean0"
        noop = [run([str(BIN / "civicnb"), "--root", str(proj), "build", "--quiet"]) for _ in range(runs)]
        imp = [run([sys.executable, "-c", "import civicnb"]) for _ in range(runs)]
        base = [run([sys.executable, "-c", "pass"]) for _ in range(runs)]
        work = make_class_set(proj, tmp / "class", 200)
        exp = [run([str(BIN / "civicnb"), "--root", str(proj), "export-work", str(work), "--out", str(tmp / f"pdf{i}")])
               for i in range(max(1, min(runs, 3)))]
    rows = [("clean build, notebook execution included", median_ms(clean), 15000),
            ("rebuild with nothing changed", median_ms(noop), 500),
            ("200 completed worksheets exported", median_ms(exp), 20000),
            ("import civicnb (whole process)", median_ms(imp), 300),
            ("  (python -c pass, for reference)", median_ms(base), None)]
    for name, ms, target in rows:
        verdict = "" if target is None else ("  OK" if ms <= target else "  MISSED") + f" (target {fmt(target).strip()})"
        print(f"  {name:45s} {fmt(ms)}{verdict}")


def copy_project(dest: Path):
    for part in ("lessons", "notebooks"):
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("my-work", ".ipynb_checkpoints"))


def make_class_set(project_dir: Path, folder: Path, n: int) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from civicnb.content.model import Project
    from civicnb.work.store import WorkStore

    project = Project(project_dir)
    lesson = project.lessons()[0]
    for i in range(n):
        s = WorkStore(lesson.name, folder / f"s{i:03d}")
        s.set_student(f"Student {i:03d}")
        for ex in lesson.exercise_list:
            if ex["kind"] in ("short_answer", "long_answer"):
                s.save(ex["id"], {"text": f"Answer from student {i}."})
            elif ex["kind"] == "single_choice":
                s.save(ex["id"], {"choice": ex["options"][i % len(ex["options"])]["id"]})
    return folder


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median is reported; default 5)")
    args = ap.parse_args()
    print(f"civicnb handout benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp) / "project"
        copy_project(proj)
        print("Executing the lesson notebooks once (the peers print executed notebooks)…", flush=True)
        notebooks = execute_notebooks(proj)
        bench_warm(notebooks, args.runs)
        bench_processes(proj, notebooks, args.runs)
    bench_targets(args.runs)


if __name__ == "__main__":
    main()
