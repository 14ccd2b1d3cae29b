"""The article under study: cited and mapped, never reproduced, shown only from a teacher's own copy;
every paragraph with a checkable claim is covered by the claims inventory."""
import json

import pytest

from civicnb.content.article import copy_matches_map, parse_copy
from civicnb.content.check import check_project
from civicnb.content.model import Project

from . import copying
from .conftest import ROOT, pdf_text, squash

SEED = ROOT.parent / "shared" / "seeds" / "000_576f96631ff9cec7.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the shared seed copy of the article is not here")


def _claims_lessons(project):
    return [l for l in project.lessons() if (l.dir / "claims.yml").exists()]


def test_every_checkable_paragraph_is_covered(project):
    assert project.article is not None
    lessons = _claims_lessons(project)
    assert lessons, "no lesson has a claims inventory"
    covered = {c["paragraph"] for l in lessons for c in l.claims.values()}
    for p in project.article["paragraphs"]:
        if p.get("checkable", True):
            assert p["n"] in covered, f"paragraph {p['n']} has no claim"
        else:
            assert p.get("why_not")


def test_claims_and_evidence_cite_known_sources(project):
    for lesson in _claims_lessons(project):
        assert 20 <= len(lesson.claims) <= 30
        for c in lesson.claims.values():
            for ev in c["evidence"]:
                assert ev["sources"] and all(s in project.sources for s in ev["sources"]), c["id"]
                assert ev["as_of"] <= lesson.meta["as_of"]
        verdicts = {c["verdict"] for c in lesson.claims.values()}
        assert "accurate" in verdicts and len(verdicts) >= 3  # balance: not only weak points


def test_uncovered_paragraph_is_reported(real_copy):
    lesson = _claims_lessons(real_copy)[0]
    cf = lesson.dir / "claims.yml"
    text = cf.read_text()
    para = lesson.claims[next(iter(lesson.claims))]["paragraph"]
    # drop every claim about one paragraph
    blocks = text.split("\n  - id: ")
    kept = [b for b in blocks if f"\n    paragraph: {para}\n" not in b]
    cf.write_text("\n  - id: ".join(kept))
    probs = [str(p) for p in check_project(Project(real_copy.root))]
    if para == 0:
        assert probs == [] or all("paragraph" not in p for p in probs)
    else:
        assert any(p.startswith("lessons/article/article.yml:") and f"paragraph {para} makes no claim" in p
                   for p in probs), probs


def _article_body():
    from civicnb.content.model import Project as P

    blocks = parse_copy(SEED.read_text(encoding="utf-8"), P(ROOT).article)
    return [b.text for b in blocks if b.kind == "paragraph"]  # the headline may be quoted; the body not


def test_the_article_body_is_not_in_the_package():
    """No file we ship holds more than a short phrase of the article's body."""
    if not SEED.exists():
        pytest.skip("seed copy not available")
    body = _article_body()
    assert len(body) > 20
    shipped = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in
                        list((ROOT / "lessons").rglob("*.y*ml")) + list((ROOT / "lessons").rglob("*.md"))
                        + list((ROOT / "notebooks").glob("*.ipynb")))
    flat = squash(shipped)
    for sentence in body:
        words = sentence.split()
        for i in range(0, len(words) - 9):
            assert squash(" ".join(words[i:i + 10])) not in flat, f"copied: {' '.join(words[i:i + 10])!r}"


# Our own words: close paraphrase and quotation limits (tests/copying.py explains the measures).
MAX_QUOTE_WORDS = 10      # one quoted phrase from the article
MAX_QUOTED_TOTAL = 100    # all distinct phrases quoted from the article, across the package


def test_no_sentence_follows_the_article_too_closely():
    """Every sentence we wrote is a real paraphrase: none keeps an article sentence's structure with
    words swapped for synonyms (quoted words are left out here and counted below)."""
    if not SEED.exists():
        pytest.skip("seed copy not available")
    index = copying.article_index(_article_body())
    close = []
    for name, text in copying.package_text(ROOT).items():
        for sentence in copying.sentences(text):
            hit = copying.closest(sentence, index)
            if copying.is_close_paraphrase(hit):
                close.append(f"{name}: {sentence!r} follows {hit.theirs!r} ({hit.score:.2f})")
    assert not close, "close paraphrase of the article; rewrite with a different structure:\n" + "\n".join(close)


def test_quotations_from_the_article_stay_short():
    if not SEED.exists():
        pytest.skip("seed copy not available")
    body = _article_body()
    quotes: dict[str, int] = {}
    for text in copying.package_text(ROOT).values():
        quotes.update(copying.quoted_from_article(text, body))
    article = Project(ROOT).article
    flat_body = " " + " ".join(copying.plain_words(" ".join(body))) + " "
    for item in list(article.get("phrases") or []) + list(article.get("captions") or []):
        words = copying.plain_words(item.get("text") or item.get("caption") or "")
        if "caption" in item or f" {' '.join(words)} " in flat_body:  # the headline may be quoted freely
            quotes[" ".join(words)] = len(words)
    long = {q: n for q, n in quotes.items() if n > MAX_QUOTE_WORDS}
    assert not long, f"quotes of more than {MAX_QUOTE_WORDS} words from the article: {long}"
    total = copying.total_quoted(quotes)
    assert 0 < total <= MAX_QUOTED_TOTAL, f"{total} words quoted from the article (limit {MAX_QUOTED_TOTAL})"


def test_copying_measure_catches_synonym_swaps_and_passes_real_paraphrase():
    """The fixture proves the measure: a made-up article, sentences that swap its words for synonyms
    (caught, although they share no run of even three words), and real paraphrases (not caught)."""
    fx = ROOT / "tests" / "fixtures" / "copying"
    body = [p for p in (fx / "article.txt").read_text().split("\n\n") if p.strip()]
    index = copying.article_index(body)
    swapped = (fx / "swapped.txt").read_text().splitlines()
    for sentence in swapped:
        hit = copying.closest(sentence, index)
        assert copying.is_close_paraphrase(hit), (sentence, hit)
        # the old test (a shared run of 10 words) would not have caught it
        assert not any(" ".join(sentence.split()[i:i + 10]) in " ".join(body) for i in range(len(sentence.split())))
    for sentence in (fx / "paraphrased.txt").read_text().splitlines():
        hit = copying.closest(sentence, index)
        assert not copying.is_close_paraphrase(hit), (sentence, hit)
    # quoted words are counted separately, and a phrase inside a longer one only once
    quotes = copying.quoted_from_article((fx / "paraphrased.txt").read_text(), body)
    assert quotes == {"while generating revenue": 3}  # "low for the nations" is not the article's wording
    assert copying.total_quoted({"a b c": 3, "b c": 2, "d e": 2}) == 5


@needs_seed
def test_teacher_copy_is_numbered_like_the_map(project):
    blocks = parse_copy(SEED.read_text(encoding="utf-8"), project.article)
    ok, msg = copy_matches_map(blocks, project.article)
    assert ok, msg
    paras = [b for b in blocks if b.kind == "paragraph"]
    assert [b.n for b in paras] == list(range(1, len(project.article["paragraphs"]) + 1))
    assert all(b.kind != "paragraph" for b in blocks if "Handout/Presidencia" in b.text)


@needs_seed
def test_teacher_copy_appears_only_when_supplied(project, tmp_path, monkeypatch):
    from civicnb.handout.compile import compile_pdf
    from civicnb.handout.render import render

    lesson = next(l for l in _claims_lessons(project))
    nb = json.loads(lesson.notebook_path.read_text())
    shows = {(c.get("metadata") or {}).get("civicnb", {}).get("show") for c in nb["cells"]}
    assert "article-text" in shows
    line = next(l for l in SEED.read_text().splitlines() if len(l.split()) > 15)
    monkeypatch.delenv("CIVICNB_ARTICLE", raising=False)
    monkeypatch.setenv("CIVICNB_ROOT", str(tmp_path / "nowhere"))  # no lessons/article/copy.txt there
    p = Project(project.root)
    without = render(p, p.lesson(lesson.name), nb, "student")
    assert "Source packet" not in without.source
    monkeypatch.setenv("CIVICNB_ARTICLE", str(SEED))
    with_copy = render(Project(project.root), Project(project.root).lesson(lesson.name), nb, "student")
    assert "Source packet" in with_copy.source
    text = pdf_text(compile_pdf(tmp_path / "doc", with_copy.source, with_copy.assets))
    assert squash(line[:60]) in squash(text)


@needs_seed
def test_notebook_shows_teacher_copy(project, tmp_path, monkeypatch):
    from civicnb.notebook import open_lesson

    lesson = _claims_lessons(project)[0]
    monkeypatch.setenv("CIVICNB_ARTICLE", str(SEED))
    L = open_lesson(lesson.id, work_dir=tmp_path, root=project.root)
    html = L.render("article-text").value
    assert "¶24" in html and "line " in html and "supplied by your teacher" in html
    monkeypatch.setenv("CIVICNB_ARTICLE", str(tmp_path / "missing.txt"))
    L = open_lesson(lesson.id, work_dir=tmp_path, root=project.root)
    assert "No copy of the full article" in L.render("article-text").value


def test_student_handout_has_no_verdicts(project, tmp_path):
    from civicnb.build import build

    for lesson in _claims_lessons(project):
        build(project, tmp_path, lessons=[lesson.name], quiet=True, build_root=tmp_path / "b")
        student = squash(pdf_text(tmp_path / f"{lesson.name}-student.pdf"))
        teacher = squash(pdf_text(tmp_path / f"{lesson.name}-teacher.pdf"))
        for c in lesson.claims.values():
            probe = squash(c["verdict_why"])[:40]
            assert probe not in student, f"student handout shows the verdict rationale of {c['id']}"
            assert probe in teacher, f"teacher edition lacks the verdict rationale of {c['id']}"
        assert "claimsinventory" in teacher.lower() and "claimsinventory" not in student.lower()


def test_chart_points_are_sourced(project):
    for lesson in project.lessons():
        for fig in lesson.figures.values():
            rows = project.data_csv(fig["data"])
            assert rows and all(r["source"] in project.sources and r["as_of"] for r in rows)
            assert len(fig["alt"]) > 40


@needs_seed
def test_cli_article_option_adds_the_source_packet(real_copy, tmp_path):
    import subprocess
    import sys

    from .conftest import env_with_src

    lesson = _claims_lessons(real_copy)[0]
    base = [sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "build", "--lesson", lesson.id,
            "--edition", "student", "--out", str(tmp_path)]
    env = env_with_src()
    env.pop("CIVICNB_ARTICLE", None)
    subprocess.run(base, check=True, env=env, capture_output=True)
    pdf = tmp_path / f"{lesson.name}-student.pdf"
    assert "Source packet" not in pdf_text(pdf)
    r = subprocess.run(base + ["--article", str(SEED)], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and "Building 1 of 1" in r.stderr  # the copy is an input: it rebuilds
    assert "Source packet" in pdf_text(pdf)
