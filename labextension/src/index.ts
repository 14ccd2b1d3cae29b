/**
 * civicnb student mode for JupyterLab (and JupyterLite, which loads the same prebuilt extension).
 *
 * A lesson notebook is one whose metadata has `civicnb.lesson`. For such a notebook this plugin:
 *
 * 1. runs the lesson's code cells itself, in order, when the notebook opens (also after a page reload),
 *    after every kernel restart and when a new kernel is started, without moving the selection or
 *    scrolling, so the lesson is ready with the student's saved answers; stale widget outputs saved in
 *    the file are cleared first, so "Error displaying widget: model not found" never shows;
 * 2. locks the lesson (its outputs become `inert`, with one line of explanation above the notebook)
 *    while the kernel is restarting, dead or disconnected, so old controls never pretend to work;
 * 3. marks every cell with `data-lm-suppress-shortcuts`, Lumino's own switch for "keys pressed in
 *    here are not command shortcuts": `b`, `d d`, `x`, arrow keys in an exercise reach the exercise;
 * 4. in student mode (a setting, on by default) hides the code of lesson cells entirely;
 * 5. gives every widget an accessible name, role and state, keyboard use and announced feedback (a11y.ts).
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { CodeCell, Cell } from '@jupyterlab/cells';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Widget } from '@lumino/widgets';

import { watchAccessibility } from './a11y';

const PLUGIN_ID = 'civicnb-lab:plugin';
const LESSON_CELL = 'civicnb-lesson-cell';
const START_LINE = 'civicnb-start-line';
const STUDENT = 'civicnb-student';
const STALE = 'civicnb-stale';
const LIVE = 'civicnb-live';

type Meta = { [key: string]: any } | undefined;

function lessonOf(panel: NotebookPanel): string | null {
  const meta = panel.model?.getMetadata('civicnb') as Meta;
  return meta && typeof meta.lesson === 'string' ? meta.lesson : null;
}

function isLessonCell(cell: Cell): boolean {
  const meta = cell.model.getMetadata('civicnb') as Meta;
  return cell.model.type === 'code' && !!meta && typeof meta.show === 'string';
}

function isStartLine(cell: Cell): boolean {
  const tags = cell.model.getMetadata('tags');
  return Array.isArray(tags) && tags.includes('civicnb-start');
}

/**
 * Keys pressed in a lesson cell belong to the lesson, never to notebook commands.
 *
 * JupyterLab hands every keydown to Lumino's command registry in the capture phase on the document,
 * before any widget sees it, so stopping propagation in an exercise is too late. The registry skips
 * an event whose target, or an ancestor below the first node that matches a binding's selector, has
 * `data-lm-suppress-shortcuts`. Notebook bindings match the focused element itself
 * (`.jp-Notebook.jp-mod-commandMode :focus`), so the attribute goes on each element as it gets focus
 * inside the cell, and on the cell node for when the cell itself has focus.
 *
 * Radio buttons made by ipywidgets have no shared `name`, so the browser's own arrow keys do nothing
 * in them: the arrows move the choice here, as in any radio group.
 */
function guardKeys(node: HTMLElement): void {
  node.setAttribute('data-lm-suppress-shortcuts', 'true');
  node.addEventListener('focusin', event => {
    const target = event.target;
    if (target instanceof HTMLElement) {
      target.setAttribute('data-lm-suppress-shortcuts', 'true');
    }
  });
  node.addEventListener('keydown', event => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== 'radio' || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    const group = target.closest('.widget-radio-box');
    if (!step || !group) {
      return;
    }
    const radios = Array.from(group.querySelectorAll<HTMLInputElement>('input[type="radio"]')).filter(
      r => !r.disabled
    );
    const next = radios[(radios.indexOf(target) + step + radios.length) % radios.length];
    event.preventDefault();
    if (next && next !== target) {
      next.focus();
      next.click();
    }
  });
}

/** One lesson notebook: its banner, its state, and the run that makes it live. */
class Lesson {
  constructor(panel: NotebookPanel, studentMode: () => boolean) {
    this.panel = panel;
    this.studentMode = studentMode;
    this.banner = new Widget();
    this.banner.addClass('civicnb-banner');
    this.banner.node.setAttribute('role', 'status');
    this.banner.node.setAttribute('aria-live', 'polite');
    this.banner.hide();
    panel.contentHeader.addWidget(this.banner);
    panel.addClass('civicnb-lesson');
    this.applyMode();
    this.markCells();
    panel.content.model?.cells.changed.connect(() => this.markCells());
    // names, roles, states, one tab stop per group and live feedback for every widget (a11y.ts)
    const a11y = watchAccessibility(panel.content.node);
    panel.disposed.connect(() => a11y.disconnect());
    const ctx = panel.sessionContext;
    ctx.statusChanged.connect((_, status) => this.onStatus(status));
    ctx.connectionStatusChanged.connect((_, status) => this.onConnection(status));
    ctx.kernelChanged.connect(() => {
      this.needsRun = true;
      this.stale('Starting the lesson…');
    });
    this.clearOutputs();
    this.stale('Starting the lesson…');
    void ctx.ready.then(() => this.maybeRun());
  }

  applyMode(): void {
    const student = this.studentMode();
    this.panel.toggleClass(STUDENT, student);
    // the notebook itself focused (a click beside the cells): no notebook shortcuts in student mode
    if (student) {
      this.panel.content.node.setAttribute('data-lm-suppress-shortcuts', 'true');
    } else {
      this.panel.content.node.removeAttribute('data-lm-suppress-shortcuts');
    }
  }

  /** Class and shortcut switch on every lesson cell (cells may be added or moved at any time). */
  markCells(): void {
    for (const cell of this.panel.content.widgets) {
      // every cell of a lesson notebook, text cells too: `b` or `d d` on a selected paragraph must not
      // change the lesson either
      if (!this.guarded.has(cell.node)) {
        this.guarded.add(cell.node);
        guardKeys(cell.node);
      }
      if (isLessonCell(cell)) {
        cell.addClass(LESSON_CELL);
      } else if (isStartLine(cell)) {
        cell.addClass(START_LINE);
      }
    }
  }

  /** Widget outputs saved in the file point at models of a kernel that is gone: drop them. */
  clearOutputs(): void {
    for (const cell of this.panel.content.widgets) {
      if (isLessonCell(cell)) {
        (cell as CodeCell).model.sharedModel.transact(() => (cell as CodeCell).model.clearExecution(), false);
      }
    }
  }

  stale(message: string): void {
    this.panel.addClass(STALE);
    this.panel.removeClass(LIVE);
    this.banner.node.textContent = message;
    this.banner.show();
    for (const cell of this.panel.content.widgets) {
      if (isLessonCell(cell)) {
        (cell as CodeCell).outputArea.node.setAttribute('inert', '');
      }
    }
  }

  live(): void {
    this.panel.removeClass(STALE);
    this.panel.addClass(LIVE);
    this.banner.hide();
    for (const cell of this.panel.content.widgets) {
      if (isLessonCell(cell)) {
        (cell as CodeCell).outputArea.node.removeAttribute('inert');
      }
    }
  }

  onStatus(status: string): void {
    if (status === 'starting') {
      this.needsRun = true;
      this.stale('Starting the lesson…');
    } else if (status === 'restarting' || status === 'autorestarting') {
      this.needsRun = true;
      this.stale('The lesson is restarting. Your saved answers will come back in a moment.');
    } else if (status === 'dead' || status === 'terminating' || status === 'unknown') {
      this.needsRun = true;
      this.stale('The lesson has stopped. Your saved answers are safe. Choose Kernel → Restart Kernel to start it again.');
    } else if (status === 'idle') {
      void this.maybeRun();
    }
  }

  onConnection(status: string): void {
    if (status === 'connected') {
      if (this.needsRun) {
        void this.maybeRun();
      } else if (!this.running) {
        this.live();
      }
    } else {
      this.stale('Lost the connection to the lesson. Your saved answers are safe. Waiting to reconnect…');
    }
  }

  /** Run the lesson's cells once the kernel is there and idle. */
  async maybeRun(): Promise<void> {
    const ctx = this.panel.sessionContext;
    const kernel = ctx.session?.kernel;
    if (!this.needsRun || this.running || !kernel || kernel.connectionStatus !== 'connected') {
      return;
    }
    if (kernel.status !== 'idle' && kernel.status !== 'busy') {
      return;
    }
    this.running = true;
    this.needsRun = false;
    this.stale('Starting the lesson…');
    // Outputs are made anew each time the lesson opens: running it is no change to the notebook, so
    // a notebook that was saved stays "saved" (no "Save your work?" question when the student closes it).
    const model = this.panel.context.model;
    const wasDirty = model.dirty;
    let failed = false;
    try {
      this.clearOutputs();
      for (const cell of this.panel.content.widgets) {
        if (cell.model.type !== 'code') {
          continue;
        }
        if (this.needsRun) {
          break; // the kernel restarted under us: start over when it is back
        }
        const reply = await CodeCell.execute(cell as CodeCell, ctx);
        if (reply && reply.content.status !== 'ok') {
          failed = true; // and go on: one broken item must not leave the rest of the lesson blank
        }
      }
    } catch (reason) {
      failed = !this.needsRun;
      console.warn('civicnb: could not run the lesson', reason);
    } finally {
      this.running = false;
    }
    if (!wasDirty && !this.needsRun) {
      model.dirty = false;
    }
    if (this.needsRun) {
      void this.maybeRun();
    } else if (failed) {
      this.live();
      this.banner.node.textContent =
        'Part of the lesson could not start (see the message in the lesson). Tell your teacher.';
      this.banner.show();
    } else {
      this.live();
    }
  }

  readonly panel: NotebookPanel;
  readonly banner: Widget;
  readonly guarded = new WeakSet<HTMLElement>();
  readonly studentMode: () => boolean;
  needsRun = true;
  running = false;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Student mode for civicnb lesson notebooks.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, registry: ISettingRegistry | null) => {
    let studentMode = true;
    const lessons = new Set<Lesson>();
    if (registry) {
      void registry
        .load(PLUGIN_ID)
        .then(settings => {
          const update = () => {
            studentMode = settings.get('studentMode').composite !== false;
            lessons.forEach(l => l.applyMode());
          };
          settings.changed.connect(update);
          update();
        })
        .catch(reason => console.warn('civicnb: settings not loaded', reason));
    }
    tracker.widgetAdded.connect((_, panel) => {
      void panel.context.ready.then(() => {
        if (lessonOf(panel) === null) {
          return;
        }
        const lesson = new Lesson(panel, () => studentMode);
        lessons.add(lesson);
        panel.disposed.connect(() => lessons.delete(lesson));
      });
    });
  }
};

export default plugin;
