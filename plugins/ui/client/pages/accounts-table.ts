// The accounts table and its row actions (change password, suspend, unsuspend, delete with
// confirmation; finish deleting an account whose delete failed past its point of no return).
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import type { Account } from '../components/account-picker.js';
import { confirmAction } from '../components/dialog.js';
import { badge, button } from '../components/page.js';
import { rowMenu } from '../components/row-menu.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { editButton } from './account-edit.js';
import { canChangePasswords, passwordButton } from './account-password.js';
import { overDiskQuota, usageCell } from './account-usage.js';
import { openAsButton } from '../shell/viewing-as.js';

/** Status as a coloured label; `deleting` is a delete that failed part-way and must be repeated. */
export function statusBadge(status: unknown): HTMLElement {
  const s = typeof status === 'string' ? status : 'unknown';
  if (s === 'deleting') return badge('deleting — failed, retry', 'danger');
  return badge(s, s === 'active' ? 'ok' : s === 'suspended' ? 'warn' : 'muted');
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

function suspendToggle(a: Account, changed: () => void): HTMLElement | null {
  const suspended = a.status === 'suspended';
  if (a.status === 'deleting' || !hasRoute('POST', `/api/accounts/{id}/${suspended ? 'unsuspend' : 'suspend'}`))
    return null;
  return button(suspended ? 'Unsuspend' : 'Suspend', {
    small: true,
    onClick: async () => {
      if (
        !suspended &&
        !(await confirmAction({
          title: 'Suspend account',
          message: [
            h('p', null, 'Suspend ', h('strong', null, a.username), '?'),
            h('p', null, 'Its websites show the suspended page and its login is refused until you unsuspend it.'),
          ],
          confirmLabel: 'Suspend',
        }))
      )
        return;
      await act(
        suspended ? `${a.username} is active again.` : `${a.username} is suspended.`,
        () => api('POST', `/api/accounts/${a.id}/${suspended ? 'unsuspend' : 'suspend'}`),
        changed,
      );
    },
  });
}

/** Delete, or for a `deleting` account "Finish deleting": the same DELETE, repeated. */
function deleteButton(a: Account, changed: () => void): HTMLElement | null {
  if (!hasRoute('DELETE', '/api/accounts/{id}')) return null;
  const finishing = a.status === 'deleting';
  const message = finishing
    ? [
        h('p', null, 'An earlier delete of ', h('strong', null, a.username), ' stopped part-way. Finish deleting it?'),
        h(
          'p',
          null,
          'What is left of its system user, home directory, domains and login is removed. Backups are kept. This cannot be undone.',
        ),
      ]
    : [
        h('p', null, 'Delete ', h('strong', null, a.username), ' and everything in it?'),
        h(
          'p',
          null,
          'Its system user, home directory, domains, web-server configuration and databases are removed. Backups are kept. This cannot be undone.',
        ),
      ];
  return button(finishing ? 'Finish deleting' : 'Delete', {
    small: true,
    kind: 'danger',
    onClick: async () => {
      const ok = await confirmAction({
        title: finishing ? 'Finish deleting account' : 'Delete account',
        danger: true,
        confirmLabel: finishing ? 'Finish deleting' : 'Delete account',
        message,
      });
      if (ok) await act(`${a.username} was deleted.`, () => api('DELETE', `/api/accounts/${a.id}`), changed);
    },
  });
}

/**
 * Table of accounts; `changed` runs after any action so the page reloads the list. A session
 * opened as the account (`viewingAs`) is not offered its password: the API refuses it.
 */
export function accountsTable(
  accounts: Account[],
  canManage: boolean,
  changed: () => void,
  viewingAs = false,
): HTMLElement {
  // An account's own login may change its password too, but nothing else here. A manager's
  // actions go into one menu per row: the buttons side by side pushed Suspend and Delete out of view.
  const actions = (a: Account) =>
    canManage
      ? rowMenu(
          `Actions for ${a.username}`,
          editButton(a, changed),
          openAsButton(a),
          passwordButton(a, false),
          suspendToggle(a, changed),
          deleteButton(a, changed),
        )
      : rowActions(viewingAs ? null : passwordButton(a, true));
  return dataTable<Account>(
    [
      {
        label: 'Account',
        cell: (a) =>
          h('div', { class: 'cell-main' }, h('strong', null, a.username), h('span', { class: 'muted' }, a.email ?? '')),
      },
      { label: 'Primary domain', cell: (a) => h('a', { href: `/domains?account=${a.id}` }, a.primary_domain ?? '—') },
      { label: 'Plan', class: 'hide-md', cell: (a) => a.plan ?? '—' },
      {
        label: 'Status',
        cell: (a) =>
          overDiskQuota(a)
            ? h('span', { class: 'badge-stack' }, statusBadge(a.status), badge('over quota', 'danger'))
            : statusBadge(a.status),
      },
      { label: 'Usage', cell: usageCell },
      { label: 'Created', class: 'nowrap hide-md', cell: (a) => formatDate(a.created_at) },
      ...(canManage || (canChangePasswords() && !viewingAs)
        ? [{ label: 'Actions', class: 'col-actions', cell: actions }]
        : []),
    ],
    accounts,
    { empty: 'No hosting accounts yet.', label: 'Hosting accounts' },
  );
}
