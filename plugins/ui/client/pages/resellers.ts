// Resellers (admin): each one's caps on accounts and domains, how many account logins it has,
// whether it is disabled; create, change, delete, reset its two-factor login, and a way to its plugin grants.
import { api, describeError } from '../base/api.js';
import { hasRoute, pluginActive } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate, formatLimit } from '../base/format.js';
import { confirmAction } from '../components/dialog.js';
import { pagedList } from '../components/paged-list.js';
import { badge, button, pageHeader } from '../components/page.js';
import { rowMenu } from '../components/row-menu.js';
import { dataTable } from '../components/table.js';
import { notify } from '../components/toast.js';
import type { PageDef } from '../shell/types.js';
import { resellerDialog, type Reseller } from './reseller-form.js';
import { twoFactorResetButton } from './two-factor-reset.js';

const PAGE = 50;

async function remove(r: Reseller, changed: () => void): Promise<void> {
  const ok = await confirmAction({
    title: 'Delete reseller',
    danger: true,
    confirmLabel: 'Delete reseller',
    message: [
      h('p', null, 'Delete the reseller ', h('strong', null, r.username), '?'),
      h('p', null, 'Only a reseller without accounts can be deleted. This cannot be undone.'),
    ],
  });
  if (!ok) return;
  try {
    await api('DELETE', `/api/resellers/${r.id}`);
    notify(`${r.username} was deleted.`, 'success');
    changed();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

function resellersTable(rows: Reseller[], changed: () => void): HTMLElement {
  const actions = (r: Reseller) =>
    rowMenu(
      `Actions for ${r.username}`,
      hasRoute('PATCH', '/api/resellers/{id}')
        ? button('Change', { small: true, onClick: () => resellerDialog(r, changed) })
        : null,
      hasRoute('GET', '/api/plugins/grants')
        ? h('a', { href: `/plugins?reseller=${r.id}`, class: 'btn btn-secondary btn-small' }, 'Plugin access')
        : null,
      twoFactorResetButton(r, 'admin'),
      hasRoute('DELETE', '/api/resellers/{id}')
        ? button('Delete', { small: true, kind: 'danger', onClick: () => void remove(r, changed) })
        : null,
    );
  return dataTable<Reseller>(
    [
      {
        label: 'Reseller',
        cell: (r) =>
          h('div', { class: 'cell-main' }, h('strong', null, r.username), h('span', { class: 'muted' }, r.email ?? '')),
      },
      // A cap's column only while the plugin owning that cap is there (the API answers no field otherwise)
      ...(pluginActive('accounts')
        ? [{ label: 'Account cap', class: 'num', cell: (r: Reseller) => formatLimit(r.max_accounts) }]
        : []),
      ...(pluginActive('domains')
        ? [{ label: 'Domain cap', class: 'num', cell: (r: Reseller) => formatLimit(r.max_domains) }]
        : []),
      { label: 'Account logins', class: 'num', cell: (r) => String(r.user_logins) },
      { label: 'State', cell: (r) => (r.disabled ? badge('disabled', 'warn') : badge('active', 'ok')) },
      { label: 'Created', class: 'nowrap hide-md', cell: (r) => formatDate(r.created_at) },
      { label: 'Actions', class: 'col-actions', cell: actions },
    ],
    rows,
    { empty: '', label: 'Resellers' },
  );
}

export const resellersPage: PageDef = {
  path: '/resellers',
  title: 'Resellers',
  roles: ['admin'],
  nav: { label: 'Resellers', icon: 'accounts', section: 'hosting', order: 15 },
  render(ctx) {
    const { search, count, list } = pagedList<Reseller>(
      '/api/resellers',
      PAGE,
      {
        noun: ['reseller', 'resellers'],
        none: 'There are no resellers. A reseller sells hosting accounts of its own within the caps you give it.',
      },
      resellersTable,
    );
    const create = hasRoute('POST', '/api/resellers')
      ? button('Create reseller', {
          kind: 'primary',
          icon: 'plus',
          onClick: () => resellerDialog(null, () => void list.reload()),
        })
      : null;
    ctx.root.append(pageHeader('Resellers', count, search, create), list);
  },
};
