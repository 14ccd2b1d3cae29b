"""The JupyterLab extension ships prebuilt: the committed bundle is built from the committed sources,
and a wheel installs every built file where JupyterLab looks for extensions."""
import fnmatch
import importlib.util
import json
import tomllib

from .conftest import ROOT

BUILT = ROOT / "src" / "civicnb" / "labextension" / "civicnb-lab"


def _tool():
    spec = importlib.util.spec_from_file_location("jupyter_data", ROOT / "tools" / "jupyter_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_built_extension_matches_its_sources():
    """Change labextension/ without `make labextension` and this fails: the bundle would be stale."""
    tool = _tool()
    recorded = tool.HASH_FILE.read_text().strip()
    assert recorded == tool.source_hash(), (
        "labextension/ changed since the bundle in src/civicnb/labextension/ was built: run `make labextension` "
        "and commit the result")


def test_source_hash_sees_a_change(tmp_path, monkeypatch):
    tool = _tool()
    import shutil

    copy = tmp_path / "labextension"
    shutil.copytree(tool.SOURCES, copy, ignore=shutil.ignore_patterns("node_modules", "lib"))
    monkeypatch.setattr(tool, "SOURCES", copy)
    before = tool.source_hash()
    (copy / "style" / "index.css").write_text((copy / "style" / "index.css").read_text() + "\n/* x */\n")
    assert tool.source_hash() != before


def test_built_extension_is_complete():
    pkg = json.loads((BUILT / "package.json").read_text())
    assert pkg["name"] == "civicnb-lab"
    assert (BUILT / "static" / pkg["jupyterlab"]["_build"]["load"].removeprefix("static/")).is_file()
    built_schema = json.loads((BUILT / "schemas" / "civicnb-lab" / "plugin.json").read_text())
    assert built_schema == json.loads((ROOT / "labextension" / "schema" / "plugin.json").read_text())
    # shared JupyterLab packages are required at ^4.0.0, so the bundle loads in any JupyterLab 4
    for dep in ("@jupyterlab/notebook", "@jupyterlab/application"):
        assert pkg["jupyterlab"]["sharedPackages"][dep]["requiredVersion"] == "^4.0.0"


def test_wheel_installs_every_built_file():
    """Every built file is named by a data-files entry that puts it under share/jupyter/labextensions."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        data_files = tomllib.load(f)["tool"]["setuptools"]["data-files"]
    covered = {}
    for dest, patterns in data_files.items():
        for pat in patterns:
            for path in ROOT.glob(pat):
                covered[path] = dest
    for path in BUILT.rglob("*"):
        if path.is_file() and not path.name.endswith(".orig"):
            dest = covered.get(path)
            assert dest, f"{path.relative_to(ROOT)} is not installed by [tool.setuptools.data-files]"
            assert dest == "share/jupyter/labextensions/civicnb-lab/" + path.parent.relative_to(BUILT).as_posix() \
                or (path.parent == BUILT and dest == "share/jupyter/labextensions/civicnb-lab"), (path, dest)
    overrides = [d for d in data_files if d == "share/jupyter/lab/settings/overrides.d"]
    assert overrides, "the settings overrides (no news, no update check) are not installed"
    settings = json.loads((ROOT / data_files[overrides[0]][0]).read_text())
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert any(fnmatch.fnmatch("etc/jupyter/jupyter_server_config.d", d) for d in data_files)
