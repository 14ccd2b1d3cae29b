"""Highlight words or phrases in a passage."""
from __future__ import annotations

import functools
import re

from ..handout import typ
from ..i18n import t
from .base import Kind, h, key_block, labelled, lang_of, prompt_html, teacher_note


@functools.lru_cache(maxsize=64)
def tokens(passage: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of each word; cached, as a class summary grades hundreds of answers."""
    return tuple((m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", passage))


def breaks_before(passage: str) -> set[int]:
    """Indexes of words that start a new line in the passage (e.g. headline, then subtitle)."""
    toks = tokens(passage)
    return {i for i in range(1, len(toks)) if "\n" in passage[toks[i - 1][1]:toks[i][0]]}


@functools.lru_cache(maxsize=256)
def target_tokens(passage: str, target: str) -> frozenset[int]:
    start = passage.find(target)
    if start < 0:
        return frozenset()
    end = start + len(target)
    return frozenset(i for i, (a, b, _) in enumerate(tokens(passage)) if a < end and b > start)


class Highlight(Kind):
    name = "highlight"
    label = "Select the words that answer the question. Select a word again to clear it."

    def check(self, ex):
        passage = ex.get("passage") or ""
        for t in ((ex.get("key") or {}).get("targets") or []):
            if isinstance(t, dict) and t.get("text") and t["text"] not in passage:
                yield (f"target {t['text']!r} is not found word for word in the passage; copy it exactly",
                       t.line_of("text"))
        gl = ex.get("passage_gloss")
        if isinstance(gl, list) and gl and len(gl) != passage.count("\n") + 1:
            yield (f"passage_gloss has {len(gl)} line(s) but the passage has {passage.count(chr(10)) + 1}; "
                   "give one gloss per passage line", ex.line_of("passage_gloss"))
        key = ex.get("key") or {}
        for phrase in (key.get("also_accept") or []) if isinstance(key, dict) else []:
            if isinstance(phrase, str) and phrase not in passage:
                yield (f"also_accept phrase {phrase!r} is not found word for word in the passage; copy it exactly",
                       key.line_of("also_accept"))

    def grade(self, ex, answer):
        chosen = set((answer or {}).get("selected") or [])
        if not chosen:
            return None
        passage = ex["passage"]
        targets = ex["key"]["targets"]
        spans = [target_tokens(passage, t["text"]) for t in targets]
        found = [t for t, s in zip(targets, spans) if s & chosen]
        inside = set().union(*spans) if spans else set()
        for phrase in ex["key"].get("also_accept") or []:  # extra phrases that count as targets
            inside |= target_tokens(passage, phrase)
        extra = chosen - inside
        words = tokens(passage)
        lang = lang_of(ex)
        if len(found) == len(targets) and not extra:
            return "correct", t("You found all {n}.", lang, n=len(targets)) + " " + ex["key"]["why"]
        parts = [t("You found {hits} of {total}.", lang, hits=len(found), total=len(targets))]
        for tg in found[:2]:
            parts.append(f"**{tg['text']}**: {tg['why']}")
        if extra:
            sample = ", ".join(f"“{words[i][2]}”" for i in sorted(extra)[:3] if i < len(words))
            parts.append(t("Some selected words are plain description, not what we are looking for ({sample}).",
                           lang, sample=sample))
        return ("partly" if found else "incorrect"), " ".join(parts)

    def hint(self, ex, answer):
        if ex.get("hint"):
            return str(ex["hint"])
        chosen = set((answer or {}).get("selected") or [])
        spans = [target_tokens(ex["passage"], t["text"]) for t in ex["key"]["targets"]]
        found = sum(1 for s in spans if s & chosen)
        extra = chosen - set().union(*spans) if spans else chosen
        lang = lang_of(ex)
        return (t("You found {hits} of {total}.", lang, hits=found, total=len(spans))
                + (" " + t("Some of the words you selected do not answer the question.", lang) if extra else "")
                + " " + t("Reread the question: which words does it ask you to find?", lang))

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        chosen = set((answer or {}).get("selected") or [])
        buttons, items, newline = [], [], breaks_before(ex["passage"])
        for i, (_, _, word) in enumerate(tokens(ex["passage"])):
            b = W.ToggleButton(value=i in chosen, description=word, tooltip=t("word {n}: {word}", lang_of(ex), n=i + 1, word=word),
                               layout=W.Layout(width="auto", margin="1px"))
            b.index = i
            buttons.append(b)
            if i in newline:  # a full-width empty box starts a new line in the wrapping row
                items.append(W.Box(layout=W.Layout(width="100%", height="0px")))
            items.append(b)
        def current():
            return {"selected": [b.index for b in buttons if b.value]}

        check, fb = self.wire_check(ex, buttons, current, save, "Check my highlights",
                                    "Select at least one word first.", bool(chosen))
        words = W.Box(items, layout=W.Layout(display="flex", flex_flow="row wrap"))
        words.add_class("civicnb-words")  # one group, one tab stop, arrow keys between words (labextension)
        how = W.HTML(f"<em>{h(self.screen_label(ex))}</em>")
        how.add_class("civicnb-screen-label")
        src = f"<div><small>{h(ex.get('passage_source'))}</small></div>" if ex.get("passage_source") else ""
        if self.glosses(ex):  # a translation: what each quoted line says, in the reader's language
            src = "<ol style='margin:.3em 0' role='list'>" + "".join(
                f"<li style='list-style:none'><em>{h(g)}</em></li>" for g in self.glosses(ex)) + "</ol>" + src
        box = W.VBox([W.HTML(prompt_html(ex)), how, words, W.HTML(src), check, fb])
        box.controls, box.check_button, box.feedback = buttons, check, fb
        return box

    @staticmethod
    def glosses(ex) -> list[str]:
        """In a translation, a gloss of each passage line in the reader's language (``passage_gloss``,
        one per line); the passage itself stays as quoted, so the words to select and their grading
        are the same in every language. English: none."""
        if (lang_of(ex) or "en") == "en":  # None: an English lesson
            return []
        return [str(g) for g in ex.get("passage_gloss") or []]

    def _passage(self, ex, marked: set[int]) -> str:
        out, newline = [], breaks_before(ex["passage"])
        glosses, line = self.glosses(ex), 0

        def gloss():
            return (f" #linebreak() #text(size: 0.9em, style: \"italic\")[{typ.text(glosses[line])}]"
                    if line < len(glosses) else "")
        for i, (_, _, word) in enumerate(tokens(ex["passage"])):
            if i in newline:
                out.append(gloss() + "\\\n")
                line += 1
            out.append(f"#marked[{typ.text(word)}]" if i in marked else typ.text(word))
        out.append(gloss())
        src = f"\n\n#text(size: 9pt)[{typ.text(ex['passage_source'])}]" if ex.get("passage_source") else ""
        return typ.call("passage", typ.content(" ".join(out) + src))

    def glance(self, ex):
        key = ex["key"]
        return (typ.text(", ".join(f"“{t['text']}”" for t in key["targets"])),
                typ.text(", ".join(f"“{p}”" for p in key.get("also_accept") or [])))

    def paper(self, ex):
        return "\n".join([typ.text(t("Underline the words that answer the question.", lang_of(ex))), self._passage(ex, set()),
                          ])

    def filled(self, ex, answer):
        return "\n".join([typ.text(t("Words I selected are shown underlined and bold.", lang_of(ex))),
                          self._passage(ex, set((answer or {}).get("selected") or []))])

    def key(self, ex):
        marked = set().union(*(target_tokens(ex["passage"], t["text"]) for t in ex["key"]["targets"]))
        items = "\n".join(f"- #strong[{typ.text(t['text'])}]{typ.text(': ')}{typ.inline(t['why'])}"
                          for t in ex["key"]["targets"])
        return "\n".join([self._passage(ex, marked), key_block(
            labelled("Words to find:", ""), items,
            labelled("Also accept (marked right in the notebook):", self.glance(ex)[1]) if ex["key"].get("also_accept") else "",
            labelled("Why:", typ.inline(ex["key"]["why"])),
            teacher_note(ex))])
