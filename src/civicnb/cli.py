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
                        work file in a folder (a class set)
  summary FOLDER        class summary from a folder of work files: poll results and most-missed items
  checklist [FILE]      charged words and who-says-so in any text (FILE, or - for typed/pasted text);
                        a prompt for discussion, not a verdict

Run `civicnb COMMAND --help` for a command's options. Run from the package folder (the one holding
lessons/), or set CIVICNB_ROOT.
"""


def _project(args):
    from .content.model import Project

    return Project.find(getattr(args, "root", None))


def cmd_check(args) -> int:
    from .content.check import check_project

    project = _project(args)
    problems = check_project(project)
    for p in problems:
        print(p)
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
            print(f"No such file: {args.article}", file=sys.stderr)
            return 2
        os.environ["CIVICNB_ARTICLE"] = str(Path(args.article).resolve())
    editions = ("student", "teacher") if args.edition == "all" else (args.edition,)
    papers = ("letter", "a4") if args.paper == "both" else (args.paper,)
    lessons = [project.lesson(n).name for n in args.lesson] if args.lesson else None
    outs = build(project, args.out, lessons, editions, papers, force=args.force, quiet=args.quiet)
    if not args.quiet:
        for p in outs:
            print(p)
    return 0


def cmd_export_work(args) -> int:
    from .handout.worksheet import export_folder, export_worksheet

    project = _project(args)
    path = Path(args.path)
    if path.is_dir():
        done = export_folder(project, path, args.out, args.paper,
                             progress=lambda m: print(m, file=sys.stderr, flush=True))
        print(f"Exported {len(done)} worksheet(s) to {Path(args.out or path)}")
        return 0 if done else 1
    if not path.exists():
        print(f"No such file: {path}", file=sys.stderr)
        return 2
    print(export_worksheet(project, path, args.out, args.paper))
    return 0


def cmd_summary(args) -> int:
    from .summary import summarize

    print(summarize(_project(args), Path(args.folder)))
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
    p.add_argument("--edition", choices=["student", "teacher", "all"], default="all")
    p.add_argument("--paper", choices=["letter", "a4", "both"], default="letter",
                   help="US Letter (default), A4, or both (A4 files end in -a4.pdf)")
    p.add_argument("--out", type=Path, help="output folder (default: handouts/)")
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
    p.add_argument("--out", type=Path, help="output folder (default: beside the work files)")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
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

    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except FileNotFoundError as e:
        print(f"civicnb: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
