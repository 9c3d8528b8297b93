// Backups of an account: list, create with live progress, restore with its report, delete; targets.
import * as ui from '../../ui/client/kit.js';
import { restoreReport, runWithProgress } from './backup-run.js';
import { schedulesCard } from './backup-schedules.js';
import { targetPicker, targetsCard } from './backup-targets.js';

interface Backup {
  filename?: string;
  name?: string;
  size?: number;
  size_bytes?: number;
  created_at?: string;
  created?: string;
  target?: string;
}

const fileOf = (b: Backup) => String(b.filename ?? b.name ?? '');

function accountBackups(account: ui.Account, admin: boolean, leave: AbortSignal): HTMLElement {
  const activity = ui.h('div', { class: 'activity', 'aria-live': 'polite' });
  let busy = false;
  const guard = async (work: () => Promise<void>) => {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (e) {
      ui.notify(ui.describeError(e), 'error');
    } finally {
      busy = false;
      void list.reload();
    }
  };
  const base = `/api/backups/accounts/${account.id}`;
  const restore = (b: Backup) =>
    guard(async () => {
      const name = fileOf(b);
      if (
        !(await ui.confirmAction({
          title: 'Restore backup',
          confirmLabel: 'Restore',
          danger: true,
          message: [
            ui.h(
              'p',
              null,
              'Restore ',
              ui.h('strong', null, account.username),
              ' from ',
              ui.h('strong', { class: 'wrap-any' }, name),
              '?',
            ),
            ui.h('p', null, 'Files and databases are replaced by the backup\u2019s copy once it has been verified.'),
          ],
        }))
      )
        return;
      const result = await runWithProgress(
        `Restoring ${name}`,
        `${base}/restore/${encodeURIComponent(name)}`,
        '/api/backups/accounts/{id}/restore/{filename}',
        activity,
      );
      activity.append(ui.h('h3', { class: 'report-title' }, 'Restore report'), restoreReport(result));
      ui.notify('The restore finished.', 'success');
    });
  const remove = (b: Backup) =>
    guard(async () => {
      const name = fileOf(b);
      if (
        !(await ui.confirmAction({
          title: 'Delete backup',
          danger: true,
          confirmLabel: 'Delete backup',
          message: ui.h(
            'p',
            null,
            'Delete ',
            ui.h('strong', { class: 'wrap-any' }, name),
            '? It cannot be restored afterwards.',
          ),
        }))
      )
        return;
      await ui.api('DELETE', `${base}/${encodeURIComponent(name)}`);
      ui.notify(`${name} was deleted.`, 'success');
    });
  const list = ui.asyncSection(async () => {
    const backups = ui
      .listOf<Backup>(await ui.api('GET', base), 'backups')
      .sort((a, b) => String(b.created_at ?? fileOf(b)).localeCompare(String(a.created_at ?? fileOf(a))));
    return ui.dataTable<Backup>(
      [
        { label: 'Backup', cell: (b) => ui.h('strong', { class: 'break' }, fileOf(b)) },
        { label: 'Created', class: 'nowrap', cell: (b) => ui.formatDate(b.created_at ?? b.created) },
        { label: 'Size', class: 'num', cell: (b) => ui.formatBytes(b.size_bytes ?? b.size) },
        { label: 'Stored on', cell: (b) => ui.badge(b.target ?? 'local', 'info') },
        {
          label: 'Actions',
          class: 'col-actions',
          cell: (b) =>
            ui.rowActions(
              ui.hasRoute('POST', '/api/backups/accounts/{id}/restore/{filename}')
                ? ui.button('Restore', { small: true, onClick: () => void restore(b) })
                : null,
              ui.hasRoute('DELETE', '/api/backups/accounts/{id}/{filename}')
                ? ui.button('Delete', { small: true, kind: 'danger', onClick: () => void remove(b) })
                : null,
            ),
        },
      ],
      backups,
      { empty: `${account.username} has no backups yet.`, label: 'Backups' },
    );
  }, 'backups');
  // A backup or restore of this account still running (started before this page was opened, or
  // in another tab) is shown instead of letting "Back up now" queue a second one behind it.
  const resume = async (): Promise<boolean> => {
    const running = (await ui.unfinishedJobs(`account:${account.id}`).catch(() => [])).filter((j) =>
      j.kind.startsWith('backup.'),
    );
    if (!running.length) return false;
    busy = true;
    if (create) Object.assign(create, { disabled: true, title: 'A backup or restore of this account is running.' });
    const lives = running.map((j) => ui.liveJob(j, `${ui.jobWords(j.kind)} of ${account.username}`, leave));
    activity.replaceChildren(...lives.map((l) => l.el));
    await Promise.all(lives.map((l) => l.ended));
    busy = false;
    if (create) Object.assign(create, { disabled: false, title: '' });
    void list.reload();
    return true;
  };
  const where = targetPicker(admin);
  const create = ui.hasRoute('POST', '/api/backups/accounts/{id}')
    ? ui.button('Back up now', {
        kind: 'primary',
        icon: 'backups',
        small: true,
        onClick: () => {
          if (busy) return;
          void resume().then((was) =>
            was
              ? ui.notify('A backup of this account was already running: it is shown above.', 'info')
              : guard(async () => {
                  const made = await runWithProgress(
                    `Backing up ${account.username}`,
                    base,
                    '/api/backups/accounts/{id}',
                    activity,
                    { target: where.value },
                  );
                  const name = (made as any)?.filename ?? (made as any)?.name;
                  ui.notify(name ? `Backup ${name} was created.` : 'The backup was created.', 'success');
                }),
          );
        },
      })
    : null;
  void resume();
  return ui.card(`Backups of ${account.username}`, ui.h('div', null, activity, list), {
    actions: create ? [where, create] : null,
    class: 'card-flush',
  });
}

export const backupsPage = ui.pluginPage({
  plugin: 'backups',
  title: 'Backups',
  nav: { icon: 'backups', order: 70 },
  render: (ctx) => {
    // Streams of running jobs close when the page is left.
    const leave = new AbortController();
    ctx.onLeave(() => leave.abort());
    return ui.perAccountPage(
      ctx,
      'Backups',
      'Verified full-account backups: home directory, databases and settings.',
      (account, area) => ui.mount(area, accountBackups(account, ctx.session.role === 'admin', leave.signal)),
      [
        ctx.session.role !== 'user' ? targetsCard(ctx.session.role === 'admin') : null,
        ui.hasRoute('GET', '/api/backups/schedules') ? schedulesCard(ctx.session) : null,
      ],
    );
  },
});
