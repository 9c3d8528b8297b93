// Building blocks of every page: header, cards, buttons, badges, notices.
import { h, type Child } from '../base/dom.js';
import { icon } from './icons.js';

export type ButtonKind = 'primary' | 'secondary' | 'danger' | 'ghost';

/** A button; `icon` names an icon from icons.ts. */
export function button(
  label: string,
  opts: {
    kind?: ButtonKind;
    onClick?: (e: MouseEvent) => void;
    icon?: string;
    type?: 'button' | 'submit';
    small?: boolean;
    title?: string;
    disabled?: boolean;
  } = {},
): HTMLButtonElement {
  const cls = ['btn', `btn-${opts.kind ?? 'secondary'}`, opts.small ? 'btn-small' : ''].filter(Boolean).join(' ');
  return h(
    'button',
    { type: opts.type ?? 'button', class: cls, onclick: opts.onClick, title: opts.title, disabled: opts.disabled },
    opts.icon ? icon(opts.icon, 16) : null,
    h('span', null, label),
  );
}

/** A compact button showing only an icon; `label` names it for screen readers and as a tooltip. */
export function iconButton(
  label: string,
  iconName: string,
  onClick: () => void,
  kind: ButtonKind = 'secondary',
): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: `btn btn-${kind} btn-small btn-icon`,
      'aria-label': label,
      title: label,
      onclick: onClick,
    },
    icon(iconName, 16),
  );
}

/** A link styled as a button. */
export function linkButton(
  label: string,
  href: string,
  opts: { kind?: ButtonKind; icon?: string; download?: string; small?: boolean; iconOnly?: boolean } = {},
): HTMLAnchorElement {
  const cls = `btn btn-${opts.kind ?? 'secondary'}${opts.small ? ' btn-small' : ''}${opts.iconOnly ? ' btn-icon' : ''}`;
  return h(
    'a',
    {
      href,
      class: cls,
      download: opts.download,
      'aria-label': opts.iconOnly ? label : undefined,
      title: opts.iconOnly ? label : undefined,
    },
    opts.icon ? icon(opts.icon, 16) : null,
    opts.iconOnly ? null : h('span', null, label),
  );
}

/** Title row of a page with its main actions on the right. */
export function pageHeader(title: string, subtitle: Child, ...actions: Child[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', null, h('h1', null, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
    h('div', { class: 'actions' }, ...actions),
  );
}

/** A titled card. */
export function card(title: string | null, body: Child, opts: { actions?: Child; class?: string } = {}): HTMLElement {
  return h(
    'section',
    { class: `card ${opts.class ?? ''}`.trim() },
    title || opts.actions
      ? h(
          'div',
          { class: 'card-head' },
          title ? h('h2', null, title) : null,
          h('div', { class: 'actions' }, opts.actions),
        )
      : null,
    h('div', { class: 'card-body' }, body),
  );
}

export type Tone = 'ok' | 'warn' | 'danger' | 'muted' | 'info';

/** A small coloured label (status, state). */
export function badge(text: string, tone: Tone = 'muted'): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** A message block; errors are announced to screen readers. */
export function notice(
  kind: 'error' | 'info' | 'success' | 'unavailable',
  message: string,
  title?: string,
): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    title ? h('strong', null, title) : null,
    h('p', null, message),
  );
}

/** Placeholder while a part of the page loads. */
export function loading(text = 'Loading…'): HTMLElement {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/** What an empty list says, with an optional action. */
export function emptyState(message: string, action?: Child): HTMLElement {
  return h('div', { class: 'empty' }, h('p', null, message), action ?? null);
}

/** Label/value pairs (server information, details). */
export function definitionList(items: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    items.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v ?? '—'))),
  );
}
