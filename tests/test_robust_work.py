"""Issue 8: student work and collected exports. Nothing lost, no writes through links, no tracebacks."""
import json
import os
import stat
import subprocess
import sys
import time

import pytest

from civicnb.work.store import WorkStore, read_work_file, slug

from .conftest import env_with_src, pdf_text


def cli(*args, root=None, env=None, timeout=120):
    cmd = [sys.executable, "-m", "civicnb.cli"] + (["--root", str(root)] if root else []) + [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env or env_with_src(), timeout=timeout)


@pytest.fixture
def deadline():
    """Fail (instead of hanging the suite) when a read blocks: a FIFO must never be opened for reading."""
    import signal

    def boom(*_):
        raise TimeoutError("hung")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def one_line_error(r):
    assert r.returncode != 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    assert r.stderr.strip() and len(r.stderr.strip().splitlines()) == 1, r.stderr


# -- names ----------------------------------------------------------------------------------------

NAMES = ["李明", "王芳", "Иван", "Мария", "محمد", "علي", "José", "Josè", "Zoë", "Zoé", "Dana K", "Dana K.",
         "Nguyễn Văn An", "Ana R."]


def test_names_in_many_scripts_get_distinct_files(tmp_path):
    paths = {}
    for n in NAMES:
        s = WorkStore("00-x", tmp_path, student=n)
        s.save("q", {"text": n})
        paths[n] = s.path
    assert len(set(paths.values())) == len(NAMES)
    for n, p in paths.items():
        assert read_work_file(p)["answers"]["q"]["value"] == {"text": n}
    assert "李明" in paths["李明"].name and "иван" in paths["Иван"].name  # letters kept, readable


def test_slug_is_nfc_normalised():
    assert slug("Zoe\u0308") == slug("Zo\u00eb")  # the same name typed two ways is one student
    assert slug("Zoë") != slug("Zoé") and slug("Dana K") != slug("Dana K.")


def test_legacy_ascii_file_is_adopted_by_its_own_student(tmp_path):
    legacy = tmp_path / "00-x--ana-r.json"
    legacy.write_text(json.dumps({"format": "civicnb-work/1", "lesson": "00-x", "student": "Ana R.",
                                  "updated": None, "answers": {"q": {"value": {"text": "old"}}}}))
    s = WorkStore("00-x", tmp_path, student="Ana R.")
    assert s.answers() == {"q": {"text": "old"}}


# -- two tabs, one multi-part exercise --------------------------------------------------------------

@pytest.mark.parametrize("item,a1,b,a2,want", [
    ("q-scale", {"ratings": {"s1": 1}}, {"ratings": {"s2": 3}}, {"ratings": {"s1": 2}}, {"ratings": {"s1": 2, "s2": 3}}),
    ("q-sort", {"placements": {"i1": "fact"}}, {"placements": {"i2": "opinion"}},
     {"placements": {"i1": "fact", "i3": "fact"}}, {"placements": {"i1": "fact", "i2": "opinion", "i3": "fact"}}),
    ("q-multi", {"choices": ["a"]}, {"choices": ["c"]}, {"choices": ["a", "b"]}, {"choices": ["a", "c", "b"]}),
    ("q-timeline", {"positions": {"e1": 1}}, {"positions": {"e3": 3}}, {"positions": {"e1": 1, "e2": 2}},
     {"positions": {"e1": 1, "e2": 2, "e3": 3}}),
    ("q-highlight", {"selected": [1]}, {"selected": [4]}, {"selected": [1, 2]}, {"selected": [1, 4, 2]}),
    ("q-cer", {"claim": "A", "evidence": "", "reasoning": ""}, {"claim": "", "evidence": "B", "reasoning": ""},
     {"claim": "A2", "evidence": "", "reasoning": ""}, {"claim": "A2", "evidence": "B", "reasoning": ""}),
])
def test_two_tabs_merge_per_part(mini, tmp_path, item, a1, b, a2, want):
    from civicnb.notebook import open_lesson

    tab_a = open_lesson("00", work_dir=tmp_path, root=mini.root)
    tab_b = open_lesson("00", work_dir=tmp_path, root=mini.root)  # both opened on an empty file
    save_a, save_b = tab_a._saver(item), tab_b._saver(item)
    save_a(a1)
    save_b(b)  # tab B never saw A's part
    save_a(a2)  # tab A never saw B's part
    got = open_lesson("00", work_dir=tmp_path, root=mini.root).saved[item]
    assert got == want


def test_removing_a_part_in_one_tab_keeps_the_other_tabs_parts(mini, tmp_path):
    from civicnb.notebook import open_lesson

    a = open_lesson("00", work_dir=tmp_path, root=mini.root)
    b = open_lesson("00", work_dir=tmp_path, root=mini.root)
    sa, sb = a._saver("q-multi"), b._saver("q-multi")
    sa({"choices": ["a", "b"]})
    sb({"choices": ["c"]})
    sa({"choices": ["a"]})  # A unticks b
    assert open_lesson("00", work_dir=tmp_path, root=mini.root).saved["q-multi"] == {"choices": ["a", "c"]}


# -- silent failures -------------------------------------------------------------------------------

def test_lone_surrogate_is_saved_not_lost(mini, tmp_path):
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path, root=mini.root)
    w = L.render("q-short")
    w.controls["text"].value = "bad \ud800 char"
    assert not L.save_errors
    assert L.store.answers()["q-short"] == {"text": "bad \ufffd char"}
    w.controls["text"].value = "later keystroke"
    assert L.store.answers()["q-short"] == {"text": "later keystroke"}


def test_lone_surrogate_in_a_work_file_exports(mini, tmp_path):
    from civicnb.handout.worksheet import export_worksheet

    f = tmp_path / "w.json"
    f.write_text('{"format": "civicnb-work/1", "lesson": "00-all-kinds", "student": "A\\udc80", "updated": null,'
                 ' "answers": {"q-short": {"value": {"text": "x\\ud800y"}}}}')
    pdf = export_worksheet(mini, f, tmp_path / "out")
    assert "x\ufffdy" in pdf_text(pdf) or "xy" in pdf_text(pdf).replace("\ufffd", "")


def test_name_field_failure_shows_an_alert(mini, tmp_path, monkeypatch):
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path, root=mini.root)
    head = L.render("header")

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(L.store, "set_student", full)
    head.controls["name"].value = "Ana"
    text = " ".join(getattr(c, "value", "") for c in head.children if isinstance(getattr(c, "value", None), str))
    assert "could NOT be saved" in text and "No space left" in text and "role='alert'" in text


def _open(mini, work):
    from civicnb.notebook import open_lesson

    return open_lesson("00", work_dir=work, root=mini.root)


def _msgs(L):
    return " ".join(L.messages)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_work_folder_opens_and_explains(mini, tmp_path):
    work = tmp_path / "ro"
    work.mkdir()
    (work / "00-all-kinds.json").write_text(json.dumps(
        {"format": "civicnb-work/1", "lesson": "00-all-kinds", "student": "", "updated": None,
         "answers": {"q-single": {"value": {"choice": "a"}}}}))
    work.chmod(0o555)
    try:
        L = _open(mini, work)
        assert L.saved["q-single"] == {"choice": "a"}
        assert "read-only" in _msgs(L) or "cannot be saved" in _msgs(L)
        w = L.render("q-single")
        w.controls["choice"].value = "b"
        assert "could NOT be saved" in w.alert.value
    finally:
        work.chmod(0o755)


def test_work_dir_env_is_a_dangling_link_or_a_file(mini, tmp_path, monkeypatch):
    link = tmp_path / "gone"
    link.symlink_to(tmp_path / "nowhere")
    monkeypatch.chdir(tmp_path)
    for bad in (link, tmp_path / "afile"):
        if bad.name == "afile":
            bad.write_text("x")
        monkeypatch.setenv("CIVICNB_WORK_DIR", str(bad))
        L = _open(mini, None)
        assert str(bad) in _msgs(L) and "instead" in _msgs(L)
        L._saver("q-single")({"choice": "a"})
        assert not L.save_errors and L.store.answers()["q-single"] == {"choice": "a"}
        assert L.store.folder != bad


@pytest.mark.parametrize("content", [
    '{"format": "civicnb-work/1", "lesson": "00-all-kinds", "answers": {"x": "hello"}}',
    '{"format": "civicnb-work/1", "lesson": "00-all-kinds", "answers": null}',
    "null", "[1, 2]", "[" * 100000 + "]" * 100000,
    '{"format": "civicnb-work/1", "lesson": "00-all-kinds", "answers": {"q-single": {"value": 5}}}',
])
def test_wrong_shape_work_file_is_moved_aside_and_lesson_opens(mini, tmp_path, content):
    work = tmp_path / "w"
    work.mkdir()
    (work / "00-all-kinds.json").write_text(content)
    L = _open(mini, work)
    moved = [p for p in work.iterdir() if ".corrupt-" in p.name]
    assert len(moved) == 1 and moved[0].read_text() == content
    assert str(moved[0]) in _msgs(L)
    L._saver("q-single")({"choice": "a"})
    assert L.store.answers() == {"q-single": {"choice": "a"}}


def test_directory_where_the_work_file_should_be(mini, tmp_path):
    work = tmp_path / "w"
    (work / "00-all-kinds.json").mkdir(parents=True)
    L = _open(mini, work)
    assert "folder" in _msgs(L) and str(L.store.path) in _msgs(L)
    L._saver("q-single")({"choice": "a"})
    assert not L.save_errors and L.store.answers() == {"q-single": {"choice": "a"}}
    assert (work / "00-all-kinds.json").is_dir()  # nothing of the student's was touched


def test_fifo_where_the_work_file_should_be_does_not_hang(mini, tmp_path, deadline):
    work = tmp_path / "w"
    work.mkdir()
    os.mkfifo(work / "00-all-kinds.json")
    L = _open(mini, work)
    assert "not a regular file" in _msgs(L) or "folder" in _msgs(L)


def test_utf8_bom_work_file_is_accepted(mini, tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    body = json.dumps({"format": "civicnb-work/1", "lesson": "00-all-kinds", "student": "Ana", "updated": None,
                       "answers": {"q-single": {"value": {"choice": "a"}}}})
    (work / "00-all-kinds.json").write_bytes(b"\xef\xbb\xbf" + body.encode())
    L = _open(mini, work)
    assert L.saved["q-single"] == {"choice": "a"} and not L.messages
    assert read_work_file(work / "00-all-kinds.json")["student"] == "Ana"


def test_stale_tmp_files_are_cleaned(tmp_path):
    s = WorkStore("00-x", tmp_path)
    s.save("q", 1)
    stale = tmp_path / f".{s.path.name}.abc123.tmp"
    stale.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    s.save("q", 2)
    assert not stale.exists()


def test_work_files_respect_the_umask(tmp_path):
    old = os.umask(0o002)
    try:
        s = WorkStore("00-x", tmp_path)
        s.save("q", 1)
    finally:
        os.umask(old)
    assert stat.S_IMODE(s.path.stat().st_mode) == 0o664


# -- private polls --------------------------------------------------------------------------------

def test_poll_answers_are_kept_out_of_the_named_work_file(mini, tmp_path, monkeypatch):
    monkeypatch.delenv("CIVICNB_POLL_NAMES", raising=False)
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path, root=mini.root, student="Ana")
    L.render("header").controls["name"].value = "Ana"
    L.render("q-scale").controls["s1"].value = 1
    named = json.loads(L.store.path.read_text())
    assert "q-scale" not in named["answers"]
    polls = [p for p in tmp_path.iterdir() if p.name.endswith(".poll.json")]
    assert len(polls) == 1
    text = polls[0].read_text()
    assert "Ana" not in text and '"s1": 1' in text and "updated" not in text
    # the student's own notebook gets the answer back
    assert open_lesson("00", work_dir=tmp_path, root=mini.root, student="Ana").saved["q-scale"] == {"ratings": {"s1": 1}}


def test_worksheet_does_not_print_poll_answers_by_default(mini, tmp_path, monkeypatch):
    from civicnb.handout.worksheet import export_worksheet
    from civicnb.work.store import save_answer

    monkeypatch.delenv("CIVICNB_POLL_NAMES", raising=False)
    s = WorkStore("00-all-kinds", tmp_path / "w", student="Ana")
    s.set_student("Ana")
    save_answer(mini.lesson("00"), s, "q-scale", {"ratings": {"s1": 4}})
    s.save("q-short", {"text": "hello"})
    pdf = export_worksheet(mini, s.path, tmp_path / "out")
    text = pdf_text(pdf)
    assert "private" in text.lower() and "Strongly agree" not in text.split("Statement one")[-1][:200]
    monkeypatch.setenv("CIVICNB_POLL_NAMES", "1")
    pdf2 = export_worksheet(mini, s.path, tmp_path / "out2")
    assert "private" not in pdf_text(pdf2).lower()


def test_summary_counts_private_polls_and_rejects_bad_ratings(mini, tmp_path):
    from civicnb.summary import summarize
    from civicnb.work.store import save_answer

    folder = tmp_path / "c"
    for user, r in (("u1", 0), ("u2", 4), ("u3", 4)):
        s = WorkStore("00-all-kinds", folder / user)
        s.set_student(user)
        save_answer(mini.lesson("00"), s, "q-scale", {"ratings": {"s1": r}})
    bad = folder / "u4" / "00-all-kinds.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"format": "civicnb-work/1", "lesson": "00-all-kinds", "student": "X", "updated": None,
                               "answers": {"q-scale": {"value": {"ratings": {"s1": -1}}}}}))
    out = summarize(mini, folder)
    assert "Strongly disagree: 1, Strongly agree: 2" in out
    assert "u1" not in out.split("Polls")[1].split("Self-check")[0]
    assert "u4" in out and "rating" in out  # the bad file is named, with the reason


# -- export-work -------------------------------------------------------------------------------------

def _work(folder, student, answers=None, lesson="00-all-kinds", name=None):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / (name or f"{lesson}.json")
    p.write_text(json.dumps({"format": "civicnb-work/1", "lesson": lesson, "student": student, "updated": None,
                             "answers": answers or {}}), encoding="utf-8")
    return p


def test_export_never_writes_through_symlinks(mini, tmp_path):
    from civicnb.handout.worksheet import export_folder

    folder = tmp_path / "collected"
    _work(folder / "eve", "Eve")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for name in ("00-all-kinds--eve-worksheet.pdf", "00-all-kinds--eve-worksheet.pdf.tmp",
                 "00-all-kinds--eve--eve-worksheet.pdf"):
        (folder / name).symlink_to(victim)
        (folder / "eve" / name).symlink_to(victim)
    (folder / ".civicnb-build").mkdir()
    (folder / ".civicnb-build" / "main.typ").symlink_to(victim)
    done = export_folder(mini, folder)
    assert victim.read_text() == "precious"
    assert done and all(folder not in p.parents for p in done)  # a separate output folder by default
    out = tmp_path / "pdfs"
    out.mkdir()
    (out / done[0].name).symlink_to(victim)
    export_folder(mini, folder, out)
    assert victim.read_text() == "precious" and not (out / done[0].name).is_symlink()


def test_hub_layout_every_student_gets_a_pdf(mini, tmp_path):
    folder = tmp_path / "collected"
    for user, student in (("u1", ""), ("u2", ""), ("u3", "李明"), ("u4", "Dana K"), ("u5", "Dana K.")):
        _work(folder / user, student)
    r = cli("export-work", folder, "--out", tmp_path / "pdfs", root=mini.root)
    assert r.returncode == 0, r.stderr
    pdfs = sorted((tmp_path / "pdfs").glob("*.pdf"))
    assert len(pdfs) == 5, [p.name for p in pdfs]
    assert "5 worksheet(s)" in r.stdout
    for p in pdfs:
        assert p.name in r.stdout + r.stderr
    assert any("李明" in p.name for p in pdfs)


def test_export_skips_each_bad_file_with_its_reason(mini, tmp_path):
    folder = tmp_path / "c"
    _work(folder / "good1", "Good One", {"q-single": {"value": {"choice": "a"}}})
    _work(folder / "good2", "Good Two")
    _work(folder / "aaa-otherlesson", "X", lesson="99-nope")
    bads = {
        "ans-str": {"answers": "hello"}, "ans-list": {"answers": [1]}, "student-num": {"student": 5},
        "student-list": {"student": ["a"]}, "updated-num": {"updated": 5},
        "selected-dicts": {"answers": {"q-highlight": {"value": {"selected": [{"a": 1}]}}}},
        "placements-list": {"answers": {"q-sort": {"value": {"placements": ["fact"]}}}},
        "rating-big": {"answers": {"q-scale": {"value": {"ratings": {"s1": 9}}}}},
        "rating-neg": {"answers": {"q-scale": {"value": {"ratings": {"s1": -1}}}}},
        "no-lesson": {"lesson": None},
        "entry-str": {"answers": {"q-single": "b"}},
    }
    for name, patch in bads.items():
        p = _work(folder / name, "Bad")
        d = json.loads(p.read_text())
        d.update(patch)
        if d.get("lesson") is None:
            d.pop("lesson")
        p.write_text(json.dumps(d))
    (folder / "fifo").mkdir()
    os.mkfifo(folder / "fifo" / "00-all-kinds.json")
    (folder / "bom").mkdir()
    (folder / "bom" / "00-all-kinds.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(
        {"format": "civicnb-work/1", "lesson": "00-all-kinds", "student": "Bom", "updated": None, "answers": {}}).encode())
    r = cli("export-work", folder, "--out", tmp_path / "pdfs", root=mini.root, timeout=300)
    assert "Traceback" not in r.stderr, r.stderr
    assert len(list((tmp_path / "pdfs").glob("*.pdf"))) == 3, r.stderr
    for name in list(bads) + ["aaa-otherlesson", "fifo"]:
        line = [ln for ln in r.stderr.splitlines() if f"/{name}/" in ln]
        assert line and "skipped" in line[0], (name, r.stderr)
    assert r.returncode != 0  # some files were skipped: the teacher must look
    s = cli("summary", folder, root=mini.root, timeout=60)
    assert "Traceback" not in s.stderr and "Strongly agree" not in s.stdout, s.stdout + s.stderr
    assert "rating-neg" in s.stdout + s.stderr


def test_long_answers_are_capped_and_wrapped(mini, tmp_path):
    from pypdf import PdfReader

    from civicnb.handout.worksheet import export_worksheet

    p = _work(tmp_path / "w", "Long", {"q-short": {"value": {"text": "x" * 5000}},
                                       "q-long": {"value": {"text": "\n" * 200000 + "end"}}})
    pdf = export_worksheet(mini, p, tmp_path / "out")
    reader = PdfReader(pdf)
    assert len(reader.pages) < 30
    text = pdf_text(pdf)
    assert "continued in the student's file" in text
    for page in reader.pages:  # nothing runs off the right edge
        w = float(page.mediabox.width)
        xs = []
        page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: xs.append(tm[4]) if t.strip() else None)
        assert all(x < w for x in xs)


# -- CLI ---------------------------------------------------------------------------------------------

def test_cli_bad_inputs_give_one_line(mini, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("")
    afile = tmp_path / "afile"
    afile.write_text("x")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    folder = tmp_path / "c"
    _work(folder / "u1", "Ana")
    cases = [
        ("export-work", "/etc/passwd"), ("export-work", empty), ("export-work", "/dev/null"),
        ("build", "--lesson", "99", "--out", tmp_path / "h"), ("build", "--out", afile),
        ("export-work", folder, "--out", afile), ("summary", tmp_path / "nonexistent"),
    ]
    if os.geteuid() != 0:
        cases.append(("export-work", folder, "--out", ro / "sub"))
    try:
        for args in cases:
            r = cli(*args, root=mini.root)
            one_line_error(r)
    finally:
        ro.chmod(0o755)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_article_copy_in_other_encodings(real_copy, tmp_path, encoding):
    copy = tmp_path / "copy.txt"
    copy.write_bytes("Caf\u00e9 \u2019quoted\u2019 text.\n".encode(encoding))
    r = cli("build", "--lesson", "01", "--edition", "student", "--article", copy, "--out", tmp_path / "h",
            root=real_copy.root, timeout=300)
    if encoding == "utf-16":  # a byte-order mark makes UTF-16 unambiguous: accepted
        assert r.returncode == 0, r.stderr
    else:
        one_line_error(r)
        assert str(copy) in r.stderr and "UTF-8" in r.stderr


def test_article_copy_in_cp1252_in_the_notebook(real_copy, tmp_path, monkeypatch):
    from civicnb.notebook import open_lesson

    copy = tmp_path / "copy.txt"
    copy.write_bytes("Caf\u00e9 \u2019quoted\u2019.\n".encode("cp1252"))
    monkeypatch.setenv("CIVICNB_ARTICLE", str(copy))
    L = open_lesson("01", work_dir=tmp_path / "w", root=real_copy.root)
    html = L.render("article-text").value
    assert "UTF-8" in html and "role='alert'" in html


def test_unwritable_work_folder_opens_and_explains_even_as_root(mini, tmp_path, monkeypatch):
    """The same as the read-only test, where the tests run as root: the lock file cannot be created."""
    work = tmp_path / "ro"
    work.mkdir()
    (work / "00-all-kinds.json").write_text(json.dumps(
        {"format": "civicnb-work/1", "lesson": "00-all-kinds", "student": "", "updated": None,
         "answers": {"q-single": {"value": {"choice": "a"}}}}))
    real_open = os.open

    def ro_open(path, flags, *a, **k):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Read-only file system", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", ro_open)
    L = _open(mini, work)
    assert L.saved["q-single"] == {"choice": "a"}
    assert "cannot be written" in _msgs(L) and str(work) in _msgs(L)
    w = L.render("q-single")
    w.controls["choice"].value = "b"
    assert "could NOT be saved" in w.alert.value


def test_teacher_key_says_why_polls_are_private(mini):
    from civicnb.exercises import kind_of

    ex = mini.lesson("00").exercises["q-scale"]
    key = kind_of(ex).key(ex)
    assert "Protection of Pupil Rights Amendment" in key and "district" in key and "optional" in key


def test_names_in_other_scripts_print_on_the_worksheet(mini, tmp_path):
    """Not as empty boxes: Arabic, Hebrew and Devanagari fall back to the Noto fonts for those scripts."""
    from pypdf import PdfReader

    from civicnb.handout.worksheet import export_worksheet

    p = _work(tmp_path / "w", "محمد علي", {"q-short": {"value": {"text": "שלום नमस्ते"}}})
    pdf = export_worksheet(mini, p, tmp_path / "out")
    fonts = set()
    for page in PdfReader(pdf).pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("Arabic" in f for f in fonts), fonts  # Hebrew and Devanagari: covered by fonts we had
    assert "नमस्ते" in pdf_text(pdf)


def test_unwritable_output_folder_is_one_line_even_as_root(mini, tmp_path, monkeypatch, capsys):
    from civicnb import cli

    folder = tmp_path / "c"
    _work(folder / "u1", "Ana")
    out = tmp_path / "locked"
    real_open, real_mkdir = os.open, type(out).mkdir

    def no_write(path, flags, *a, **k):
        if str(path).startswith(str(out)) and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    def no_mkdir(self, *a, **k):
        if str(self).startswith(str(out)):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *a, **k)

    monkeypatch.setattr(os, "open", no_write)
    out.mkdir()
    rc = cli.main(["--root", str(mini.root), "export-work", str(folder), "--out", str(out)])
    err = capsys.readouterr().err
    assert rc != 0 and "cannot write to the output folder" in err and str(out) in err and "Traceback" not in err
    monkeypatch.setattr(type(out), "mkdir", no_mkdir)
    rc = cli.main(["--root", str(mini.root), "build", "--out", str(out / "sub")])
    err = capsys.readouterr().err.strip()
    assert rc != 0 and "Permission denied" in err and len(err.splitlines()) == 1, err
