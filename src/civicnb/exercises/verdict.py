""""Check it" cards: read short evidence notes from different kinds of sources, pick a verdict on a
claim from the article, and give a reason. Lateral reading, simulated offline: the evidence notes
stand in for the tabs a fact-checker would open."""
from __future__ import annotations

from ..content.balance import notes_line
from ..handout import typ
from ..i18n import t
from .base import (ONCE_BLOCKS, Kind, cite_mark, h, key_block, labelled, lang_of, letters, md_html, once,
                   prompt_html, teacher_note)

VERDICTS = [
    ("accurate", "Accurate", "The evidence supports the claim as written."),
    ("missing-context", "Accurate but missing context", "True, but it leaves out something that changes how it reads."),
    ("misleading", "Exaggerated or misleading", "It overstates, twists or misattributes what the evidence shows."),
    ("unsupported", "Unsupported", "No good evidence backs it up (or the article gives none and none was found)."),
    ("outdated", "Outdated since publication", "It may have been true then, but later events changed it."),
]
VERDICT_LABEL = {v: label for v, label, _ in VERDICTS}
SOURCE_KIND = {
    "government": "Government", "news-agency": "News agency", "news": "News outlet",
    "rights-group": "Human-rights group", "court": "Court record", "law": "Law or treaty text",
    "international-body": "International body", "research": "Research",
}


def verdicts(lang=None) -> list:
    """VERDICTS with their labels and meanings in ``lang``."""
    return [(v, t(label, lang), t(desc, lang)) for v, label, desc in VERDICTS]


def verdict_label(v, lang=None) -> str:
    return t(VERDICT_LABEL[v], lang) if v in VERDICT_LABEL else str(v)


class Verdict(Kind):
    name = "verdict"
    label = "Choose a verdict, then give your reason."

    def claim(self, ex):
        return ex["_claim"]

    def lines(self, ex) -> int:
        """Answer lines for the reason: as many as the prompt asks for (naming two sources and a reason
        needs four), at least three."""
        from .written import lines_needed

        return int(ex.get("lines") or max(3, lines_needed(str(ex.get("prompt") or ""))))

    def grade(self, ex, answer):
        v = (answer or {}).get("verdict")
        if not v:
            return None
        c = self.claim(ex)
        lang = lang_of(ex)
        if v == c["verdict"]:
            return "correct", c["verdict_why"]
        if v in (c.get("also_accept") or []):
            return "correct", t("*{verdict}* can be defended here if your reason shows it. The key says *{key}*: {why}",
                                lang, verdict=verdict_label(v, lang), key=verdict_label(c["verdict"], lang),
                                why=c["verdict_why"])
        return "incorrect", t("Reread the notes. *{verdict}* means: {meaning} Does every note fit that?", lang,
                              verdict=verdict_label(v, lang),
                              meaning=dict((a, d) for a, _, d in verdicts(lang)).get(v, ''))

    def is_answered(self, answer):
        return bool((answer or {}).get("verdict"))

    def _evidence_html(self, ex, cite):
        items = []
        lang = lang_of(ex)
        for ev in self.claim(ex)["evidence"]:
            items.append(f"<li><strong>{h(t(SOURCE_KIND.get(ev['kind'], ev['kind']), lang))}:</strong> {md_html(ev['note'])}"
                         f"{cite(ev['sources'])} <small><em>{h(t('As of {date}.', lang, date=ev['as_of']))}</em></small></li>")
        return "<ol class='civicnb-evidence'>" + "".join(items) + "</ol>"

    def hint(self, ex, answer):
        v = (answer or {}).get("verdict")
        lang = lang_of(ex)
        return (ex.get("hint") or self.claim(ex).get("hint") or
                t("Reread the notes. *{verdict}* means: {meaning} Does every note fit that?", lang,
                  verdict=verdict_label(v, lang), meaning=dict((a, d) for a, _, d in verdicts(lang)).get(v, '')))

    def widget(self, ex, answer, save, cite=None):
        cite = cite or (lambda ids: "")
        import ipywidgets as W

        c = self.claim(ex)
        lang = lang_of(ex)
        state = dict(answer or {})
        where = (t("Claim (paragraph {n}):", lang, n=c["paragraph"]) if c["paragraph"]
                 else t("Claim (headline):", lang))
        claim_html = (f"<div class='civicnb-claim' style='border:2px solid #000;padding:.4em .7em'>"
                      f"<strong>{h(where)}</strong> {md_html(c['paraphrase'])}</div>")
        # the five-verdict scale sits in the choices themselves: every card shows what each verdict means
        radio = W.RadioButtons(options=[(f"{l}. {label}: {desc}", v) for l, (v, label, desc) in zip(letters(5), verdicts(lang))],
                               value=state.get("verdict"), description=t("Verdict", lang),
                               layout=W.Layout(width="auto"), style={"description_width": "initial"})
        radio.add_class("civicnb-verdicts")
        reason = W.Textarea(value=state.get("reason", ""), description=t("Your reason", lang),
                            placeholder=t("Which note convinced you, and why?", lang), rows=3, continuous_update=True,
                            layout=W.Layout(width="95%"), style={"description_width": "initial"})

        def current():
            return {k: v for k, v in (("verdict", radio.value), ("reason", reason.value)) if v}

        check, fb = self.wire_check(ex, [radio, reason], current, save, "Check my verdict",
                                    "Choose a verdict first.", bool(state.get("verdict")))
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(claim_html),
                      W.HTML(f"<strong>{h(t('Evidence notes', lang))}</strong>" + self._evidence_html(ex, cite)),
                      W.HTML(f"<em>{h(self.screen_label(ex))}</em>"), radio, reason, check, fb])
        box.controls = {"verdict": radio, "reason": reason}
        box.check_button, box.feedback = check, fb
        return box

    def _card(self, ex, marked=None, reason=None, key=False):
        c = self.claim(ex)
        lang = lang_of(ex)
        where = f"¶{c['paragraph']}" if c["paragraph"] else t("the headline", lang)
        label = ex.get("_claim_label") or t("Claim", lang)
        parts = [typ.call("claimbox", typ.content(f"#strong[{typ.text(label)}] " + typ.text(f"({where}): ")
                                                  + typ.inline(c["paraphrase"])))]
        notes = []
        for ev in c["evidence"]:
            notes.append(f"+ #strong[{typ.text(t(SOURCE_KIND.get(ev['kind'], ev['kind']), lang) + ':')}] "
                         f"{typ.inline(ev['note'])}{cite_mark(ev['sources'])} "
                         f"#text(size: 9pt)[{typ.text(t('(as of {date})', lang, date=_date(ev['as_of'], lang)))}]")
        parts.append(f"#strong[{typ.text(t('Evidence notes', lang))}]\n" + "\n".join(notes))
        index = next((i for i, (v, _, _) in enumerate(VERDICTS) if v == marked), -1)
        parts.append(typ.call("verdictrow", typ.array(typ.string(f"{l} {label}") for l, (_, label, _) in
                                                       zip(letters(5), verdicts(lang))), str(index)))
        if reason is not None:
            parts.append(labelled(t("My reason:", lang), "") + typ.call("studentanswer", typ.string(reason)))
        elif not key:
            parts.append(labelled(t("My reason:", lang), "") + typ.call("answerlines", str(self.lines(ex))))
        return "\n\n".join(parts)

    def glance(self, ex):
        c = self.claim(ex)
        return (typ.text(f"{ex.get('_claim_label') or 'Claim'}: ") + f"#strong[{typ.text(VERDICT_LABEL[c['verdict']])}]",
                typ.text(", ".join(VERDICT_LABEL.get(v, v) for v in c.get("also_accept") or [])))

    def paper(self, ex):
        return once("verdict-scale") + self._card(ex)

    def filled(self, ex, answer):
        a = answer or {}
        return once("verdict-scale") + self._card(ex, marked=a.get("verdict"), reason=a.get("reason", ""))

    def key(self, ex):
        c = self.claim(ex)
        return "\n\n".join([once("verdict-scale") + self._card(ex, marked=c["verdict"], key=True), key_block(
            labelled("Verdict:", typ.text(VERDICT_LABEL[c["verdict"]])),
            labelled("Also accept (marked right in the notebook):", self.glance(ex)[1]) if c.get("also_accept") else "",
            labelled("Why:", typ.inline(c["verdict_why"])),
            labelled("Type of claim:", typ.text(c["type"].replace("-", " "))),
            labelled("Who the article names as its source:",
                     typ.text(c.get("source_text") or {"none": "no one", "unnamed-group": "an unnamed group",
                                                       "named-person": "a named person"}[c["source_named"]])),
            labelled("Sources:", typ.text(notes_line(c))),
            teacher_note(ex))])


def _verdict_scale() -> str:
    rows = ", ".join(f"[#strong[{typ.text(l + '. ' + label)}]], [{typ.text(desc)}]"
                     for l, (_, label, desc) in zip(letters(5), verdicts()))
    return typ.call("framed", typ.content(typ.text(t("The five verdicts (for every Check-it card)"))),
                    typ.content(f"#table(columns: (auto, 1fr), stroke: none, inset: 3pt, "
                                f"table.header([#emph[{typ.text(t('Verdict'))}]], [#emph[{typ.text(t('What it means'))}]]), {rows})")) + "\n\n"


ONCE_BLOCKS["verdict-scale"] = _verdict_scale


def _date(iso, lang) -> str:
    """An evidence note's date as printed: ISO in English (as before); "30 ago. 2024" in a translation."""
    import calendar
    import re

    iso = str(iso)
    if (lang or "en") == "en" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso
    return f"{int(iso[8:10])} {t(calendar.month_abbr[int(iso[5:7])], lang)} {iso[:4]}"
