"""Build the static lesson site (``make site`` -> ``site/``): JupyterLite with the Pyodide kernel.

Everything the site needs is served from the site itself; at run time the browser asks no other host:

- Pyodide (Python compiled to WebAssembly) comes from the npm package ``pyodide``, installed from the
  lock file in ``tools/site/`` (``npm ci``), and is copied to ``site/static/pyodide/``;
  ``jupyter-lite.json`` points the kernel at it (``pyodideUrl``), so it never uses a CDN.
- The Python packages the kernel and the lessons import are pure wheels: the ones Pyodide's lock names
  (IPython and its dependencies, jedi, micropip) at the lock's versions, the ones in
  ``tools/site/browser-wheels.txt`` (ipywidgets, comm, jupyterlab_widgets), the wheels the Pyodide
  kernel bundles (pyodide_kernel, its ipykernel shim, piplite, widgetsnbextension shim) and a wheel of
  this package (``civicnb``, its run-time part: no YAML parser, Matplotlib, Typst or nbconvert
  dependency). They are downloaded from PyPI at build time, put beside Pyodide, and written into a new
  ``pyodide-lock.json`` (name, file, SHA-256, dependencies) that names only what the site ships, so a
  package that is not there fails at once instead of being looked for on the web. The kernel preloads
  them (``loadPyodideOptions.packages``) and never falls back to PyPI (``disablePyPIFallback``).
- The front end: JupyterLite's JupyterLab, the widgets extension (jupyterlab_widgets) and this package's
  student-mode extension (``src/civicnb/labextension/civicnb-lab``, prebuilt), as federated extensions.
- The lesson notebooks and the start page as the site's contents; the landing page ``index.html``
  links every lesson and offers every handout PDF in ``handouts/`` (``make handouts`` first).

Usage: python tools/build_site.py --jupyter .venv-site/bin/jupyter [--out site]
"""
from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_SRC = ROOT / "tools" / "site"
NODE_PYODIDE = SITE_SRC / "node_modules" / "pyodide"
NODE_TYPST = SITE_SRC / "node_modules" / "@myriaddreamin" / "typst-ts-web-compiler" / "pkg"
WORK = ROOT / "build" / "site"
WHEEL_CACHE = WORK / "wheel-cache"

#: what the kernel imports at start (jupyterlite-pyodide-kernel 0.8.6 worker: micropip, piplite, then
#: ipykernel, comm, pyodide-kernel, jedi, ipython) and what the lessons import; all are preloaded
PRELOAD = ["micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython",
           "widgetsnbextension", "jupyterlab-widgets", "ipywidgets", "civicnb", "civicnb-bundle", "mistune"]
#: packages of Pyodide's lock that the site ships (with their dependencies, from the lock)
FROM_LOCK = ["micropip", "ipython", "jedi", "traitlets"]
#: the lock entries' dependencies for wheels that are not in Pyodide's lock
EXTRA_DEPENDS = {
    "comm": ["traitlets"],
    "ipywidgets": ["comm", "ipython", "traitlets", "widgetsnbextension", "jupyterlab-widgets"],
    "jupyterlab-widgets": [],
    "pyodide-kernel": ["ipykernel", "comm", "ipython"],
    "ipykernel": [],
    "piplite": ["micropip"],
    "widgetsnbextension": [],
    "civicnb": ["ipywidgets", "civicnb-bundle"],
    "civicnb-bundle": [],
    "mistune": [],
}
#: files of the npm package the site does not need (source maps, the demo consoles, type files)
SKIP_NODE_FILES = re.compile(r"(\.map|\.d\.ts|^console.*\.html|^README\.md)$")


class BuildError(Exception):
    pass


def canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wheel_meta(path: Path) -> tuple[str, str, list[str]]:
    """(name, version, top-level import names) of a wheel."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        text = z.read(meta).decode()
        top = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        imports = z.read(top[0]).decode().split() if top else []
    name = re.search(r"^Name: (.+)$", text, re.M).group(1).strip()
    version = re.search(r"^Version: (.+)$", text, re.M).group(1).strip()
    if not imports:
        imports = sorted({n.split("/")[0].removesuffix(".py") for n in names
                          if "/" in n and ".dist-info" not in n.split("/")[0] and ".data" not in n.split("/")[0]})
    return name, version, imports


def pip_download(spec: str, expect_file: str | None = None) -> Path:
    """One pure wheel from PyPI into the cache (kept between builds)."""
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    if expect_file and (WHEEL_CACHE / expect_file).is_file():
        return WHEEL_CACHE / expect_file
    name, _, version = spec.partition("==")
    pattern = re.compile(rf"^{re.sub(r'[-_.]+', '[-_.]', name)}-{re.escape(version)}-.*\.whl$", re.I)
    have = [p for p in WHEEL_CACHE.iterdir() if pattern.match(p.name)]
    if not have:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
               "--python-version", "3.14", "--implementation", "py", "--abi", "none", "--platform", "any",
               "-d", str(WHEEL_CACHE), spec]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            raise BuildError(f"pip could not download the pure wheel {spec} from PyPI: "
                             f"{r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
        have = [p for p in WHEEL_CACHE.iterdir() if pattern.match(p.name)]
    if not have:
        raise BuildError(f"no pure wheel for {spec} (the browser can only use py3-none-any wheels)")
    return have[0]


def lock_closure(lock: dict, roots: list[str]) -> list[str]:
    pkgs = lock["packages"]
    seen: list[str] = []
    todo = list(roots)
    while todo:
        n = canon(todo.pop())
        key = next((k for k in pkgs if canon(k) == n), None)
        if key is None:
            raise BuildError(f"Pyodide's lock (tools/site/node_modules/pyodide/pyodide-lock.json) has no {n}")
        if key in seen:
            continue
        seen.append(key)
        todo.extend(pkgs[key].get("depends", []))
    return sorted(seen)


def build_civicnb_wheel(dest: Path) -> Path:
    """A wheel of this package's Python code for the browser. Its only dependency is ipywidgets: the
    build-time parts (YAML, Matplotlib, Typst, nbconvert) are not installed there, and the run-time
    code does not import them when they are missing."""
    sys.path.insert(0, str(ROOT / "src"))
    from civicnb import __version__ as version  # noqa: E402

    src = ROOT / "src" / "civicnb"
    files = sorted(p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and "labextension" not in p.relative_to(src).parts and p.suffix != ".pyc")
    dist = f"civicnb-{version}.dist-info"
    name = dest / f"civicnb-{version}-py3-none-any.whl"
    metadata = (f"Metadata-Version: 2.1\nName: civicnb\nVersion: {version}\n"
                "Summary: civicnb lessons, the part that runs in the browser (static site build)\n"
                "Requires-Dist: ipywidgets<9,>=8\n")
    extra = {f"{dist}/METADATA": metadata.encode(),
             f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: civicnb-build-site\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
             f"{dist}/top_level.txt": b"civicnb\n"}
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        def add(arc: str, data: bytes) -> None:
            info = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            writer.writerow([arc, f"sha256={digest}", len(data)])
        for p in files:
            add(f"civicnb/{p.relative_to(src).as_posix()}", p.read_bytes())
        for arc, data in extra.items():
            add(arc, data)
        writer.writerow([f"{dist}/RECORD", "", ""])
        info = zipfile.ZipInfo(f"{dist}/RECORD", date_time=(2020, 1, 1, 0, 0, 0))
        z.writestr(info, record.getvalue())
    return name


def lock_entry(path: Path, depends: list[str], name: str | None = None) -> dict:
    wname, version, imports = wheel_meta(path)
    return {"name": canon(name or wname), "version": version, "file_name": path.name, "install_dir": "site",
            "sha256": sha256(path), "package_type": "package", "imports": imports,
            "depends": sorted(depends), "unvendored_tests": False, "tool": {}}


def assemble_pyodide(lite: Path, kernel_wheels: Path, stage: Path) -> list[str]:
    """static/pyodide/ in the JupyterLite project folder: the npm runtime, the wheels and a lock that
    names exactly those wheels. Returns the package names to preload."""
    if not (NODE_PYODIDE / "pyodide.mjs").is_file():
        raise BuildError("tools/site/node_modules/pyodide is missing: run `make site` (it runs npm ci in tools/site)")
    out = lite / "static" / "pyodide"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for p in NODE_PYODIDE.iterdir():
        if p.is_file() and not SKIP_NODE_FILES.search(p.name) and p.name != "pyodide-lock.json":
            shutil.copy2(p, out / p.name)
    npm_lock = json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text())
    packages: dict[str, dict] = {}
    for key in lock_closure(npm_lock, FROM_LOCK):
        entry = npm_lock["packages"][key]
        whl = pip_download(f"{entry['name']}=={entry['version']}", entry["file_name"])
        shutil.copy2(whl, out / whl.name)
        new = dict(entry, file_name=whl.name, sha256=sha256(whl), unvendored_tests=False)
        packages[key] = new
    for line in (SITE_SRC / "browser-wheels.txt").read_text().splitlines():
        spec = line.split("#")[0].strip()
        if not spec:
            continue
        whl = pip_download(spec)
        shutil.copy2(whl, out / whl.name)
        entry = lock_entry(whl, EXTRA_DEPENDS[canon(spec.split("==")[0])])
        packages[entry["name"]] = entry
    shipped = {"pyodide_kernel": "pyodide-kernel", "ipykernel": "ipykernel", "piplite": "piplite",
               "widgetsnbextension-4": "widgetsnbextension"}
    for whl in sorted(kernel_wheels.glob("*.whl")):
        key = next((v for k, v in shipped.items() if whl.name.startswith(k + "-") or whl.name.startswith(k + ".")), None)
        if key is None:
            continue
        shutil.copy2(whl, out / whl.name)
        packages[key] = lock_entry(whl, EXTRA_DEPENDS[key], key)
    civ = build_civicnb_wheel(stage / "civicnb-wheel")
    shutil.copy2(civ, out / civ.name)
    packages["civicnb"] = lock_entry(civ, EXTRA_DEPENDS["civicnb"])
    # the lessons compiled for the browser (JSON, pre-drawn charts): `civicnb bundle --wheel`
    bundle_dir = stage / "bundle-wheel"
    if bundle_dir.exists():
        shutil.rmtree(bundle_dir)
    r = subprocess.run([str(Path(sys.executable).parent / "civicnb"), "bundle", "--wheel", str(bundle_dir)],
                       capture_output=True, text=True, cwd=ROOT)
    wheels = sorted(bundle_dir.glob("civicnb_bundle-*.whl")) if bundle_dir.is_dir() else []
    if r.returncode or not wheels:
        sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])
        raise BuildError("`civicnb bundle --wheel` failed (its output is above): fix the lesson content first")
    shutil.copy2(wheels[0], out / wheels[0].name)
    packages["civicnb-bundle"] = lock_entry(wheels[0], EXTRA_DEPENDS["civicnb-bundle"], "civicnb-bundle")
    missing = [p for p in PRELOAD if p not in packages]
    if missing:
        raise BuildError(f"the site would lack {', '.join(missing)}: check tools/site/ and the Pyodide kernel's wheels")
    have = {canon(k) for k in packages}
    for key, entry in packages.items():
        for dep in entry["depends"]:
            if canon(dep) not in have:
                raise BuildError(f"{key} needs {dep}, which the site does not ship")
    lock = {"info": npm_lock["info"], "packages": dict(sorted(packages.items())), "tool": npm_lock.get("tool", {})}
    (out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return PRELOAD


def assemble_typst(site: Path, stage: Path) -> None:
    """static/typst/: Typst compiled to WebAssembly (npm) and the fonts the native route uses, for
    "Save my worksheet as PDF" in the browser (src/civicnb/handout/browser.py)."""
    sys.path.insert(0, str(ROOT / "src"))
    from civicnb.handout.compile import fonts_dir

    if not (NODE_TYPST / "typst_ts_web_compiler_bg.wasm").is_file():
        raise BuildError("tools/site/node_modules/@myriaddreamin/typst-ts-web-compiler is missing: run `make site`")
    out = site / "static" / "typst"
    (out / "fonts").mkdir(parents=True)
    for name in ("typst_ts_web_compiler.mjs", "typst_ts_web_compiler_bg.wasm"):
        shutil.copy2(NODE_TYPST / name, out / name)
    fonts = fonts_dir(stage / "fonts-build")
    names = sorted(p.name for p in fonts.iterdir() if p.suffix.lower() in (".ttf", ".otf"))
    for name in names:
        shutil.copyfile(fonts / name, out / "fonts" / name)
    (out / "fonts.json").write_text(json.dumps(names) + "\n")


def lessons() -> list[tuple[str, str]]:
    """(notebook file name, title) of every lesson notebook, in order."""
    out = []
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        meta = json.loads(nb.read_text()).get("metadata", {})
        if "lesson" in meta.get("civicnb", {}):
            out.append((nb.name, meta.get("title") or nb.stem))
    return out


def write_lite_project(lite: Path) -> None:
    files = lite / "files"
    if files.exists():
        shutil.rmtree(files)
    files.mkdir(parents=True)
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy2(nb, files / nb.name)
    # The work folder is part of the site, so the kernel's first save does not have to create it (creating
    # a folder makes JupyterLite probe "Untitled Folder" on the web server: a 404 in the console) and its
    # listing is there to read. What the student saves lives in the browser, beside this note.
    (files / "my-work").mkdir()
    (files / "my-work" / "README.md").write_text(
        "# Your work\n\nYour answers are saved in this folder, inside this web browser on this computer "
        "(not on the web site and not on a server). Clearing the browser's data deletes them. To keep a "
        "copy or move to another computer, use **Download my work file** at the end of each lesson.\n")
    kernel = "@jupyterlite/pyodide-kernel-extension:kernel"
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Civics lessons",
            "litePluginSettings": {kernel: {
                "pyodideUrl": "./static/pyodide/pyodide.mjs",
                "disablePyPIFallback": True,
                "loadPyodideOptions": {"packages": PRELOAD},
            }},
        },
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(config, indent=2) + "\n")
    overrides = json.loads((ROOT / "jupyter-config" / "lab-overrides" / "civicnb.json").read_text())
    (lite / "overrides.json").write_text(json.dumps(overrides, indent=2) + "\n")


def landing_page(out: Path) -> None:
    """site/index.html: every lesson, every handout PDF, and where a student's work lives."""
    template = (SITE_SRC / "index.html").read_text()
    items = "\n".join(
        f'      <li><a href="notebooks/index.html?path={html.escape(name)}">{html.escape(title)}</a></li>'
        for name, title in lessons())
    pdfs = sorted((ROOT / "handouts").glob("*.pdf"))
    dest = out / "handouts"
    dest.mkdir(exist_ok=True)
    for p in pdfs:
        shutil.copy2(p, dest / p.name)
    if pdfs:
        rows = "\n".join(f'      <li><a href="handouts/{html.escape(p.name)}" download>{html.escape(p.name)}</a> '
                         f'<span class="size">({p.stat().st_size // 1024} KB)</span></li>' for p in pdfs)
    else:
        rows = "      <li>No handouts were built into this site (run <code>make handouts</code>, then <code>make site</code>).</li>"
    page = template.replace("<!--LESSONS-->", items).replace("<!--HANDOUTS-->", rows)
    (out / "index.html").write_text(page)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve every file as it is
    icon = out / "lab" / "favicon.ico"
    if icon.is_file():  # browsers ask for /favicon.ico on a reload: a 404 there is a console error
        shutil.copyfile(icon, out / "favicon.ico")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jupyter", default=str(ROOT / ".venv-site" / "bin" / "jupyter"),
                    help="the jupyter command of the environment with jupyterlite (default .venv-site)")
    ap.add_argument("--out", default=str(ROOT / "site"), help="where to write the site (default site/)")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    jupyter = Path(args.jupyter).absolute()  # it runs in the site's build folder, not where it was named
    try:
        if not jupyter.is_file():
            raise BuildError(f"{jupyter} is missing: run `make site`, which installs tools/site/requirements.txt")
        prefix = jupyter.resolve().parent.parent if jupyter.is_symlink() else jupyter.parent.parent
        kernel_wheels = prefix / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
        if not kernel_wheels.is_dir():
            raise BuildError(f"{kernel_wheels} is missing: reinstall tools/site/requirements.txt")
        # a staging folder per output folder, so two builds (make site and the site test) never share one
        stage = WORK / ("stage-" + hashlib.sha256(str(out).encode()).hexdigest()[:10])
        lite = stage / "lite"
        if lite.exists():  # a fresh project folder each time: jupyter lite's task cache (doit) would skip
            shutil.rmtree(lite)  # steps whose inputs did not change even though site/ is new
        lite.mkdir(parents=True)
        write_lite_project(lite)
        assemble_pyodide(lite, kernel_wheels, stage)
        if out.exists():
            shutil.rmtree(out)
        cmd = [str(jupyter), "lite", "build", "--lite-dir", str(lite), "--output-dir", str(out),
               "--contents", str(lite / "files"), "--no-sourcemaps",
               "--LiteBuildConfig.federated_extensions", str(ROOT / "src/civicnb/labextension/civicnb-lab")]
        env = dict(os.environ, JUPYTERLITE_NO_LIBARCHIVE="1")
        r = subprocess.run(cmd, cwd=lite, env=env, capture_output=True, text=True)
        if r.returncode:
            sys.stderr.write(r.stdout[-4000:] + r.stderr[-4000:])
            raise BuildError("jupyter lite build failed (its output is above)")
        assemble_typst(out, stage)  # jupyter lite build copies only its own static files: this goes in after it
        landing_page(out)
    except BuildError as e:
        print(f"make site: {e}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"site: {out} ({size / 1e6:.1f} MB, {len(lessons())} lessons). Try it: python -m http.server -d {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} 8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
