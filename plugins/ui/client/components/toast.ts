// Short notices in a corner, announced politely to screen readers.
import { h } from '../base/dom.js';

let region: HTMLElement | null = null;

/** Show a notice for a few seconds (errors stay until dismissed). */
export function notify(message: string, kind: 'info' | 'success' | 'error' = 'info'): void {
  if (!region || !region.isConnected) {
    region = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const item = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', null, message),
  );
  const dismiss = h(
    'button',
    { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => item.remove() },
    '×',
  );
  item.append(dismiss);
  region.append(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 5000);
}
