// The accounts table and its row actions (suspend, unsuspend, delete with confirmation).
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate, percent } from '../base/format.js';
import type { Account } from '../components/account-picker.js';
import { confirmAction } from '../components/dialog.js';
import { badge, button } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';

/** Status as a coloured label. */
export function statusBadge(status: unknown): HTMLElement {
  const s = typeof status === 'string' ? status : 'unknown';
  return badge(s, s === 'active' ? 'ok' : s === 'suspended' ? 'warn' : 'muted');
}

function disk(a: Account): HTMLElement {
  const p = percent(a.disk_used_mb, a.disk_quota_mb);
  const fill = h('span', { class: `mini-fill${p >= 90 ? ' bar-danger' : p >= 75 ? ' bar-warn' : ''}` });
  fill.style.width = `${p}%`;
  return h('span', { class: 'mini' }, h('span', { class: 'mini-bar', 'aria-hidden': 'true' }, fill), `${a.disk_used_mb ?? 0} / ${a.disk_quota_mb ?? '—'} MB`);
}

async function act(label: string, work: () => Promise<unknown>, done: () => void): Promise<void> {
  try {
    await work();
    notify(label, 'success');
    done();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

/** Table of accounts; `changed` runs after any action so the page reloads the list. */
export function accountsTable(accounts: Account[], canManage: boolean, changed: () => void): HTMLElement {
  const actions = (a: Account) => {
    const suspended = a.status === 'suspended';
    const toggle = hasRoute('POST', `/api/accounts/{id}/${suspended ? 'unsuspend' : 'suspend'}`)
      ? button(suspended ? 'Unsuspend' : 'Suspend', { small: true, onClick: async () => {
        if (!suspended && !(await confirmAction({ title: 'Suspend account', message: [h('p', null, 'Suspend ', h('strong', null, a.username), '?'), h('p', null, 'Its websites show the suspended page and its login is refused until you unsuspend it.')], confirmLabel: 'Suspend' }))) return;
        await act(suspended ? `${a.username} is active again.` : `${a.username} is suspended.`, () => api('POST', `/api/accounts/${a.id}/${suspended ? 'unsuspend' : 'suspend'}`), changed);
      } })
      : null;
    const del = hasRoute('DELETE', '/api/accounts/{id}')
      ? button('Delete', { small: true, kind: 'danger', onClick: async () => {
        const ok = await confirmAction({
          title: 'Delete account', danger: true, confirmLabel: 'Delete account',
          message: [h('p', null, 'Delete ', h('strong', null, a.username), ' and everything in it?'), h('p', null, 'Its system user, home directory, domains, web-server configuration and databases are removed. Backups are kept. This cannot be undone.')],
        });
        if (ok) await act(`${a.username} was deleted.`, () => api('DELETE', `/api/accounts/${a.id}`), changed);
      } })
      : null;
    return rowActions(toggle, del);
  };
  return dataTable<Account>([
    { label: 'Account', cell: (a) => h('div', { class: 'cell-main' }, h('strong', null, a.username), h('span', { class: 'muted' }, a.email ?? '')) },
    { label: 'Primary domain', cell: (a) => h('a', { href: `/domains?account=${a.id}` }, a.primary_domain ?? '—') },
    { label: 'Plan', class: 'hide-md', cell: (a) => a.plan ?? '—' },
    { label: 'Status', cell: (a) => statusBadge(a.status) },
    { label: 'Disk', cell: disk },
    { label: 'Created', class: 'nowrap hide-md', cell: (a) => formatDate(a.created_at) },
    ...(canManage ? [{ label: 'Actions', class: 'col-actions', cell: actions }] : []),
  ], accounts, { empty: 'No hosting accounts yet.', label: 'Hosting accounts' });
}
