// Backup targets: where backups are stored — each one's kind, place, state and last connection
// test; the admin adds, changes, tests and removes them (the backups page shows the same card).
import * as ui from '../../ui/client/kit.js';
import { cleanupButton, recoveryCard } from './backup-upkeep.js';
import { type TargetInfo, whereOf } from './backup-target-kinds.js';
import { targetDialog } from './backup-target-form.js';

/** Reachable, authenticated, writable: the target's own test, said in words. */
async function testTarget(id: string, reload: () => void): Promise<void> {
  try {
    const r = await ui.api<{ ok: boolean; error?: string }>(
      'POST',
      `/api/backups/targets/${encodeURIComponent(id)}/test`,
    );
    ui.notify(
      r.ok
        ? `Backup target ${id} is reachable and writable.`
        : `Backup target ${id} failed its test: ${(r.error ?? 'no reason given').replace(/\.$/, '')}.`,
      r.ok ? 'success' : 'error',
    );
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
  }
  reload();
}

async function removeTarget(t: TargetInfo, reload: () => void): Promise<void> {
  const yes = await ui.confirmAction({
    title: 'Delete backup target',
    danger: true,
    confirmLabel: 'Delete target',
    message: [
      ui.h('p', null, 'Delete backup target ', ui.h('strong', null, t.id), '?'),
      ui.h('p', null, 'Backups already stored there stay where they are; the panel stops using and listing them.'),
    ],
  });
  if (!yes) return;
  try {
    await ui.api('DELETE', `/api/backups/targets/${encodeURIComponent(t.id)}`);
    ui.notify(`Backup target ${t.id} was deleted.`, 'success');
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
  }
  reload();
}

/** Whether it can be used now, and how its last connection test went. */
function stateOf(t: TargetInfo): ui.Child {
  if (!t.available) return ui.badge(t.reason ?? 'unavailable', 'danger');
  const last = t.last_test;
  if (last === undefined) return ui.badge('ready', 'ok');
  if (last === null)
    return ui.h(
      'div',
      { class: 'cell-main' },
      ui.h('span', null, ui.badge('ready', 'ok')),
      ui.h('span', { class: 'muted' }, 'not tested yet'),
    );
  return ui.h(
    'div',
    { class: 'cell-main' },
    ui.h(
      'span',
      null,
      ui.badge(last.ok ? 'test passed' : 'test failed', last.ok ? 'ok' : 'danger'),
      ' ',
      ui.formatDate(last.at),
    ),
    last.error ? ui.h('span', { class: 'text-danger wrap-any' }, last.error) : null,
  );
}

function actionsFor(t: TargetInfo, reload: () => void): ui.Child {
  const mine = t.source === 'api';
  return ui.rowActions(
    ui.hasRoute('POST', '/api/backups/targets/{id}/test')
      ? ui.button('Test connection', { small: true, onClick: () => void testTarget(t.id, reload) })
      : null,
    mine && ui.hasRoute('PATCH', '/api/backups/targets/{id}')
      ? ui.button('Edit', { small: true, onClick: () => targetDialog(t, reload) })
      : null,
    mine && ui.hasRoute('DELETE', '/api/backups/targets/{id}')
      ? ui.button('Delete', { small: true, kind: 'danger', onClick: () => void removeTarget(t, reload) })
      : null,
  );
}

/** The targets card: every target for the admin (who manages them), remote ones for a reseller. */
export function targetsCard(admin: boolean): HTMLElement {
  const reload = () => void body.reload();
  const add =
    admin && ui.hasRoute('POST', '/api/backups/targets')
      ? ui.button('Add target', { small: true, icon: 'plus', onClick: () => targetDialog(null, reload) })
      : null;
  const body = ui.asyncSection(async () => {
    const all = admin && ui.hasRoute('GET', '/api/backups/targets');
    const targets = ui.listOf<TargetInfo>(
      await ui.api('GET', all ? '/api/backups/targets' : '/api/backups/remote-targets'),
      'targets',
    );
    return ui.dataTable<TargetInfo>(
      [
        {
          label: 'Target',
          cell: (t) =>
            ui.h(
              'div',
              { class: 'cell-main' },
              ui.h('strong', null, t.id),
              t.name ? ui.h('span', { class: 'muted' }, t.name) : null,
            ),
        },
        { label: 'Type', cell: (t) => ui.badge(t.type, 'info') },
        { label: 'Where', cell: (t) => ui.h('code', { class: 'wrap-any' }, whereOf(t)) },
        { label: 'State', cell: stateOf },
        ...(admin ? [{ label: 'Actions', class: 'col-actions', cell: (t: TargetInfo) => actionsFor(t, reload) }] : []),
      ],
      targets,
      { empty: 'No remote targets are configured: backups are kept on this server.', label: 'Backup targets' },
    );
  }, 'backups');
  return ui.card('Backup targets', body, { class: 'card-flush', actions: add });
}

/**
 * The targets a backup form may offer: every target for an admin, the remote ones the caller may
 * use for others (local storage is then the default target). Empty when they cannot be listed.
 */
export async function pickableTargets(admin: boolean): Promise<TargetInfo[]> {
  const all = admin && ui.hasRoute('GET', '/api/backups/targets');
  return ui
    .api('GET', all ? '/api/backups/targets' : '/api/backups/remote-targets')
    .then((data) => ui.listOf<TargetInfo>(data, 'targets'))
    .catch(() => []);
}

/** A target as a choice: its id and kind, and why it cannot be chosen. */
export function targetChoice(t: TargetInfo, prefix = ''): { value: string; label: string; disabled: boolean } {
  const label = `${prefix}${t.id}${t.name ? ` (${t.name})` : ''}${t.available ? '' : ' — unavailable'}`;
  return { value: t.id, label, disabled: !t.available };
}

/**
 * Where "Back up now" stores the backup: the default target, or another the caller may use.
 * Filled once the targets are listed; hidden while there is no other target to choose.
 */
export function targetPicker(admin: boolean): HTMLSelectElement {
  const select = ui.h(
    'select',
    { class: 'picker-select', 'aria-label': 'Store the backup on', hidden: true },
    ui.h('option', { value: '' }, 'On the default target'),
  );
  void pickableTargets(admin).then((targets) => {
    const usable = targets.filter((t) => t.available);
    select.append(...usable.map((t) => ui.h('option', { value: t.id }, targetChoice(t, 'On ').label)));
    select.hidden = !usable.some((t) => t.remote !== false);
  });
  return select;
}

export const targetsPage = ui.pluginPage({
  plugin: 'backups',
  path: '/backup-targets',
  title: 'Backup targets',
  roles: ['admin'],
  nav: { icon: 'backups', section: 'server', order: 30 },
  render(ctx) {
    const recovery = recoveryCard();
    ctx.root.append(
      ui.pageHeader(
        'Backup targets',
        'Where backups are stored: this server, S3 buckets and SFTP servers.',
        cleanupButton(),
      ),
      targetsCard(true),
    );
    if (recovery) ctx.root.append(recovery);
  },
});
