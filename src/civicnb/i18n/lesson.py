"""A lesson in another language: the same lesson data with its translation laid over it.

``Project.lesson(name, lang="es")`` returns a :class:`TranslatedLesson`: item ids, numbering, keys
and saved answers are the English lesson's; the student-facing strings come from
``lessons/<lesson>/i18n/<lang>.yml`` (see :mod:`civicnb.i18n`), and the labels the program writes
("Question 7", "Claim 4", "¶3") are in the language too. A string with no translation stays English
(the freshness test and ``civicnb check`` fail on it, so a shipped language has none).
"""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from . import LANGS, SOURCE_LANG, apply_overlay, t
from ..content.model import Lesson, Project


def load_strings(root: Path, name: str, lang: str) -> dict:
    """The ``strings`` of one translation file ({} when there is none)."""
    from .sync import read_translation, translation_path

    data = read_translation(translation_path(root, name, lang), lang)
    return dict(data.get("strings") or {}) if data else {}


def tr_label(label: str, lang: str) -> str:
    """An English label the model writes ("Questions 8–10", "Question 12 (Claim 7)", "Question 3, item D",
    "¶2 and ¶5") in ``lang``. Box titles (in quotes) are already translated."""
    if lang == SOURCE_LANG or not isinstance(label, str):
        return label
    out = []
    # split off quoted box titles so their words are never touched
    for part in re.split(r"(“[^”]*”)", label):
        if part.startswith("“"):
            out.append(part)
            continue
        part = re.sub(r"\b(Questions|Question|Claims|Claim)\b", lambda m: t(m.group(1), lang), part)
        part = re.sub(r", (item|event|statement) ", lambda m: ", " + t(m.group(1), lang) + " ", part)
        part = re.sub(r" and ", " " + t("and", lang) + " ", part)
        out.append(part)
    return "".join(out)


def month_year(date: str, lang: str, year_only: bool = False) -> str:
    """"March 2025" / "marzo de 2025" (or the year alone)."""
    if year_only:
        return date[:4]
    m = int(date[5:7])
    return t("{month} {year}", lang, month=t(f"month{m}", lang), year=date[:4])


def day_month_year(date: str, lang: str) -> str:
    """"3 February 2025" / "3 de febrero de 2025"."""
    y, m, d = date.split("-")
    return t("{day} {month} {year}", lang, day=int(d), month=t(f"month{int(m)}", lang), year=y)


class TranslatedLesson(Lesson):
    lang: str = SOURCE_LANG

    @cached_property
    def strings(self) -> dict:
        return load_strings(self.project.root, self.name, self.lang)

    def overlay(self, data, filename: str):
        """Lay this lesson's translation over one of its data files (as loaded)."""
        return apply_overlay(data, self.strings, filename) if isinstance(data, (dict, list)) else data

    def overlay_from(self, data, rel: str):
        """Lay another lesson's translation over a file of that lesson (``01-claims/timeline.yml``)."""
        other, _, filename = rel.partition("/")
        if other == self.name:
            return self.overlay(data, filename)
        return apply_overlay(data, load_strings(self.project.root, other, self.lang), filename) \
            if isinstance(data, (dict, list)) else data

    @cached_property
    def raw_meta(self):
        return self.overlay(Lesson.raw_meta.func(self), "lesson.yml")

    @cached_property
    def raw_exercise_list(self) -> list:
        out = Lesson.raw_exercise_list.func(self)
        apply_overlay({"exercises": out}, self.strings, "exercises.yml")
        return out

    @cached_property
    def exercise_list(self) -> list:
        out = Lesson.exercise_list.func(self)
        for ex in out:
            if isinstance(ex, dict):
                dict.__setitem__(ex, "_lang", self.lang)  # the kinds write their fixed words in it
        return out

    @cached_property
    def claim_list(self) -> list:
        out = Lesson.claim_list.func(self)
        apply_overlay({"claims": out}, self.strings, "claims.yml")
        return out

    def data_file(self, name: str):
        cache = self.__dict__.setdefault("_data_files", {})
        fresh = name not in cache
        data = Lesson.data_file(self, name)
        if fresh:
            self.overlay(data, name)
        return data

    def _resolve(self, ex):
        out = Lesson._resolve(self, ex)
        if not isinstance(out, dict) or out is ex:
            return out
        if out.get("_claim_label"):
            dict.__setitem__(out, "_claim_label", tr_label(out["_claim_label"], self.lang))
        cut = out.get("cutoff")
        if isinstance(cut, dict) and cut.get("label") == "The article's knowledge ends here":
            dict.__setitem__(out, "cutoff", dict(cut, label=t(cut["label"], self.lang)))
        how = out.get("show_dates")
        if out.get("kind") == "timeline" and how in ("month", "year"):
            events = []
            for e in out.get("events") or []:
                d = e.get("date") if isinstance(e, dict) else None
                if isinstance(d, str) and len(d) >= 7:
                    from ..content.model import _dated

                    en = _dated({"date": d, "text": ""}, how)["text"]  # "March 2025: "
                    text = e.get("text", "")
                    if text.startswith(en):
                        e = dict(e, text=f"{month_year(d, self.lang, how == 'year')}: {text[len(en):]}")
                events.append(e)
            dict.__setitem__(out, "events", events)
        return out

    # -- labels in the language -----------------------------------------------------------------------
    def label_of(self, item_id: str) -> str:
        label = Lesson.label_of(self, item_id)
        return label if self.__dict__.get("_english_labels") else tr_label(label, self.lang)

    def labels_of(self, ids) -> str:
        self.__dict__["_english_labels"] = True
        try:
            label = Lesson.labels_of(self, ids)
        finally:
            self.__dict__["_english_labels"] = False
        return tr_label(label, self.lang)


class TranslatedProject(Project):
    """The project read in one language (its unit title, article map and lessons)."""
    lang: str = SOURCE_LANG

    def lesson(self, name: str, lang: str | None = None) -> Lesson:
        if lang and lang != self.lang:
            return Project.lesson(self, name, lang)
        if name not in self._lessons:
            matches = [n for n in self.lesson_names if n == name or n.split("-", 1)[0] == name]
            if not matches:
                raise KeyError(f"No lesson {name!r}; lessons are: {', '.join(self.lesson_names)}")
            full = matches[0]
            if full not in self._lessons:
                lesson = TranslatedLesson(self, full)
                lesson.lang = self.lang
                self._lessons[full] = lesson
            self._lessons[name] = self._lessons[full]
        return self._lessons[name]

    @cached_property
    def unit(self):
        unit = Project.unit.func(self)
        return apply_overlay(unit, load_strings(self.root, "unit", self.lang), "unit.yml")

    @cached_property
    def article(self):
        art = Project.article.func(self)
        return apply_overlay(art, load_strings(self.root, "article", self.lang), "article.yml") if art else art


def in_language(project: Project, lang: str) -> Project:
    """The project in ``lang`` (cached on the project); English is the project itself."""
    if lang not in LANGS:
        raise KeyError(f"no language {lang!r}; the languages are {', '.join(LANGS)}")
    if lang == getattr(project, "lang", SOURCE_LANG):
        return project
    if lang == SOURCE_LANG:
        return Project(project.root)
    cache = project.__dict__.setdefault("_in_language", {})
    if lang not in cache:
        p = TranslatedProject(project.root)
        p.lang = lang
        cache[lang] = p
    return cache[lang]
