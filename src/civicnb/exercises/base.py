"""The exercise kind: one definition, three views.

Each kind turns one exercise definition (a mapping from ``exercises.yml``) into:

1. ``widget(ex, answer, save)``: the ipywidgets control a student uses. ``answer`` is the saved answer
   (or None); ``save(answer)`` stores a new one. Self-check kinds also show feedback that explains why.
2. ``paper(ex)``: Typst markup for the student handout (tick boxes, sized answer lines, tables).
3. ``key(ex)``: Typst markup for the teacher edition (answer, why, exemplars, what else to accept).

plus ``filled(ex, answer)`` for a student's completed worksheet, ``grade(ex, answer)`` for self-check
kinds, and ``check(ex)`` for content errors a schema cannot express.

ipywidgets is imported only inside ``widget``, so the handout builder never loads it.
"""
from __future__ import annotations

import html
import re
from typing import Callable, Iterable

from ..handout import typ
from ..i18n import t

SELF_CHECK = "self-check"
WRITTEN = "written"
POLL = "poll"


class Kind:
    name = ""
    mode = SELF_CHECK
    label = ""  # shown to students, e.g. "Choose one"

    # -- content checks --------------------------------------------------------------------------
    def check(self, ex) -> Iterable[tuple[str, int]]:
        return ()

    # -- student widget --------------------------------------------------------------------------
    def widget(self, ex, answer, save: Callable[[dict], None], cite=None):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- print views -----------------------------------------------------------------------------
    def paper(self, ex) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def key(self, ex) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def filled(self, ex, answer) -> str:
        """A student's answer, for the completed-worksheet PDF. Default: the paper view."""
        return self.paper(ex)

    # -- self-check ------------------------------------------------------------------------------
    def grade(self, ex, answer) -> tuple[str, str] | None:
        """``(status, feedback)`` with status in {"correct", "partly", "incorrect", "incomplete"}."""
        return None

    def is_answered(self, answer) -> bool:
        return bool(answer)

    def screen_label(self, ex=None) -> str:
        """The instruction on screen (``label`` is the paper wording: "Circle", "Tick", "Underline")."""
        return t(self.label, lang_of(ex))

    def paper_label(self, ex=None) -> str:
        return t(self.label, lang_of(ex))

    def hint(self, ex, answer) -> str:
        """What a student sees after a first wrong Check: a nudge that never names the answer.
        An exercise may give its own (``hint:``); a kind may say more (counts, never which ones)."""
        return str(ex.get("hint") or t("Not the best answer yet. Reread the question and the text it points to, "
                                       "then try again.", lang_of(ex)))

    def wire_check(self, ex, widgets, current, save, button: str, empty: str, restore: bool):
        """The self-check pattern every self-check kind uses: a change saves ``current()`` and clears the
        feedback; only the Check button grades. A first wrong Check gives a hint (:meth:`hint`, never the
        answer); the full feedback comes from the second wrong Check on. A restored answer shows its
        feedback only when it is right (a wrong one waits for Check). Returns ``(check_button, feedback)``."""
        import ipywidgets as W

        lang = lang_of(ex)
        fb = W.HTML()
        fb.add_class("civicnb-live")  # a persistent live region: each new feedback is announced
        check = W.Button(description=t(button, lang), icon="check", layout=W.Layout(width="auto"),
                         tooltip=t("Check your answer (press it when you are ready)", lang))
        check.add_class("civicnb-check")
        wrong = {"tries": 0}

        def changed(_):
            save(current())
            fb.value = ""

        def do_check(_=None):
            answer = current()
            g = self.grade(ex, answer)
            if not g:
                fb.value = feedback_html("incomplete", t(empty, lang), lang)
                return
            status, message = g
            if status in ("correct", "incomplete"):
                fb.value = feedback_html(status, message, lang)
                return
            wrong["tries"] += 1
            fb.value = (feedback_html("hint", self.hint(ex, answer), lang) if wrong["tries"] == 1
                        else feedback_html(status, message, lang))

        for w in widgets:
            w.observe(changed, names="value")
        check.on_click(do_check)
        if restore:  # answers came back from the work file: say so, and show the feedback if it is right
            g = self.grade(ex, current())
            if g and g[0] == "correct":
                fb.value = feedback_html(*g, lang)
            elif g:
                fb.value = feedback_html("restored", t("Your saved answer is back. Press the Check button when you are "
                                                       "ready.", lang), lang)
        return check, fb

    def glance(self, ex) -> tuple[str, str]:
        """Typst markup for the at-a-glance key: ``(answer, also accept)``."""
        return typ.text(t("See the key.", lang_of(ex))), ""

    def prompt_sources(self, ex) -> list:
        """Sources cited at the question's prompt on paper."""
        return list(ex.get("sources") or [])


# -- helpers shared by the kinds -----------------------------------------------------------------

def h(value) -> str:
    """HTML-escape content text for a widget label."""
    return html.escape(str(value or ""), quote=True)


def md_html(value) -> str:
    """Light Markdown (**bold**, *italic*) to HTML, escaping everything else."""
    s = h(value)
    s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"\*([^*\s][^*]*?)\*", r"<em>\1</em>", s)
    return s


STATUS_WORDS = {
    "correct": "Correct.",
    "partly": "Partly right.",
    "incorrect": "Not quite.",
    "incomplete": "Not finished yet.",
    "hint": "Not yet. A hint:",
    "saved": "Saved.",
    "restored": "",
}


def lang_of(ex) -> str | None:
    """The language an exercise is shown in: a translated lesson marks its exercises (``_lang``);
    otherwise None, which :func:`civicnb.i18n.t` reads as the language being rendered (English)."""
    return ex.get("_lang") if isinstance(ex, dict) else None


def feedback_html(status: str, message: str, lang: str | None = None) -> str:
    word = t(STATUS_WORDS[status], lang) if STATUS_WORDS.get(status) else ""
    symbol = {"correct": "✔", "partly": "◐", "incorrect": "✘", "incomplete": "…", "hint": "?"}.get(status, "")
    return (f'<div class="civicnb-feedback civicnb-{status}" role="status" aria-live="polite">'
            f"<strong>{(symbol + ' ') if symbol else ''}{word}</strong> {md_html(message)}</div>")


def prompt_html(ex, number_label: str = "") -> str:
    title = ex.get("title")
    head = f"<strong>{h(number_label)}{h(title) if title else ''}</strong><br>" if (title or number_label) else ""
    return f'<div class="civicnb-prompt">{head}{md_html(ex.get("prompt"))}</div>'


def letters(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def key_block(*parts: str, breakable: bool = False) -> str:
    """The teacher key under a question. Kept on one page unless it holds a long table."""
    body = "\n\n".join(p for p in parts if p)
    return typ.call("keybox", typ.content(body), breakable="true" if breakable else "false")


def labelled(label: str, value_markup: str) -> str:
    return f"#strong[{typ.text(label)}] {value_markup}"


def teacher_note(ex) -> str:
    note = ex.get("teacher_note")
    return labelled("Facilitation note:", typ.inline(note)) if note else ""


CITE_MARK = "\x01"


ONCE_BLOCKS: dict = {}  # name -> function returning Typst markup, printed once per handout
ONCE_RE = re.compile(f"{CITE_MARK}once:([a-z-]+){CITE_MARK}")


def once(name: str) -> str:
    """A placeholder for a block that prints once per handout, where it is first needed."""
    return f"{CITE_MARK}once:{name}{CITE_MARK}"


def cite_mark(ids) -> str:
    """A placeholder for citation numbers; the handout renderer numbers sources per handout.

    Control characters never survive :func:`typ.string`, so text cannot forge a placeholder.
    """
    ids = [i for i in (ids or []) if i]
    return f"{CITE_MARK}cite:{','.join(ids)}{CITE_MARK}" if ids else ""

