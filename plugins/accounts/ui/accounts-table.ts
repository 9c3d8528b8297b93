// The accounts table and its row actions (change password, suspend, unsuspend, delete with
// confirmation; finish deleting an account whose delete failed past its point of no return).
import * as ui from '../../ui/client/kit.js';
import { editButton } from './account-edit.js';
import { canChangePasswords, passwordButton } from './account-password.js';

async function act(label: string, work: () => Promise<unknown>, done: () => void): Promise<void> {
  try {
    await work();
    ui.notify(label, 'success');
    done();
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
  }
}

function suspendToggle(a: ui.Account, changed: () => void): HTMLElement | null {
  const suspended = a.status === 'suspended';
  if (a.status === 'deleting' || !ui.hasRoute('POST', `/api/accounts/{id}/${suspended ? 'unsuspend' : 'suspend'}`))
    return null;
  return ui.button(suspended ? 'Unsuspend' : 'Suspend', {
    small: true,
    onClick: async () => {
      if (
        !suspended &&
        !(await ui.confirmAction({
          title: 'Suspend account',
          message: [
            ui.h('p', null, 'Suspend ', ui.h('strong', null, a.username), '?'),
            ui.h('p', null, 'Its websites show the suspended page and its login is refused until you unsuspend it.'),
          ],
          confirmLabel: 'Suspend',
        }))
      )
        return;
      await act(
        suspended ? `${a.username} is active again.` : `${a.username} is suspended.`,
        () => ui.api('POST', `/api/accounts/${a.id}/${suspended ? 'unsuspend' : 'suspend'}`),
        changed,
      );
    },
  });
}

/** Delete, or for a `deleting` account "Finish deleting": the same DELETE, repeated. */
function deleteButton(a: ui.Account, changed: () => void): HTMLElement | null {
  if (!ui.hasRoute('DELETE', '/api/accounts/{id}')) return null;
  const finishing = a.status === 'deleting';
  const message = finishing
    ? [
        ui.h(
          'p',
          null,
          'An earlier delete of ',
          ui.h('strong', null, a.username),
          ' stopped part-way. Finish deleting it?',
        ),
        ui.h(
          'p',
          null,
          'What is left of its system user, home directory, domains and login is removed. Backups are kept. This cannot be undone.',
        ),
      ]
    : [
        ui.h('p', null, 'Delete ', ui.h('strong', null, a.username), ' and everything in it?'),
        ui.h(
          'p',
          null,
          'Its system user, home directory, domains, web-server configuration and databases are removed. Backups are kept. This cannot be undone.',
        ),
      ];
  return ui.button(finishing ? 'Finish deleting' : 'Delete', {
    small: true,
    kind: 'danger',
    onClick: async () => {
      const ok = await ui.confirmAction({
        title: finishing ? 'Finish deleting account' : 'Delete account',
        danger: true,
        confirmLabel: finishing ? 'Finish deleting' : 'Delete account',
        message,
      });
      if (ok) await act(`${a.username} was deleted.`, () => ui.api('DELETE', `/api/accounts/${a.id}`), changed);
    },
  });
}

/**
 * Table of accounts; `changed` runs after any action so the page reloads the list. A session
 * opened as the account (`viewingAs`) is not offered its password: the API refuses it.
 */
export function accountsTable(
  accounts: ui.Account[],
  canManage: boolean,
  changed: () => void,
  viewingAs = false,
): HTMLElement {
  // An account's own login may change its password too, but nothing else here. A manager's
  // actions go into one menu per row: the buttons side by side pushed Suspend and Delete out of view.
  const actions = (a: ui.Account) =>
    canManage
      ? ui.rowMenu(
          `Actions for ${a.username}`,
          editButton(a, changed),
          ui.openAsButton(a),
          passwordButton(a, false),
          suspendToggle(a, changed),
          deleteButton(a, changed),
        )
      : ui.rowActions(viewingAs ? null : passwordButton(a, true));
  return ui.dataTable<ui.Account>(
    [
      {
        label: 'Account',
        cell: (a) =>
          ui.h(
            'div',
            { class: 'cell-main' },
            ui.h('strong', null, a.username),
            ui.h('span', { class: 'muted' }, a.email ?? ''),
          ),
      },
      {
        label: 'Primary domain',
        cell: (a) => ui.h('a', { href: `/domains?account=${a.id}` }, a.primary_domain ?? '—'),
      },
      { label: 'Plan', class: 'hide-md', cell: (a) => a.plan ?? '—' },
      {
        label: 'Status',
        cell: (a) =>
          ui.overDiskQuota(a)
            ? ui.h('span', { class: 'badge-stack' }, ui.statusBadge(a.status), ui.badge('over quota', 'danger'))
            : ui.statusBadge(a.status),
      },
      { label: 'Usage', cell: ui.usageCell },
      { label: 'Created', class: 'nowrap hide-md', cell: (a) => ui.formatDate(a.created_at) },
      ...(canManage || (canChangePasswords() && !viewingAs)
        ? [{ label: 'Actions', class: 'col-actions', cell: actions }]
        : []),
    ],
    accounts,
    { empty: 'No hosting accounts yet.', label: 'Hosting accounts' },
  );
}
