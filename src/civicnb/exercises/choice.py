"""Single choice and multiple select."""
from __future__ import annotations

from ..handout import typ
from ..i18n import t
from .base import (Kind, h, key_block, labelled, lang_of, letters, prompt_html, teacher_note)


def _option_ids(ex):
    return [o.get("id") for o in ex.get("options") or [] if isinstance(o, dict)]


def accepted_choices(ex) -> list:
    """The key's answer, then every accepted alternative (``key.also_accept``)."""
    key = ex.get("key") or {}
    return [key.get("answer")] + [a for a in key.get("also_accept") or [] if a != key.get("answer")]


def accepted_sets(ex) -> list[frozenset]:
    """multi_select: the key's set of answers, then every other complete answer set accepted."""
    key = ex.get("key") or {}
    return [frozenset(key.get("answers") or [])] + [frozenset(s) for s in key.get("also_accept") or []]


def _choice_markup(ex, marked=(), square=False) -> str:
    rows = []
    for letter, opt in zip(letters(len(ex["options"])), ex["options"]):
        rows.append(typ.call("option", typ.string(letter), typ.content(typ.inline(opt["text"])),
                             marked="true" if opt["id"] in marked else "false",
                             square="true" if square else "false"))
    return "\n".join(rows)


class SingleChoice(Kind):
    name = "single_choice"
    label = "Choose one answer."

    def check(self, ex):
        ids = _option_ids(ex)
        if len(set(ids)) != len(ids):
            yield "two options share an id; give each option its own id", ex.line_of("options")
        key = ex.get("key") or {}
        if isinstance(key, dict) and key.get("answer") not in ids:
            yield (f"key.answer {key.get('answer')!r} is not one of the option ids ({', '.join(map(str, ids))})",
                   key.line_of("answer") if hasattr(key, "line_of") else ex.line)
        for a in (key.get("also_accept") or []) if isinstance(key, dict) else []:
            if a not in ids:
                yield (f"key.also_accept names {a!r}, which is not an option id ({', '.join(map(str, ids))})",
                       key.line_of("also_accept"))

    def grade(self, ex, answer):
        choice = (answer or {}).get("choice")
        if not choice:
            return None
        opt = next((o for o in ex["options"] if o["id"] == choice), None)
        if opt is None:
            return None
        return ("correct" if choice in accepted_choices(ex) else "incorrect"), opt["feedback"]

    def hint(self, ex, answer):
        opt = next((o for o in ex["options"] if o["id"] == (answer or {}).get("choice")), None)
        return str((opt or {}).get("hint") or ex.get("hint") or
                   t("That is not the best answer. Reread the question and the text it points to, then try again.",
                     lang_of(ex)))

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        labels = [(f"{l}. {o['text']}", o["id"]) for l, o in zip(letters(len(ex["options"])), ex["options"])]
        radio = W.RadioButtons(options=labels, value=(answer or {}).get("choice"),
                               description=t("Your answer", lang_of(ex)), layout=W.Layout(width="auto"),
                               style={"description_width": "initial"})

        def current():
            return {"choice": radio.value} if radio.value else {}

        check, fb = self.wire_check(ex, [radio], current, save, "Check my answer", "Choose an answer first.",
                                    bool((answer or {}).get("choice")))
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(f"<em>{h(self.screen_label(ex))}</em>"), radio, check, fb])
        box.controls = {"choice": radio}
        box.check_button, box.feedback = check, fb
        return box

    def paper(self, ex):
        return "\n".join([typ.text(self.paper_label(ex)), _choice_markup(ex)])

    def glance(self, ex):
        ids = _option_ids(ex)
        ls = letters(len(ids))
        opt = ex["options"][ids.index(ex["key"]["answer"])]
        also = [ls[ids.index(a)] for a in accepted_choices(ex)[1:] if a in ids]
        return (f"#strong[{typ.text(ls[ids.index(opt['id'])] + '.')}] {typ.inline(opt['text'])}",
                typ.text(", ".join(also)))

    def filled(self, ex, answer):
        return "\n".join([_choice_markup(ex, marked=[(answer or {}).get("choice")])])

    def key(self, ex):
        ids = _option_ids(ex)
        letter = letters(len(ids))[ids.index(ex["key"]["answer"])]
        opt = ex["options"][ids.index(ex["key"]["answer"])]
        each = "\n".join(f"- {typ.text(l + ': ')}{typ.inline(o['feedback'])}"
                         for l, o in zip(letters(len(ids)), ex["options"]))
        also = [letters(len(ids))[ids.index(a)] for a in accepted_choices(ex)[1:] if a in ids]
        return "\n".join([_choice_markup(ex, marked=[opt["id"]]), key_block(
            labelled("Answer:", typ.text(f"{letter}. ") + typ.inline(opt["text"])),
            labelled("Also accept (marked right in the notebook):", typ.text(", ".join(also))) if also else "",
            labelled("Why:", typ.inline(ex["key"]["why"])),
            labelled("Feedback students see for each option:", "") + "\n" + each,
            teacher_note(ex))])


class MultiSelect(Kind):
    name = "multi_select"
    label = "Tick every answer that applies."

    def check(self, ex):
        ids = _option_ids(ex)
        if len(set(ids)) != len(ids):
            yield "two options share an id; give each option its own id", ex.line_of("options")
        key = ex.get("key") or {}
        for a in (key.get("answers") or []) if isinstance(key, dict) else []:
            if a not in ids:
                yield (f"key.answers names {a!r}, which is not an option id ({', '.join(map(str, ids))})",
                       key.line_of("answers"))
        for alt in (key.get("also_accept") or []) if isinstance(key, dict) else []:
            for a in alt if isinstance(alt, list) else [alt]:
                if a not in ids:
                    yield (f"key.also_accept names {a!r}, which is not an option id ({', '.join(map(str, ids))})",
                           key.line_of("also_accept"))

    def grade(self, ex, answer):
        chosen = set((answer or {}).get("choices") or [])
        if not chosen:
            return None
        right = set(ex["key"]["answers"])
        if frozenset(chosen) in accepted_sets(ex):
            return "correct", ex["key"]["why"]
        notes = [f"**{o['text']}**: {o['feedback']}" for o in ex["options"] if o["id"] in chosen ^ right]
        hits, misses, extra = len(chosen & right), len(right - chosen), len(chosen - right)
        lang = lang_of(ex)
        summary = t("You found {hits} of {total}", lang, hits=hits, total=len(right))
        summary += (t(", and ticked {n} that does not fit.", lang, n=extra) if extra == 1 else
                    t(", and ticked {n} that do not fit.", lang, n=extra)) if extra else "."
        status = "partly" if hits else "incorrect"
        detail = " ".join(notes[:3]) if (misses or extra) else ""
        return status, f"{summary} {detail}".strip()

    def hint(self, ex, answer):
        if ex.get("hint"):
            return str(ex["hint"])
        chosen, right = set((answer or {}).get("choices") or []), set(ex["key"]["answers"])
        extra = len(chosen - right)
        lang = lang_of(ex)
        return (t("You found {hits} of the {total} answers that fit", lang, hits=len(chosen & right), total=len(right))
                + ((t(", and ticked {n} that does not.", lang, n=extra) if extra == 1 else
                    t(", and ticked {n} that do not.", lang, n=extra)) if extra else ".")
                + " " + t("Reread each option against the text before you check again.", lang))

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        chosen = set((answer or {}).get("choices") or [])
        boxes = []
        for l, o in zip(letters(len(ex["options"])), ex["options"]):
            cb = W.Checkbox(value=o["id"] in chosen, description=f"{l}. {o['text']}", indent=False,
                            layout=W.Layout(width="auto"))
            cb.option_id = o["id"]
            boxes.append(cb)
        def current():
            return {"choices": [b.option_id for b in boxes if b.value]}

        check, fb = self.wire_check(ex, boxes, current, save, "Check my answer", "Tick at least one answer first.",
                                    bool(chosen))
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(f"<em>{h(self.screen_label(ex))}</em>"), *boxes, check, fb])
        box.controls = {o["id"]: b for o, b in zip(ex["options"], boxes)}
        box.check_button, box.feedback = check, fb
        return box

    def paper(self, ex):
        return "\n".join([typ.text(self.paper_label(ex)), _choice_markup(ex, square=True)])

    def glance(self, ex):
        ids = _option_ids(ex)
        ls = dict(zip(ids, letters(len(ids))))
        sets = [", ".join(ls[i] for i in ids if i in s) for s in accepted_sets(ex)]
        return f"#strong[{typ.text('Tick ' + sets[0])}]", typ.text(" or ".join(sets[1:]))

    def filled(self, ex, answer):
        return "\n".join([_choice_markup(ex, marked=(answer or {}).get("choices") or [], square=True),
                          ])

    def key(self, ex):
        right = ex["key"]["answers"]
        lines = "\n".join(
            f"- {typ.text(l + '. ' + ('tick' if o['id'] in right else 'leave blank') + ' — ')}{typ.inline(o['feedback'])}"
            for l, o in zip(letters(len(ex["options"])), ex["options"]))
        return "\n".join([_choice_markup(ex, marked=right, square=True), key_block(
            labelled("Answers:", typ.text(", ".join(l for l, o in zip(letters(len(ex["options"])), ex["options"])
                                                     if o["id"] in right))),
            labelled("Also accept (marked right in the notebook):", self.glance(ex)[1])
            if (ex["key"].get("also_accept")) else "",
            labelled("Why:", typ.inline(ex["key"]["why"])), lines, teacher_note(ex))])

