// The audit log: who changed what, when, from where, and whether it worked.
import { api, listOf, withQuery } from '../core/api.js';
import { routeFields } from '../core/capabilities.js';
import { h, mount } from '../core/dom.js';
import { formatDate } from '../core/format.js';
import { loadInto } from '../components/async-section.js';
import { badge, button, card, pageHeader } from '../components/page.js';
import { dataTable } from '../components/table.js';
import { MANAGERS, type PageDef } from '../shell/types.js';

interface Entry { time?: string; created_at?: string; username?: string | null; role?: string | null; method?: string; route?: string; path?: string; target?: string | null; status?: number; ok?: boolean; ip?: string; plugin?: string }

const PAGE = 50;

export const auditPage: PageDef = {
  path: '/audit', title: 'Audit log', roles: MANAGERS,
  nav: { label: 'Audit log', icon: 'audit', section: 'panel', order: 30 },
  render(ctx) {
    const q = routeFields('GET', '/api/audit').query;
    const paged = q.includes('limit') && q.includes('offset');
    let offset = 0;
    const body = h('div');
    const pager = h('div', { class: 'pager' });
    const show = () => loadInto(body, async () => {
      const entries = listOf<Entry>(await api('GET', paged ? withQuery('/api/audit', { limit: PAGE, offset }) : '/api/audit'), 'entries');
      mount(pager,
        paged && offset > 0 ? button('Newer', { small: true, onClick: () => { offset = Math.max(0, offset - PAGE); void show(); } }) : null,
        paged && entries.length === PAGE ? button('Older', { small: true, onClick: () => { offset += PAGE; void show(); } }) : null);
      return dataTable<Entry>([
        { label: 'Time', class: 'nowrap', cell: (e) => formatDate(e.time ?? e.created_at) },
        { label: 'Who', cell: (e) => h('div', { class: 'cell-main' }, e.username ? h('strong', null, e.username) : h('span', { class: 'muted' }, 'not logged in'), h('span', { class: 'muted' }, e.role ?? '')) },
        { label: 'Action', cell: (e) => h('code', { class: 'break' }, `${e.method ?? ''} ${e.route ?? e.path ?? ''}`) },
        { label: 'Target', cell: (e) => h('span', { class: 'wrap-any' }, e.target ?? '—') },
        { label: 'Result', cell: (e) => badge(String(e.status ?? (e.ok ? 'ok' : 'failed')), e.ok === false || (e.status ?? 0) >= 400 ? 'danger' : 'ok') },
        { label: 'Client', class: 'hide-md', cell: (e) => e.ip ?? '—' },
      ], entries, { empty: 'Nothing has been recorded yet.', label: 'Audit log' });
    });
    ctx.root.append(pageHeader('Audit log', ctx.session.role === 'admin' ? 'Every change made through the API.' : 'Changes to your accounts.'), card(null, h('div', null, body, pager), { class: 'card-flush' }));
    void show();
  },
};
