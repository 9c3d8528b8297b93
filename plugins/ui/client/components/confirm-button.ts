// The destructive row action every page has: a small danger button that asks first, then acts.
import { describeError } from '../base/api.js';
import type { Child } from '../base/dom.js';
import { confirmAction } from './dialog.js';
import { button } from './page.js';
import { notify } from './toast.js';

/** What the confirmation dialog of a {@link confirmButton} says. */
export interface ConfirmWords {
  title: string;
  message: Child;
  confirmLabel: string;
}

/**
 * A small danger button: on click it asks (a danger {@link confirmAction}) and, once confirmed,
 * runs `work`; a failure of `work` shows as an error toast, so the page stays as it was.
 */
export function confirmButton(label: string, words: ConfirmWords, work: () => Promise<void>): HTMLButtonElement {
  return button(label, {
    small: true,
    kind: 'danger',
    onClick: async () => {
      if (!(await confirmAction({ ...words, danger: true }))) return;
      try {
        await work();
      } catch (e) {
        notify(describeError(e), 'error');
      }
    },
  });
}
