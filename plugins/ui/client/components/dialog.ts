// Modal dialogs on the native <dialog>: focus stays inside, Escape closes, focus returns after.
import { h, type Child } from '../base/dom.js';
import { icon } from './icons.js';
import { button } from './page.js';

/** How a modal looks and what happens around its closing. */
export interface DialogOptions {
  wide?: boolean;
  onClose?: () => void;
  /** Asked when a person closes it (the close button, Escape); false keeps it open. */
  canClose?: () => boolean | Promise<boolean>;
}

/** Open a modal; returns a function closing it (without asking `canClose`). */
export function openDialog(title: string, body: Child, opts: DialogOptions = {}): () => void {
  const back = document.activeElement as HTMLElement | null;
  const titleId = `dlg-${Math.random().toString(36).slice(2, 8)}`;
  const dlg = h('dialog', { class: `dialog${opts.wide ? ' dialog-wide' : ''}`, 'aria-labelledby': titleId });
  const close = () => dlg.close();
  const ask = async () => {
    if (!opts.canClose || (await opts.canClose())) close();
  };
  // Escape: the dialog stays until canClose agrees.
  if (opts.canClose)
    dlg.addEventListener('cancel', (e) => {
      e.preventDefault();
      void ask();
    });
  const head = h(
    'div',
    { class: 'dialog-head' },
    h('h2', { id: titleId }, title),
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close', onclick: () => void ask() }, icon('close')),
  );
  dlg.append(head, h('div', { class: 'dialog-body' }, body));
  dlg.addEventListener('close', () => {
    dlg.remove();
    opts.onClose?.();
    back?.focus?.();
  });
  document.body.append(dlg);
  dlg.showModal();
  (dlg.querySelector('[autofocus], input, select, textarea') as HTMLElement | null)?.focus();
  return close;
}

/** Ask before something destructive; resolves true when confirmed. */
export function confirmAction(opts: {
  title: string;
  message: Child;
  confirmLabel: string;
  danger?: boolean;
  cancelLabel?: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    let close = () => undefined as void;
    const yes = button(opts.confirmLabel, {
      kind: opts.danger ? 'danger' : 'primary',
      onClick: () => {
        answer = true;
        close();
      },
    });
    const no = button(opts.cancelLabel ?? 'Cancel', { kind: 'secondary', onClick: () => close() });
    const body = h(
      'div',
      { class: 'confirm' },
      h('div', { class: 'confirm-message' }, opts.message),
      h('div', { class: 'form-actions' }, yes, no),
    );
    close = openDialog(opts.title, body, { onClose: () => resolve(answer) });
    no.focus();
  });
}
