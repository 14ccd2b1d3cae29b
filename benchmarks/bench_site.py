"""Benchmark the static site (``make bench-site``; not a test): its size, a student's cold first load of
a lesson (new browser profile: nothing cached) until the first widget is live, and a warm reload.

Serves ``site/`` (build it with ``make site``) on 127.0.0.1 and drives Debian's Chromium headless
(1366x768). Every request to another host is blocked and counted. For each load it prints a timeline
of what the browser waited for: the JupyterLite page, Pyodide's WebAssembly, the last wheel, the
kernel's first answer, the lesson live, so the dominating step is visible. Targets (issue 14): cold
under 20 s, warm under 8 s on this 2-core machine. Results go to benchmarks/results/site.json too.

Usage: python benchmarks/bench_site.py [--site site] [--runs 2] [--lesson 00-before-we-begin.ipynb]
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def sizes(site: Path) -> dict[str, float]:
    """MB by part of the site."""
    groups = {"pyodide runtime (wasm, stdlib, js)": lambda p: "static/pyodide" in p and not p.endswith(".whl"),
              "python wheels": lambda p: p.endswith(".whl"),
              "handout PDFs": lambda p: p.startswith("handouts/"),
              "JupyterLab app + extensions (js, css)": lambda p: p.startswith(("build/", "extensions/")),
              }
    out = {k: 0.0 for k in groups}
    out["other"] = 0.0
    for f in site.rglob("*"):
        if not f.is_file():
            continue
        rel = f.relative_to(site).as_posix()
        key = next((k for k, test in groups.items() if test(rel)), "other")
        out[key] += f.stat().st_size / 1e6
    out["total"] = sum(out.values())
    return {k: round(v, 1) for k, v in out.items()}


def one_load(page, base, url, marks, reload=False):
    marks.clear()
    t0 = time.monotonic()
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.locator(".civicnb-lesson.civicnb-live").wait_for(timeout=300_000)
    page.locator(".civicnb-item input, .civicnb-item button").first.wait_for(timeout=60_000)
    total = time.monotonic() - t0
    rel = {k: round(v - t0, 1) for k, v in marks.items() if v >= t0}
    rel["lesson live (first widget)"] = round(total, 1)
    return total, rel


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", default=str(ROOT / "site"))
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--lesson", default="00-before-we-begin.ipynb")
    args = ap.parse_args()
    site = Path(args.site)
    if not (site / "jupyter-lite.json").is_file():
        print(f"bench-site: {site} is not a built site: run `make site` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = subprocess.Popen([sys.executable, "-m", "http.server", "-b", "127.0.0.1", "-d", str(site), str(port)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    url = f"{base}lab/index.html?path={args.lesson}"
    result = {"site_mb": sizes(site), "cold_s": [], "warm_s": [], "timelines": [], "blocked": 0}
    try:
        time.sleep(0.5)
        with sync_playwright() as pw:
            for run in range(args.runs):
                profile = Path(tempfile.mkdtemp(prefix="bench-site-"))
                ctx = pw.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True,
                                                            args=ARGS, viewport={"width": 1366, "height": 768})
                blocked = []
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:"))
                          else (blocked.append(r.request.url), r.abort()))
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                marks: dict[str, float] = {}

                def done(r):
                    u = r.url
                    now = time.monotonic()
                    if "/build/lab/bundle" in u or u.endswith("/lab/index.html") or "?path=" in u:
                        marks.setdefault("JupyterLite page", now)
                    elif u.endswith("pyodide.asm.wasm"):
                        marks["pyodide wasm fetched"] = now
                    elif u.endswith(".whl"):
                        marks["last wheel fetched"] = now
                    elif u.endswith("python_stdlib.zip"):
                        marks["stdlib fetched"] = now

                page.on("requestfinished", done)
                cold, tl = one_load(page, base, url, marks)
                warm, tlw = one_load(page, base, url, marks, reload=True)
                result["cold_s"].append(round(cold, 1))
                result["warm_s"].append(round(warm, 1))
                result["timelines"].append({"cold": tl, "warm": tlw})
                result["blocked"] += len(blocked)
                ctx.close()
                shutil.rmtree(profile, ignore_errors=True)
    finally:
        srv.terminate()
        srv.wait()
    print(json.dumps(result, indent=1))
    print(f"cold first load: {min(result['cold_s'])} s (target < 20 s); warm reload: {min(result['warm_s'])} s "
          f"(target < 8 s); requests to other hosts: {result['blocked']}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
