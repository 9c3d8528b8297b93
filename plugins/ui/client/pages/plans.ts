// Plans (admin, reseller): each plan's quotas and limits and how many accounts are on it; create,
// change (its accounts get the new limits through a job), delete one no account is on.
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatLimit } from '../base/format.js';
import { confirmAction } from '../components/dialog.js';
import { pagedList } from '../components/paged-list.js';
import { badge, button, pageHeader } from '../components/page.js';
import type { Plan } from '../components/plan-options.js';
import { rowMenu } from '../components/row-menu.js';
import { dataTable } from '../components/table.js';
import { notify } from '../components/toast.js';
import { MANAGERS, type PageDef, type PageContext } from '../shell/types.js';
import { planDialog } from './plan-form.js';

const PAGE = 50;

async function remove(p: Plan, changed: () => void): Promise<void> {
  const ok = await confirmAction({
    title: 'Delete plan',
    danger: true,
    confirmLabel: 'Delete plan',
    message: [
      h('p', null, 'Delete the plan ', h('strong', null, p.name), '?'),
      h('p', null, 'Only a plan no account is on can be deleted. This cannot be undone.'),
    ],
  });
  if (!ok) return;
  try {
    await api('DELETE', `/api/plans/${p.id}`);
    notify(`${p.name} was deleted.`, 'success');
    changed();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

/** The limits beyond disk, domains and databases, only those set (the table stays narrow). */
function otherLimits(p: Plan): string {
  const set = [
    p.cpu_percent === null ? '' : `CPU ${p.cpu_percent}%`,
    p.memory_mb === null ? '' : `${p.memory_mb} MB memory`,
    p.max_processes === null ? '' : `${p.max_processes} processes`,
    p.inodes === null ? '' : `${p.inodes} files`,
    p.php_modes === null ? '' : `PHP ${p.php_modes.join('/')}`,
  ].filter(Boolean);
  return set.length ? set.join(', ') : 'none';
}

function plansTable(ctx: PageContext, rows: Plan[], changed: () => void): HTMLElement {
  // A reseller changes only their own plans; the admin's are shown for reference.
  const mine = (p: Plan) => ctx.session.role === 'admin' || p.reseller_id !== null;
  const actions = (p: Plan) =>
    mine(p)
      ? rowMenu(
          `Actions for ${p.name}`,
          hasRoute('PATCH', '/api/plans/{id}')
            ? button('Change', { small: true, onClick: () => planDialog(p, changed) })
            : null,
          hasRoute('DELETE', '/api/plans/{id}')
            ? button('Delete', { small: true, kind: 'danger', onClick: () => void remove(p, changed) })
            : null,
        )
      : '';
  return dataTable<Plan>(
    [
      {
        label: 'Plan',
        cell: (p) =>
          h(
            'div',
            { class: 'cell-main' },
            h('strong', null, p.name),
            p.reseller_id === null
              ? null
              : badge(ctx.session.role === 'admin' ? `reseller ${p.reseller_id}` : 'yours', 'info'),
          ),
      },
      { label: 'Disk (MB)', class: 'num', cell: (p) => String(p.disk_quota_mb) },
      { label: 'Domains', class: 'num', cell: (p) => formatLimit(p.max_domains) },
      { label: 'Databases', class: 'num hide-md', cell: (p) => formatLimit(p.max_databases) },
      { label: 'Other limits', class: 'hide-md', cell: (p) => otherLimits(p) },
      { label: 'Accounts', class: 'num', cell: (p) => String(p.accounts) },
      { label: 'Actions', class: 'col-actions', cell: actions },
    ],
    rows,
    { empty: '', label: 'Plans' },
  );
}

export const plansPage: PageDef = {
  path: '/plans',
  title: 'Plans',
  roles: MANAGERS,
  plugin: 'accounts',
  nav: { label: 'Plans', icon: 'server', section: 'hosting', order: 12 },
  render(ctx) {
    const { search, count, list } = pagedList<Plan>(
      '/api/plans',
      PAGE,
      { noun: ['plan', 'plans'], none: 'There are no plans yet.' },
      (rows, reload) => plansTable(ctx, rows, reload),
      'accounts',
    );
    const create = hasRoute('POST', '/api/plans')
      ? button('Create plan', {
          kind: 'primary',
          icon: 'plus',
          onClick: () => planDialog(null, () => void list.reload()),
        })
      : null;
    ctx.root.append(pageHeader('Plans', count, search, create), list);
  },
};
