"""environment.yml (conda, and Binder's repo2docker, which uses it as is) matches pyproject.toml."""
from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from .conftest import ROOT

# Runtime dependencies that conda-forge carries under another name.
CONDA_NAMES = {"fastjsonschema": "python-fastjsonschema"}
# Packages conda-forge does not carry as the Python package we need, so the pip section installs them:
# the typst Python binding (conda-forge's "typst" is the command-line program) and the font packages.
PIP_ONLY = {"typst", "fontpkg-atkinson-hyperlegible", "fontpkg-noto-sans", "manimgx-fonts", "manimgx-fonts-cjk"}


@pytest.fixture(scope="module")
def env():
    data = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), "environment.yml is not a mapping"
    return data


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _conda_specs(env) -> dict[str, str]:
    """conda match specs by package name: ``name``, ``name=1.2``, ``name>=1,<2``."""
    specs = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", dep)
            assert m, f"not a conda package spec: {dep!r}"
            assert canonicalize_name(m.group(1)) not in specs, f"{m.group(1)} is listed twice"
            specs[canonicalize_name(m.group(1))] = m.group(2)
    return specs


def _pip_lines(env) -> list[str]:
    pips = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pips) == 1, "environment.yml needs exactly one pip: section"
    assert all(isinstance(x, str) for x in pips[0])
    return pips[0]


def _pip_reqs(env) -> dict[str, Requirement]:
    reqs = {}
    for line in _pip_lines(env):
        if line.strip().startswith("-"):
            continue
        r = Requirement(line)
        reqs[canonicalize_name(r.name)] = r
    return reqs


def test_structure(env):
    assert set(env) <= {"name", "channels", "dependencies"}, sorted(env)
    assert env.get("name"), "environment.yml needs a name"
    assert env["channels"] and env["channels"][0] == "conda-forge", "conda-forge must be the (first) channel"
    assert "defaults" not in env["channels"], "use conda-forge only, not the defaults channel"
    assert isinstance(env["dependencies"], list)
    assert "pip" in _conda_specs(env), "list pip among the conda packages, so the pip section has a pip to run"


def test_python_is_pinned_to_a_supported_version(env, pyproject):
    """repo2docker reads the Python version only from an ``=`` pin (its conda build pack matches
    ``python\\s*=+\\s*([\\d\\.]*)``); ``python>=3.11`` would leave Binder on its default Python."""
    spec = _conda_specs(env).get("python")
    assert spec, "environment.yml must pin python"
    m = re.fullmatch(r"=+(\d+\.\d+)(?:\.\*|\.\d+)?", spec.replace(" ", ""))
    assert m, f"python pin {spec!r} should read like python=3.11"
    pinned = Version(m.group(1))
    assert pinned >= Version("3.11")
    assert pinned in SpecifierSet(pyproject["project"]["requires-python"]), (
        f"python {pinned} does not satisfy requires-python {pyproject['project']['requires-python']}")


def test_pip_section_installs_the_package_and_what_conda_forge_lacks(env):
    lines = [x.strip() for x in _pip_lines(env)]
    assert "-e ." in lines, "the pip section must install this package from the repository with `-e .`"
    missing = PIP_ONLY - set(_pip_reqs(env))
    assert not missing, f"pip section lacks {sorted(missing)}"


def test_every_runtime_dependency_is_in_the_environment(env, pyproject):
    conda, pip = _conda_specs(env), _pip_reqs(env)
    problems = []
    for line in pyproject["project"]["dependencies"]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        conda_name = canonicalize_name(CONDA_NAMES.get(name, name))
        if name in pip:
            if pip[name].specifier != req.specifier:
                problems.append(f"{name}: pip section says {pip[name].specifier or 'any'}, pyproject {req.specifier}")
        elif conda_name in conda:
            conda_spec = SpecifierSet(conda[conda_name]) if conda[conda_name] else SpecifierSet()
            if conda_spec != req.specifier:
                problems.append(f"{conda_name}: conda list says {conda[conda_name] or 'any'}, pyproject {req.specifier}")
        else:
            problems.append(f"{name} (pyproject.toml) is in neither the conda list nor the pip section")
        if name in pip and conda_name in conda:
            problems.append(f"{name} is listed for both conda and pip")
    assert not problems, "\n".join(problems)


def test_nothing_extra_in_the_pip_section(env, pyproject):
    """The pip section holds only runtime dependencies (no test tools, nothing pyproject does not need)."""
    runtime = {canonicalize_name(Requirement(x).name) for x in pyproject["project"]["dependencies"]}
    extra = set(_pip_reqs(env)) - runtime
    assert not extra, f"pip section installs {sorted(extra)}, which pyproject.toml does not depend on"


def test_binder_uses_this_file():
    """repo2docker prefers a binder/ (or .binder/) folder over the repository root; there is none."""
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
