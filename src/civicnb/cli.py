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
    editions = ("student", "teacher", "after") if args.edition == "all" else (args.edition,)
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
    p.add_argument("--edition", choices=["student", "teacher", "after", "all"], default="all",
                   help="which handouts: student, teacher, after (the after-the-lesson sheets of boxes that "
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

    p = sub.add_parser("checklist", help="charged words and who-says-so in any text (a prompt, not a verdict)",
                       description="Mark charged words and hedges from an editable word list, and list who the "
                                   "text says its information comes from (named, unnamed, no source). English only.")
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
