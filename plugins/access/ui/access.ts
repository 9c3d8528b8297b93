// SSH and cron of an account: its public keys and shell, and its cron jobs with each schedule in words.
import * as ui from '../../ui/client/kit.js';

interface SshKey {
  id: number;
  type: string;
  bits: number;
  fingerprint: string;
  comment: string;
  created_at: string;
}
interface CronJob {
  id: number;
  schedule: string;
  description: string;
  command: string;
  enabled: boolean;
  email: string | null;
}

const SHELLS: Record<string, string> = {
  full: 'full shell',
  'sftp-only': 'SFTP only (chrooted to the home)',
  nologin: 'no SSH login',
};

/** Run a change, say how it went, reload the list. */
async function act(work: () => Promise<unknown>, done: string, reload: () => void): Promise<void> {
  try {
    await work();
    ui.notify(done, 'success');
    reload();
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
  }
}

/** Remove one key or job (when the caller may use `route`): asks with `words`, then deletes `path`. */
function removeButton(
  route: string,
  path: string,
  done: string,
  reload: () => unknown,
  words: ui.ConfirmWords,
): HTMLButtonElement | null {
  if (!ui.hasRoute('DELETE', route)) return null;
  return ui.confirmButton('Remove', words, () =>
    act(
      () => ui.api('DELETE', path),
      done,
      () => void reload(),
    ),
  );
}

/** The admin's shell control: a select saved on change (the plan's shell when "plan" is chosen). */
function shellControl(
  account: ui.Account,
  current: { shell?: string; source?: string },
  reload: () => void,
): HTMLElement {
  const select = ui.h(
    'select',
    { class: 'picker-select' },
    ui.h('option', { value: 'plan' }, 'Plan default'),
    Object.entries(SHELLS).map(([value, label]) => ui.h('option', { value }, label)),
  );
  select.value = current.source === 'admin' ? String(current.shell) : 'plan';
  select.addEventListener(
    'change',
    () =>
      void act(
        () =>
          ui.api('PUT', `/api/accounts/${account.id}/shell`, { shell: select.value === 'plan' ? null : select.value }),
        `The shell of ${account.username} was changed.`,
        reload,
      ),
  );
  return ui.h('label', { class: 'picker' }, ui.h('span', { class: 'picker-label' }, 'Set shell'), select);
}

function keysCard(account: ui.Account, admin: boolean): HTMLElement {
  const base = `/api/accounts/${account.id}/ssh-keys`;
  const list = ui.asyncSection(async () => {
    const data = await ui.api<any>('GET', base);
    const keys = ui.listOf<SshKey>(data, 'keys');
    const remove = (k: SshKey) =>
      removeButton('/api/accounts/{id}/ssh-keys/{key_id}', `${base}/${k.id}`, 'The key was removed.', list.reload, {
        title: 'Remove SSH key',
        confirmLabel: 'Remove key',
        message: ui.h('p', null, 'Remove ', ui.h('code', null, k.fingerprint), '? It stops logging in at once.'),
      });
    return ui.h(
      'div',
      null,
      ui.h(
        'div',
        { class: 'hint card-lead' },
        'Shell: ',
        ui.badge(
          SHELLS[String(data?.shell)] ?? String(data?.shell ?? '—'),
          data?.shell === 'nologin' ? 'muted' : 'info',
        ),
        data?.source === 'admin' ? ' (set by an admin) ' : ' (from the plan) ',
        admin && ui.hasRoute('PUT', '/api/accounts/{id}/shell')
          ? shellControl(account, data ?? {}, () => void list.reload())
          : null,
      ),
      ui.dataTable<SshKey>(
        [
          { label: 'Key', cell: (k) => ui.h('strong', null, k.comment || k.type) },
          { label: 'Type', cell: (k) => `${k.type} (${k.bits} bits)` },
          { label: 'Fingerprint', class: 'hide-md', cell: (k) => ui.h('code', { class: 'wrap-any' }, k.fingerprint) },
          { label: 'Added', class: 'hide-md', cell: (k) => k.created_at },
          { label: 'Actions', class: 'col-actions', cell: (k) => ui.rowActions(remove(k)) },
        ],
        keys,
        { empty: `${account.username} has no SSH keys yet.`, label: 'SSH keys' },
      ),
    );
  }, 'access');
  const add = () =>
    ui.formDialog(
      `New SSH key for ${account.username}`,
      ui.h(
        'div',
        { class: 'form-grid' },
        ui.field({
          name: 'public_key',
          label: 'Public key',
          type: 'textarea',
          required: true,
          autofocus: true,
          placeholder: 'ssh-ed25519 AAAA… you@laptop',
          hint: 'One key: the contents of a .pub file. Options such as command= are refused; RSA needs 2048 bits or more.',
        }),
      ),
      'Add key',
      async (v, close) => {
        const k = await ui.api<SshKey>('POST', base, { public_key: v.public_key });
        close();
        ui.notify(`Key ${k.fingerprint} was added.`, 'success');
        void list.reload();
      },
      { wide: true },
    );
  const addButton = ui.hasRoute('POST', '/api/accounts/{id}/ssh-keys')
    ? ui.button('Add key', { kind: 'primary', icon: 'plus', small: true, onClick: add })
    : null;
  return ui.card(`SSH keys of ${account.username}`, list, { actions: addButton, class: 'card-flush' });
}

function cronCard(account: ui.Account): HTMLElement {
  const base = `/api/accounts/${account.id}/cron`;
  let limit = '';
  const list = ui.asyncSection(async () => {
    const data = await ui.api<any>('GET', base);
    const jobs = ui.listOf<CronJob>(data, 'jobs');
    limit = `${jobs.length} of ${data?.max_jobs ?? '—'} jobs`;
    const canChange = ui.hasRoute('PATCH', '/api/accounts/{id}/cron/{job_id}');
    const toggle = (j: CronJob) =>
      canChange
        ? ui.button(j.enabled ? 'Disable' : 'Enable', {
            small: true,
            onClick: () =>
              void act(
                () => ui.api('PATCH', `${base}/${j.id}`, { enabled: !j.enabled }),
                `The job is ${j.enabled ? 'disabled' : 'enabled'}.`,
                () => void list.reload(),
              ),
          })
        : null;
    const remove = (j: CronJob) =>
      removeButton('/api/accounts/{id}/cron/{job_id}', `${base}/${j.id}`, 'The job was removed.', list.reload, {
        title: 'Remove cron job',
        confirmLabel: 'Remove job',
        message: ui.h('p', null, 'Remove the job ', ui.h('code', null, j.command), '?'),
      });
    return ui.h(
      'div',
      null,
      ui.h(
        'p',
        { class: 'hint card-lead' },
        `${limit} the plan allows. Jobs run as ${account.username} with /bin/sh, in the home directory.`,
      ),
      ui.dataTable<CronJob>(
        [
          {
            label: 'Runs',
            cell: (j) =>
              ui.h('span', null, ui.h('strong', null, j.description), ui.h('br'), ui.h('code', null, j.schedule)),
          },
          { label: 'Command', cell: (j) => ui.h('code', { class: 'wrap-any' }, j.command) },
          { label: 'State', cell: (j) => (j.enabled ? ui.badge('enabled', 'ok') : ui.badge('disabled', 'muted')) },
          { label: 'Output mailed to', class: 'hide-md', cell: (j) => j.email ?? '—' },
          { label: 'Actions', class: 'col-actions', cell: (j) => ui.rowActions(toggle(j), remove(j)) },
        ],
        jobs,
        { empty: `${account.username} has no cron jobs yet.`, label: 'Cron jobs' },
      ),
    );
  }, 'access');
  const add = () =>
    ui.formDialog(
      `New cron job for ${account.username}`,
      ui.h(
        'div',
        { class: 'form-grid' },
        ui.field({
          name: 'schedule',
          label: 'Schedule',
          required: true,
          autofocus: true,
          placeholder: '*/15 * * * *',
          hint: 'Five fields (minute hour day month weekday) or @hourly, @daily, @weekly, @monthly, @yearly.',
        }),
        ui.field({
          name: 'command',
          label: 'Command',
          required: true,
          placeholder: 'php public_html/cron.php',
          hint: 'One line, run by /bin/sh as the account in its home.',
        }),
        ui.field({ name: 'email', label: 'Mail the output to', type: 'email', hint: 'Empty: output is not mailed.' }),
      ),
      'Add job',
      async (v, close) => {
        const j = await ui.api<CronJob>('POST', base, {
          schedule: v.schedule,
          command: v.command,
          email: v.email || null,
        });
        close();
        ui.notify(`The job runs ${j.description}.`, 'success');
        void list.reload();
      },
      { wide: true },
    );
  const addButton = ui.hasRoute('POST', '/api/accounts/{id}/cron')
    ? ui.button('Add job', { kind: 'primary', icon: 'plus', small: true, onClick: add })
    : null;
  return ui.card(`Cron jobs of ${account.username}`, list, { actions: addButton, class: 'card-flush' });
}

export const accessPage = ui.pluginPage({
  plugin: 'access',
  title: 'SSH & cron',
  nav: { icon: 'terminal', order: 65 },
  async render(ctx) {
    await ui.perAccountPage(
      ctx,
      'SSH & cron',
      'SSH keys and shell access of each account, and the jobs cron runs for it.',
      (account, area) =>
        ui.mount(
          area,
          ui.h('div', { class: 'stack' }, keysCard(account, ctx.session.role === 'admin'), cronCard(account)),
        ),
    );
  },
});
