"""List the fixed UI words the code passes to civicnb.i18n.t() (for ui.yml and its test)."""
import ast
import calendar
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "civicnb"


def keys() -> list[str]:
    out: dict[str, None] = {}
    for p in sorted(SRC.rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("t", "_t"):
                args = node.args[1:] if getattr(node.func, "id", None) == "_t" else node.args
                if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                    out[args[0].value] = None
    sys.path.insert(0, str(SRC.parent))
    from civicnb.exercises import KINDS
    from civicnb.exercises.base import STATUS_WORDS
    from civicnb.exercises.sorting import CHOOSE
    from civicnb.exercises.verdict import SOURCE_KIND, VERDICTS
    from civicnb.exercises.written import CER, DEFAULT_SCALE
    from civicnb.handout.render import EDITION_LABEL, SLIP_NOTE

    extra = [k.label for k in KINDS.values() if k.label] + [v for v in STATUS_WORDS.values() if v]
    extra += [CHOOSE] + list(SOURCE_KIND.values()) + [x for _, a, b in VERDICTS for x in (a, b)]
    extra += list(DEFAULT_SCALE) + [x for _, a, b in CER.parts for x in (a, b)]
    extra += list(EDITION_LABEL.values()) + list(SLIP_NOTE.values())
    extra += [f"month{m}" for m in range(1, 13)] + [calendar.month_abbr[m] for m in range(1, 13)]
    extra += ["Question", "Questions", "Claim", "Claims", "item", "event", "statement", "and", "undated", "Undated",
              "In Spanish.", "In English.", "In another language.", "Check my answer", "Choose an answer first.",
              "Tick at least one answer first.", "Check my sorting", "Sort at least one item first.",
              "Check my order", "Number at least one event first.", "Check my highlights",
              "Select at least one word first.", "Check my verdict", "Choose a verdict first.",
              "The article's knowledge ends here"]
    for k in extra:
        out[k] = None
    return list(out)


if __name__ == "__main__":
    for k in keys():
        print(k)
