// Backup schedules: when each account (or every account) is backed up, where to, how many
// backups are kept, and how the last run went; add one, run one now, delete one.
import * as ui from '../../ui/client/kit.js';
import { pickableTargets, targetChoice } from './backup-targets.js';
import type { ScheduleRow } from './schedule-row.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const when = (s: ScheduleRow) =>
  `${s.frequency === 'weekly' ? `every ${DAYS[s.weekday ?? 0]}` : 'daily'} at ${s.time} UTC`;
const keeps = (s: ScheduleRow) =>
  [s.keep_count ? ui.plural(s.keep_count, 'backup') : null, s.keep_days ? `${s.keep_days} days` : null]
    .filter(Boolean)
    .join(', ') || 'all';

async function act(work: () => Promise<string>, reload: () => void): Promise<void> {
  try {
    ui.notify(await work(), 'success');
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
  }
  reload();
}

async function newSchedule(session: ui.Session, reload: () => void): Promise<void> {
  const [accounts, targets] = await Promise.all([ui.loadAccounts(session), pickableTargets(session.role === 'admin')]);
  const who = [
    ...(session.role === 'admin' ? [{ value: '', label: 'Every account' }] : []),
    ...accounts.map((a) => ({ value: String(a.id), label: a.username })),
  ];
  let close = () => undefined as void;
  const f = ui.form(
    [
      ui.h(
        'div',
        { class: 'form-grid' },
        ui.field({
          name: 'account_id',
          label: 'Back up',
          type: 'select',
          options: who,
          value: who[0]?.value,
          plain: true,
        }),
        ui.field({
          name: 'target',
          label: 'Store on',
          type: 'select',
          // An unusable target is shown (so its absence is not a puzzle) but cannot be chosen.
          options: [{ value: '', label: 'The default target' }, ...targets.map((t) => targetChoice(t))],
          hint: session.role === 'admin' ? 'S3 and SFTP targets are added under Backup targets.' : undefined,
          plain: true,
        }),
        ui.field({
          name: 'frequency',
          label: 'How often',
          type: 'select',
          options: [
            { value: 'daily', label: 'Daily' },
            { value: 'weekly', label: 'Weekly' },
          ],
          value: 'daily',
          plain: true,
        }),
        ui.field({
          name: 'weekday',
          label: 'Day (weekly)',
          type: 'select',
          options: DAYS.map((d, i) => ({ value: String(i), label: d })),
          plain: true,
        }),
        ui.field({
          name: 'time',
          label: 'Time (UTC)',
          required: true,
          value: '03:00',
          placeholder: 'HH:MM',
          maxlength: 5,
        }),
        ui.field({
          name: 'keep_count',
          label: 'Keep this many backups',
          type: 'number',
          value: '7',
          hint: '0 keeps all.',
          plain: true,
        }),
        ui.field({
          name: 'keep_days',
          label: 'Keep for days',
          type: 'number',
          value: '30',
          hint: '0 keeps them however old.',
          plain: true,
        }),
      ),
    ],
    'Add schedule',
    async (v) => {
      await ui.api('POST', '/api/backups/schedules', {
        account_id: v.account_id ? Number(v.account_id) : null,
        frequency: v.frequency,
        ...(v.frequency === 'weekly' ? { weekday: Number(v.weekday) } : {}),
        time: v.time?.trim(),
        ...(v.target ? { target: v.target } : {}),
        keep_count: Number(v.keep_count || 0),
        keep_days: Number(v.keep_days || 0),
        enabled: true,
      });
      close();
      ui.notify('The schedule was added.', 'success');
      reload();
    },
    ui.button('Cancel', { onClick: () => close() }),
  );
  close = ui.openDialog('New backup schedule', f, { wide: true });
}

/** The schedules card of the backups page. */
export function schedulesCard(session: ui.Session): HTMLElement {
  const view = (rows: ScheduleRow[], reload: () => void) =>
    ui.dataTable<ScheduleRow>(
      [
        {
          label: 'Backs up',
          cell: (s) => ui.h('strong', null, s.account_id === null ? 'every account' : `account ${s.account_id}`),
        },
        { label: 'When', cell: when },
        { label: 'Stored on', cell: (s) => ui.badge(s.target, 'info') },
        { label: 'Keeps', class: 'hide-md', cell: keeps },
        {
          label: 'Last run',
          cell: (s) =>
            s.last_run_at
              ? ui.h(
                  'div',
                  { class: 'cell-main' },
                  ui.h(
                    'span',
                    null,
                    ui.formatDate(s.last_run_at),
                    ' ',
                    ui.badge(s.last_status ?? '—', s.last_status === 'failed' ? 'danger' : 'ok'),
                  ),
                  s.last_error ? ui.h('span', { class: 'text-danger wrap-any' }, s.last_error) : null,
                )
              : 'not yet',
        },
        {
          label: 'Actions',
          class: 'col-actions',
          cell: (s) =>
            ui.rowMenu(
              `Actions for schedule ${s.id}`,
              ui.hasRoute('POST', '/api/backups/schedules/{id}/run')
                ? ui.button('Run now', {
                    small: true,
                    onClick: () =>
                      void act(async () => {
                        await ui.api('POST', `/api/backups/schedules/${s.id}/run`);
                        return 'The schedule ran: see its last run.';
                      }, reload),
                  })
                : null,
              ui.hasRoute('DELETE', '/api/backups/schedules/{id}')
                ? ui.button('Delete', {
                    small: true,
                    kind: 'danger',
                    onClick: async () => {
                      if (
                        await ui.confirmAction({
                          title: 'Delete schedule',
                          danger: true,
                          confirmLabel: 'Delete schedule',
                          message: ui.h(
                            'p',
                            null,
                            `Stop backing up ${s.account_id === null ? 'every account' : `account ${s.account_id}`} ${when(s)}? Its backups stay.`,
                          ),
                        })
                      )
                        await act(async () => {
                          await ui.api('DELETE', `/api/backups/schedules/${s.id}`);
                          return 'The schedule was deleted.';
                        }, reload);
                    },
                  })
                : null,
            ),
        },
      ],
      rows,
      { empty: '', label: 'Backup schedules' },
    );
  const add = ui.hasRoute('POST', '/api/backups/schedules')
    ? ui.button('New schedule', {
        small: true,
        icon: 'plus',
        onClick: () => void newSchedule(session, () => void parts.list.reload()),
      })
    : null;
  const parts = ui.pagedList<ScheduleRow>(
    '/api/backups/schedules',
    50,
    {
      noun: ['schedule', 'schedules'],
      none: 'No backups are scheduled: backups run only when someone clicks "Back up now".',
      title: 'Backup schedules',
      actions: add,
    },
    view,
    'backups',
  );
  return parts.list;
}
