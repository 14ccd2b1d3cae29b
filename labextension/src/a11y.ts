/**
 * Accessible lesson widgets: names, roles, states, keyboard and live announcements.
 *
 * ipywidgets draws plain HTML controls but gives them no ARIA: a group of radio buttons is not a
 * radiogroup, a toggle button does not say whether it is pressed, a drop-down next to an item's text is
 * named only "Item A", and feedback is new HTML swapped into the page (a screen reader may not announce
 * a live region that appears together with its text). The Python side marks what each part is with CSS
 * classes (`civicnb-exercise`, `civicnb-number`, `civicnb-live`, `civicnb-alert`, `civicnb-words`);
 * this module adds, and keeps up to date as the widgets change:
 *
 * - each question is a `group` named by its heading ("Question 7") and described by its prompt;
 * - radio buttons are a `radiogroup` named by their label and the question, with one tab stop (the
 *   checked choice, or the first) and arrow keys moving the choice (see index.ts);
 * - a row of toggle buttons with one answer (a poll statement) is a `radiogroup` of `radio`s with
 *   `aria-checked`, named by the statement's number and text, one tab stop, arrow keys to choose;
 * - the words of a highlight passage are toggle buttons with `aria-pressed`, in one `group` with one
 *   tab stop: arrow keys (and Home, End) move between words, Space or Enter marks a word;
 * - a drop-down in a sort or order row is named by its label and the item's text;
 * - feedback and "Saved" lines sit in persistent live regions (polite; assertive for problems), so each
 *   new message is announced.
 */

let counter = 0;

function idOf(el: Element): string {
  if (!el.id) {
    counter += 1;
    el.id = `civicnb-a11y-${counter}`;
  }
  return el.id;
}

function set(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

function ids(...els: (Element | null | undefined)[]): string {
  return els
    .filter((e): e is Element => !!e && (e.textContent || '').trim() !== '')
    .map(idOf)
    .join(' ');
}

/** One tab stop in a set of controls: the chosen one, or the first. */
function roving(items: HTMLElement[], current: (el: HTMLElement) => boolean): void {
  const focused = items.find(el => el === document.activeElement);
  const stop = focused || items.find(current) || items[0];
  for (const el of items) {
    set(el, 'tabindex', el === stop ? '0' : '-1');
  }
}

/** Arrow keys move through ``items()`` (``select``: also choose it, as radio buttons do). */
function arrows(group: HTMLElement, items: () => HTMLElement[], select: boolean): void {
  if (group.dataset.civicnbArrows) {
    return;
  }
  group.dataset.civicnbArrows = 'true';
  group.addEventListener('keydown', event => {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const list = items();
    const at = list.indexOf(event.target as HTMLElement);
    if (at < 0) {
      return;
    }
    const moves: { [key: string]: number } = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: list.length - 1
    };
    if (!(event.key in moves)) {
      return;
    }
    event.preventDefault();
    const next = list[(moves[event.key] + list.length) % list.length];
    for (const el of list) {
      el.setAttribute('tabindex', el === next ? '0' : '-1');
    }
    next.focus();
    if (select && !next.classList.contains('mod-active')) {
      next.click();
    }
  });
}

function decorateExercise(ex: HTMLElement): void {
  const head = ex.querySelector<HTMLElement>('.civicnb-number');
  const prompt = ex.querySelector<HTMLElement>('.civicnb-prompt');
  set(ex, 'role', 'group');
  if (head) {
    set(ex, 'aria-labelledby', idOf(head));
    set(head, 'tabindex', '-1'); // "go to Question 7" (a link, a heading jump) can land here
  }
  if (prompt) {
    set(ex, 'aria-describedby', idOf(prompt));
  }

  // radio buttons: one radiogroup, one tab stop
  ex.querySelectorAll<HTMLElement>('.widget-radio').forEach(w => {
    const box = w.querySelector<HTMLElement>('.widget-radio-box');
    if (!box) {
      return;
    }
    set(box, 'role', 'radiogroup');
    const label = ids(w.querySelector(':scope > .widget-label'), head);
    if (label) {
      set(box, 'aria-labelledby', label);
    }
    const radios = Array.from(box.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
    roving(radios, r => (r as HTMLInputElement).checked);
  });

  // toggle buttons with one answer (a poll statement): a radiogroup
  ex.querySelectorAll<HTMLElement>('.widget-toggle-buttons').forEach(w => {
    const buttons = Array.from(w.querySelectorAll<HTMLElement>('button'));
    const box = buttons[0]?.parentElement;
    if (!box) {
      return;
    }
    set(box, 'role', 'radiogroup');
    const statement = w.previousElementSibling?.classList.contains('widget-html') ? w.previousElementSibling : null;
    const label = ids(w.querySelector(':scope > .widget-label'), statement);
    if (label) {
      set(box, 'aria-labelledby', label);
    }
    for (const b of buttons) {
      set(b, 'role', 'radio');
      set(b, 'aria-checked', b.classList.contains('mod-active') ? 'true' : 'false');
    }
    roving(buttons, b => b.classList.contains('mod-active'));
    arrows(box, () => Array.from(box.querySelectorAll<HTMLElement>('button')), true);
  });

  // the words of a highlight passage: toggle buttons in one group, one tab stop, arrows between words
  ex.querySelectorAll<HTMLElement>('.civicnb-words').forEach(group => {
    set(group, 'role', 'group');
    const label = ids(head, ex.querySelector('.civicnb-screen-label'));
    if (label) {
      set(group, 'aria-labelledby', label);
    }
    const words = Array.from(group.querySelectorAll<HTMLElement>('button.widget-toggle-button'));
    for (const b of words) {
      set(b, 'aria-pressed', b.classList.contains('mod-active') ? 'true' : 'false');
    }
    roving(words, () => false);
    arrows(group, () => Array.from(group.querySelectorAll<HTMLElement>('button.widget-toggle-button')), false);
  });

  // a drop-down beside an item's text (sort, order): named by its label and that text
  ex.querySelectorAll<HTMLSelectElement>('.widget-dropdown select').forEach(sel => {
    const w = sel.closest('.widget-dropdown');
    const row = w?.parentElement;
    const text = row ? Array.from(row.children).find(c => c !== w && c.classList.contains('widget-html')) : null;
    const label = ids(w?.querySelector('.widget-label'), text);
    if (label) {
      set(sel, 'aria-labelledby', label);
    }
  });
}

/** Add names, roles, states and live regions under ``root`` (idempotent; cheap to repeat). */
export function decorate(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.civicnb-exercise').forEach(decorateExercise);
  // the widget's own element stays while its HTML is replaced: it is the live region (no role, so the
  // status or alert line inside keeps its own role and is found as before)
  root.querySelectorAll<HTMLElement>('.civicnb-live').forEach(el => {
    set(el, 'aria-live', 'polite');
    set(el, 'aria-atomic', 'true');
  });
  root.querySelectorAll<HTMLElement>('.civicnb-alert').forEach(el => {
    set(el, 'aria-live', 'assertive');
    set(el, 'aria-atomic', 'true');
  });
}

/** Keep ``root`` decorated while widgets come, go and change state (a class change: pressed, chosen). */
export function watchAccessibility(root: HTMLElement): MutationObserver {
  let queued = false;
  const run = () => {
    queued = false;
    decorate(root);
  };
  const observer = new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
  root.addEventListener('change', () => decorate(root), true); // a radio chosen: aria and tab stop at once
  decorate(root);
  return observer;
}
