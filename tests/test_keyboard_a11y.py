"""Keyboard only, and what a screen reader gets: in JupyterLab in Chromium, answer one exercise of every
kind with the keyboard alone (Tab, arrow keys, Space, Enter, typing; no mouse), then read Chromium's
accessibility tree (CDP ``Accessibility.getFullAXTree``): every control has a name, each question is a
named group, choices are named radio groups with their checked state, highlighted words say they are
pressed, and the feedback sits in a live region that holds the feedback text.

How a keyboard user gets to a question: screen readers and skip links jump to it; here the test focuses
the question's heading (``tabindex=-1``, set by the civicnb-lab extension) and goes on with the keys.
"""
from __future__ import annotations

import re

import pytest

from .test_browser import (PLAN, WAIT_MS, _expect, _graded, _idle, _lesson, _lesson_ready, _norm,  # noqa: F401
                           _open, _show_ids, browser, lab, watched)

pytestmark = pytest.mark.browser

ACTIVE = """() => { const a = document.activeElement; if (!a) return null;
  const box = a.closest('.civicnb-item');
  return {tag: a.tagName.toLowerCase(), type: a.type || '', role: a.getAttribute('role') || '',
          text: (a.textContent || '').trim(), item: box ? [...box.classList].find(c => c.startsWith('civicnb-item-')) : null,
          checked: !!a.checked, value: a.value === undefined ? null : String(a.value),
          row: (a.closest('.widget-hbox') || {}).textContent || ''}; }"""


def _active(page) -> dict:
    return page.evaluate(ACTIVE) or {}


def _tab_to(page, item: str, want, limit: int = 60, back: bool = False) -> dict:
    """Press Tab (Shift+Tab) until the focused element, inside this item, satisfies ``want``."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        a = _active(page)
        if a.get("item") == f"civicnb-item-{item}" and want(a):
            return a
    pytest.fail(f"Tab never reached the wanted control in {item}; focus is on {_active(page)}")


def _enter_question(page, item: str):
    head = page.locator(f".civicnb-item-{item} .civicnb-number")
    _expect()(head).to_have_attribute("tabindex", "-1", timeout=WAIT_MS)  # the extension's doing
    head.evaluate("h => { h.scrollIntoView({block: 'center'}); h.focus(); }")


def _check_button(page, item: str, words: str = "Check my"):
    """Tab to the Check button and press Enter, once the answer typed so far has reached the kernel
    (the student's pause: ipywidgets may hold back a value change while the kernel is busy, and sends a
    button press at once, so a press in the same instant can be graded on the answer before)."""
    _idle(page)
    page.wait_for_timeout(300)
    _idle(page)
    _tab_to(page, item, lambda a: a["tag"] == "button" and a["text"].startswith(words))
    page.keyboard.press("Enter")


def _feedback(page, item, ex, value):
    from civicnb.exercises.base import STATUS_WORDS

    status, message = _graded(ex, value)
    fb = page.locator(f".civicnb-item-{item} .civicnb-feedback[role=status]")
    _expect()(fb).to_contain_text(STATUS_WORDS[status], timeout=WAIT_MS)
    assert _norm(message) in _norm(fb.text_content())
    return STATUS_WORDS[status]


# -- one keyboard driver per kind ---------------------------------------------------------------------

def kb_single_choice(page, item, ex):
    ids = [o["id"] for o in ex["options"]]
    target = ids.index(ex["key"]["answer"])
    _tab_to(page, item, lambda a: a["type"] == "radio")
    page.keyboard.press("Space")                      # choose the first (A)
    for _ in range(target):
        page.keyboard.press("ArrowDown")              # arrows move the choice, as in any radio group
    assert _active(page)["checked"]
    _check_button(page, item)
    return _feedback(page, item, ex, {"choice": ex["key"]["answer"]})


def kb_multi_select(page, item, ex):
    right = set(ex["key"]["answers"])
    for n, opt in enumerate(ex["options"]):
        _tab_to(page, item, lambda a: a["type"] == "checkbox")
        if opt["id"] in right:
            page.keyboard.press("Space")
    _check_button(page, item)
    return _feedback(page, item, ex, {"choices": [o["id"] for o in ex["options"] if o["id"] in right]})


def _drive_selects(page, item, rows, pick):
    """Each drop-down in turn: arrow keys choose the option (a closed select changes with the arrows)."""
    done = 0
    while done < rows:
        a = _tab_to(page, item, lambda a: a["tag"] == "select")
        steps = pick(a["row"])
        page.keyboard.press("Home")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
        done += 1


def kb_sort(page, item, ex):
    cats = [c["id"] for c in ex["categories"]]

    def pick(row):
        it = next(i for i in ex["items"] if _norm(i["text"]) in _norm(row))
        return cats.index(it["answer"]) + 1             # option 0 is "Choose…"

    _drive_selects(page, item, len(ex["items"]), pick)
    _check_button(page, item)
    return _feedback(page, item, ex, {"placements": {it["id"]: it["answer"] for it in ex["items"]}})


def kb_timeline(page, item, ex):
    order = {e["id"]: n for n, e in enumerate(sorted(ex["events"], key=lambda e: e["date"]), 1)}

    def pick(row):
        ev = next(e for e in ex["events"] if _norm(e["text"]) in _norm(row))
        return order[ev["id"]]

    _drive_selects(page, item, len(ex["events"]), pick)
    _check_button(page, item)
    return _feedback(page, item, ex, {"positions": order})


def kb_highlight(page, item, ex):
    from civicnb.exercises.highlight import target_tokens

    chosen = sorted(set().union(*(target_tokens(ex["passage"], t["text"]) for t in ex["key"]["targets"])))
    _tab_to(page, item, lambda a: a["tag"] == "button" and "widget-toggle-button" in page.evaluate(
        "() => document.activeElement.className"))
    at = 0                                             # one tab stop: the first word
    for i in chosen:
        for _ in range(i - at):
            page.keyboard.press("ArrowRight")
        at = i
        page.keyboard.press("Space")
    _check_button(page, item)
    return _feedback(page, item, ex, {"selected": chosen})


TEXT = "The headline says could, which is a guess and not a checked fact."


def kb_written(page, item, ex):
    _tab_to(page, item, lambda a: a["tag"] == "textarea")
    page.keyboard.type(TEXT)
    status = page.locator(f".civicnb-item-{item} small[role=status]")
    _expect()(status).to_contain_text("Saved", timeout=WAIT_MS)
    return "Saved"


def kb_cer(page, item, ex):
    for part in ("Claim text.", "Evidence text.", "Reasoning text."):
        _tab_to(page, item, lambda a: a["tag"] == "textarea")
        page.keyboard.type(part)
    _expect()(page.locator(f".civicnb-item-{item} small[role=status]")).to_contain_text("Saved", timeout=WAIT_MS)
    return "Saved"


def kb_scale(page, item, ex):
    from civicnb.exercises.written import Scale

    pick = len(Scale().labels(ex)) - 2
    _tab_to(page, item, lambda a: a["role"] == "radio")
    page.keyboard.press("Space")
    for _ in range(pick):
        page.keyboard.press("ArrowRight")
    fb = page.locator(f".civicnb-item-{item} .civicnb-feedback[role=status]")
    _expect()(fb).to_contain_text(f"You answered 1 of {len(ex['statements'])}", timeout=WAIT_MS)
    return "Saved"


def kb_verdict(page, item, ex):
    from civicnb.exercises.verdict import VERDICTS

    target = [v for v, _, _ in VERDICTS].index(ex["_claim"]["verdict"])
    _tab_to(page, item, lambda a: a["type"] == "radio")
    page.keyboard.press("Space")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    _tab_to(page, item, lambda a: a["tag"] == "textarea")
    page.keyboard.type("Note 2 is from a court record and adds what the claim leaves out.")
    _check_button(page, item)
    return _feedback(page, item, ex, {"verdict": ex["_claim"]["verdict"],
                                      "reason": "Note 2 is from a court record and adds what the claim leaves out."})


KEYBOARD = {"single_choice": kb_single_choice, "multi_select": kb_multi_select, "sort": kb_sort,
            "timeline": kb_timeline, "highlight": kb_highlight, "short_answer": kb_written,
            "long_answer": kb_written, "cer": kb_cer, "scale": kb_scale, "verdict": kb_verdict}


# -- the accessibility tree ------------------------------------------------------------------------------

NAMED = {"radio", "checkbox", "combobox", "textbox", "button", "togglebutton", "radiogroup", "group",
         "spinbutton", "slider", "listbox"}


def _ax_tree(page) -> dict:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Accessibility.enable")
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return {n["nodeId"]: n for n in nodes}


def _val(node, key):
    v = node.get(key) or {}
    return (v.get("value") if isinstance(v, dict) else v) or ""


def _props(node) -> dict:
    return {p["name"]: (p.get("value") or {}).get("value") for p in node.get("properties") or []}


def _subtree(tree, node_id):
    out, stack = [], [node_id]
    while stack:
        n = tree.get(stack.pop())
        if n is None:
            continue
        out.append(n)
        stack.extend(n.get("childIds") or [])
    return out


def _ax_check(page, lesson, item, said: str):
    label = " ".join(page.locator(f".civicnb-item-{item} .civicnb-number").inner_text().split())
    assert label.startswith("Question"), label
    tree = _ax_tree(page)
    groups = [n for n in tree.values() if _val(n, "role") == "group" and _val(n, "name").strip() == label]
    assert len(groups) == 1, (item, label, [_val(n, "name") for n in tree.values() if _val(n, "role") == "group"][:20])
    nodes = [n for n in _subtree(tree, groups[0]["nodeId"]) if not n.get("ignored")]
    unnamed = [(_val(n, "role"), n.get("backendDOMNodeId")) for n in nodes
               if _val(n, "role") in NAMED and not _val(n, "name").strip()]
    assert not unnamed, (item, unnamed)
    roles = {_val(n, "role") for n in nodes}
    # the persistent live region (the widget's own element: polite and atomic) holds what was said
    live = [n for n in nodes if _props(n).get("live") == "polite" and _props(n).get("atomic") in (True, "true")]
    assert live, (item, "no persistent live region")
    texts = [_val(c, "name") for n in live for c in _subtree(tree, n["nodeId"])]
    assert any(said in t for t in texts), (item, said, texts[:10])
    return roles, nodes


def test_every_kind_by_keyboard_with_a_named_accessibility_tree(lab, watched):
    page = watched.page
    kinds_done = set()
    for rel, items in PLAN.items():
        nb_path = lab["root"] / rel
        lesson = _lesson(nb_path)
        _open(watched, lab, rel)
        _lesson_ready(page, _show_ids(nb_path))
        name = page.locator(".civicnb-item-header input[type=text]")
        name.focus()
        page.keyboard.type("Ana R.")
        for item in items:
            ex = lesson.exercises[item]
            _enter_question(page, item)
            said = KEYBOARD[ex["kind"]](page, item, ex)
            roles, nodes = _ax_check(page, lesson, item, said)
            kind = ex["kind"]
            if kind in ("single_choice", "verdict"):
                groups = [n for n in nodes if _val(n, "role") == "radiogroup"]
                assert groups and all(_val(g, "name") for g in groups), (item, roles)
                checked = [n for n in nodes if _val(n, "role") == "radio" and _props(n).get("checked") == "true"]
                assert len(checked) == 1, item
            if kind == "scale":
                assert "radiogroup" in roles
                checked = [n for n in nodes if _val(n, "role") == "radio" and _props(n).get("checked") == "true"]
                assert len(checked) == 1, item
            if kind == "highlight":
                pressed = [n for n in nodes if _props(n).get("pressed") == "true"]
                from civicnb.exercises.highlight import target_tokens

                want = set().union(*(target_tokens(ex["passage"], t["text"]) for t in ex["key"]["targets"]))
                assert len(pressed) == len(want), (item, len(pressed), len(want))
            if kind in ("sort", "timeline"):
                boxes = [n for n in nodes if _val(n, "role") == "combobox"]
                rows = ex.get("items") or ex.get("events")
                assert len(boxes) == len(rows)
                for b in boxes:   # named by its label and the item's own text, not just "Item A"
                    assert len(_val(b, "name")) > 12 and re.match(r"(Item|Event) [A-Z]\b", _val(b, "name")), _val(b, "name")
            kinds_done.add({"long_answer": "short_answer", "timeline": "timeline"}.get(kind, kind))
        watched.check()
    assert kinds_done >= {"single_choice", "multi_select", "sort", "highlight", "short_answer", "scale", "cer",
                          "timeline", "verdict"}
