"""Written answers (short, long, claim–evidence–reasoning) and the agree–disagree poll."""
from __future__ import annotations

import re

from ..handout import typ
from ..i18n import t
from .base import (POLL, WRITTEN, Kind, feedback_html, h, key_block, labelled, lang_of, md_html, prompt_html,
                   teacher_note)

ASK_RE = re.compile(r"\b(name|explain|why|reason|compare|describe|say|write|give|list|how)\b", re.I)


def lines_needed(prompt: str) -> int:
    """Answer lines a prompt needs on paper: about one and a half per thing it asks for (numbered
    parts, or asking words like name/explain/why), one more when it asks for two or three of
    something; at least 2, at most 8."""
    parts = len(re.findall(r"\(\d\)", prompt))
    asks = len({m.lower() for m in ASK_RE.findall(prompt)})
    n = max(parts, asks)
    if re.search(r"\b(two|both|three)\b", prompt, re.I):
        n += 1
    return max(2, min(8, 1 + n + (n + 1) // 2))


LEVELS = (("proficient", "Proficient"), ("developing", "Developing"), ("beginning", "Beginning"))
DEFAULT_SCALE = ["Strongly disagree", "Disagree", "Not sure", "Agree", "Strongly agree"]


def _saved_note(text_value: str, lang=None) -> str:
    words = len((text_value or "").split())
    said = t("Saved · {n} word", lang, n=words) if words == 1 else t("Saved · {n} words", lang, n=words)
    return (f"<small role='status' aria-live='polite'>{h(said)}</small>"
            if words else f"<small>{h(t('Your answer saves as you type.', lang))}</small>")


def _exemplars(ex) -> str:
    ks = ex["key"]
    parts = [labelled("Exemplars (three levels):", "")]
    parts += [f"- #strong[{typ.text(label)}:] {typ.inline(ks['exemplars'][lvl])}" for lvl, label in LEVELS]
    parts.append(labelled("Look for:", ""))
    parts += [f"- {typ.inline(x)}" for x in ks["look_for"]]
    if ks.get("accept"):
        parts.append(labelled("Also accept:", ""))
        parts += [f"- {typ.inline(x)}" for x in ks["accept"]]
    return "\n".join(parts)


class Written(Kind):
    name = "short_answer"
    mode = WRITTEN
    default_lines = 3
    label = "Write your answer in full sentences."

    def lines(self, ex) -> int:
        return int(ex.get("lines") or self.default_lines)

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        rows = max(3, min(14, self.lines(ex) + 1))
        lang = lang_of(ex)
        area = W.Textarea(value=(answer or {}).get("text", ""), placeholder=ex.get("starter") or t("Type here…", lang),
                          description=t("Your answer", lang), rows=rows, continuous_update=True,
                          layout=W.Layout(width="95%"), style={"description_width": "initial"})
        status = W.HTML(_saved_note(area.value, lang))
        status.add_class("civicnb-live")

        def changed(change):
            save({"text": change["new"]})
            status.value = _saved_note(change["new"], lang)

        area.observe(changed, names="value")
        box = W.VBox([W.HTML(prompt_html(ex)), area, status])
        box.controls, box.feedback = {"text": area}, status
        return box

    def is_answered(self, answer):
        return bool((answer or {}).get("text", "").strip())

    def glance(self, ex):
        ks = ex["key"]
        return (typ.text("Written: grade with the exemplars and “look for” list in the key."),
                typ.inline("; ".join(ks.get("accept") or [])))

    def paper(self, ex):
        starter = typ.call("starter", typ.content(typ.inline(ex["starter"]))) if ex.get("starter") else ""
        return f"#block(breakable: false)[{starter}\n{typ.call('answerlines', str(self.lines(ex)))}]"

    def filled(self, ex, answer):
        return typ.call("studentanswer", typ.string((answer or {}).get("text", "")))

    def key(self, ex):
        return "\n".join([key_block(_exemplars(ex), teacher_note(ex))])


class LongAnswer(Written):
    name = "long_answer"
    default_lines = 8
    label = "Write a paragraph."


class CER(Kind):
    name = "cer"
    mode = WRITTEN
    parts = (("claim", "Claim", "What is your answer to the question?"),
             ("evidence", "Evidence", "Which facts or sources support it? Name them."),
             ("reasoning", "Reasoning", "How does the evidence prove the claim?"))

    def is_answered(self, answer):
        return any((answer or {}).get(p, "").strip() for p, _, _ in self.parts)

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        areas = {}
        lang = lang_of(ex)
        for part, label, hint in self.parts:
            areas[part] = W.Textarea(value=(answer or {}).get(part, ""), placeholder=t(hint, lang), description=t(label, lang),
                                     rows=3 if part == "claim" else 5, continuous_update=True,
                                     layout=W.Layout(width="95%"), style={"description_width": "6em"})
        status = W.HTML(f"<small>{h(t('Your answer saves as you type.', lang))}</small>")
        status.add_class("civicnb-live")

        def changed(_):
            a = {p: areas[p].value for p, _, _ in self.parts}
            save(a)
            status.value = _saved_note(" ".join(a.values()), lang)

        for a in areas.values():
            a.observe(changed, names="value")
        q = f"<p><strong>{h(t('Question:', lang))}</strong> {md_html(ex['question'])}</p>"
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(q), *areas.values(), status])
        box.controls, box.feedback = areas, status
        return box

    def _organiser(self, ex, answer=None, exemplar=False):
        rows = []
        lang = lang_of(ex)
        for part, label, hint in self.parts:
            value = (answer or {}).get(part)
            body = typ.inline(value) if exemplar else (typ.text(value) if value else "")
            rows.append(typ.call("cerrow", typ.string(t(label, lang)), typ.string(t(hint, lang)), typ.content(body),
                                 filled="true" if value else "false"))
        q = labelled(t("Question:", lang), typ.inline(ex["question"]))
        return q + "\n\n" + "\n".join(rows)

    def glance(self, ex):
        return typ.text("Claim–evidence–reasoning: grade with the exemplar and “look for” list in the key."), ""

    def paper(self, ex):
        return self._organiser(ex)

    def filled(self, ex, answer):
        return self._organiser(ex, answer or {})

    def key(self, ex):
        look = "\n".join(f"- {typ.inline(x)}" for x in ex["key"]["look_for"])
        return "\n".join([self._organiser(ex, ex["key"]["exemplar"], exemplar=True),
                          key_block(labelled("Look for:", ""), look, teacher_note(ex))])


class Scale(Kind):
    name = "scale"
    mode = POLL
    label = "Circle how much you agree. There is no right answer."

    def screen_label(self, ex=None):
        return t("Choose how much you agree with each statement. There is no right answer, and answering is optional.",
                 lang_of(ex))

    def labels(self, ex):
        return list(ex.get("scale") or [t(x, lang_of(ex)) for x in DEFAULT_SCALE])

    def is_answered(self, answer):
        return bool((answer or {}).get("ratings"))

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        ratings = dict((answer or {}).get("ratings") or {})
        labels = self.labels(ex)
        controls, rows = {}, []
        for n, st in enumerate(ex["statements"], 1):
            tb = W.ToggleButtons(options=[(l, i) for i, l in enumerate(labels)],
                                 value=ratings.get(st["id"]), description=t("Statement {n}", lang_of(ex), n=n),
                                 tooltips=labels, style={"description_width": "7em", "button_width": "auto"})
            controls[st["id"]] = tb
            rows += [W.HTML(f"<p><strong>{n}.</strong> {md_html(st['text'])}</p>"), tb]
        status = W.HTML()
        status.add_class("civicnb-live")

        def changed(_):
            a = {"ratings": {k: c.value for k, c in controls.items() if c.value is not None}}
            save(a)
            status.value = feedback_html("saved", t("You answered {n} of {total}. There are no wrong answers here.",
                                                    lang_of(ex), n=len(a["ratings"]), total=len(controls)), lang_of(ex))

        for c in controls.values():
            c.observe(changed, names="value")
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(f"<em>{h(self.screen_label(ex))}</em>"), *rows, status])
        box.controls, box.feedback = controls, status
        return box

    def _table(self, ex, ratings=None):
        labels = self.labels(ex)
        cells = []
        for n, st in enumerate(ex["statements"], 1):
            cells.append(typ.content(typ.text(f"{n}. ") + typ.inline(st["text"])))
            r = (ratings or {}).get(st["id"])
            for i, l in enumerate(labels):
                cells.append(typ.content(typ.call("circled", typ.string(l), on="true" if r == i else "false")))
        header = [typ.content(typ.text(t("Statement", lang_of(ex))))] + [typ.content(typ.text(l)) for l in labels]
        return typ.call("scaletable", str(len(labels)), typ.array(cells), header=typ.array(header))

    def glance(self, ex):
        return typ.text("No right answer: a private poll (share class counts only)."), ""

    def paper(self, ex):
        lang = lang_of(ex)
        said = t("no right answer", lang).lower() in str(ex.get("prompt") or "").lower()  # said once is enough
        label = t("Circle how much you agree.", lang) if said else self.paper_label(ex)
        return "\n".join([typ.text(label), self._table(ex)])

    def filled(self, ex, answer):
        if isinstance(answer, dict) and answer.get("private"):  # private polls (see work/store.py)
            return typ.text(t("Poll answers are private: they are not printed on this worksheet.", lang_of(ex)))
        return self._table(ex, (answer or {}).get("ratings") or {})

    @staticmethod
    def _repeat_line(ex) -> str:
        """Where the unit asks this poll again (the renderer fills ``_poll``; see Renderer.poll_pair)."""
        pair = ex.get("_poll") or {}
        side = "before" if pair.get("before") else "later" if pair.get("later") else None
        if side is None:
            return ""
        lesson, num = pair[side]
        q = f"Question {num} of lesson {lesson}" if num else f"lesson {lesson}"
        if side == "before":
            return labelled("Repeats the before-unit poll", typ.text(
                f"({q}): the same statements. Fill in the tally table above with both polls' class counts; in the "
                "notebook, the class summary pairs them for you."))
        return labelled("Repeats later:", typ.text(
            f"the same statements return at the end of the unit ({q}). Keep this poll's class counts "
            "to compare then."))

    def tally(self, ex) -> str:
        """On paper: a before/after tally table for a repeated poll (statement x answer, Before/After)."""
        if not (ex.get("_poll") or {}).get("before"):
            return ""
        labels = self.labels(ex)
        cols = len(labels) * 2 + 1
        head = ["table.cell(rowspan: 2)[*Statement*]"] + [
            f"table.cell(colspan: 2, align: center)[*{typ.text(l)}*]" for l in labels]
        sub = ["[Before]", "[After]"] * len(labels)
        cells = []
        for n, st in enumerate(ex["statements"], 1):
            cells.append(typ.content(typ.text(f"{n}. ") + typ.inline(st["text"])))
            cells += ["[]"] * (len(labels) * 2)
        widths = "(1fr, " + ", ".join(["0.42in"] * (len(labels) * 2)) + ")"
        return ("#together[#strong[" + typ.text("Before/after tally (class counts)") + "]\n"
                "#set text(size: 7.5pt)\n"
                f"#table(columns: {widths}, inset: 3pt, align: left + horizon, "
                f"table.header({', '.join(head)}, {', '.join(sub)}), {', '.join(cells)})]")

    def key(self, ex):
        return "\n".join([self._table(ex), self.tally(ex), key_block(
            labelled("No right answer.", typ.inline(ex["key"]["why"])),
            self._repeat_line(ex),
            labelled("Private poll:", typ.text(
                "answering is optional; answers are not printed on a student's worksheet and the class summary "
                "shows counts only. Polls ask for political views, which student-privacy rules such as the federal "
                "Protection of Pupil Rights Amendment protect; check your district's policy before turning names "
                "on (civicnb export-work --poll-names).")),
            teacher_note(ex))])
