// Pages other plugins ship: their ES module from /ui/plugins/<id>/ renders into the page, with
// the same helpers built-in pages use (text-only elements, API calls with words for errors).
import { api, listOf } from '../base/api.js';
import { h as make, type Attrs, type Child } from '../base/dom.js';
import { navigate } from '../base/router.js';
import { notify } from '../components/toast.js';
import type { PageContext } from './types.js';

/** A contributed entry as `GET /api/ui/navigation` returns it. */
export interface ContributedEntry {
  plugin: string;
  id: string;
  label: string;
  path: string;
  section: 'hosting' | 'server' | 'panel';
  order: number;
  module_url: string | null;
  stylesheet_url: string | null;
}

/** Entries other plugins contribute for this login; none when the list cannot be read. */
export async function loadContributed(): Promise<ContributedEntry[]> {
  try {
    return listOf<ContributedEntry>(await api('GET', '/api/ui/navigation'));
  } catch {
    return [];
  }
}

/** Show a contributed page: load its stylesheet and module, then call its default export. */
export async function renderContributed(entry: ContributedEntry, ctx: PageContext): Promise<void> {
  if (!entry.module_url) {
    ctx.root.append(make('h1', null, entry.label));
    return;
  }
  if (entry.stylesheet_url) {
    const link = make('link', { rel: 'stylesheet', href: entry.stylesheet_url });
    document.head.append(link);
    ctx.onLeave(() => link.remove());
  }
  const mod = await import(entry.module_url);
  if (typeof mod.default !== 'function') throw new Error(`the page of plugin ${entry.plugin} has no default export`);
  const query = Object.fromEntries(ctx.query.entries());
  const user = { username: ctx.session.username, role: ctx.session.role };
  const el = (tag: string, attrs?: Attrs | null, ...children: Child[]) => make(tag as 'div', attrs, ...children);
  const cleanup = await mod.default(ctx.root, { user, query, api, h: el, notify, navigate });
  if (typeof cleanup === 'function') ctx.onLeave(cleanup);
}
