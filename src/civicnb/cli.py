"""The ``civicnb`` command. Start-up stays cheap: each command imports only what it needs."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = """\
civicnb: lessons on one news article about El Salvador's CECOT prison, as Jupyter notebooks and
printable handouts.

commands:
  check                 validate every lesson file; each problem names file:line and the fix
  build                 build handout PDFs and lesson slides into handouts/ (only what changed):
                        every lesson's editions and slides, and the unit guide, answer-key
                        packet, rubrics and parent letter
  export-work PATH      a student's completed worksheet PDF from a work file, or from every
                        work file in a folder (a class set; PDFs go to FOLDER-worksheets/)
  summary FOLDER        class summary from a folder of work files: poll counts (never names) and
                        most-missed items
  i18n sync LANG [LESSON]
                        translation files (lessons/<lesson>/i18n/es.yml): add every new
                        student-facing string, list missing and stale translations
  readability           the reading level (grade) of every student text block, per language;
                        fails above grade 11 for a block of more than 60 words
  checklist [FILE]      charged words and who-says-so in any text (FILE, or - for typed/pasted text);
                        a prompt for discussion, not a verdict
  bundle OUT            compile the lessons to JSON with pre-drawn charts (OUT/), for notebooks that
                        run without PyYAML or Matplotlib (in the browser); --wheel DIR packs it too

Run `civicnb COMMAND --help` for a command's options. Run from the package folder (the one holding
lessons/), or set CIVICNB_ROOT.
"""


def _project(args):
    from .content.model import Project

    return Project.find(getattr(args, "root", None))


def cmd_check(args) -> int:
    from .content.check import Checker

    project = _project(args)
    checker = Checker(project)
    problems, warnings = checker.run(), sorted(set(checker.warnings))
    for line in checker.report:  # the balance mix and the mirror copies (information, not problems)
        print(line)
    for p in problems:
        print(p)
    for w in warnings:  # worth a look, but they do not stop a build
        print(f"{w.file}:{w.line}: warning: {w.message}")
    if problems:
        print(f"\n{len(problems)} problem(s). Fix them and run `civicnb check` again.", file=sys.stderr)
        return 1
    n = len(project.lesson_names)
    print(f"OK: {n} lesson(s) and {len(project.sources)} source(s) are valid.")
    return 0


def cmd_build(args) -> int:
    from .build import build

    project = _project(args)
    if args.check:
        from .content.check import check_project

        problems = check_project(project)
        if problems:
            for p in problems:
                print(p, file=sys.stderr)
            print("Not building: fix the content problems above first.", file=sys.stderr)
            return 1
    if args.article:
        if not Path(args.article).is_file():
            raise CLIError(f"No such file: {args.article}")
        os.environ["CIVICNB_ARTICLE"] = str(Path(args.article).resolve())
    copy = project.article_copy()
    if copy is not None:
        from .content.article import ArticleCopyError, read_copy

        try:
            read_copy(copy)
        except ArticleCopyError as e:
            raise CLIError(str(e)) from None
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise CLIError(f"--out {args.out} is a file, not a folder; give a folder for the handouts")
    from .build import EDITIONS

    editions = tuple(EDITIONS) + ("slides",) if args.edition == "all" else (
        () if args.edition == "unit" else (args.edition,))
    unit = True if args.edition == "unit" else None
    papers = ("letter", "a4") if args.paper == "both" else (args.paper,)
    try:
        lessons = [project.lesson(n).name for n in args.lesson] if args.lesson else None
    except KeyError as e:
        raise CLIError(e.args[0]) from None
    outs = build(project, args.out, lessons, editions, papers, force=args.force, quiet=args.quiet,
                 per_period=args.per_period, unit=unit)
    if not args.quiet:
        for p in outs:
            print(p)
    return 0


def cmd_export_work(args) -> int:
    from .handout.worksheet import ExportError, default_out, export_folder, export_worksheet

    project = _project(args)
    path = Path(args.path)
    poll_names = True if args.poll_names else None
    try:
        if path.is_dir():
            out = Path(args.out or default_out(path))
            done = export_folder(project, path, out, args.paper, poll_names=poll_names,
                                 progress=lambda m: print(m, file=sys.stderr, flush=True))
            for pdf in done:
                print(pdf)
            skipped = f"; skipped {len(done.skipped)} file(s) listed above" if done.skipped else ""
            print(f"Exported {len(done)} worksheet(s) to {out}{skipped}")
            return 0 if done and not done.skipped else 1
        if not os.path.lexists(path):
            raise CLIError(f"No such file: {path}")
        print(export_worksheet(project, path, args.out, args.paper, poll_names=poll_names))
        return 0
    except ExportError as e:
        raise CLIError(str(e)) from None
    except ValueError as e:  # WorkFileError: the file and the reason
        raise CLIError(f"{e}; give a civicnb work file (my-work/<lesson>.json) or a folder of them") from None


def cmd_summary(args) -> int:
    from .summary import collect, default_pdf, format_text, write_pdf

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CLIError(f"No such folder: {folder}; give the folder holding the collected work files")
    roster = None
    if args.roster:
        try:
            roster = Path(args.roster).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise CLIError(f"{args.roster}: cannot read the roster ({getattr(e, 'strerror', None) or e}); give a "
                           "UTF-8 text file with one student name a line") from None
    project = _project(args)
    try:
        out = collect(project, folder, lesson=args.lesson, roster=roster, accept_renamed=args.accept_renamed)
    except KeyError:
        raise CLIError(f"--lesson {args.lesson}: no such lesson; choose one of {', '.join(project.lesson_names)}") from None
    print(format_text(out, names=args.names))
    if args.pdf or args.out:
        from .handout.worksheet import ExportError

        target = Path(args.out) if args.out else default_pdf(folder)
        if target.resolve().is_relative_to(folder.resolve()):
            raise CLIError(f"--out {target} is inside the class folder; the summary never writes there. "
                           "Choose a place outside it")
        try:
            pdf = write_pdf(out, target, names=args.names, paper=args.paper, title=args.title)
        except ExportError as e:
            raise CLIError(str(e)) from None
        print(f"Wrote {pdf}")
    return 0


def cmd_bundle(args) -> int:
    from .bundle import bundle_files, write_bundle, write_bundle_wheel

    if not (args.out or args.wheel):
        raise CLIError("give a folder for the bundle (civicnb bundle OUT) and/or --wheel DIR")
    project = _project(args)
    if not args.no_check:
        from .content.check import check_project

        problems = check_project(project)
        if problems:
            for p in problems:
                print(p, file=sys.stderr)
            print("Not bundling: fix the content problems above first.", file=sys.stderr)
            return 1
    files = bundle_files(project)
    out = write_bundle(project, args.out) if args.out else None
    if out and not args.quiet:
        print(f"Wrote the lesson bundle ({len(files)} files) to {out}")
    if args.wheel:
        whl = write_bundle_wheel(project, args.wheel, files)
        if not args.quiet:
            print(f"Wrote {whl}")
    return 0


def cmd_checklist(args) -> int:
    from .checklist import ChecklistError, check_text, format_text, load_words

    try:
        words = load_words(args.words)
        raw = sys.stdin.buffer.read() if args.file in (None, "-") else Path(args.file).read_bytes()
    except (ChecklistError, OSError) as e:
        print(f"civicnb checklist: {getattr(e, 'strerror', None) and f'{args.file}: {e.strerror}' or e}", file=sys.stderr)
        return 2
    print(format_text(check_text(raw.decode("utf-8", errors="replace"), words)), end="")
    return 0


def cmd_i18n(args) -> int:
    from .i18n import LANGS, SOURCE_LANG
    from .i18n.sync import TranslationFileError, sync

    if args.lang not in LANGS or args.lang == SOURCE_LANG:
        raise CLIError(f"no translation language {args.lang!r}; the languages are: "
                       f"{', '.join(l for l in LANGS if l != SOURCE_LANG)}")
    project = _project(args)
    try:
        confirm = "all" if args.confirm == ["all"] else set(args.confirm or ())
        results = sync(project, args.lang, args.lesson, write=not args.dry_run, confirm=confirm)
    except KeyError as e:
        raise CLIError(f"{e.args[0]} (or 'article', 'unit')") from None
    except TranslationFileError as e:
        raise CLIError(str(e)) from None
    if not args.dry_run:  # the lesson notebooks with their Markdown in the language (notebooks/es/)
        from .i18n.notebooks import write_notebooks

        names = [project.lesson(args.lesson).name] if args.lesson and args.lesson not in ("article", "unit") else None
        for path in write_notebooks(project, args.lang, names):
            print(f"{path.relative_to(project.root)}: written")
    bad = 0
    for r in results:
        rel = r.path.relative_to(project.root) if r.path.is_relative_to(project.root) else r.path
        done = r.total - len(r.missing) - len(r.stale)
        verb = ("would write" if args.dry_run else "wrote") if r.changed else "unchanged"
        print(f"{rel}: {done}/{r.total} translated, {len(r.missing)} missing, {len(r.stale)} stale, "
              f"{len(r.added)} new ({verb})")
        for key in r.stale:
            print(f"  stale: {key} (the English changed: revise the translation, then delete its en_hash line)")
        for key in r.confirmed:
            print(f"  confirmed: {key} (recorded as translated from the current English)")
        if args.verbose:
            for key in r.missing:
                print(f"  missing: {key}")
        for key in r.unused:
            print(f"  unused: {key} (its English string is gone; kept under 'unused:')")
        bad += len(r.missing) + len(r.stale)
    return 1 if (bad and args.strict) else 0


def cmd_readability(args) -> int:
    from .content import readability as rl

    project = _project(args)
    langs = rl.LANGS if args.lang == "all" else ("en", args.lang) if args.lang != "en" else ("en",)
    try:
        names = ([n if n == "article" else project.lesson(n).name for n in args.lesson] if args.lesson
                 else list(project.lesson_names) + ["article"])
    except KeyError as e:
        raise CLIError(e.args[0]) from None
    blocks = [b for n in names for b in rl.lesson_report(project, n, langs) if b.lang in langs]
    for name in names:
        for lang in langs:
            mine = [b for b in blocks if b.lesson == name and b.lang == lang]
            if mine:
                w, g = rl.reading_load(mine, lang)
                print(f"{name} [{lang}]: {len(mine)} blocks, {w:,} words, grade {g:.1f} overall "
                      f"(target {rl.TARGET})")
    shown = blocks if args.all else [b for b in blocks if b.words > rl.MIN_WORDS]
    for b in sorted(shown, key=lambda b: -b.grade):
        print(("FAIL " if b.fails else "     ") + b.line())
    bad = [b for b in blocks if b.fails]
    if bad:
        print(f"\n{len(bad)} block(s) of more than {rl.MIN_WORDS} words read above grade {rl.GRADE_LIMIT:.0f}: "
              "shorter sentences and plainer words, keeping every fact and its source.", file=sys.stderr)
        return 1
    return 0


class CLIError(Exception):
    """A problem the user can fix; printed as one line."""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="civicnb", description=HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", help="the lesson package folder (default: found from the working folder)")
    parser.add_argument("--version", action="version", version=f"civicnb {__import__('civicnb').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="validate every lesson file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="build handout PDFs (incremental)",
                       description="Build the student and teacher handouts and the slides of every lesson into handouts/. "
                                   "A handout whose inputs did not change is not rebuilt.")
    p.add_argument("--lesson", action="append", help="only this lesson (e.g. 00); repeatable")
    p.add_argument("--edition", choices=["student", "student-large", "teacher", "after", "student-es", "slides", "unit",
                                         "all"],
                   default="all",
                   help="which handouts: student, student-large (the student packet in large print: 18 pt, "
                        "NN-name-student-large.pdf), teacher, after (the after-the-lesson sheets of boxes that "
                        "answer questions, one per class period: NN-name-after-1.pdf...), student-es (the "
                        "student edition in Spanish: NN-name-student-es.pdf), slides (a 16:9 deck for the "
                        "projector: NN-name-slides.pdf, the same whatever the paper), unit (the unit guide, "
                        "answer-key packet, rubrics and parent letter), or all (default: all of these)")
    p.add_argument("--paper", choices=["letter", "a4", "both"], default="letter",
                   help="US Letter (default), A4, or both (A4 files end in -a4.pdf)")
    p.add_argument("--out", type=Path, help="output folder (default: handouts/)")
    p.add_argument("--per-period", action="store_true",
                   help="also one student packet per class period for lessons of several periods "
                        "(NN-name-student-p1.pdf, -p2.pdf...; in Spanish NN-name-student-es-p1.pdf...); the whole "
                        "packet is built too")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--check", action="store_true", help="validate the content first and stop on problems")
    p.add_argument("--article", metavar="FILE",
                   help="your own plain-text copy of the article: lessons that show it append it as a source "
                        "packet (default: lessons/article/copy.txt if present, or $CIVICNB_ARTICLE)")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("export-work", help="completed worksheet PDF(s) from saved work",
                       description="Make a completed-worksheet PDF from a student's work file "
                                   "(my-work/<lesson>.json), or from every work file in a folder.")
    p.add_argument("path", help="a work file, or a folder of them")
    p.add_argument("--out", type=Path, help="output folder (default: for a folder, a new folder "
                                            "FOLDER-worksheets beside it; for one file, beside the file)")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.add_argument("--poll-names", action="store_true",
                   help="print poll answers on each worksheet (default: polls are private; also "
                        "CIVICNB_POLL_NAMES=1). Check your district's policy first.")
    p.set_defaults(func=cmd_export_work)

    p = sub.add_parser("summary", help="class summary from a folder of work files (--pdf: a printable page)",
                       description="Count a class's answers from the work files a teacher collected: polls before "
                                   "and after (counts only), answers and right answers per question, the most common "
                                   "wrong answers, written answers to read. Damaged, duplicate, renamed, hand-edited "
                                   "files and files from another lesson or version are listed with the reason and "
                                   "skipped. Nothing in the folder is changed.")
    p.add_argument("folder")
    p.add_argument("--pdf", action="store_true", help="also write a printable PDF beside the folder (FOLDER-summary.pdf)")
    p.add_argument("--out", metavar="FILE.pdf", help="where to write the PDF (implies --pdf; not inside the folder)")
    p.add_argument("--lesson", help="count only this lesson (e.g. 01); files of other lessons are listed as skipped")
    p.add_argument("--roster", metavar="FILE", help="a text file of student names, one a line: lists who has no file")
    p.add_argument("--names", action="store_true",
                   help="show names beside written answers (default: numbers; never project that version)")
    p.add_argument("--accept-renamed", action="store_true", help="count work files whose names were changed")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.add_argument("--title", help="a title for the PDF (default: the folder's name)")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("i18n", help="translation files: add new strings, report missing and stale ones",
                       description="Translations of the student-facing text. `civicnb i18n sync es` writes "
                                   "lessons/<lesson>/i18n/es.yml (and lessons/article/i18n/es.yml, "
                                   "lessons/i18n/es.yml for the unit) with every student-facing string: new "
                                   "ones get es: \"\"; filled translations are kept; stale ones (English "
                                   "changed since) are listed. See docs/translating.md.")
    isub = p.add_subparsers(dest="i18n_command", metavar="sync", required=True)
    q = isub.add_parser("sync", help="add new strings and report missing and stale translations")
    q.add_argument("lang", help="the language code, e.g. es")
    q.add_argument("lesson", nargs="?", help="only this lesson (e.g. 01), 'article' or 'unit'")
    q.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    q.add_argument("--strict", action="store_true", help="exit 1 if any string is missing or stale")
    q.add_argument("-v", "--verbose", action="store_true", help="also list every missing string")
    q.add_argument("--confirm", nargs="+", metavar="KEY",
                   help="stale strings whose translation you have checked against the new English (their keys, "
                        "as listed, or 'all'): record them as current, as deleting their en_hash line does")
    q.set_defaults(func=cmd_i18n)

    p = sub.add_parser("readability", help="reading level of every student text block (grade, per language)",
                       description="The grade level of every block of text a student reads: Flesch-Kincaid for "
                                   "English, Fernandez-Huerta (read as a grade) for Spanish. Exits 1 when a block "
                                   "of more than 60 words reads above grade 11.")
    p.add_argument("--lesson", action="append", help="only this lesson (e.g. 01, or article); repeatable")
    p.add_argument("--lang", choices=["en", "es", "all"], default="all",
                   help="which language (default: all; Spanish blocks count once translated)")
    p.add_argument("--all", action="store_true", help="list every block, not only those of more than 60 words")
    p.set_defaults(func=cmd_readability)

    p = sub.add_parser("checklist", help="charged words and who-says-so in any text (a prompt, not a verdict)",
                       description="Mark charged words and hedges from an editable word list, and list who the "
                                   "text says its information comes from (named, unnamed, no source). English by default; "
                                   "for Spanish text, --words with the Spanish list civicnb/checklist_words_es.yml.")
    p.add_argument("file", nargs="?", help="a plain-text file; - or nothing reads the text from standard input")
    p.add_argument("--words", metavar="FILE", help="your own word list (a copy of civicnb/checklist_words.yml)")
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("bundle", help="compile the lessons to JSON + pre-drawn charts for the browser",
                       description="Write every lesson's data as JSON and every chart a notebook shows as SVG into "
                                   "OUT (replacing an earlier bundle there), so the notebooks run where PyYAML and "
                                   "Matplotlib are missing (JupyterLite/Pyodide). Set CIVICNB_BUNDLE=OUT, or put OUT "
                                   "as civicnb-bundle/ beside the notebooks, or install the wheel from --wheel.")
    p.add_argument("out", nargs="?", type=Path, help="the bundle folder (e.g. build/civicnb-bundle)")
    p.add_argument("--wheel", type=Path, metavar="DIR",
                   help="also write the bundle as the wheel civicnb_bundle-VERSION-py3-none-any.whl into DIR")
    p.add_argument("--no-check", action="store_true", help="skip validating the content first")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_bundle)

    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from .content.yamlload import ContentError

    try:
        return args.func(args)
    except (CLIError, ContentError, FileNotFoundError, FileExistsError) as e:
        print(f"civicnb: {_one_line(e)}", file=sys.stderr)
        return 2
    except OSError as e:  # an unwritable folder, a full disk
        where = f" ({e.filename})" if getattr(e, "filename", None) else ""
        print(f"civicnb: {e.strerror or e}{where}; check the folder exists and you can write to it", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("civicnb: stopped", file=sys.stderr)
        return 130
    except Exception as e:  # never a traceback: one line that says what failed
        print(f"civicnb: {args.command} failed: {type(e).__name__}: {_one_line(e)}", file=sys.stderr)
        return 1


def _one_line(e) -> str:
    return " ".join(str(e).split())[:500]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
