// The audit log: who changed what, when, from where, and whether it worked; newest first, in
// pages, optionally only the refused or failed requests.
import { api, listOf, withQuery } from '../base/api.js';
import { routeFields } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import { loadInto } from '../components/async-section.js';
import { badge, button, card, pageHeader } from '../components/page.js';
import { dataTable } from '../components/table.js';
import { MANAGERS, type PageDef } from '../shell/types.js';

interface Entry { id?: number; time?: string; created_at?: string; username?: string | null; role?: string | null; method?: string; route?: string; path?: string; target?: string | null; status?: number; ok?: boolean; ip?: string }

const PAGE = 50;

function table(entries: Entry[]): HTMLElement {
  return dataTable<Entry>([
    { label: 'Time', class: 'nowrap', cell: (e) => formatDate(e.time ?? e.created_at) },
    { label: 'Who', cell: (e) => h('div', { class: 'cell-main' }, e.username ? h('strong', null, e.username) : h('span', { class: 'muted' }, 'not logged in'), h('span', { class: 'muted' }, e.role ?? '')) },
    { label: 'Action', cell: (e) => h('code', { class: 'break' }, `${e.method ?? ''} ${e.route ?? e.path ?? ''}`) },
    { label: 'Target', cell: (e) => h('span', { class: 'wrap-any' }, e.target ?? '—') },
    { label: 'Result', cell: (e) => badge(String(e.status ?? (e.ok ? 'ok' : 'failed')), e.ok === false || (e.status ?? 0) >= 400 ? 'danger' : 'ok') },
    { label: 'Client', class: 'hide-md', cell: (e) => e.ip ?? '—' },
  ], entries, { empty: 'Nothing has been recorded yet.', label: 'Audit log' });
}

export const auditPage: PageDef = {
  path: '/audit', title: 'Audit log', roles: MANAGERS,
  nav: { label: 'Audit log', icon: 'audit', section: 'panel', order: 30 },
  render(ctx) {
    const q = routeFields('GET', '/api/audit').query;
    // Pages go back in time by id (`before_id`); each page remembers where it started.
    const starts: (number | null)[] = [null];
    const body = h('div');
    const pager = h('div', { class: 'pager' });
    const filter = h('select', { class: 'picker-select', 'aria-label': 'Show' }, h('option', { value: '' }, 'All changes'), h('option', { value: 'false' }, 'Refused or failed only'));
    if (!q.includes('ok')) filter.hidden = true;
    const show = () => loadInto(body, async () => {
      const params = { limit: q.includes('limit') ? PAGE : null, before_id: starts.at(-1) ?? null, ok: filter.value || null };
      const entries = listOf<Entry>(await api('GET', withQuery('/api/audit', params)), 'entries');
      const last = entries.at(-1)?.id;
      mount(pager,
        starts.length > 1 ? button('Newer', { small: true, onClick: () => { starts.pop(); void show(); } }) : null,
        q.includes('before_id') && entries.length === PAGE && last ? button('Older', { small: true, onClick: () => { starts.push(last); void show(); } }) : null);
      return table(entries);
    });
    filter.addEventListener('change', () => {
      starts.splice(1);
      void show();
    });
    ctx.root.append(pageHeader('Audit log', ctx.session.role === 'admin' ? 'Every change made through the API.' : 'Changes to your accounts.', filter), card(null, h('div', null, body, pager), { class: 'card-flush' }));
    void show();
  },
};
