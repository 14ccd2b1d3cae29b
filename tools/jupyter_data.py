"""Link the package's Jupyter data files into this environment, for an editable install.

A wheel (``pip install civicnb``) installs them itself, from ``[tool.setuptools.data-files]`` in
pyproject.toml: the prebuilt JupyterLab extension under ``share/jupyter/labextensions/civicnb-lab``, the
settings overrides under ``share/jupyter/lab/settings/overrides.d`` and the server setting under
``etc/jupyter/jupyter_server_config.d``. An editable install (``pip install -e .``, what ``make install``
does) does not, so this script links the same files into ``sys.prefix``: the extension folder as one
link (as ``jupyter labextension develop`` does), so a rebuild shows at the next page load.

Usage: python tools/jupyter_data.py                (link the files)
       python tools/jupyter_data.py --record-hash  (after a rebuild: record the hash of its sources)

The built extension is committed, with the SHA-256 of the sources it was built from in
``src/civicnb/labextension/SOURCE.sha256``; a test fails when the sources change without a rebuild.
"""
from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = "share/jupyter/labextensions/civicnb-lab"
SOURCES = ROOT / "labextension"
SOURCE_FILES = ("package.json", "package-lock.json", "tsconfig.json", "src/**/*", "style/**/*", "schema/**/*")
HASH_FILE = ROOT / "src" / "civicnb" / "labextension" / "SOURCE.sha256"


def source_hash() -> str:
    """SHA-256 over the extension's sources (names and bytes), in a stable order."""
    import hashlib

    digest = hashlib.sha256()
    files = sorted({p for pat in SOURCE_FILES for p in SOURCES.glob(pat) if p.is_file()})
    for p in files:
        digest.update(p.relative_to(SOURCES).as_posix().encode() + b"\0")
        digest.update(p.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def entries() -> dict[str, list[str]]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]["data-files"]


def link(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.is_dir():
        import shutil

        shutil.rmtree(dest)
    os.symlink(src, dest, target_is_directory=src.is_dir())


def main() -> int:
    if sys.argv[1:] == ["--record-hash"]:
        HASH_FILE.write_text(source_hash() + "\n")
        print(f"recorded {HASH_FILE.relative_to(ROOT)}")
        return 0
    prefix = Path(sys.prefix)
    built = None
    for dest, patterns in entries().items():
        if dest == EXTENSION:
            built = (ROOT / patterns[0]).parent
            link(built, prefix / EXTENSION)
            continue
        if dest.startswith(EXTENSION + "/"):
            continue  # inside the linked folder
        for pattern in patterns:
            for src in sorted(ROOT.glob(pattern)):
                link(src, prefix / dest / src.name)
    if built is None or not (built / "package.json").is_file():
        print(f"jupyter_data: the built JupyterLab extension is missing ({built}); run `make labextension`",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
