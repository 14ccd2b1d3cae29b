import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolate(monkeypatch, tmp_path):
    # no test may read or write the developer's real work folder or shared-computer settings
    monkeypatch.delenv("CIVICNB_STUDENT", raising=False)
    monkeypatch.delenv("CIVICNB_ROOT", raising=False)
    monkeypatch.setenv("CIVICNB_WORK_DIR", str(tmp_path / "my-work"))


@pytest.fixture
def project():
    from civicnb.content.model import Project

    return Project(ROOT)


def copy_project(src: Path, dest: Path) -> Path:
    for part in ("lessons", "notebooks"):
        shutil.copytree(src / part, dest / part, ignore=shutil.ignore_patterns("my-work", ".ipynb_checkpoints"))
    return dest


@pytest.fixture
def mini(tmp_path):
    """A copy of the all-kinds fixture project (with injection strings), safe to modify."""
    from civicnb.content.model import Project

    return Project(copy_project(FIXTURES / "mini", tmp_path / "mini"))


@pytest.fixture
def real_copy(tmp_path):
    """A copy of the real lessons, safe to break."""
    from civicnb.content.model import Project

    return Project(copy_project(ROOT, tmp_path / "real"))


def pdf_text(path_or_bytes) -> str:
    import io

    from pypdf import PdfReader

    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(s: str) -> str:
    """Compare text across PDF line breaks: drop whitespace and soft hyphens."""
    return re.sub(r"[\s\u00ad]+", "", s)


def env_with_src():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env
