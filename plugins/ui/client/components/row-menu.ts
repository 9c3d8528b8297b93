// A row's actions behind one "Actions" button, so a table keeps its width whatever a row can do.
// The menu follows the WAI-ARIA menu button pattern: the button says it opens a menu and whether
// it is open; Enter, Space or the arrow keys open it on an item, arrows/Home/End move, Escape and
// Tab close it (Escape back to the button). The items are the row's own buttons, handlers and
// confirmations unchanged.
import { h, uid, type Child } from '../base/dom.js';
import { icon } from './icons.js';
import { rowActions } from './table.js';

/** The menu that is open now (one at a time). */
let openMenu: { close: (focusButton: boolean) => void } | null = null;

/**
 * The row's actions: a single one stays a plain button, several go into a menu named `label`
 * (e.g. "Actions for alice"). Absent buttons (null) are left out.
 */
export function rowMenu(label: string, ...buttons: Child[]): HTMLElement | null {
  const present = buttons.filter((b): b is HTMLElement => b instanceof HTMLElement);
  if (present.length < 2) return rowActions(...present);
  const menuId = uid('row-menu');
  const trigger = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary btn-small menu-button',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': menuId,
      'aria-label': label,
    },
    h('span', null, 'Actions'),
    icon('chevron-down', 16),
  );
  for (const b of present) {
    b.setAttribute('role', 'menuitem');
    b.tabIndex = -1;
    b.className = `menu-item${b.classList.contains('btn-danger') ? ' menu-item-danger' : ''}`;
  }
  const menu = h('div', { id: menuId, role: 'menu', class: 'row-menu', 'aria-label': label, hidden: true }, ...present);
  const focusItem = (i: number) => present[(i + present.length) % present.length]!.focus();
  const current = () => present.indexOf(document.activeElement as HTMLElement);

  const close = (focusButton: boolean) => {
    if (menu.hidden) return;
    menu.hidden = true;
    trigger.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    window.removeEventListener('resize', dismiss);
    window.removeEventListener('scroll', dismiss, true);
    if (openMenu?.close === close) openMenu = null;
    if (focusButton) trigger.focus();
  };
  const dismiss = () => close(false);
  const outside = (e: Event) => {
    if (!menu.contains(e.target as Node) && !trigger.contains(e.target as Node)) close(false);
  };
  const open = (first: number) => {
    openMenu?.close(false);
    menu.hidden = false;
    trigger.setAttribute('aria-expanded', 'true');
    place(trigger, menu);
    openMenu = { close };
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('resize', dismiss);
    window.addEventListener('scroll', dismiss, true);
    focusItem(first);
  };

  trigger.addEventListener('click', () => (menu.hidden ? open(0) : close(true)));
  trigger.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      open(e.key === 'ArrowDown' ? 0 : -1);
    }
  });
  menu.addEventListener('keydown', (e) => {
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusItem(current() + 1),
      ArrowUp: () => focusItem(current() - 1),
      Home: () => focusItem(0),
      End: () => focusItem(-1),
      Escape: () => close(true),
    };
    if (e.key === 'Tab') return close(false);
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    e.stopPropagation(); // Escape here must not also close a dialog around the table
    move();
  });
  // An item's own click handler runs after this (capture): the menu is closed, focus back on
  // the button, so a confirmation dialog it opens returns focus there.
  menu.addEventListener('click', () => close(true), true);
  return h('div', { class: 'row-actions' }, trigger, menu);
}

/**
 * Fixed position under the button, right edges aligned (above it when there is no room below):
 * a table's scrolling box never clips the menu or grows a scrollbar for it.
 */
function place(trigger: HTMLElement, menu: HTMLElement): void {
  const r = trigger.getBoundingClientRect();
  const m = menu.getBoundingClientRect();
  const below = r.bottom + 4 + m.height <= window.innerHeight;
  menu.style.top = `${Math.max(4, below ? r.bottom + 4 : r.top - 4 - m.height)}px`;
  menu.style.left = `${Math.max(4, Math.min(r.right - m.width, window.innerWidth - m.width - 4))}px`;
}
