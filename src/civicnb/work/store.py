"""A student's saved answers: one JSON file per student and lesson.

Guarantees:

* **Atomic.** Each save writes a temporary file in the same folder, flushes and fsyncs it, then
  renames it over the old file. A crash at any point leaves either the old file or the new one, never a
  half-written file.
* **No lost answers between notebooks.** A save re-reads the file under an exclusive lock and changes
  only the answer being saved, so two notebooks open on the same lesson each keep their own answers.
* **Corrupt files are moved aside**, never overwritten: ``name.json`` becomes
  ``name.corrupt-YYYYMMDD-HHMMSS.json`` and the message says where it went.

The format is plain JSON a teacher can open::

    {"format": "civicnb-work/1", "lesson": "00-before-we-begin", "student": "Ana",
     "updated": "2026-11-27T21:00:00Z",
     "answers": {"poll-pre": {"value": {...}, "updated": "..."}}}
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

FORMAT = "civicnb-work/1"
DEFAULT_DIR = "my-work"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: fall back to no lock (single notebook per lesson)
    fcntl = None


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", name.strip()).strip("-").lower()
    return s[:60]


def work_dir(base: str | Path | None = None) -> Path:
    """Where work is saved: ``base``, else ``$CIVICNB_WORK_DIR``, else ``my-work/`` beside the notebook."""
    return Path(base or os.environ.get("CIVICNB_WORK_DIR") or DEFAULT_DIR).expanduser()


class CorruptWorkFile(Exception):
    def __init__(self, path: Path, moved_to: Path, reason: str):
        self.path, self.moved_to, self.reason = path, moved_to, reason
        super().__init__(f"Your saved work file {path} could not be read ({reason}). It was moved to "
                         f"{moved_to} so nothing is lost; ask your teacher if you need answers from it. "
                         "New answers are saved to a fresh file.")


class WorkStore:
    def __init__(self, lesson: str, folder: str | Path | None = None, student: str | None = None):
        self.lesson = lesson
        self.folder = work_dir(folder)
        student = student if student is not None else os.environ.get("CIVICNB_STUDENT", "")
        self.student_key = slug(student) if student else ""
        name = f"{lesson}--{self.student_key}.json" if self.student_key else f"{lesson}.json"
        self.path = self.folder / name
        self.warnings: list[str] = []

    # -- low level -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        lock_path = self.folder / f".{self.path.name}.lock"
        with open(lock_path, "a+") as lock:
            if fcntl:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _empty(self) -> dict:
        return {"format": FORMAT, "lesson": self.lesson, "student": "", "updated": None, "answers": {}}

    def _read(self) -> dict:
        """Read the file; move it aside if it is corrupt. Call with the lock held."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._empty()
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
                raise ValueError("it is not a civicnb work file")
            if data.get("lesson") not in (None, self.lesson):
                raise ValueError(f"it belongs to lesson {data.get('lesson')!r}")
            return data
        except (ValueError, UnicodeDecodeError) as e:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            moved = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}.json")
            n = 1
            while moved.exists():
                n += 1
                moved = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}-{n}.json")
            os.replace(self.path, moved)
            err = CorruptWorkFile(self.path, moved, str(e).split("\n")[0][:120])
            self.warnings.append(str(err))
            self.last_error = err
            return self._empty()

    def _write(self, data: dict) -> None:
        """Atomic replace: temp file in the same folder, fsync, rename, fsync the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
            dfd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    # -- public ----------------------------------------------------------------------------------
    def load(self) -> dict:
        with self._locked():
            return self._read()

    def answers(self) -> dict:
        return {k: v.get("value") for k, v in self.load()["answers"].items()}

    def save(self, item_id: str, value) -> None:
        """Save one answer; other answers in the file (from any notebook) are kept."""
        with self._locked():
            data = self._read()
            stamp = now()
            data["answers"][item_id] = {"value": value, "updated": stamp}
            data["updated"] = stamp
            data["lesson"] = self.lesson
            data["format"] = FORMAT
            self._write(data)

    def set_student(self, name: str) -> None:
        with self._locked():
            data = self._read()
            data["student"] = name
            data["updated"] = now()
            self._write(data)


def read_work_file(path: str | Path) -> dict:
    """Read any work file (for exports and summaries), without moving anything."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a civicnb work file")
    return data
