"""A student's saved answers: one JSON file per student and lesson.

Guarantees:

* **Atomic.** Each save writes a temporary file in the same folder (created exclusively, never through
  a link), flushes and fsyncs it, then renames it over the old file. A crash at any point leaves either
  the old file or the new one, never a half-written file; temporary files left by a killed process are
  removed on the next save.
* **No lost answers between notebooks.** A save re-reads the file under an exclusive lock and changes
  only what this notebook changed, part by part (one statement of a poll, one item of a sort, one event
  of a timeline, one box of a claim-evidence-reasoning organiser, one ticked option), so two tabs open
  on the same lesson each keep their own answers.
* **One file per student.** The file name keeps the letters of the student's name in any script
  (NFC-normalised) plus a short hash of the exact name, so distinct names never share a file.
* **Corrupt or wrong-shaped files are moved aside**, never overwritten: ``name.json`` becomes
  ``name.corrupt-YYYYMMDD-HHMMSS.json`` and the message says where it went.
* **Private polls.** Answers to opinion polls (``scale`` exercises) are kept out of the named work file,
  in ``<file>.poll.json``, which holds no name and no time stamp; see docs/design-notes.md.
* Files are created with the permissions the umask allows (a teacher collecting through a shared group
  can read them).

The format is plain JSON a teacher can open::

    {"format": "civicnb-work/1", "lesson": "00-before-we-begin", "student": "Ana",
     "updated": "2026-11-27T21:00:00Z",
     "answers": {"q-single": {"value": {...}, "updated": "..."}}}
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import stat
import sys
import unicodedata
from pathlib import Path

FORMAT = "civicnb-work/1"
POLL_FORMAT = "civicnb-polls/1"
DEFAULT_DIR = "my-work"
MAX_BYTES = 20 * 1024 * 1024  # a work file is a few kilobytes; anything this big is not one
POLL_SUFFIX = ".poll.json"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: fall back to no lock (single notebook per lesson)
    fcntl = None
if fcntl is not None and not hasattr(fcntl, "flock"):  # JupyterLite's Pyodide kernel: an fcntl without flock
    fcntl = None

_MISSING = object()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _umask_mode(fd: int) -> None:
    """Give a file this process just created the permissions the umask allows, where the file system
    does not: Emscripten's (Pyodide, in the browser) creates every file 0o666 whatever the umask.
    Elsewhere the OS has done it already and nothing changes (reading the umask means setting it,
    which is not thread-safe, so it is done only there; Pyodide runs Python in one thread)."""
    if sys.platform != "emscripten":
        return
    mask = os.umask(0o022)
    os.umask(mask)
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o666 & ~mask)


# -- names ---------------------------------------------------------------------------------------

def readable(name: str, limit: int = 40) -> str:
    """The letters and digits of ``name`` in any script (NFC, lower case), joined by hyphens."""
    s = unicodedata.normalize("NFC", str(name or "")).strip().casefold()
    s = re.sub(r"[\W_]+", "-", s).strip("-")
    return s[:limit].strip("-")


def slug(name: str) -> str:
    """A file-name key for a student: readable letters plus a short hash of the exact (NFC) name, so
    distinct names ("李明" and "王芳", "Dana K" and "Dana K.", "Zoë" and "Zoé") never share a file.
    A blank name gives ""."""
    exact = unicodedata.normalize("NFC", str(name or "")).strip()
    if not exact:
        return ""
    digest = hashlib.sha256(exact.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{readable(exact) or 'student'}-{digest}"


def _legacy_slug(name: str) -> str:
    """The ASCII-only key of earlier versions (so a student's old file is found again)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name.strip()).strip("-").lower()[:60]


# -- values --------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(value):
    """The value with every lone surrogate (which UTF-8 cannot store) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def merge(base, mine, theirs):
    """Three-way merge of one answer: apply what this notebook changed (``base`` -> ``mine``) to what
    is on disk now (``theirs``), part by part. Mappings merge per key (a poll statement, a sorted item,
    a timeline event, a CER box); lists of ids merge as sets (ticked options, highlighted words); any
    other value is replaced whole."""
    if mine == base:
        return theirs if theirs is not None else mine
    if isinstance(mine, dict) and isinstance(base or {}, dict) and isinstance(theirs, dict):
        base = base or {}
        out = dict(theirs)
        for k in list(base) + [k for k in mine if k not in base]:
            b, m = base.get(k, _MISSING), mine.get(k, _MISSING)
            if b == m or (b is _MISSING and m in ("", None, [], {})):
                continue  # unchanged here, or a part this notebook never had and left empty
            if m is _MISSING:
                out.pop(k, None)
            else:
                t = theirs.get(k)
                out[k] = merge(None if b is _MISSING else b, m, t) if isinstance(m, (dict, list)) else m
        return out
    if (isinstance(mine, list) and isinstance(base or [], list) and isinstance(theirs, list)
            and all(isinstance(x, (str, int)) for x in [*mine, *(base or []), *theirs])):
        base = base or []
        added = [x for x in mine if x not in base]
        removed = {x for x in base if x not in mine}
        out = [x for x in theirs if x not in removed]
        return out + [x for x in added if x not in out]
    return mine


# -- reading files safely ------------------------------------------------------------------------

class WorkFileError(ValueError):
    """A file that is not a readable civicnb work file; ``reason`` says why in plain words."""

    def __init__(self, path, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


def read_regular(path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, never following a link, never blocking on a FIFO or device, and
    never more than ``limit`` bytes. Raises FileNotFoundError, or WorkFileError saying what it is."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise WorkFileError(path, "it is a folder, not a file") from None
    except OSError as e:
        if path.is_symlink():
            raise WorkFileError(path, "it is a link to another file; links are not followed") from None
        raise WorkFileError(path, f"it cannot be read ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise WorkFileError(path, "it is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise WorkFileError(path, "it is not a regular file (a pipe or a device)")
        if st.st_size > limit:
            raise WorkFileError(path, f"it is too big ({st.st_size // 1024 // 1024} MB) to be a work file")
        chunks, total = [], 0
        while True:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            total += len(b)
            if total > limit:
                raise WorkFileError(path, "it is too big to be a work file")
            chunks.append(b)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse(raw: bytes, path, strict: bool) -> dict:
    """Parse and check the shape of a work file; raise WorkFileError with the reason."""
    if not raw.strip():
        raise WorkFileError(path, "it is empty")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Notepad) is fine
    except UnicodeDecodeError:
        raise WorkFileError(path, "it is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise WorkFileError(path, "it is nested too deeply to be a work file") from None
    except ValueError as e:
        raise WorkFileError(path, f"it is not valid JSON ({str(e).splitlines()[0][:80]})") from None
    if not isinstance(data, dict):
        raise WorkFileError(path, "it is not a civicnb work file (not a mapping of fields)")
    if strict and data.get("format") != FORMAT:
        raise WorkFileError(path, f"it is not a civicnb work file (no \"format\": \"{FORMAT}\")")
    if "lesson" in data or strict:
        if not isinstance(data.get("lesson"), str) or not data.get("lesson"):
            raise WorkFileError(path, "'lesson' is missing or not text")
    if not isinstance(data.get("answers"), dict):
        raise WorkFileError(path, "'answers' must be a mapping of item ids to answers")
    for k, entry in data["answers"].items():
        if not isinstance(entry, dict) or "value" not in entry:
            raise WorkFileError(path, f"answer {k!r} is not of the form {{\"value\": ...}}")
    if not isinstance(data.get("student", ""), str):
        raise WorkFileError(path, "'student' must be text")
    if not isinstance(data.get("updated"), (str, type(None))):
        raise WorkFileError(path, "'updated' must be a date and time as text")
    if not isinstance(data.get("lang", ""), str):
        raise WorkFileError(path, "'lang' must be a language code as text (\"en\" or \"es\")")
    return clean(data)


def _is_str_map(v, values=str):
    return isinstance(v, dict) and all(isinstance(x, values) and not isinstance(x, bool) for x in v.values())


def answer_problem(ex, value) -> str | None:
    """Why a saved value cannot be an answer to ``ex`` (None when it can)."""
    if value is None:
        return None
    kind = ex.get("kind")
    if not isinstance(value, dict):
        return "is not a mapping"
    if kind == "single_choice":
        ok = isinstance(value.get("choice"), (str, type(None)))
    elif kind == "multi_select":
        ok = isinstance(value.get("choices", []), list) and all(isinstance(x, str) for x in value.get("choices", []))
    elif kind == "sort":
        ok = _is_str_map(value.get("placements", {}))
    elif kind == "timeline":
        ok = _is_str_map(value.get("positions", {}), int)
    elif kind == "highlight":
        sel = value.get("selected", [])
        ok = isinstance(sel, list) and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in sel)
    elif kind in ("short_answer", "long_answer"):
        ok = isinstance(value.get("text", ""), str)
    elif kind == "cer":
        ok = _is_str_map(value)
    elif kind == "verdict":
        ok = isinstance(value.get("verdict"), (str, type(None))) and isinstance(value.get("reason", ""), str)
    elif kind == "scale":
        ratings = value.get("ratings", {})
        n = len(ex.get("scale") or ()) or 5
        if not _is_str_map(ratings, int):
            return "has ratings that are not whole numbers"
        bad = [r for r in ratings.values() if not 0 <= r < n]
        return f"has a rating out of range ({bad[0]}; allowed 0 to {n - 1})" if bad else None
    else:
        return None
    return None if ok else f"does not have the shape of a {kind} answer"


def check_answers(lesson, data: dict) -> str | None:
    """The first answer in ``data`` that does not fit its exercise, as a reason; else None."""
    for ex_id, entry in data["answers"].items():
        ex = lesson.exercises.get(ex_id)
        if isinstance(ex, dict):
            why = answer_problem(ex, entry.get("value"))
            if why:
                return f"answer {ex_id!r} {why}"
    return None


def _version() -> str:
    from .. import __version__

    return __version__


def digest(data: dict) -> str:
    """A check over what a work or poll file says (lesson, student, answers), written on every save.
    Not a signature: it tells a file the notebook wrote from one changed by hand in a text editor, so
    the class summary can list a hand-edited file instead of counting it."""
    answers = data.get("answers") or {}
    if data.get("format") != POLL_FORMAT:  # a work file keeps {"value": ..., "updated": ...} per answer
        answers = {k: v.get("value") if isinstance(v, dict) else v for k, v in answers.items()}
    body = {"lesson": data.get("lesson"), "student": data.get("student", ""), "answers": answers}
    raw = json.dumps(clean(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(("civicnb-digest/1\0" + raw).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_work_file(path: str | Path) -> dict:
    """Read any work file (for exports and summaries) without moving anything. Raises WorkFileError
    (a ValueError) naming what is wrong, or OSError."""
    return _parse(read_regular(path), path, strict=True)


def poll_file_for(work_file: str | Path) -> Path:
    """The poll file that goes with a work file: same folder, named by the lesson and a hash of the work
    file's name, so the poll file's own name does not spell the student's name."""
    p = Path(work_file)
    lesson = p.stem.split("--", 1)[0]
    digest = hashlib.sha256(p.stem.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return p.with_name(f"{lesson}--{digest}{POLL_SUFFIX}")


def read_poll_file(path: str | Path) -> dict:
    raw = read_regular(path)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise WorkFileError(path, "it is not a valid poll file") from None
    if (not isinstance(data, dict) or data.get("format") != POLL_FORMAT or not isinstance(data.get("lesson"), str)
            or not isinstance(data.get("answers"), dict)):
        raise WorkFileError(path, "it is not a civicnb poll file")
    return clean(data)


def poll_names_on() -> bool:
    """Whether the teacher has switched names on for polls (``CIVICNB_POLL_NAMES=1``)."""
    return os.environ.get("CIVICNB_POLL_NAMES", "").strip().lower() in ("1", "true", "yes", "on")


def is_poll(lesson, item_id) -> bool:
    ex = lesson.exercises.get(item_id)
    return isinstance(ex, dict) and ex.get("kind") == "scale"


def save_answer(lesson, store: "WorkStore", item_id: str, value, base=_MISSING):
    """Save one answer where it belongs: a poll answer to the nameless poll file, any other answer to
    the named work file. Returns the answer as stored (merged with other notebooks' parts)."""
    return store.save(item_id, value, base=base, poll=is_poll(lesson, item_id))


# -- the store -----------------------------------------------------------------------------------

def work_dir(base: str | Path | None = None) -> Path:
    """Where work is saved: ``base``, else ``$CIVICNB_WORK_DIR``, else ``my-work/`` beside the notebook."""
    return Path(base or os.environ.get("CIVICNB_WORK_DIR") or DEFAULT_DIR).expanduser()


def _folder_problem(folder: Path) -> str | None:
    if folder.is_symlink() and not folder.exists():
        return "is a link to a folder that does not exist"
    if folder.exists() and not folder.is_dir():
        return "is a file, not a folder"
    return None


class CorruptWorkFile(Exception):
    def __init__(self, path: Path, moved_to: Path, reason: str):
        self.path, self.moved_to, self.reason = path, moved_to, reason
        super().__init__(f"Your saved work file {path} could not be read ({reason}). It was moved to "
                         f"{moved_to} so nothing is lost; ask your teacher if you need answers from it. "
                         "New answers are saved to a fresh file.")


class WorkStore:
    def __init__(self, lesson: str, folder: str | Path | None = None, student: str | None = None):
        self.lesson = lesson
        self.warnings: list[str] = []
        self.folder = work_dir(folder)
        problem = _folder_problem(self.folder)
        if problem and folder is None and os.environ.get("CIVICNB_WORK_DIR"):
            fallback = Path(DEFAULT_DIR)
            if not _folder_problem(fallback):
                self.warnings.append(f"CIVICNB_WORK_DIR points to {self.folder}, which {problem}. Your answers "
                                     f"are saved in {fallback.resolve()} instead. Tell your teacher.")
                self.folder, problem = fallback, None
        if problem:
            self.warnings.append(f"Your work folder {self.folder} {problem}, so answers cannot be saved. "
                                 "Tell your teacher.")
        student = student if student is not None else os.environ.get("CIVICNB_STUDENT", "")
        self.student_key = slug(student) if student else ""
        stem = f"{lesson}--{self.student_key}" if self.student_key else lesson
        self.path = self.folder / f"{stem}.json"
        if self.student_key and not os.path.lexists(self.path):
            self._adopt_legacy(student)
        if os.path.lexists(self.path) and not (self.path.is_file() and not self.path.is_symlink()):
            what = "a folder" if self.path.is_dir() else "not a regular file"
            n = 1
            while True:
                alt = self.folder / f"{stem}.alt-{n}.json"
                if not os.path.lexists(alt) or (alt.is_file() and not alt.is_symlink()):
                    break
                n += 1
            self.warnings.append(f"Where your work file should be, {self.path} is {what}; it was left as it is. "
                                 f"Your answers are saved in {alt} instead.")
            self.path = alt
        self.poll_path = poll_file_for(self.path)

    def _adopt_legacy(self, student: str) -> None:
        old = self.folder / f"{self.lesson}--{_legacy_slug(student)}.json"
        try:
            data = _parse(read_regular(old), old, strict=False)
            if data.get("student") == student:
                os.replace(old, self.path)
        except (OSError, ValueError):
            pass

    # -- low level -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self, write: bool = True):
        """Hold the lesson's lock. A reader in a folder it cannot write still reads (without a lock)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / f".{self.path.name}.lock",
                         os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
            _umask_mode(fd)
        except OSError as e:
            if write:
                raise
            self.warnings.append(f"Your work folder {self.folder} cannot be written "
                                 f"({e.strerror or e}; it may be read-only): your answers show, but new answers "
                                 "cannot be saved. Tell your teacher.")
            yield
            return
        try:
            if fcntl:
                fcntl.flock(fd, fcntl.LOCK_EX)
            if write:
                self._clean_tmp()
            yield
        finally:
            if fcntl:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _clean_tmp(self) -> None:
        """Remove temporary files left by a save that was killed (we hold the lock: no save is running)."""
        for name in (self.path.name, self.poll_path.name):
            for tmp in self.folder.glob(f".{glob_escape(name)}.*.tmp"):
                with contextlib.suppress(OSError):
                    if fcntl or tmp.stat().st_mtime < dt.datetime.now().timestamp() - 600:
                        tmp.unlink()

    def _empty(self) -> dict:
        return {"format": FORMAT, "lesson": self.lesson, "student": "", "updated": None, "answers": {}}

    def _move_aside(self, path: Path, reason: str) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        stem = path.name[:-5] if path.name.endswith(".json") else path.name
        moved = path.with_name(f"{stem}.corrupt-{stamp}.json")
        n = 1
        while os.path.lexists(moved):
            n += 1
            moved = path.with_name(f"{stem}.corrupt-{stamp}-{n}.json")
        try:
            os.rename(path, moved)
        except OSError as e:
            self.warnings.append(f"Your saved work file {path} could not be read ({reason}) and could not be "
                                 f"moved aside ({e.strerror or e}); tell your teacher.")
            raise
        err = CorruptWorkFile(path, moved, reason)
        self.warnings.append(str(err))
        self.last_error = err

    def _read(self) -> dict:
        """Read the named file; move it aside if it is corrupt."""
        try:
            data = _parse(read_regular(self.path), self.path, strict=False)
            if data.get("lesson") not in (None, self.lesson):
                raise WorkFileError(self.path, f"it belongs to lesson {data.get('lesson')!r}")
            return data
        except FileNotFoundError:
            return self._empty()
        except WorkFileError as e:
            with contextlib.suppress(OSError):
                self._move_aside(self.path, e.reason)
            return self._empty()

    def _read_polls(self) -> dict:
        try:
            return read_poll_file(self.poll_path)
        except FileNotFoundError:
            pass
        except WorkFileError as e:
            with contextlib.suppress(OSError):
                self._move_aside(self.poll_path, e.reason)
        return {"format": POLL_FORMAT, "lesson": self.lesson, "answers": {}}

    def _write(self, data: dict, path: Path | None = None) -> None:
        """Atomic replace: a new temporary file (never through a link), fsync, rename, fsync the folder.
        Every write records the package version and the answers' digest (see :func:`digest`)."""
        path = path or self.path
        data = {**data, "civicnb": _version(), "digest": digest(data)}
        payload = json.dumps(clean(data), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        tmp = self.folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        _umask_mode(fd)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
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
    def load(self, check=None) -> dict:
        """The work file as the student's notebook sees it: named answers plus their poll answers.
        ``check(data)`` may return a reason the file does not fit the lesson; the file is then moved aside."""
        with self._locked(write=False):
            data = self._read()
            polls = self._read_polls()
            why = check(data) if check and data["answers"] else None
            if why:
                with contextlib.suppress(OSError):
                    self._move_aside(self.path, why)
                data = self._empty()
        for k, v in polls["answers"].items():
            data["answers"].setdefault(k, {"value": v})
        return data

    def answers(self) -> dict:
        return {k: v.get("value") for k, v in self.load()["answers"].items()}

    def save(self, item_id: str, value, base=_MISSING, poll: bool = False):
        """Save one answer; other answers in the file (from any notebook) are kept. With ``base`` (the
        answer this notebook last showed), only the parts this notebook changed are written. A poll
        answer goes to the poll file, with no name and no time. Returns the answer as stored."""
        value = clean(value)
        with self._locked():
            if poll:
                data = self._read_polls()
                theirs = data["answers"].get(item_id)
                stored = value if base is _MISSING else merge(clean(base), value, theirs)
                data["answers"][item_id] = stored
                self._write(data, self.poll_path)
                return stored
            data = self._read()
            theirs = (data["answers"].get(item_id) or {}).get("value")
            stored = value if base is _MISSING else merge(clean(base), value, theirs)
            stamp = now()
            data["answers"][item_id] = {"value": stored, "updated": stamp}
            data["updated"] = stamp
            data["lesson"] = self.lesson
            data["format"] = FORMAT
            self._write(data)
            return stored

    def set_lang(self, lang: str) -> None:
        """The language the student reads the lesson in (``"lang"``; item ids are the same in every one)."""
        with self._locked():
            data = self._read()
            data["lang"] = clean(str(lang))
            data["lesson"], data["format"] = self.lesson, FORMAT
            self._write(data)

    def set_student(self, name: str) -> None:
        with self._locked():
            data = self._read()
            data["student"] = clean(str(name))
            data["updated"] = now()
            self._write(data)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)
