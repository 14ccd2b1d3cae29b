// Run the civicnb notebook runtime inside real Pyodide (the npm package: core runtime only, no CDN).
//
//   node run.mjs WHEELS_DIR TESTS_DIR [EXTRA_BUNDLE_DIR]
//
// Loads Pyodide from node_modules/pyodide, loads micropip from WHEELS_DIR (the npm package lists it in
// its lock but does not ship it), installs EVERY wheel in WHEELS_DIR with micropip from the Emscripten
// file system (emfs:, no dependency resolution, so nothing is fetched from the network), then runs
// TESTS_DIR/runtime_drive.py's drive() with the work folder in Pyodide's in-memory file system, and
// TESTS_DIR/store_probe.py's probe() (the work store's guarantees on Emscripten's file system), and
// prints one line "PYODIDE_RESULT <json>" with the reports and the timings. EXTRA_BUNDLE_DIR (a bundle
// folder, e.g. of the all-kinds test lesson) is copied into Pyodide's file system and driven too,
// found through CIVICNB_BUNDLE. Exit code 0 on success, 1 on any error.
// Used by tests/test_pyodide.py.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = dirname(fileURLToPath(import.meta.url));
const [wheelsDir, testsDir, extraBundle] = process.argv.slice(2).map((p) => resolve(p));

function copyTree(py, from, to) {
  py.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyTree(py, src, `${to}/${name}`);
    else py.FS.writeFile(`${to}/${name}`, readFileSync(src));
  }
}
const ms = (t) => Math.round(performance.now() - t);
const timings = {};
let t = performance.now();
const t0 = t;

// Any attempt to reach the network is a failure: the runtime must need nothing from another host.
globalThis.fetch = async (url) => {
  throw new Error(`network access attempted: ${url}`);
};

try {
  const py = await loadPyodide({
    indexURL: join(here, "node_modules", "pyodide") + "/",
    stdout: (s) => process.stderr.write(s + "\n"),
    stderr: (s) => process.stderr.write(s + "\n"),
  });
  timings.load_pyodide_ms = ms(t);

  t = performance.now();
  const wheels = readdirSync(wheelsDir).filter((f) => f.endsWith(".whl")).sort();
  py.FS.mkdirTree("/wheels");
  for (const f of wheels) py.FS.writeFile(`/wheels/${f}`, readFileSync(join(wheelsDir, f)));
  const micropip = wheels.find((f) => f.startsWith("micropip-"));
  if (!micropip) throw new Error(`no micropip wheel in ${wheelsDir}`);
  const loadErrors = [];
  await py.loadPackage(join(wheelsDir, micropip), { messageCallback: () => {}, errorCallback: (m) => loadErrors.push(m) });
  if (loadErrors.length) throw new Error(`loading micropip: ${loadErrors.join(" ")}`);
  timings.load_micropip_ms = ms(t);

  t = performance.now();
  py.globals.set("WHEELS", wheels.filter((f) => f !== micropip).map((f) => `emfs:/wheels/${f}`));
  await py.runPythonAsync(`
import micropip
await micropip.install(list(WHEELS), deps=False)
`);
  timings.install_wheels_ms = ms(t);

  t = performance.now();
  for (const f of ["runtime_drive.py", "store_probe.py"]) py.FS.writeFile(`/home/pyodide/${f}`, readFileSync(join(testsDir, f)));
  await py.runPythonAsync(`
import sys, time
sys.path.insert(0, "/home/pyodide")
t = time.perf_counter()
import civicnb.notebook
IMPORT_S = time.perf_counter() - t
`);
  timings.import_runtime_ms = ms(t);

  t = performance.now();  // in JupyterLite the kernel has imported IPython before the first cell runs
  await py.runPythonAsync("import IPython.display, ipywidgets");
  timings.import_ipython_ipywidgets_ms = ms(t);

  t = performance.now();
  await py.runPythonAsync(`
import os
os.makedirs("/home/pyodide/class", exist_ok=True)
os.chdir("/home/pyodide/class")   # a folder with no lessons/: the lessons come from the bundle wheel
import runtime_drive
report = runtime_drive.drive("/home/pyodide/class/my-work")
`);
  timings.drive_lessons_ms = ms(t);

  t = performance.now();
  if (extraBundle) copyTree(py, extraBundle, "/home/pyodide/extra-bundle");
  py.globals.set("EXTRA", Boolean(extraBundle));
  const out = await py.runPythonAsync(`
import json, os, sys
import store_probe
report["store"] = store_probe.probe("/home/pyodide/probe")
if EXTRA:  # a second bundle (every exercise kind), through CIVICNB_BUNDLE
    os.environ["CIVICNB_BUNDLE"] = "/home/pyodide/extra-bundle"
    report["extra"] = runtime_drive.drive("/home/pyodide/class/extra-work")
    del os.environ["CIVICNB_BUNDLE"]
BLOCKED = ("yaml", "matplotlib", "numpy", "nbformat", "jsonschema", "fastjsonschema", "typst", "nbconvert", "PIL")
report["imported_build_modules"] = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
report["python"] = sys.version.split()[0]
report["platform"] = sys.platform
json.dumps(report, ensure_ascii=False)
`);
  timings.probe_and_extra_ms = ms(t);
  timings.total_ms = ms(t0);
  const report = JSON.parse(out);
  report.node_timings = timings;
  console.log("PYODIDE_RESULT " + JSON.stringify(report));
} catch (e) {
  console.error("PYODIDE_ERROR " + (e && e.stack ? e.stack : e));
  process.exit(1);
}
