// Backup schedules: when each account (or every account) is backed up, where to, how many
// backups are kept, and how the last run went; add one, run one now, delete one.
import { api, describeError, listOf } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate, plural } from '../base/format.js';
import type { Session } from '../base/session.js';
import { loadAccounts } from '../components/account-picker.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { badge, button } from '../components/page.js';
import { pagedList } from '../components/paged-list.js';
import { rowMenu } from '../components/row-menu.js';
import { dataTable } from '../components/table.js';
import { notify } from '../components/toast.js';

interface Schedule {
  id: number;
  account_id: number | null;
  frequency: 'daily' | 'weekly';
  weekday: number | null;
  time: string;
  target: string;
  keep_count: number;
  keep_days: number;
  enabled: boolean;
  last_run_at: string | null;
  last_status: string | null;
  last_error: string | null;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const when = (s: Schedule) =>
  `${s.frequency === 'weekly' ? `every ${DAYS[s.weekday ?? 0]}` : 'daily'} at ${s.time} UTC`;
const keeps = (s: Schedule) =>
  [s.keep_count ? plural(s.keep_count, 'backup') : null, s.keep_days ? `${s.keep_days} days` : null]
    .filter(Boolean)
    .join(', ') || 'all';

async function act(work: () => Promise<string>, reload: () => void): Promise<void> {
  try {
    notify(await work(), 'success');
  } catch (e) {
    notify(describeError(e), 'error');
  }
  reload();
}

async function newSchedule(session: Session, reload: () => void): Promise<void> {
  const [accounts, targets] = await Promise.all([
    loadAccounts(session),
    api('GET', '/api/backups/remote-targets')
      .then((t) => listOf<any>(t, 'targets'))
      .catch(() => []),
  ]);
  const who = [
    ...(session.role === 'admin' ? [{ value: '', label: 'Every account' }] : []),
    ...accounts.map((a) => ({ value: String(a.id), label: a.username })),
  ];
  let close = () => undefined as void;
  const f = form(
    [
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'account_id',
          label: 'Back up',
          type: 'select',
          options: who,
          value: who[0]?.value,
          plain: true,
        }),
        field({
          name: 'target',
          label: 'Store on',
          type: 'select',
          options: [
            { value: '', label: 'The default target' },
            ...targets.map((t) => ({ value: String(t.id), label: String(t.name ?? t.id) })),
          ],
          plain: true,
        }),
        field({
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
        field({
          name: 'weekday',
          label: 'Day (weekly)',
          type: 'select',
          options: DAYS.map((d, i) => ({ value: String(i), label: d })),
          plain: true,
        }),
        field({
          name: 'time',
          label: 'Time (UTC)',
          required: true,
          value: '03:00',
          placeholder: 'HH:MM',
          maxlength: 5,
        }),
        field({
          name: 'keep_count',
          label: 'Keep this many backups',
          type: 'number',
          value: '7',
          hint: '0 keeps all.',
          plain: true,
        }),
        field({
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
      await api('POST', '/api/backups/schedules', {
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
      notify('The schedule was added.', 'success');
      reload();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog('New backup schedule', f, { wide: true });
}

/** The schedules card of the backups page. */
export function schedulesCard(session: Session): HTMLElement {
  const view = (rows: Schedule[], reload: () => void) =>
    dataTable<Schedule>(
      [
        {
          label: 'Backs up',
          cell: (s) => h('strong', null, s.account_id === null ? 'every account' : `account ${s.account_id}`),
        },
        { label: 'When', cell: when },
        { label: 'Stored on', cell: (s) => badge(s.target, 'info') },
        { label: 'Keeps', class: 'hide-md', cell: keeps },
        {
          label: 'Last run',
          cell: (s) =>
            s.last_run_at
              ? h(
                  'div',
                  { class: 'cell-main' },
                  h(
                    'span',
                    null,
                    formatDate(s.last_run_at),
                    ' ',
                    badge(s.last_status ?? '—', s.last_status === 'failed' ? 'danger' : 'ok'),
                  ),
                  s.last_error ? h('span', { class: 'text-danger wrap-any' }, s.last_error) : null,
                )
              : 'not yet',
        },
        {
          label: 'Actions',
          class: 'col-actions',
          cell: (s) =>
            rowMenu(
              `Actions for schedule ${s.id}`,
              hasRoute('POST', '/api/backups/schedules/{id}/run')
                ? button('Run now', {
                    small: true,
                    onClick: () =>
                      void act(async () => {
                        await api('POST', `/api/backups/schedules/${s.id}/run`);
                        return 'The schedule ran: see its last run.';
                      }, reload),
                  })
                : null,
              hasRoute('DELETE', '/api/backups/schedules/{id}')
                ? button('Delete', {
                    small: true,
                    kind: 'danger',
                    onClick: async () => {
                      if (
                        await confirmAction({
                          title: 'Delete schedule',
                          danger: true,
                          confirmLabel: 'Delete schedule',
                          message: h(
                            'p',
                            null,
                            `Stop backing up ${s.account_id === null ? 'every account' : `account ${s.account_id}`} ${when(s)}? Its backups stay.`,
                          ),
                        })
                      )
                        await act(async () => {
                          await api('DELETE', `/api/backups/schedules/${s.id}`);
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
  const add = hasRoute('POST', '/api/backups/schedules')
    ? button('New schedule', {
        small: true,
        icon: 'plus',
        onClick: () => void newSchedule(session, () => void parts.list.reload()),
      })
    : null;
  const parts = pagedList<Schedule>(
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
