// Plans (admin, reseller): each plan's quotas and limits and how many accounts are on it; create,
// change (its accounts get the new limits through a job), delete one no account is on.
import * as ui from '../../ui/client/kit.js';
import type { Plan } from './plan-options.js';
import { planDialog } from './plan-form.js';

const PAGE = 50;

async function remove(p: Plan, changed: () => void): Promise<void> {
  const ok = await ui.confirmAction({
    title: 'Delete plan',
    danger: true,
    confirmLabel: 'Delete plan',
    message: [
      ui.h('p', null, 'Delete the plan ', ui.h('strong', null, p.name), '?'),
      ui.h('p', null, 'Only a plan no account is on can be deleted. This cannot be undone.'),
    ],
  });
  if (!ok) return;
  try {
    await ui.api('DELETE', `/api/plans/${p.id}`);
    ui.notify(`${p.name} was deleted.`, 'success');
    changed();
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
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
    p.shell ? `${p.shell} shell` : '',
    p.max_cron_jobs == null ? '' : `${p.max_cron_jobs} cron jobs`,
    p.max_dns_records == null ? '' : `${p.max_dns_records} DNS records`,
    p.php_workers == null ? '' : `${p.php_workers} PHP workers`,
  ].filter(Boolean);
  return set.length ? set.join(', ') : 'none';
}

function plansTable(ctx: ui.PageContext, rows: Plan[], changed: () => void): HTMLElement {
  // A reseller changes only their own plans; the admin's are shown for reference.
  const mine = (p: Plan) => ctx.session.role === 'admin' || p.reseller_id !== null;
  const actions = (p: Plan) =>
    mine(p)
      ? ui.rowMenu(
          `Actions for ${p.name}`,
          ui.hasRoute('PATCH', '/api/plans/{id}')
            ? ui.button('Change', { small: true, onClick: () => planDialog(p, changed) })
            : null,
          ui.hasRoute('DELETE', '/api/plans/{id}')
            ? ui.button('Delete', { small: true, kind: 'danger', onClick: () => void remove(p, changed) })
            : null,
        )
      : '';
  return ui.dataTable<Plan>(
    [
      {
        label: 'Plan',
        cell: (p) =>
          ui.h(
            'div',
            { class: 'cell-main' },
            ui.h('strong', null, p.name),
            p.reseller_id === null
              ? null
              : ui.badge(ctx.session.role === 'admin' ? `reseller ${p.reseller_id}` : 'yours', 'info'),
          ),
      },
      { label: 'Disk (MB)', class: 'num', cell: (p) => String(p.disk_quota_mb) },
      { label: 'Domains', class: 'num', cell: (p) => ui.formatLimit(p.max_domains) },
      { label: 'Databases', class: 'num hide-md', cell: (p) => ui.formatLimit(p.max_databases) },
      { label: 'Other limits', class: 'hide-md', cell: (p) => otherLimits(p) },
      { label: 'Accounts', class: 'num', cell: (p) => String(p.accounts) },
      { label: 'Actions', class: 'col-actions', cell: actions },
    ],
    rows,
    { empty: '', label: 'Plans' },
  );
}

export const plansPage = ui.pluginPage({
  plugin: 'accounts',
  path: '/plans',
  title: 'Plans',
  roles: ui.MANAGERS,
  nav: { icon: 'server', order: 12 },
  render(ctx) {
    const { search, count, list } = ui.pagedList<Plan>(
      '/api/plans',
      PAGE,
      { noun: ['plan', 'plans'], none: 'There are no plans yet.' },
      (rows, reload) => plansTable(ctx, rows, reload),
      'accounts',
    );
    const create = ui.hasRoute('POST', '/api/plans')
      ? ui.button('Create plan', {
          kind: 'primary',
          icon: 'plus',
          onClick: () => planDialog(null, () => void list.reload()),
        })
      : null;
    ctx.root.append(ui.pageHeader('Plans', count, search, create), list);
  },
});
