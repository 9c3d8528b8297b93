// Backups of an account: list, create with live progress, restore with its report, delete; targets.
import { api, describeError, listOf } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { formatBytes, formatDate } from '../base/format.js';
import { perAccountPage, type Account } from '../components/account-picker.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction } from '../components/dialog.js';
import { badge, button, card } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import { restoreReport, runWithProgress } from './backup-run.js';
import { schedulesCard } from './backup-schedules.js';
import { addTargetDialog } from './backup-target-form.js';
import { jobWords, liveJob } from './job-live.js';
import { unfinishedJobs } from './job-stream.js';

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

function accountBackups(account: Account, leave: AbortSignal): HTMLElement {
  const activity = h('div', { class: 'activity', 'aria-live': 'polite' });
  let busy = false;
  const guard = async (work: () => Promise<void>) => {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (e) {
      notify(describeError(e), 'error');
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
        !(await confirmAction({
          title: 'Restore backup',
          confirmLabel: 'Restore',
          danger: true,
          message: [
            h(
              'p',
              null,
              'Restore ',
              h('strong', null, account.username),
              ' from ',
              h('strong', { class: 'wrap-any' }, name),
              '?',
            ),
            h('p', null, 'Files and databases are replaced by the backup\u2019s copy once it has been verified.'),
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
      activity.append(h('h3', { class: 'report-title' }, 'Restore report'), restoreReport(result));
      notify('The restore finished.', 'success');
    });
  const remove = (b: Backup) =>
    guard(async () => {
      const name = fileOf(b);
      if (
        !(await confirmAction({
          title: 'Delete backup',
          danger: true,
          confirmLabel: 'Delete backup',
          message: h(
            'p',
            null,
            'Delete ',
            h('strong', { class: 'wrap-any' }, name),
            '? It cannot be restored afterwards.',
          ),
        }))
      )
        return;
      await api('DELETE', `${base}/${encodeURIComponent(name)}`);
      notify(`${name} was deleted.`, 'success');
    });
  const list = asyncSection(async () => {
    const backups = listOf<Backup>(await api('GET', base), 'backups').sort((a, b) =>
      String(b.created_at ?? fileOf(b)).localeCompare(String(a.created_at ?? fileOf(a))),
    );
    return dataTable<Backup>(
      [
        { label: 'Backup', cell: (b) => h('strong', { class: 'break' }, fileOf(b)) },
        { label: 'Created', class: 'nowrap', cell: (b) => formatDate(b.created_at ?? b.created) },
        { label: 'Size', class: 'num', cell: (b) => formatBytes(b.size_bytes ?? b.size) },
        { label: 'Stored on', cell: (b) => badge(b.target ?? 'local', 'info') },
        {
          label: 'Actions',
          class: 'col-actions',
          cell: (b) =>
            rowActions(
              hasRoute('POST', '/api/backups/accounts/{id}/restore/{filename}')
                ? button('Restore', { small: true, onClick: () => void restore(b) })
                : null,
              hasRoute('DELETE', '/api/backups/accounts/{id}/{filename}')
                ? button('Delete', { small: true, kind: 'danger', onClick: () => void remove(b) })
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
    const running = (await unfinishedJobs(`account:${account.id}`).catch(() => [])).filter((j) =>
      j.kind.startsWith('backup.'),
    );
    if (!running.length) return false;
    busy = true;
    if (create) Object.assign(create, { disabled: true, title: 'A backup or restore of this account is running.' });
    const lives = running.map((j) => liveJob(j, `${jobWords(j.kind)} of ${account.username}`, leave));
    activity.replaceChildren(...lives.map((l) => l.el));
    await Promise.all(lives.map((l) => l.ended));
    busy = false;
    if (create) Object.assign(create, { disabled: false, title: '' });
    void list.reload();
    return true;
  };
  const create = hasRoute('POST', '/api/backups/accounts/{id}')
    ? button('Back up now', {
        kind: 'primary',
        icon: 'backups',
        small: true,
        onClick: () => {
          if (busy) return;
          void resume().then((was) =>
            was
              ? notify('A backup of this account was already running: it is shown above.', 'info')
              : guard(async () => {
                  const made = await runWithProgress(
                    `Backing up ${account.username}`,
                    base,
                    '/api/backups/accounts/{id}',
                    activity,
                  );
                  const name = (made as any)?.filename ?? (made as any)?.name;
                  notify(name ? `Backup ${name} was created.` : 'The backup was created.', 'success');
                }),
          );
        },
      })
    : null;
  void resume();
  return card(`Backups of ${account.username}`, h('div', null, activity, list), {
    actions: create,
    class: 'card-flush',
  });
}

/** Reachable, authenticated, writable: the target's own test, said in words. */
async function testTarget(id: string): Promise<void> {
  try {
    const r = await api<{ ok: boolean; error?: string }>('POST', `/api/backups/targets/${encodeURIComponent(id)}/test`);
    notify(
      r.ok
        ? `Backup target ${id} is reachable and writable.`
        : `Backup target ${id} failed its test: ${r.error ?? 'no reason given'}.`,
      r.ok ? 'success' : 'error',
    );
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

function targetsCard(admin: boolean): HTMLElement {
  const add =
    admin && hasRoute('POST', '/api/backups/targets')
      ? button('Add target', { small: true, icon: 'plus', onClick: () => addTargetDialog(() => void body.reload()) })
      : null;
  const body = asyncSection(async () => {
    const all = admin && hasRoute('GET', '/api/backups/targets');
    const targets = listOf<any>(
      await api('GET', all ? '/api/backups/targets' : '/api/backups/remote-targets'),
      'targets',
    );
    const where = (t: any) => {
      const c = t.config ?? t;
      return String(
        c.bucket ?? c.host ?? c.path ?? c.directory ?? c.endpoint ?? (t.type === 'local' ? 'this server' : '—'),
      );
    };
    return dataTable<any>(
      [
        {
          label: 'Target',
          cell: (t) =>
            h(
              'div',
              { class: 'cell-main' },
              h('strong', null, String(t.name ?? t.id ?? '—')),
              t.name && t.id ? h('span', { class: 'muted' }, String(t.id)) : null,
            ),
        },
        { label: 'Type', cell: (t) => badge(String(t.type ?? t.kind ?? '—'), 'info') },
        { label: 'Where', cell: (t) => h('code', { class: 'wrap-any' }, where(t)) },
        {
          label: 'State',
          cell: (t) =>
            t.available === false ? badge(String(t.reason ?? 'unavailable'), 'danger') : badge('ready', 'ok'),
        },
        ...(admin && hasRoute('POST', '/api/backups/targets/{id}/test')
          ? [
              {
                label: 'Actions',
                class: 'col-actions',
                cell: (t: any) =>
                  button('Test connection', { small: true, onClick: () => void testTarget(String(t.id)) }),
              },
            ]
          : []),
      ],
      targets,
      { empty: 'No remote targets are configured: backups are kept on this server.', label: 'Backup targets' },
    );
  }, 'backups');
  return card('Backup targets', body, { class: 'card-flush', actions: add });
}

export const backupsPage: PageDef = {
  path: '/backups',
  title: 'Backups',
  roles: EVERYONE,
  plugin: 'backups',
  nav: { label: 'Backups', icon: 'backups', section: 'hosting', order: 70 },
  render: (ctx) => {
    // Streams of running jobs close when the page is left.
    const leave = new AbortController();
    ctx.onLeave(() => leave.abort());
    return perAccountPage(
      ctx,
      'Backups',
      'Verified full-account backups: home directory, databases and settings.',
      (account, area) => mount(area, accountBackups(account, leave.signal)),
      [
        ctx.session.role !== 'user' ? targetsCard(ctx.session.role === 'admin') : null,
        hasRoute('GET', '/api/backups/schedules') ? schedulesCard(ctx.session) : null,
      ],
    );
  },
};
