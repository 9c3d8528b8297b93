// SSH and cron of an account: its public keys and shell, and its cron jobs with each schedule in words.
import { api, describeError, listOf } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { perAccountPage, type Account } from '../components/account-picker.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { badge, button, card } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';

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
    notify(done, 'success');
    reload();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

/** The admin's shell control: a select saved on change (the plan's shell when "plan" is chosen). */
function shellControl(account: Account, current: { shell?: string; source?: string }, reload: () => void): HTMLElement {
  const select = h(
    'select',
    { class: 'picker-select' },
    h('option', { value: 'plan' }, 'Plan default'),
    Object.entries(SHELLS).map(([value, label]) => h('option', { value }, label)),
  );
  select.value = current.source === 'admin' ? String(current.shell) : 'plan';
  select.addEventListener(
    'change',
    () =>
      void act(
        () => api('PUT', `/api/accounts/${account.id}/shell`, { shell: select.value === 'plan' ? null : select.value }),
        `The shell of ${account.username} was changed.`,
        reload,
      ),
  );
  return h('label', { class: 'picker' }, h('span', { class: 'picker-label' }, 'Set shell'), select);
}

function keysCard(account: Account, admin: boolean): HTMLElement {
  const base = `/api/accounts/${account.id}/ssh-keys`;
  const list = asyncSection(async () => {
    const data = await api<any>('GET', base);
    const keys = listOf<SshKey>(data, 'keys');
    const remove = (k: SshKey) =>
      hasRoute('DELETE', '/api/accounts/{id}/ssh-keys/{key_id}')
        ? button('Remove', {
            small: true,
            kind: 'danger',
            onClick: async () => {
              if (
                !(await confirmAction({
                  title: 'Remove SSH key',
                  danger: true,
                  confirmLabel: 'Remove key',
                  message: h('p', null, 'Remove ', h('code', null, k.fingerprint), '? It stops logging in at once.'),
                }))
              )
                return;
              await act(
                () => api('DELETE', `${base}/${k.id}`),
                'The key was removed.',
                () => void list.reload(),
              );
            },
          })
        : null;
    return h(
      'div',
      null,
      h(
        'div',
        { class: 'hint card-lead' },
        'Shell: ',
        badge(SHELLS[String(data?.shell)] ?? String(data?.shell ?? '—'), data?.shell === 'nologin' ? 'muted' : 'info'),
        data?.source === 'admin' ? ' (set by an admin) ' : ' (from the plan) ',
        admin && hasRoute('PUT', '/api/accounts/{id}/shell')
          ? shellControl(account, data ?? {}, () => void list.reload())
          : null,
      ),
      dataTable<SshKey>(
        [
          { label: 'Key', cell: (k) => h('strong', null, k.comment || k.type) },
          { label: 'Type', cell: (k) => `${k.type} (${k.bits} bits)` },
          { label: 'Fingerprint', class: 'hide-md', cell: (k) => h('code', { class: 'wrap-any' }, k.fingerprint) },
          { label: 'Added', class: 'hide-md', cell: (k) => k.created_at },
          { label: 'Actions', class: 'col-actions', cell: (k) => rowActions(remove(k)) },
        ],
        keys,
        { empty: `${account.username} has no SSH keys yet.`, label: 'SSH keys' },
      ),
    );
  }, 'access');
  const add = () => {
    let close = () => undefined as void;
    const f = form(
      h(
        'div',
        { class: 'form-grid' },
        field({
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
      async (v) => {
        const k = await api<SshKey>('POST', base, { public_key: v.public_key });
        close();
        notify(`Key ${k.fingerprint} was added.`, 'success');
        void list.reload();
      },
      button('Cancel', { onClick: () => close() }),
    );
    close = openDialog(`New SSH key for ${account.username}`, f, { wide: true });
  };
  const addButton = hasRoute('POST', '/api/accounts/{id}/ssh-keys')
    ? button('Add key', { kind: 'primary', icon: 'plus', small: true, onClick: add })
    : null;
  return card(`SSH keys of ${account.username}`, list, { actions: addButton, class: 'card-flush' });
}

function cronCard(account: Account): HTMLElement {
  const base = `/api/accounts/${account.id}/cron`;
  let limit = '';
  const list = asyncSection(async () => {
    const data = await api<any>('GET', base);
    const jobs = listOf<CronJob>(data, 'jobs');
    limit = `${jobs.length} of ${data?.max_jobs ?? '—'} jobs`;
    const canChange = hasRoute('PATCH', '/api/accounts/{id}/cron/{job_id}');
    const toggle = (j: CronJob) =>
      canChange
        ? button(j.enabled ? 'Disable' : 'Enable', {
            small: true,
            onClick: () =>
              void act(
                () => api('PATCH', `${base}/${j.id}`, { enabled: !j.enabled }),
                `The job is ${j.enabled ? 'disabled' : 'enabled'}.`,
                () => void list.reload(),
              ),
          })
        : null;
    const remove = (j: CronJob) =>
      hasRoute('DELETE', '/api/accounts/{id}/cron/{job_id}')
        ? button('Remove', {
            small: true,
            kind: 'danger',
            onClick: async () => {
              if (
                !(await confirmAction({
                  title: 'Remove cron job',
                  danger: true,
                  confirmLabel: 'Remove job',
                  message: h('p', null, 'Remove the job ', h('code', null, j.command), '?'),
                }))
              )
                return;
              await act(
                () => api('DELETE', `${base}/${j.id}`),
                'The job was removed.',
                () => void list.reload(),
              );
            },
          })
        : null;
    return h(
      'div',
      null,
      h(
        'p',
        { class: 'hint card-lead' },
        `${limit} the plan allows. Jobs run as ${account.username} with /bin/sh, in the home directory.`,
      ),
      dataTable<CronJob>(
        [
          {
            label: 'Runs',
            cell: (j) => h('span', null, h('strong', null, j.description), h('br'), h('code', null, j.schedule)),
          },
          { label: 'Command', cell: (j) => h('code', { class: 'wrap-any' }, j.command) },
          { label: 'State', cell: (j) => (j.enabled ? badge('enabled', 'ok') : badge('disabled', 'muted')) },
          { label: 'Output mailed to', class: 'hide-md', cell: (j) => j.email ?? '—' },
          { label: 'Actions', class: 'col-actions', cell: (j) => rowActions(toggle(j), remove(j)) },
        ],
        jobs,
        { empty: `${account.username} has no cron jobs yet.`, label: 'Cron jobs' },
      ),
    );
  }, 'access');
  const add = () => {
    let close = () => undefined as void;
    const f = form(
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'schedule',
          label: 'Schedule',
          required: true,
          autofocus: true,
          placeholder: '*/15 * * * *',
          hint: 'Five fields (minute hour day month weekday) or @hourly, @daily, @weekly, @monthly, @yearly.',
        }),
        field({
          name: 'command',
          label: 'Command',
          required: true,
          placeholder: 'php public_html/cron.php',
          hint: 'One line, run by /bin/sh as the account in its home.',
        }),
        field({ name: 'email', label: 'Mail the output to', type: 'email', hint: 'Empty: output is not mailed.' }),
      ),
      'Add job',
      async (v) => {
        const j = await api<CronJob>('POST', base, {
          schedule: v.schedule,
          command: v.command,
          email: v.email || null,
        });
        close();
        notify(`The job runs ${j.description}.`, 'success');
        void list.reload();
      },
      button('Cancel', { onClick: () => close() }),
    );
    close = openDialog(`New cron job for ${account.username}`, f, { wide: true });
  };
  const addButton = hasRoute('POST', '/api/accounts/{id}/cron')
    ? button('Add job', { kind: 'primary', icon: 'plus', small: true, onClick: add })
    : null;
  return card(`Cron jobs of ${account.username}`, list, { actions: addButton, class: 'card-flush' });
}

export const accessPage: PageDef = {
  path: '/access',
  title: 'SSH & cron',
  roles: EVERYONE,
  plugin: 'access',
  nav: { label: 'SSH & cron', icon: 'terminal', section: 'hosting', order: 65 },
  async render(ctx) {
    await perAccountPage(
      ctx,
      'SSH & cron',
      'SSH keys and shell access of each account, and the jobs cron runs for it.',
      (account, area) =>
        mount(area, h('div', { class: 'stack' }, keysCard(account, ctx.session.role === 'admin'), cronCard(account))),
    );
  },
};
