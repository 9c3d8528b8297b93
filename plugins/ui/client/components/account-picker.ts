// Pages about one hosting account (files, databases, PHP, backups) start by choosing it; a `user`
// login has exactly one, its own.
import { api, ApiError, listOf } from '../base/api.js';
import { append, h, type Child } from '../base/dom.js';
import { setQuery } from '../base/router.js';
import type { Session } from '../base/session.js';
import type { PageContext } from '../shell/types.js';
import { loadInto } from './async-section.js';
import { emptyState, pageHeader } from './page.js';

/** A hosting account as `GET /api/accounts` returns it. */
export interface Account {
  id: number;
  username: string;
  primary_domain?: string;
  email?: string;
  plan?: string;
  status?: string;
  home_dir?: string;
  disk_used_mb?: number;
  /** The reseller owning the account; null for the admin's own. */
  reseller_id?: number | null;
  disk_quota_mb?: number;
  bandwidth_quota_mb?: number;
  /** This calendar month's bandwidth (the bandwidth plugin); null when not measured. */
  bandwidth_used_mb?: number | null;
  /** What its processes use now (its cgroup, linux mode); null or absent where nothing is measured. */
  resource_usage?: {
    memory_mb?: number;
    memory_limit_mb?: number | null;
    cpu_seconds?: number | null;
    processes?: number;
    measured_at?: string;
  } | null;
  created_at?: string;
}

/** The accounts this login may see (a user: its own). */
export async function loadAccounts(session: Session): Promise<Account[]> {
  try {
    return listOf<Account>(await api('GET', '/api/accounts'), 'accounts');
  } catch (e) {
    if (session.role === 'user' && session.accountId !== null && e instanceof ApiError && e.status === 403)
      return [await api<Account>('GET', `/api/accounts/${session.accountId}`)];
    throw e;
  }
}

/**
 * A chooser of the account the page is about (kept in `?account=`); calls `onSelect` now and on
 * every change. Throws the API's error when accounts cannot be listed.
 */
export async function accountPicker(ctx: PageContext, onSelect: (account: Account) => void): Promise<HTMLElement> {
  const accounts = await loadAccounts(ctx.session);
  if (!accounts.length) {
    const hint =
      ctx.session.role === 'user'
        ? 'Your login is not linked to a hosting account.'
        : 'There are no hosting accounts yet.';
    return emptyState(
      hint,
      ctx.session.role !== 'user' ? h('a', { href: '/accounts', class: 'btn btn-primary' }, 'Create an account') : null,
    );
  }
  const wanted = Number(ctx.query.get('account'));
  const chosen = accounts.find((a) => a.id === wanted) ?? accounts[0]!;
  queueMicrotask(() => onSelect(chosen));
  if (accounts.length === 1)
    return h(
      'div',
      { class: 'picker' },
      h('span', { class: 'picker-label' }, 'Account'),
      h('span', { class: 'chip' }, chosen.username),
    );
  const select = h(
    'select',
    { id: 'account-picker', class: 'picker-select', 'aria-label': 'Account' },
    accounts.map((a) =>
      h('option', { value: String(a.id) }, a.primary_domain ? `${a.username} — ${a.primary_domain}` : a.username),
    ),
  );
  select.value = String(chosen.id);
  select.addEventListener('change', () => {
    const next = accounts.find((a) => String(a.id) === select.value);
    if (!next) return;
    setQuery({ account: next.id });
    onSelect(next);
  });
  return h('div', { class: 'picker' }, h('label', { class: 'picker-label', for: 'account-picker' }, 'Account'), select);
}

/**
 * The frame of a page about one account: the header with the account chooser, an area `show`
 * fills for the chosen account (again on every change), then `after` (cards about all accounts).
 */
export async function perAccountPage(
  ctx: PageContext,
  title: string,
  subtitle: string,
  show: (account: Account, area: HTMLElement) => void,
  after: Child[] = [],
): Promise<void> {
  const picker = h('div');
  const area = h('div');
  append(ctx.root, pageHeader(title, subtitle, picker), area, ...after);
  await loadInto(picker, () => accountPicker(ctx, (account) => show(account, area)), 'accounts');
}
