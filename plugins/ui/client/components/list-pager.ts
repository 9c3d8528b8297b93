// A search box and Previous/Next pages for a list the API pages itself (`limit`, `offset`, `q`),
// so a table of 10,000 accounts loads 100 rows at a time instead of the whole list.
import { h, mount } from '../base/dom.js';
import { button } from './page.js';

/** The controls of one paged list and the query of its current page. */
export interface ListPager {
  /** The search box (for the page header). */
  search: HTMLInputElement;
  /** "101–200 of 2345" with Previous/Next (for under the table); empty while one page holds all. */
  footer: HTMLElement;
  /** `limit`, `offset` and `q` of the page to load now. */
  params(): { limit: number; offset: number; q: string | null };
  /** Tell the pager what the page answered: the list's total and how many rows it shows. */
  shown(total: number, count: number): void;
  /** Back to the first page (after a filter beside the pager changed). */
  reset(): void;
}

const TYPING_PAUSE_MS = 300;

/** A pager of `size` rows a page; `changed` reloads the list when the page or the search changes. */
export function listPager(size: number, label: string, changed: () => void): ListPager {
  let offset = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = h('input', {
    type: 'search',
    class: 'picker-select',
    placeholder: `Search ${label}`,
    'aria-label': `Search ${label}`,
    maxlength: 200,
  });
  search.addEventListener('input', () => {
    clearTimeout(timer);
    // Wait for a pause in typing: each change is one request.
    timer = setTimeout(() => {
      offset = 0;
      changed();
    }, TYPING_PAUSE_MS);
  });
  const footer = h('div', { class: 'pager' });
  const go = (to: number) => {
    offset = Math.max(0, to);
    changed();
  };
  return {
    search,
    footer,
    params: () => ({ limit: size, offset, q: search.value.trim() || null }),
    shown(total, count) {
      if (offset > 0 && count === 0 && total > 0) return go(Math.floor((total - 1) / size) * size);
      if (total <= size && offset === 0) return mount(footer);
      mount(
        footer,
        h(
          'span',
          { class: 'muted', 'aria-live': 'polite' },
          count ? `${offset + 1}–${offset + count} of ${total}` : `0 of ${total}`,
        ),
        offset > 0 ? button('Previous', { small: true, onClick: () => go(offset - size) }) : null,
        offset + count < total ? button('Next', { small: true, onClick: () => go(offset + size) }) : null,
      );
    },
    reset: () => {
      offset = 0;
    },
  };
}
