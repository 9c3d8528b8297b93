// A list the API pages itself, as a card: a search box and a count for the page header, the rows
// of the current page drawn by `view`, Previous/Next under them, and the empty-list words.
import { apiPage } from '../base/api.js';
import { h } from '../base/dom.js';
import { plural } from '../base/format.js';
import { asyncSection } from './async-section.js';
import { listPager } from './list-pager.js';
import { card, emptyState } from './page.js';

/** What a paged list says about itself. */
export interface PagedListWords {
  /** Singular and plural noun for the count ("token", "tokens") and the search box. */
  noun: [string, string];
  /** Said when there are no rows at all. */
  none: string;
  /** A title and actions for the card (a list inside a page of other cards). */
  title?: string;
  actions?: HTMLElement | null;
}

/** The parts of a paged list a page places: `search` and `count` in its header, `list` below. */
export function pagedList<T>(
  path: string,
  size: number,
  words: PagedListWords,
  view: (rows: T[], reload: () => void) => HTMLElement,
  plugin?: string,
) {
  const [one, many] = words.noun;
  const count = h('span');
  const pager = listPager(size, many, () => void list.reload());
  const list = asyncSection(async () => {
    const { items, total } = await apiPage<T>(path, pager.params());
    const searching = !!pager.params().q;
    pager.shown(total, items.length);
    count.textContent = searching ? plural(total, 'match', 'matches') : plural(total, one, many);
    const body = items.length
      ? view(items, () => void list.reload())
      : emptyState(searching ? `No ${one} matches this search.` : words.none);
    return card(words.title ?? null, h('div', null, body, pager.footer), {
      class: 'card-flush',
      actions: words.actions,
    });
  }, plugin);
  return { search: pager.search, count, list };
}
