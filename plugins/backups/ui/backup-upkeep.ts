// The admin's upkeep of stored backups: remove those older than a number of days (from every
// target or one), and what start-up settled of backups and restores a crash or restart cut short.
import * as ui from '../../ui/client/kit.js';
import { pickableTargets, targetChoice } from './backup-targets.js';

const CLEANUP = '/api/backups/cleanup';
const RECOVERY = '/api/backups/recovery';

interface Cleanup {
  deleted: number;
  errors: { target: string; error: string }[];
}

async function cleanupDialog(): Promise<void> {
  const targets = await pickableTargets(true);
  ui.formDialog(
    'Remove old backups',
    [
      ui.field({
        name: 'retention_days',
        label: 'Older than (days)',
        type: 'number',
        required: true,
        value: '30',
        hint: 'A backup\u2019s age is read from its file name. This cannot be undone.',
      }),
      ui.field({
        name: 'target',
        label: 'From',
        type: 'select',
        plain: true,
        options: [{ value: '', label: 'Every target' }, ...targets.map((t) => targetChoice(t))],
      }),
    ],
    'Remove old backups',
    async (v, close) => {
      const body: Record<string, unknown> = { retention_days: Number(v.retention_days) };
      if (v.target) body.target = v.target;
      const r = await ui.api<Cleanup>('POST', CLEANUP, body);
      close();
      ui.notify(`${ui.plural(r.deleted, 'backup')} removed.`, 'success');
      for (const e of r.errors) ui.notify(`${e.target}: ${e.error}`, 'error');
    },
  );
}

/** The header's "Remove old backups" button; null without the route. */
export function cleanupButton(): HTMLButtonElement | null {
  if (!ui.hasRoute('POST', CLEANUP)) return null;
  return ui.button('Remove old backups', { icon: 'trash', onClick: () => void cleanupDialog() });
}

/** What start-up recovery did, as a card; null without the route. */
export function recoveryCard(): HTMLElement | null {
  if (!ui.hasRoute('GET', RECOVERY)) return null;
  const body = ui.asyncSection(async () => {
    const r = await ui.api<{ state: 'pending' | 'done' | 'failed'; notes: string[] }>('GET', RECOVERY);
    const tone = r.state === 'done' ? 'ok' : r.state === 'failed' ? 'danger' : 'info';
    return ui.h(
      'div',
      null,
      ui.h('p', null, 'Start-up recovery: ', ui.badge(r.state, tone)),
      r.notes.length
        ? ui.h('ul', { class: 'notes' }, ...r.notes.map((n) => ui.h('li', { class: 'wrap-any' }, n)))
        : ui.h('p', { class: 'hint' }, 'No backup or restore was cut short by the last stop.'),
    );
  }, 'backups');
  return ui.card('Interrupted backups and restores', body);
}
