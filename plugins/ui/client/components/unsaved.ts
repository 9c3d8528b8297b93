// Unsaved work is never dropped silently: before a route change, a reload or closing the tab, and
// before its own dialog closes, a person with changes is asked whether to discard them.
import { h } from '../base/dom.js';
import { guardLeaving } from '../base/router.js';
import { confirmAction } from './dialog.js';

/** The guard of one piece of unsaved work. */
export interface UnsavedGuard {
  /** True when there is nothing to lose, or the person chose to discard it. */
  mayDiscard(): Promise<boolean>;
  /** Stop guarding (after saving, or once the work is gone). */
  release(): void;
}

/**
 * Guard `what` while `dirty()` says it has changes. Leaving the route asks first and, when the
 * person agrees, calls `discard` (e.g. to close the editor); the browser's own prompt covers
 * reloads and closing the tab, which a page cannot word.
 */
export function guardUnsaved(what: string, dirty: () => boolean, discard: () => void): UnsavedGuard {
  const mayDiscard = async () =>
    !dirty() ||
    confirmAction({
      title: 'Unsaved changes',
      danger: true,
      confirmLabel: 'Discard changes',
      message: h(
        'p',
        null,
        'Your changes to ',
        h('strong', { class: 'wrap-any' }, what),
        ' are not saved. Leave and lose them?',
      ),
    });
  const unguard = guardLeaving(async () => {
    const ok = await mayDiscard();
    if (ok) discard();
    return ok;
  });
  const onUnload = (e: BeforeUnloadEvent) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = ''; // older Chromium shows the prompt only when this is set
  };
  window.addEventListener('beforeunload', onUnload);
  return {
    mayDiscard,
    release: () => {
      unguard();
      window.removeEventListener('beforeunload', onUnload);
    },
  };
}
