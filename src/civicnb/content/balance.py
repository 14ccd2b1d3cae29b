"""The balance ledger: whose view each evidence note, fact box and perspective card carries.

Every evidence note (claims.yml) and fact box (lesson.yml ``facts:``) says whose perspective its
source gives on the question at hand (``perspective:``), next to the source's ``kind`` (who published
it). Items on a contested or open question (``question: contested`` or ``open``) also say which side
each note supports (``favours:``, a short side id such as ``plan-caused-drop``). ``civicnb check``
reports the mix for every such item and fails where a card on a contested claim has no note for the
side the claim favours, or where an "as things stand" box lists developments for one side only.

This module is light (no schema imports): the teacher edition uses ``mix_line`` on every card.
"""
from __future__ import annotations

from collections import Counter

PERSPECTIVES = {
    "us-government": "U.S. government",
    "salvadoran-government": "Salvadoran government",
    "court": "court",
    "independent-press": "independent press",
    "rights-group": "rights group",
    "research": "research",
    "international-body": "international body",
    "other-government": "other government",
    "legal-text": "legal text",
}
OPEN_KINDS = ("contested", "open")
NEUTRAL = "neutral"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def perspective_mix(notes) -> str:
    """'2 independent press, 1 Salvadoran government' in the order of first appearance."""
    counts = Counter(n.get("perspective") for n in notes if isinstance(n, dict))
    order = []
    for n in notes:
        p = n.get("perspective") if isinstance(n, dict) else None
        if p not in order:
            order.append(p)
    return ", ".join(f"{counts[p]} {PERSPECTIVES.get(p, p or 'unlabelled')}" for p in order)


def sides_mix(claim) -> str:
    """How many notes favour the side the claim favours, the other side(s), or neither."""
    side = claim.get("favours")
    notes = [n for n in claim.get("evidence") or [] if isinstance(n, dict)]
    if not side:
        return ""
    pro = sum(1 for n in notes if n.get("favours") == side)
    con = sum(1 for n in notes if n.get("favours") not in (None, side, NEUTRAL))
    neutral = len(notes) - pro - con
    parts = [f"{pro} for the claim's side", f"{con} for another side"]
    if neutral:
        parts.append(f"{neutral} neutral")
    return "; ".join(parts)


def mix_line(claim) -> str:
    """One line for the teacher edition: 'Mix of notes: 2 independent press, 1 court (...)'."""
    notes = [n for n in claim.get("evidence") or [] if isinstance(n, dict)]
    line = f"{_plural(len(notes), 'note')}: {perspective_mix(notes)}"
    q = claim.get("question")
    if q in OPEN_KINDS:
        sides = sides_mix(claim)
        line += f". {q.capitalize()} question" + (f"; {sides}" if sides else "")
    return line + "."


def claim_problems(claim) -> list[str]:
    """Balance problems of one claim (empty when it is balanced or not on an open question)."""
    out = []  # a missing 'perspective' is reported by the schema (claims.json requires it)
    notes = [n for n in claim.get("evidence") or [] if isinstance(n, dict)]
    q = claim.get("question")
    if q not in OPEN_KINDS:
        return out
    side = claim.get("favours")
    if not side:
        out.append(f"is on a {q} question but does not say which side it favours; add favours: <side-id>")
        return out
    if q == "contested" and not any(n.get("favours") == side for n in notes) and not claim.get("no_note_for_side"):
        out.append(f"is on a contested question and favours {side!r}, but no evidence note gives that side's "
                   "case; add the strongest sourced note for it (favours: " + side + "), or say in "
                   "no_note_for_side why the sources have none")
    return out


def developments_problems(block) -> list[str]:
    """An 'as things stand' box on a contested or open question must not list one side only."""
    q = block.get("question")
    if q not in OPEN_KINDS:
        return []
    devs = [d for d in block.get("developments") or [] if isinstance(d, dict)]
    if not devs:
        return [f"is on a {q} question; list its developments (developments: [{{about, perspective, "
                "favours}}]) so the balance check can see both sides"]
    sides = {d.get("favours") for d in devs} - {None, NEUTRAL}
    if len(sides) == 1:
        return [f"lists only developments that favour {next(iter(sides))!r}; add the main development(s) "
                "on the other side, or mark a development neutral if it favours no side"]
    return []


def developments_mix(block) -> str:
    devs = [d for d in block.get("developments") or [] if isinstance(d, dict)]
    by_side = Counter(d.get("favours") or NEUTRAL for d in devs)
    sides = ", ".join(f"{n} {s}" for s, n in sorted(by_side.items()))
    return f"{_plural(len(devs), 'development')}: {perspective_mix(devs)}; by side: {sides}"


# -- plain teacher prose for the printed editions (the check report keeps the short ledger form) -------
FROM_WHOM = {  # perspective -> (one source, several sources)
    "us-government": ("the U.S. government", "the U.S. government"),
    "salvadoran-government": ("the Salvadoran government", "the Salvadoran government"),
    "court": ("a court", "courts"),
    "independent-press": ("the independent press", "the independent press"),
    "rights-group": ("a rights group", "rights groups"),
    "research": ("researchers", "researchers"),
    "international-body": ("an international body", "international bodies"),
    "other-government": ("another government", "other governments"),
    "legal-text": ("a legal text", "legal texts"),
}


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _side_name(side) -> str:
    s = str(side or "").replace("-", " ").strip()
    return s[:1].upper() + s[1:] if s in ("yes", "no") else f"\u201c{s}\u201d"


def sources_prose(notes) -> str:
    """'3 from the U.S. government' / '2 from the independent press and 1 from a court'."""
    notes = [n for n in notes if isinstance(n, dict)]
    counts = Counter(n.get("perspective") for n in notes)
    order = list(dict.fromkeys(n.get("perspective") for n in notes))
    parts = []
    for p in order:
        one, many = FROM_WHOM.get(p, (str(p or "an unlabelled source"),) * 2)
        parts.append(f"{counts[p]} from {one if counts[p] == 1 else many}")
    return _and(parts) if parts else "none"


def sides_prose(notes, claim_side=None) -> str:
    """'All support Yes.' / '2 support Yes and 1 supports No.' (neutral notes: 'support neither side')."""
    notes = [n for n in notes if isinstance(n, dict)]
    sides = Counter(n.get("favours") or NEUTRAL for n in notes)
    if not sides:
        return ""

    def name(side):
        if side == NEUTRAL:
            return "neither side"
        if claim_side is not None:
            return "the claim's side" if side == claim_side else "another side"
        return _side_name(side)

    if len(sides) == 1:
        side = next(iter(sides))
        who = "Both" if len(notes) == 2 else ("It" if len(notes) == 1 else "All")
        return f"{who} support{'s' if len(notes) == 1 else ''} {name(side)}."
    merged: Counter = Counter()
    for side, n in sides.items():
        merged[name(side)] += n
    parts = [f"{n} support{'s' if n == 1 else ''} {nm}" for nm, n in merged.items()]
    return _and(parts) + "."


def card_line(args) -> str:
    """A perspective card, for the teacher: 'Sources on this card: 3 from the U.S. government. All support Yes.'"""
    args = [a for a in args or [] if isinstance(a, dict)]
    line = f"Sources on this card: {sources_prose(args)}."
    if any(a.get("favours") for a in args):
        line += " " + sides_prose(args)
    return line


def notes_line(claim) -> str:
    """A Check-it card's notes, for the teacher: 'Notes on this card: 1 from a court and 1 from researchers.
    A contested question: 1 supports the claim's side and 1 supports another side.'"""
    notes = [n for n in claim.get("evidence") or [] if isinstance(n, dict)]
    line = f"Notes on this card: {sources_prose(notes)}."
    q = claim.get("question")
    if q in OPEN_KINDS:
        line += f" An {q} question" if q == "open" else f" A {q} question"
        side = claim.get("favours")
        line += (": " + sides_prose(notes, claim_side=side)) if side else "."
    return line
