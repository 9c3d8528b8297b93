// Usage bars (against a limit) and progress bars (jobs, uploads).
import { h } from '../base/dom.js';
import { humaniseBytes, percent } from '../base/format.js';

function level(p: number): string {
  return p >= 90 ? 'danger' : p >= 75 ? 'warn' : 'ok';
}

/** "Accounts 3 of 5" with a bar; an unlimited total shows the count only. */
export function usageBar(
  label: string,
  used: number,
  total: number | null,
  show: (n: number) => string = String,
  text?: string,
): HTMLElement {
  const p = total ? percent(used, total) : 0;
  const fill = h('div', { class: `bar-fill bar-${level(p)}` });
  fill.style.width = `${p}%`;
  text ??= total === null ? `${show(used)} (no limit)` : `${show(used)} of ${show(total)}`;
  return h(
    'div',
    { class: 'usage' },
    h(
      'div',
      { class: 'usage-head' },
      h('span', { class: 'usage-label' }, label),
      h('span', { class: 'usage-value' }, text),
    ),
    h(
      'div',
      {
        class: 'bar',
        role: 'meter',
        'aria-label': label,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': Math.round(p),
        'aria-valuetext': text,
      },
      fill,
    ),
  );
}

/** A progress bar that can be updated; `set(percent, message)` (byte counts in the message read as sizes). */
export function progressBar(label: string): {
  el: HTMLElement;
  set: (p: number, message?: string | null) => void;
  done: (ok: boolean, message: string) => void;
} {
  const fill = h('div', { class: 'bar-fill bar-ok' });
  const bar = h(
    'div',
    {
      class: 'bar bar-large',
      role: 'progressbar',
      'aria-label': label,
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 0,
    },
    fill,
  );
  const pct = h('span', { class: 'usage-value' }, '0%');
  const msg = h('p', { class: 'progress-message' }, 'Starting…');
  const el = h(
    'div',
    { class: 'progress' },
    h('div', { class: 'usage-head' }, h('span', { class: 'usage-label' }, label), pct),
    bar,
    msg,
  );
  const set = (p: number, message?: string | null) => {
    const v = Math.max(0, Math.min(100, Number(p) || 0));
    fill.style.width = `${v}%`;
    bar.setAttribute('aria-valuenow', String(Math.round(v)));
    pct.textContent = `${Math.round(v)}%`;
    if (message) msg.textContent = humaniseBytes(message);
  };
  const done = (ok: boolean, message: string) => {
    if (ok) set(100);
    fill.className = `bar-fill ${ok ? 'bar-ok' : 'bar-danger'}`;
    msg.textContent = message;
    el.classList.add(ok ? 'progress-done' : 'progress-failed');
  };
  return { el, set, done };
}
