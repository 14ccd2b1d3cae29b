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
  build                 build handout PDFs into handouts/ (only what changed)
  export-work PATH      a student's completed worksheet PDF from a work file, or from every
                        work file in a folder (a class set; PDFs go to FOLDER-worksheets/)
  summary FOLDER        class summary from a folder of work files: poll counts (never names) and
                        most-missed items
  readability           the reading level (grade) of every student text block, per language;
                        fails above grade 11 for a block of more than 60 words
  checklist [FILE]      charged words and who-says-so in any text (FILE, or - for typed/pasted text);
                        a prompt for discussion, not a verdict

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

    editions = EDITIONS if args.edition == "all" else (args.edition,)
    papers = ("letter", "a4") if args.paper == "both" else (args.paper,)
    try:
        lessons = [project.lesson(n).name for n in args.lesson] if args.lesson else None
    except KeyError as e:
        raise CLIError(e.args[0]) from None
    outs = build(project, args.out, lessons, editions, papers, force=args.force, quiet=args.quiet,
                 per_period=args.per_period)
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
    from .summary import summarize

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CLIError(f"No such folder: {folder}; give the folder holding the collected work files")
    print(summarize(_project(args), folder))
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
                       description="Build the student and teacher handouts of every lesson into handouts/. "
                                   "A handout whose inputs did not change is not rebuilt.")
    p.add_argument("--lesson", action="append", help="only this lesson (e.g. 00); repeatable")
    p.add_argument("--edition", choices=["student", "student-large", "teacher", "after", "all"], default="all",
                   help="which handouts: student, student-large (the student packet in large print: 18 pt, "
                        "NN-name-student-large.pdf), teacher, after (the after-the-lesson sheets of boxes that "
                        "answer questions, one per class period: NN-name-after-1.pdf...), or all (default)")
    p.add_argument("--paper", choices=["letter", "a4", "both"], default="letter",
                   help="US Letter (default), A4, or both (A4 files end in -a4.pdf)")
    p.add_argument("--out", type=Path, help="output folder (default: handouts/)")
    p.add_argument("--per-period", action="store_true",
                   help="also one student packet per class period for lessons of several periods "
                        "(NN-name-student-p1.pdf, -p2.pdf...); the whole packet is built too")
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

    p = sub.add_parser("summary", help="class summary from a folder of work files")
    p.add_argument("folder")
    p.set_defaults(func=cmd_summary)

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
                                   "text says its information comes from (named, unnamed, no source). English only.")
    p.add_argument("file", nargs="?", help="a plain-text file; - or nothing reads the text from standard input")
    p.add_argument("--words", metavar="FILE", help="your own word list (a copy of civicnb/checklist_words.yml)")
    p.set_defaults(func=cmd_checklist)

    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from .content.yamlload import ContentError

    try:
        return args.func(args)
    except (CLIError, ContentError, FileNotFoundError) as e:
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
