// The dashboard of a reseller: its own caps and what its accounts use of them — not the server's
// totals, load or licence, which are the admin's business.
import { api, apiPage } from '../base/api.js';
import { h } from '../base/dom.js';
import { formatLimit, plural } from '../base/format.js';
import type { Account } from '../components/account-picker.js';
import { usageBar } from '../components/meter.js';
import { card, definitionList, emptyState, notice } from '../components/page.js';
import type { Session } from '../base/session.js';
import { statusBadge } from './accounts-table.js';

interface Reseller {
  id: number;
  username: string;
  email: string | null;
  max_accounts: number | null;
  max_domains: number | null;
  disabled?: boolean;
}

/** Count of a list the API pages (one row asked for; `total` says how many). */
async function countOf(path: string): Promise<number> {
  return (await apiPage(path, { limit: 1 })).total;
}

/** What a cap still allows, in words. */
function headroom(used: number, cap: number | null, what: string, many: string): string {
  if (cap === null) return `No cap on ${many}.`;
  const left = cap - used;
  return left > 0
    ? `You can add ${plural(left, what, many)}.`
    : `You have reached your cap of ${plural(cap, what, many)}: ask the server's administrator for more.`;
}

/** Caps and usage of the signed-in reseller, with its newest accounts. */
export async function resellerSummary(session: Session): Promise<HTMLElement> {
  const [me, accounts, domains, newest] = await Promise.all([
    session.id !== null ? api<Reseller>('GET', `/api/resellers/${session.id}`) : Promise.resolve(null),
    countOf('/api/accounts'),
    countOf('/api/domains').catch(() => null),
    apiPage<Account>('/api/accounts', { limit: 5, sort: '-created_at' }).catch(() => ({
      items: [] as Account[],
      total: 0,
    })),
  ]);
  const capA = me?.max_accounts ?? null;
  const capD = me?.max_domains ?? null;
  const usage = card(
    'Your usage',
    h(
      'div',
      { class: 'stack' },
      usageBar('Accounts', accounts, capA),
      h('p', { class: 'hint' }, headroom(accounts, capA, 'account', 'accounts')),
      domains === null ? null : usageBar('Domains', domains, capD),
      domains === null ? null : h('p', { class: 'hint' }, headroom(domains, capD, 'domain', 'domains')),
    ),
  );
  const facts = card(
    'Your reseller login',
    definitionList([
      ['Username', session.username],
      ['Email', me?.email ?? '—'],
      ['Account cap', formatLimit(capA)],
      ['Domain cap', formatLimit(capD)],
    ]),
  );
  const list = card(
    'Newest accounts',
    newest.items.length
      ? h(
          'ul',
          { class: 'plain-list' },
          newest.items.map((a) =>
            h(
              'li',
              null,
              h('a', { href: `/domains?account=${a.id}` }, a.username),
              ' ',
              h('span', { class: 'muted' }, a.primary_domain ?? ''),
              ' ',
              statusBadge(a.status),
            ),
          ),
        )
      : emptyState(
          'You have no hosting accounts yet.',
          h('a', { href: '/accounts', class: 'btn btn-primary' }, 'Create an account'),
        ),
  );
  return h(
    'div',
    { class: 'stack' },
    me?.disabled
      ? notice('error', 'Your reseller login is disabled: your accounts keep running, but you cannot change them.')
      : null,
    h('div', { class: 'grid grid-2' }, usage, facts),
    list,
  );
}
