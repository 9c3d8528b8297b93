// The audit log: who changed what, when, from where, and whether it worked; newest first, in
// pages, optionally only the refused or failed requests.
import { api, listOf, withQuery } from '../base/api.js';
import { routeFields } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import { loadInto } from '../components/async-section.js';
import { badge, button, card, definitionList, pageHeader } from '../components/page.js';
import { dataTable } from '../components/table.js';
import { MANAGERS, type PageDef } from '../shell/types.js';
import { auditAction, auditActor, auditFailed, type AuditEntry as Entry } from './audit-words.js';

const PAGE = 50;

/** The request behind a sentence, for whoever needs it: method, route, target, client, request id. */
function details(e: Entry): HTMLElement {
  return h(
    'details',
    { class: 'audit-details' },
    h('summary', null, 'Details'),
    definitionList([
      ['Request', h('code', { class: 'break' }, `${e.method ?? ''} ${e.path ?? e.route ?? ''}`)],
      ['Target', e.target ?? '—'],
      ['Role', e.role ?? '—'],
      ['Answer', String(e.status ?? '—')],
      ['Client', e.ip ?? '—'],
      ['Request id', e.request_id ? h('code', { class: 'wrap-any' }, e.request_id) : '—'],
    ]),
  );
}

function result(e: Entry): HTMLElement {
  if (!auditFailed(e)) return badge('done', 'ok');
  return badge((e.status ?? 0) === 403 || (e.status ?? 0) === 401 ? 'refused' : 'failed', 'danger');
}

function table(entries: Entry[]): HTMLElement {
  return dataTable<Entry>(
    [
      { label: 'Time', class: 'nowrap', cell: (e) => formatDate(e.time ?? e.created_at) },
      {
        label: 'What happened',
        cell: (e) =>
          h(
            'div',
            { class: 'cell-main' },
            h('span', { class: 'audit-sentence' }, h('strong', null, auditActor(e)), ' ', auditAction(e)),
            details(e),
          ),
      },
      { label: 'Result', cell: result },
    ],
    entries,
    { empty: 'Nothing has been recorded yet.', label: 'Audit log' },
  );
}

export const auditPage: PageDef = {
  path: '/audit',
  title: 'Audit log',
  roles: MANAGERS,
  nav: { label: 'Audit log', icon: 'audit', section: 'panel', order: 30 },
  render(ctx) {
    const q = routeFields('GET', '/api/audit').query;
    // Pages go back in time by id (`before_id`); each page remembers where it started.
    const starts: (number | null)[] = [null];
    const body = h('div');
    const pager = h('div', { class: 'pager' });
    const filter = h(
      'select',
      { class: 'picker-select', 'aria-label': 'Show' },
      h('option', { value: '' }, 'All changes'),
      h('option', { value: 'false' }, 'Refused or failed only'),
    );
    if (!q.includes('ok')) filter.hidden = true;
    const show = () =>
      loadInto(body, async () => {
        const params = {
          limit: q.includes('limit') ? PAGE : null,
          before_id: starts.at(-1) ?? null,
          ok: filter.value || null,
        };
        const entries = listOf<Entry>(await api('GET', withQuery('/api/audit', params)), 'entries');
        const last = entries.at(-1)?.id;
        mount(
          pager,
          starts.length > 1
            ? button('Newer', {
                small: true,
                onClick: () => {
                  starts.pop();
                  void show();
                },
              })
            : null,
          q.includes('before_id') && entries.length === PAGE && last
            ? button('Older', {
                small: true,
                onClick: () => {
                  starts.push(last);
                  void show();
                },
              })
            : null,
        );
        return table(entries);
      });
    filter.addEventListener('change', () => {
      starts.splice(1);
      void show();
    });
    ctx.root.append(
      pageHeader(
        'Audit log',
        ctx.session.role === 'admin' ? 'Every change made through the API.' : 'Changes to your accounts.',
        filter,
      ),
      card(null, h('div', null, body, pager), { class: 'card-flush' }),
    );
    void show();
  },
};
